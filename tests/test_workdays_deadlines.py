"""The due-date rule of DOMAIN.md and its settings, the upstream deadline that wins when earlier,
and deadlines running into a year without holiday data."""

from datetime import date, datetime, time, timedelta

import pytest

from hotline_tui.domain.deadlines import (
    DEFAULT_RULE,
    DueRule,
    compute_due,
    due_at,
    due_in_hours,
    effective_due,
)
from hotline_tui.domain.workdays import HOLIDAY, WORKDAY, WorkCalendar

CAL = WorkCalendar()
EOD = time(23, 59, 59)


def dt(y, m, d, hh=9, mm=0):
    return datetime(y, m, d, hh, mm)


# (what, dispatched at, tier days, expected due date; the time is the end of day 23:59:59)
DEFAULT_CASES = [
    ("same day on a working day", dt(2025, 3, 3, 15), 0, date(2025, 3, 3)),
    ("same day on a Spring Festival holiday rolls to 2025-02-05", dt(2025, 1, 30), 0,
     date(2025, 2, 5)),
    ("same day on an ordinary Saturday rolls to Monday", dt(2025, 3, 8), 0, date(2025, 3, 10)),
    ("same day on a Sunday make-up day stays", dt(2025, 1, 26, 10), 0, date(2025, 1, 26)),
    ("same day on National Day 2025 rolls to 10.9", dt(2025, 10, 5), 0, date(2025, 10, 9)),
    ("3 days across the 2025 Spring Festival", dt(2025, 1, 24, 16), 3, date(2025, 2, 5)),
    ("3 days dispatched on a holiday", dt(2025, 1, 30), 3, date(2025, 2, 7)),
    ("5 days with the Saturday 2.8 make-up day", dt(2025, 1, 27), 5, date(2025, 2, 10)),
    ("3 days into the 2025 golden week", dt(2025, 9, 30), 3, date(2025, 10, 11)),
    ("15 days from a holiday", dt(2025, 10, 3), 15, date(2025, 10, 28)),
    ("3 days from a Sunday", dt(2025, 10, 12, 11), 3, date(2025, 10, 15)),
    ("New Year crossing 2025-12-30 + 3", dt(2025, 12, 30, 17, 45), 3, date(2026, 1, 5)),
    ("2026 Spring Festival 3 days", dt(2026, 2, 13), 3, date(2026, 2, 25)),
    ("2026 Spring Festival 15 days", dt(2026, 2, 13), 15, date(2026, 3, 12)),
    ("2026 National Day, Saturday 10.10 works", dt(2026, 9, 30), 3, date(2026, 10, 10)),
]


@pytest.mark.parametrize(("what", "at", "days", "expected"), DEFAULT_CASES,
                         ids=[c[0] for c in DEFAULT_CASES])
def test_default_rule(what, at, days, expected):
    res = compute_due(CAL, at, days)
    assert res.due_at == datetime.combine(expected, EOD)
    assert res.fallback_years == frozenset()
    assert not res.upstream_won
    assert due_at(at, days) == res.due_at  # the package-only shortcut agrees


def test_count_dispatch_day():
    rule = DueRule(count_dispatch_day=True)
    # Monday 2025-01-27 counts as day 1: 1.27, 2.5, 2.6
    assert compute_due(CAL, dt(2025, 1, 27), 3, rule=rule).due_at.date() == date(2025, 2, 6)
    assert compute_due(CAL, dt(2025, 3, 3), 1, rule=rule).due_at.date() == date(2025, 3, 3)
    # a holiday does not count: same as the default rule
    assert compute_due(CAL, dt(2025, 1, 30), 3, rule=rule).due_at.date() == date(2025, 2, 7)
    assert compute_due(CAL, dt(2025, 1, 27), 3).due_at.date() == date(2025, 2, 7)


def test_end_of_day_setting_and_late_same_day_dispatch():
    rule = DueRule(end_of_day=time(17, 30))
    assert compute_due(CAL, dt(2025, 3, 3, 9), 0, rule=rule).due_at == dt(2025, 3, 3, 17, 30)
    assert compute_due(CAL, dt(2025, 3, 3, 9), 3, rule=rule).due_at == dt(2025, 3, 6, 17, 30)
    # dispatched after 17:30: never due before the hand-over, so the next working day
    assert compute_due(CAL, dt(2025, 3, 3, 18), 0, rule=rule).due_at == dt(2025, 3, 4, 17, 30)
    assert compute_due(CAL, dt(2025, 9, 30, 18), 0, rule=rule).due_at == dt(2025, 10, 9, 17, 30)


def test_same_day_on_a_day_off_without_rolling():
    rule = DueRule(same_day_rolls_to_next_workday=False)
    res = compute_due(CAL, dt(2025, 2, 1, 10), 0, rule=rule)
    assert res.due_at == datetime.combine(date(2025, 2, 1), EOD)
    assert compute_due(CAL, dt(2025, 2, 1, 10), 0).due_at.date() == date(2025, 2, 5)


def test_rule_from_and_to_setting():
    assert DueRule.from_setting(None) == DEFAULT_RULE
    rule = DueRule.from_setting({"end_of_day": "17:30", "count_dispatch_day": True})
    assert rule == DueRule(count_dispatch_day=True, end_of_day=time(17, 30))
    assert DueRule.from_setting(rule.to_setting()) == rule
    for bad in ({"end_of_day": "25:00"}, {"count_dispatch_day": "yes"}, {"unknown": 1}):
        with pytest.raises(ValueError):
            DueRule.from_setting(bad)


def test_upstream_deadline_wins_when_earlier():
    computed = datetime.combine(date(2025, 2, 5), EOD)
    earlier = dt(2025, 2, 3, 12)
    later = dt(2025, 2, 10, 12)
    assert effective_due(computed, earlier) == earlier
    assert effective_due(computed, later) == computed
    assert effective_due(computed, None) == computed
    res = compute_due(CAL, dt(2025, 1, 24, 16), 3, upstream_due=earlier)
    assert (res.due_at, res.computed_due_at, res.upstream_won) == (earlier, computed, True)
    res = compute_due(CAL, dt(2025, 1, 24, 16), 3, upstream_due=later)
    assert (res.due_at, res.upstream_won) == (computed, False)


def test_december_2026_into_2027_without_data():
    res = compute_due(CAL, dt(2026, 12, 28, 10), 15)
    assert res.due_at == datetime.combine(date(2027, 1, 18), EOD)
    assert res.fallback_years == {2027}
    # a deadline that stays in 2026 carries no warning
    assert compute_due(CAL, dt(2026, 12, 28), 3).fallback_years == frozenset()
    # a same-day order on a 2027 Saturday with no data: weekends-only, reported
    res = compute_due(CAL, dt(2027, 1, 2), 0)
    assert res.due_at.date() == date(2027, 1, 4) and res.fallback_years == {2027}


def test_december_2026_into_2027_after_entering():
    cal = WorkCalendar({date(2027, 1, 1): (HOLIDAY, "元旦"), date(2027, 1, 16): (WORKDAY, "")})
    res = compute_due(cal, dt(2026, 12, 28, 10), 15)
    assert res.fallback_years == frozenset()
    assert res.due_at.date() == date(2027, 1, 18)
    res = compute_due(cal, dt(2026, 12, 31, 10), 1)
    assert res.due_at.date() == date(2027, 1, 4)
    assert compute_due(CAL, dt(2026, 12, 31, 10), 1).due_at.date() == date(2027, 1, 1)


def test_negative_days_refused_and_hours_helper():
    with pytest.raises(ValueError):
        compute_due(CAL, dt(2025, 3, 3), -1)
    assert due_in_hours(dt(2025, 1, 30, 9), 24) == dt(2025, 1, 31, 9)
    assert due_in_hours(dt(2025, 1, 30, 9), 2.5) == dt(2025, 1, 30, 9) + timedelta(hours=2.5)
