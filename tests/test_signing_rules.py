"""domain/signing.py: owners' phones and names, the sign-for limit in working days (weekends,
holidays, make-up workdays, entered years), lateness, and the rate formulas."""

from datetime import date, datetime, time, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hotline_tui.domain.deadlines import DueRule
from hotline_tui.domain.signing import (
    SIGN_LATE,
    SIGN_ON_TIME,
    SIGN_OVERDUE,
    SIGN_WAITING,
    BadName,
    BadPhone,
    Rate,
    SignCounts,
    SignLimits,
    month_bounds,
    normalize_name,
    normalize_phone,
    on_time_sign_rate,
    sign_rate,
)
from hotline_tui.domain.workdays import WorkCalendar

CAL = WorkCalendar()  # chinesecalendar's data only


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits
        ("１３８　１２３４　５６７８", "13812345678"),  # and full-width spaces
        (13812345678, "13812345678"),  # a phone stored as a number
        (13812345678.0, "13812345678"),
        ("+86 138-1234-5678", "13812345678"),
        ("0371-12345678", "0371-12345678"),
        ("037112345678", "0371-12345678"),
        ("(0371)6234567", "0371-6234567"),
        ("（010）62345678", "010-62345678"),
        ("010-62345678-808", "010-62345678-808"),
        ("0371-62345678转12", "0371-62345678-12"),
        ("13812345678/0371-62345678", "13812345678,0371-62345678"),
    ],
)
def test_phone_normalised(raw, expected):
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    ["", None, "1381234567", "138123456789", "23812345678", "12345", "62345678",
     "0371-123456", "013812345678", "张三", "138-1234-567x"],
)
def test_phone_rejected(raw):
    with pytest.raises(BadPhone):
        normalize_phone(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("张三", "张三"), (" 张 三 ", "张三"), ("欧阳 娜娜", "欧阳娜娜"), ("Ｌｉ Ｍｉｎｇ", "Li Ming"),
     ("王芳。", "王芳")],
)
def test_name_normalised(raw, expected):
    assert normalize_name(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", None, "13812345678", "张" * 21])
def test_name_rejected(raw):
    with pytest.raises(BadName):
        normalize_name(raw)


# ---- the sign-for limit --------------------------------------------------------------------

EOD = time(23, 59, 59)


@pytest.mark.parametrize(
    ("dispatched", "days", "limit_day"),
    [
        # Friday before a weekend: Monday
        (datetime(2025, 11, 14, 16, 0), 1, date(2025, 11, 17)),
        # dispatched on a Saturday: the first working day after it
        (datetime(2025, 11, 15, 10, 0), 1, date(2025, 11, 17)),
        # Friday 2025-09-26: Sunday 09-28 is a make-up workday (National Day 2025)
        (datetime(2025, 9, 26, 10, 0), 1, date(2025, 9, 28)),
        # the day before the National Day holiday (10-01..10-08): the 9th
        (datetime(2025, 9, 30, 9, 0), 1, date(2025, 10, 9)),
        (datetime(2025, 9, 30, 9, 0), 2, date(2025, 10, 10)),
        # Spring Festival 2026 (02-15..02-23 off, Saturday 02-14 a make-up workday)
        (datetime(2026, 2, 13, 15, 0), 1, date(2026, 2, 14)),
        (datetime(2026, 2, 14, 15, 0), 1, date(2026, 2, 24)),
        # New Year 2026: 01-01..01-03 off, Sunday 01-04 a make-up workday
        (datetime(2025, 12, 31, 18, 0), 1, date(2026, 1, 4)),
        # an ordinary Tuesday, and a same-working-day limit of 0
        (datetime(2025, 11, 18, 9, 0), 1, date(2025, 11, 19)),
        (datetime(2025, 11, 18, 9, 0), 0, date(2025, 11, 18)),
    ],
)
def test_limit_in_working_days(dispatched, days, limit_day):
    limits = SignLimits(CAL, days)
    assert limits.end_for(dispatched) == datetime.combine(limit_day, EOD)


def test_limit_uses_entered_year_over_fallback():
    dispatched = datetime(2026, 12, 31, 10, 0)  # Thursday; 2027 unknown to the package
    fallback = SignLimits(WorkCalendar(), 1)
    assert fallback.end_for(dispatched) == datetime(2027, 1, 1, 23, 59, 59)  # weekends only
    entered = WorkCalendar({date(2027, 1, 1): ("holiday", "元旦")})
    assert SignLimits(entered, 1).end_for(dispatched) == datetime(2027, 1, 4, 23, 59, 59)


def test_lateness_at_the_boundary():
    limits = SignLimits(CAL, 1)
    disp = datetime(2025, 9, 30, 9, 0)
    end = datetime(2025, 10, 9, 23, 59, 59)
    assert not limits.is_late(disp, end, end + timedelta(days=5))
    assert limits.is_late(disp, end + timedelta(seconds=1), end)
    # not signed: late once now is past the end
    assert not limits.is_late(disp, None, end)
    assert limits.is_late(disp, None, end + timedelta(seconds=1))
    assert limits.state(disp, datetime(2025, 10, 9, 8, 0), end) == SIGN_ON_TIME
    assert limits.state(disp, datetime(2025, 10, 10, 8, 0), end) == SIGN_LATE
    assert limits.state(disp, None, datetime(2025, 10, 5)) == SIGN_WAITING
    assert limits.state(disp, None, datetime(2025, 10, 10)) == SIGN_OVERDUE


def test_early_end_of_day_moves_late_dispatch():
    rule = DueRule(end_of_day=time(17, 30), count_dispatch_day=True)
    limits = SignLimits(CAL, 1, rule)
    # counted from the dispatch day itself: due at 17:30 the same day ...
    assert limits.end_for(datetime(2025, 11, 18, 9, 0)) == datetime(2025, 11, 18, 17, 30)
    # ... but dispatched after 17:30 it cannot be due before it was handed over
    assert limits.end_for(datetime(2025, 11, 18, 18, 0)) == datetime(2025, 11, 19, 17, 30)


def test_same_day_limit_on_a_day_off_rolls():
    rule = DueRule(same_day_rolls_to_next_workday=False)  # for deadlines, not for sign-for
    limits = SignLimits(CAL, 0, rule)
    assert limits.end_for(datetime(2025, 10, 1, 9, 0)) == datetime(2025, 10, 9, 23, 59, 59)


RULES = [
    DueRule(),
    DueRule(end_of_day=time(17, 30)),
    DueRule(end_of_day=time(17, 30), count_dispatch_day=True),
    DueRule(end_of_day=time(12, 0), same_day_rolls_to_next_workday=False),
]


@settings(max_examples=300, deadline=None)
@given(
    rule=st.sampled_from(RULES),
    days=st.integers(0, 3),
    start=st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 11, 30)),
    back_minutes=st.integers(0, 60 * 24 * 30),
)
def test_unsigned_cutoff_agrees_with_end_for(rule, days, start, back_minutes):
    """Counting `dispatched_at < cutoff(now)` in SQL gives the same answer as end_for."""
    limits = SignLimits(CAL, days, rule)
    now = start.replace(microsecond=0)
    dispatched = now - timedelta(minutes=back_minutes)
    cutoff = limits.unsigned_late_cutoff(now)
    assert (dispatched < cutoff) == (limits.end_for(dispatched) < now)


def test_day_table_matches_end_for():
    rule = DueRule(end_of_day=time(17, 30))
    limits = SignLimits(CAL, 1, rule)
    for d, eod, before, after in limits.day_table(date(2025, 9, 25), date(2025, 10, 12)):
        assert eod == datetime.combine(d, time(17, 30))
        assert limits.end_for(datetime.combine(d, time(9, 0))) == before
        assert limits.end_for(datetime.combine(d, time(18, 0))) == after


# ---- rates -----------------------------------------------------------------------------------


def test_rates_carry_numerator_and_denominator():
    r = sign_rate(39, 40)
    assert (r.numerator, r.denominator) == (39, 40)
    assert r.percent() == "97.5%"
    assert r.text() == "97.5% (39/40)"
    assert r.as_dict() == {"numerator": 39, "denominator": 40, "value": 0.975}
    assert on_time_sign_rate(0, 0).value is None
    assert Rate(0, 0).percent() == "-"


def test_sign_counts_add_and_rates():
    a = SignCounts(dispatched=10, signed=8, signed_on_time=6, waiting=1)
    b = SignCounts(dispatched=5, signed=5, signed_on_time=5, waiting=0)
    total = a + b
    assert total == SignCounts(15, 13, 11, 1)
    assert total.sign_rate == Rate(13, 15)
    assert total.on_time_rate == Rate(11, 15)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("2026-11", datetime(2026, 11, 1), datetime(2026, 12, 1)),
        ("2026-12", datetime(2026, 12, 1), datetime(2027, 1, 1)),
        ("2026年1月", datetime(2026, 1, 1), datetime(2026, 2, 1)),
        ("202602", datetime(2026, 2, 1), datetime(2026, 3, 1)),
        ("２０２６/３", datetime(2026, 3, 1), datetime(2026, 4, 1)),
    ],
)
def test_month_bounds(text, start, end):
    assert month_bounds(text) == (start, end)


@pytest.mark.parametrize("text", ["2026-13", "11月", "", "2026-1-1x"])
def test_month_bounds_rejects(text):
    with pytest.raises(ValueError):
        month_bounds(text)
