"""Working days over 2025 and 2026 with the real arrangement (chinesecalendar), the office's
entries winning over the package, and the weekends-only fallback for a year with no data."""

from datetime import date, datetime, timedelta

import chinese_calendar as cc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.domain.workdays import (
    HOLIDAY,
    SOURCE_ENTERED,
    SOURCE_FALLBACK,
    SOURCE_PACKAGE,
    WORKDAY,
    WorkCalendar,
)

CAL = WorkCalendar()
D = date


def _cc_add(d: date, n: int) -> date:
    """The n-th working day after d, by brute force over chinesecalendar itself."""
    count = 0
    while count < n:
        d += timedelta(days=1)
        if cc.is_workday(d):
            count += 1
    return d


# (what, start, n, expected n-th working day after start)
ADD_CASES = [
    ("2025 Spring Festival: Friday before, Sunday 1.26 is a make-up day", D(2025, 1, 24), 3,
     D(2025, 2, 5)),
    ("2025 Spring Festival: the 1.28-2.4 week is skipped", D(2025, 1, 27), 3, D(2025, 2, 7)),
    ("2025 Spring Festival: Saturday 2.8 is a make-up day", D(2025, 1, 27), 5, D(2025, 2, 10)),
    ("dispatch on a holiday (2025-01-30)", D(2025, 1, 30), 3, D(2025, 2, 7)),
    ("Saturday make-up day 2025-02-08 is the next working day", D(2025, 2, 7), 1,
     D(2025, 2, 8)),
    ("across the Saturday make-up day", D(2025, 2, 7), 3, D(2025, 2, 11)),
    ("Sunday 2025-09-28 make-up day before National Day", D(2025, 9, 26), 3, D(2025, 9, 30)),
    ("2025 Mid-Autumn + National Day 10.1-10.8, Saturday 10.11 works", D(2025, 9, 30), 3,
     D(2025, 10, 11)),
    ("after the 2025 golden week", D(2025, 9, 30), 5, D(2025, 10, 14)),
    ("15 days from a National Day holiday", D(2025, 10, 3), 15, D(2025, 10, 28)),
    ("dispatch on an ordinary Sunday", D(2025, 10, 12), 3, D(2025, 10, 15)),
    ("New Year crossing: 2026-01-01..03 off, Sunday 01-04 works", D(2025, 12, 30), 3,
     D(2026, 1, 5)),
    ("New Year's Eve + 1 lands on the Sunday make-up day", D(2025, 12, 31), 1, D(2026, 1, 4)),
    ("2026 Spring Festival: Saturday 2.14 works", D(2026, 2, 13), 1, D(2026, 2, 14)),
    ("2026 Spring Festival 2.15-2.23 skipped", D(2026, 2, 13), 3, D(2026, 2, 25)),
    ("2026 Spring Festival, 5 days", D(2026, 2, 13), 5, D(2026, 2, 27)),
    ("2026 Spring Festival, 15 days incl. Saturday 2.28", D(2026, 2, 13), 15, D(2026, 3, 12)),
    ("2026 Labour Day 5.1-5.5", D(2026, 4, 30), 3, D(2026, 5, 8)),
    ("2026 Labour Day, Saturday 5.9 works", D(2026, 4, 30), 5, D(2026, 5, 11)),
    ("2026 Sunday 9.20 make-up day", D(2026, 9, 18), 3, D(2026, 9, 22)),
    ("2026 Mid-Autumn 9.25-27", D(2026, 9, 24), 1, D(2026, 9, 28)),
    ("2026 National Day 10.1-10.7, Saturday 10.10 works", D(2026, 9, 30), 3, D(2026, 10, 10)),
    ("late December 2026 staying in 2026", D(2026, 12, 28), 3, D(2026, 12, 31)),
]


@pytest.mark.parametrize(("what", "start", "n", "expected"), ADD_CASES,
                         ids=[c[0] for c in ADD_CASES])
def test_add_workdays_real_arrangement(what, start, n, expected):
    assert _cc_add(start, n) == expected, "expectation disagrees with chinesecalendar's data"
    assert CAL.add_workdays(start, n) == expected
    assert CAL.workdays_between(start, expected) == n
    assert CAL.fallback_years(start, expected) == set()


@pytest.mark.parametrize(
    ("day", "workday", "kind"),
    [
        (D(2025, 1, 26), True, WORKDAY),  # Sunday make-up day
        (D(2025, 1, 28), False, HOLIDAY),
        (D(2025, 2, 4), False, HOLIDAY),
        (D(2025, 2, 8), True, WORKDAY),  # Saturday make-up day
        (D(2025, 10, 6), False, HOLIDAY),  # Mid-Autumn inside the golden week
        (D(2025, 10, 8), False, HOLIDAY),
        (D(2025, 10, 11), True, WORKDAY),
        (D(2026, 1, 4), True, WORKDAY),
        (D(2026, 2, 23), False, HOLIDAY),
        (D(2026, 2, 28), True, WORKDAY),
        (D(2026, 10, 10), True, WORKDAY),
        (D(2026, 3, 7), False, "weekend"),
        (D(2026, 3, 9), True, "weekday"),
    ],
)
def test_single_days(day, workday, kind):
    assert cc.is_workday(day) is workday
    assert CAL.is_workday(day) is workday
    info = CAL.day_info(datetime.combine(day, datetime.min.time()).replace(hour=10))
    assert (info.is_workday, info.kind) == (workday, kind)


def test_every_day_2020_to_2026_matches_the_package():
    d = D(2020, 1, 1)
    while d <= D(2026, 12, 31):
        assert CAL.is_workday(d) == cc.is_workday(d), d
        d += timedelta(days=1)


@settings(max_examples=300, deadline=None)
@given(st.dates(D(2004, 1, 1), D(2026, 10, 31)), st.integers(0, 30))
def test_add_workdays_matches_brute_force(start, n):
    got = CAL.add_workdays(start, n)
    assert got == (start if n == 0 else _cc_add(start, n))
    assert CAL.workdays_between(start, got) == n
    if n:  # and back again: to the start, or the last working day before a day off
        assert CAL.add_workdays(got, -n) == CAL.previous_workday_on_or_before(start)


def test_counting_back_and_lateness():
    # working days back from 2025-02-05: 2.5 <- 1.27 <- 1.26 (Sunday make-up)
    assert CAL.add_workdays(D(2025, 2, 5), -1) == D(2025, 1, 27)
    assert CAL.add_workdays(D(2025, 2, 5), -2) == D(2025, 1, 26)
    # replied 2025-10-09 for a deadline of 2025-09-30: one working day late
    assert CAL.workdays_between(D(2025, 9, 30), D(2025, 10, 9)) == 1
    assert CAL.workdays_between(D(2025, 10, 9), D(2025, 9, 30)) == -1
    assert CAL.workdays_between(D(2025, 10, 1), D(2025, 10, 8)) == 0
    assert CAL.next_workday_on_or_after(D(2025, 10, 1)) == D(2025, 10, 9)
    assert CAL.next_workday_on_or_after(D(2025, 10, 9)) == D(2025, 10, 9)
    assert CAL.workdays_in(D(2025, 10, 7), D(2025, 10, 13)) == [
        D(2025, 10, 9), D(2025, 10, 10), D(2025, 10, 11), D(2025, 10, 13)
    ]


def test_2027_without_data_falls_back_to_weekends_and_reports_it():
    with pytest.raises(NotImplementedError):  # what the package itself does
        cc.is_workday(D(2027, 1, 4))
    assert 2027 not in CAL.known_years
    assert CAL.is_workday(D(2027, 1, 1)) is True  # a Friday, no data: counted as working
    assert CAL.is_workday(D(2027, 1, 2)) is False
    assert CAL.day_info(D(2027, 1, 1)).source == SOURCE_FALLBACK
    # 15 working days from Monday 2026-12-28: 12.29-31, then weekdays only in January
    assert CAL.add_workdays(D(2026, 12, 28), 15) == D(2027, 1, 18)
    assert CAL.fallback_years(D(2026, 12, 28), D(2027, 1, 18)) == {2027}
    assert CAL.missing_years(range(2025, 2029)) == {2027, 2028}
    assert CAL.coverage(2027).status == "missing"
    assert CAL.special_days(2027) == []


# a test-only arrangement for 2027 (the real one is entered by the office when published)
ENTERED_2027 = {
    D(2027, 1, 1): (HOLIDAY, "元旦"),
    D(2027, 1, 16): (WORKDAY, "测试调休"),
}


def test_2027_after_entering():
    cal = WorkCalendar(ENTERED_2027)
    assert cal.is_known_year(2027)
    assert cal.fallback_years(D(2026, 12, 28), D(2027, 1, 18)) == set()
    assert cal.is_workday(D(2027, 1, 1)) is False
    assert cal.is_workday(D(2027, 1, 16)) is True
    assert cal.day_info(D(2027, 1, 4)).source != SOURCE_FALLBACK
    # 12.29, 12.30, 12.31, 1.4-1.8, 1.11-1.15, Saturday 1.16, 1.18 -> the 15th is 1.18
    assert cal.add_workdays(D(2026, 12, 28), 15) == D(2027, 1, 18)
    # without the make-up Saturday the holiday pushes it one day
    only_holiday = WorkCalendar({D(2027, 1, 1): (HOLIDAY, "元旦")})
    assert only_holiday.add_workdays(D(2026, 12, 28), 15) == D(2027, 1, 19)
    assert only_holiday.add_workdays(D(2026, 12, 31), 1) == D(2027, 1, 4)
    cov = cal.coverage(2027)
    assert (cov.status, cov.entered_holidays, cov.entered_workdays) == ("entered", 1, 1)
    days = cal.special_days(2027)
    assert [(d.day, d.kind, d.source) for d in days] == [
        (D(2027, 1, 1), HOLIDAY, SOURCE_ENTERED), (D(2027, 1, 16), WORKDAY, SOURCE_ENTERED)
    ]


def test_entered_data_wins_over_the_package():
    cal = WorkCalendar({
        D(2025, 10, 8): (WORKDAY, "本地上班"),  # the package says holiday
        D(2025, 10, 11): (HOLIDAY, "本地放假"),  # the package says make-up workday
    })
    assert cc.is_workday(D(2025, 10, 8)) is False and cc.is_workday(D(2025, 10, 11)) is True
    assert cal.is_workday(D(2025, 10, 8)) is True
    assert cal.is_workday(D(2025, 10, 11)) is False
    # 9.30 + 3: 10.8 (entered), 10.9, 10.10
    assert cal.add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 10)
    assert cal.add_workdays(D(2025, 9, 30), 4) == D(2025, 10, 13)
    special = {d.day: d for d in cal.special_days(2025)}
    assert special[D(2025, 10, 8)].source == SOURCE_ENTERED
    assert special[D(2025, 10, 8)].package_kind == HOLIDAY
    assert special[D(2025, 10, 7)].source == SOURCE_PACKAGE
    assert cal.coverage(2025).status == "package"
    # the package-only calendar is unchanged
    assert CAL.add_workdays(D(2025, 9, 30), 3) == D(2025, 10, 11)


def test_package_special_days_2025():
    days = CAL.special_days(2025)
    workdays = [d.day for d in days if d.kind == WORKDAY]
    assert workdays == sorted(d for d in cc.workdays if d.year == 2025)
    assert D(2025, 1, 26) in workdays and D(2025, 2, 8) in workdays
    holidays = {d.day for d in days if d.kind == HOLIDAY}
    assert {D(2025, 1, 28) + timedelta(days=i) for i in range(8)} <= holidays
    assert {D(2025, 10, 1) + timedelta(days=i) for i in range(8)} <= holidays
    assert all(d.source == SOURCE_PACKAGE for d in days)
    assert next(d.name for d in days if d.day == D(2025, 1, 29)) == "春节"


def test_bad_kind_is_refused():
    with pytest.raises(ValueError):
        WorkCalendar({D(2027, 1, 1): ("rest", "")})


def test_fast_enough():
    import time

    cal = WorkCalendar()
    start = time.perf_counter()
    d = D(2025, 1, 1)
    for i in range(20_000):
        cal.add_workdays(d + timedelta(days=i % 700), 15)
    per_call = (time.perf_counter() - start) / 20_000
    assert per_call < 50e-6, per_call  # chinesecalendar's own find_workday is ~0.2 ms a call
