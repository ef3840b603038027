"""The queue's pure rules: lateness in working days and hours, stages across weekends and
the 2025 National Day holiday (with its make-up workdays), buckets, next-chase suggestions,
the sponsorship report cadence, and the range bounds the queries use."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from hotline_tui.domain.escalation import (
    Bucket,
    EscalationRules,
    Stage,
    bucket,
    escalate_due_before,
    first_chase_day,
    lateness,
    next_chase_day,
    report_due,
    stage,
    star_groups,
    unchased_due_before,
    window_end,
)
from hotline_tui.domain.workdays import WorkCalendar

CAL = WorkCalendar()  # chinesecalendar's data
WEEKENDS_ONLY = WorkCalendar(use_package=False)
RULES = EscalationRules()


def eod(d: date) -> datetime:
    return datetime.combine(d, datetime.max.time()).replace(microsecond=0)


@pytest.mark.parametrize(
    ("due", "now", "overdue", "workdays", "hours"),
    [
        # due Friday, Monday morning: one working day late (Monday), 57 clock hours
        (eod(date(2026, 11, 27)), datetime(2026, 11, 30, 9, 0), True, 1, 57),
        # the same Saturday: overdue by hours, no working day yet
        (eod(date(2026, 11, 27)), datetime(2026, 11, 28, 12, 0), True, 0, 12),
        # an upstream deadline at 14:00, two hours past on the same day
        (datetime(2026, 11, 25, 14, 0), datetime(2026, 11, 25, 16, 0), True, 0, 2),
        # due today: 0 working days left, 12 full hours
        (eod(date(2026, 11, 27)), datetime(2026, 11, 27, 11, 0), False, 0, 12),
        # due next Tuesday seen on Friday: Monday and Tuesday left
        (eod(date(2026, 12, 1)), datetime(2026, 11, 27, 23, 0), False, 2, 96),
        # before National Day 2025: due 9-30, seen 10-9 (holiday 10-1..10-8): 1 working day
        (eod(date(2025, 9, 30)), datetime(2025, 10, 9, 10, 0), True, 1, 202),
        # 10-11 is a make-up Saturday: 3 working days late
        (eod(date(2025, 9, 30)), datetime(2025, 10, 11, 10, 0), True, 3, 250),
    ],
)
def test_lateness(due, now, overdue, workdays, hours):
    late = lateness(CAL, due, now)
    assert (late.overdue, late.workdays, late.hours) == (overdue, workdays, hours)
    assert late.late_workdays == (workdays if overdue else 0)


def test_stage_across_national_day():
    due = eod(date(2025, 9, 30))
    # with the holiday data: only overdue on 10-9 and 10-10, escalated on the make-up 10-11
    assert stage(CAL, due, datetime(2025, 10, 9, 10, 0), RULES).stage is Stage.OVERDUE
    assert stage(CAL, due, datetime(2025, 10, 10, 10, 0), RULES).stage is Stage.OVERDUE
    assert stage(CAL, due, datetime(2025, 10, 11, 10, 0), RULES).stage is Stage.ESCALATE
    # counted weekends-only the holiday days would count: escalated already on 10-3
    assert stage(WEEKENDS_ONLY, due, datetime(2025, 10, 3, 10, 0), RULES).stage is \
        Stage.ESCALATE
    assert stage(CAL, due, datetime(2025, 10, 3, 10, 0), RULES).stage is Stage.OVERDUE


def test_stage_warnings_and_settings():
    now = datetime(2026, 11, 23, 10, 0)  # Monday
    assert stage(CAL, now + timedelta(hours=30), now, RULES).stage is Stage.WARN
    assert stage(CAL, now + timedelta(hours=30), now, RULES).warn_hours == 48
    assert stage(CAL, now + timedelta(hours=20), now, RULES).warn_hours == 24
    assert stage(CAL, now + timedelta(hours=49), now, RULES).stage is Stage.OK
    assert stage(CAL, now - timedelta(minutes=1), now, RULES).stage is Stage.OVERDUE
    strict = EscalationRules(warn_hours=(72,), escalate_workdays=1)
    assert stage(CAL, now + timedelta(hours=60), now, strict).stage is Stage.WARN
    # due last Friday: Monday is its first working day late -> escalated at 1
    assert stage(CAL, eod(date(2026, 11, 20)), now, strict).stage is Stage.ESCALATE


def test_rules_from_settings():
    r = EscalationRules.from_settings({"warn_hours": [24, 72], "escalate_after_workdays": 5,
                                       "sponsor_report_days": 14})
    assert r.warn_hours == (72, 24) and r.window_hours == 72
    assert r.escalate_workdays == 5 and r.report_days == 14 and r.chase_many == 3
    with pytest.raises(ValueError):
        EscalationRules.from_settings({"escalate_after_workdays": -1})
    with pytest.raises(ValueError):
        EscalationRules.from_settings({"warn_hours": "soon"})


def test_buckets():
    now = datetime(2026, 11, 27, 10, 0)
    assert bucket(now - timedelta(seconds=1), now, RULES) is Bucket.OVERDUE
    assert bucket(eod(now.date()), now, RULES) is Bucket.TODAY
    assert bucket(now + timedelta(hours=47), now, RULES) is Bucket.SOON
    assert bucket(now + timedelta(hours=49), now, RULES) is Bucket.LATER
    assert window_end(now, RULES) == now + timedelta(hours=48)
    # no window: still everything due today
    assert window_end(now, EscalationRules(warn_hours=())) == datetime(2026, 11, 28)


@pytest.mark.parametrize("cal", [CAL, WEEKENDS_ONLY])
def test_escalate_bound_matches_stage(cal):
    """The range bound used by the candidates query agrees with `stage` for every pair of
    (due, now) over a month around National Day 2025, weekends and make-up days included."""
    for n in (1, 3, 5):
        rules = EscalationRules(escalate_workdays=n)
        for i in range(0, 40):
            now = datetime(2025, 9, 20, 15, 0) + timedelta(days=i)
            bound = escalate_due_before(cal, now, rules)
            for j in range(-25, 3):
                for due in (eod(now.date() + timedelta(days=j)),
                            datetime.combine(now.date() + timedelta(days=j),
                                             datetime.min.time()) + timedelta(hours=9)):
                    escalated = stage(cal, due, now, rules).stage is Stage.ESCALATE
                    assert escalated == (due < bound), (n, now, due)


def test_unchased_bound_matches_first_chase_day():
    for i in range(0, 30):
        today = date(2025, 9, 22) + timedelta(days=i)
        bound = unchased_due_before(CAL, today)
        for j in range(-5, 15):
            due = eod(today + timedelta(days=j))
            assert (first_chase_day(CAL, today, due) == today) == (due < bound), (today, due)


def test_first_chase_day():
    today = date(2026, 11, 27)  # Friday
    assert first_chase_day(CAL, today, eod(date(2026, 11, 20))) == today  # overdue
    assert first_chase_day(CAL, today, eod(date(2026, 11, 30))) == today  # Monday: Fri
    assert first_chase_day(CAL, today, eod(date(2026, 12, 2))) == date(2026, 12, 1)


def test_next_chase_day():
    fri = datetime(2026, 11, 27, 10, 0)
    # overdue: the next working day (Monday), or every 2 working days (Tuesday)
    assert next_chase_day(CAL, fri, eod(date(2026, 11, 25))) == date(2026, 11, 30)
    assert next_chase_day(CAL, fri, eod(date(2026, 11, 25)),
                          rules=EscalationRules(chase_every_workdays=2)) == date(2026, 12, 1)
    # not yet due: on the due day; due today: the next working day
    assert next_chase_day(CAL, fri, eod(date(2026, 12, 2))) == date(2026, 12, 2)
    assert next_chase_day(CAL, fri, eod(date(2026, 11, 27))) == date(2026, 11, 30)
    # a promise for Monday: check on Tuesday
    assert next_chase_day(CAL, fri, eod(date(2026, 11, 25)),
                          promised=date(2026, 11, 30)) == date(2026, 12, 1)
    # chased on 9-30 2025 while overdue: the next working day is 10-9 (after the holiday)
    assert next_chase_day(CAL, datetime(2025, 9, 30, 10, 0), eod(date(2025, 9, 29))) == \
        date(2025, 10, 9)
    # a promise of 10-10 (Friday): the make-up Saturday 10-11 is the day after
    assert next_chase_day(CAL, datetime(2025, 9, 30, 10, 0), eod(date(2025, 9, 29)),
                          promised=date(2025, 10, 10)) == date(2025, 10, 11)


def test_report_cadence():
    start = datetime(2026, 11, 2, 9, 0)
    assert report_due(start, None, 7, datetime(2026, 11, 9, 18, 0)).overdue is False
    late = report_due(start, None, 7, datetime(2026, 11, 10, 8, 0))
    assert late.overdue and late.days_over == 1 and late.due_on == date(2026, 11, 9)
    # a report on day 5 moves the next one to day 12
    after = report_due(start, datetime(2026, 11, 7, 16, 0), 7, datetime(2026, 11, 12, 9, 0))
    assert after.due_on == date(2026, 11, 14) and not after.overdue


def test_star_groups_do_not_chain():
    # 1~2, 1~3, 1~4 (a centre with three partners); 4~5~6 a chain; 7~8 a pair
    links = {1: {2, 3, 4}, 2: {1}, 3: {1}, 4: {1, 5}, 5: {4, 6}, 6: {5}, 7: {8}, 8: {7}}
    assert star_groups(links, 3) == [[1, 2, 3, 4]]
    assert star_groups(links, 2) == [[1, 2, 3, 4], [5, 6], [8, 7]]
    # an item standing for several identical texts weighs that much
    assert star_groups({9: set(), 7: {8}, 8: {7}}, 3, {9: 3, 7: 1, 8: 1}) == [[9]]
    assert star_groups({7: {8}, 8: {7}}, 3, {7: 2, 8: 1}) == [[7, 8]]
