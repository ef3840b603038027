"""Due dates of work orders in working days, and the upstream deadline that wins when earlier.

Default rule (DOMAIN.md): the dispatch day does not count; an N-day order is due at the end
of the N-th working day after dispatch; a same-day (0) order is due at the end of the
dispatch day, or of the next working day when dispatched on a day off. "End of day" is
23:59:59 unless the office sets another time (e.g. 17:30). A deadline never falls at or
before the dispatch time itself: it moves to the end of the next working day instead (this
only happens with an early end of day, e.g. a same-day order dispatched at 18:00 with 17:30).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any

from hotline_tui.domain.workdays import WorkCalendar, as_date

DEFAULT_END_OF_DAY = time(23, 59, 59)


@dataclass(frozen=True)
class DueRule:
    """How working days are counted for a deadline (an office setting)."""

    count_dispatch_day: bool = False  # True: a dispatch on a working day counts as day 1
    end_of_day: time = DEFAULT_END_OF_DAY
    same_day_rolls_to_next_workday: bool = True  # same-day order dispatched on a day off

    def to_setting(self) -> dict[str, Any]:
        return {
            "count_dispatch_day": self.count_dispatch_day,
            "end_of_day": self.end_of_day.strftime("%H:%M:%S"),
            "same_day_rolls_to_next_workday": self.same_day_rolls_to_next_workday,
        }

    @classmethod
    def from_setting(cls, value: Mapping[str, Any] | None) -> DueRule:
        """Build from the settings dict; missing keys take the defaults. ValueError if bad."""
        value = dict(value or {})
        unknown = set(value) - {"count_dispatch_day", "end_of_day",
                                "same_day_rolls_to_next_workday"}
        if unknown:
            raise ValueError(f"unknown keys {sorted(unknown)}")
        eod = value.get("end_of_day", DEFAULT_END_OF_DAY)
        if isinstance(eod, str):
            eod = parse_time_of_day(eod)
        if not isinstance(eod, time):
            raise ValueError(f"end_of_day must be HH:MM or HH:MM:SS, not {eod!r}")
        flags = {}
        for key in ("count_dispatch_day", "same_day_rolls_to_next_workday"):
            if key in value:
                if not isinstance(value[key], bool):
                    raise ValueError(f"{key} must be true or false, not {value[key]!r}")
                flags[key] = value[key]
        return cls(end_of_day=eod, **flags)


DEFAULT_RULE = DueRule()


def parse_time_of_day(text: str) -> time:
    """'17:30' or '23:59:59' -> time; ValueError otherwise."""
    s = text.strip().replace("：", ":")
    for fmt in ("%H:%M:%S", "%H:%M"):
        try:
            return datetime.strptime(s, fmt).time()
        except ValueError:
            continue
    raise ValueError(f"not a time of day: {text!r}")


@dataclass(frozen=True)
class DueResult:
    """A computed deadline. `fallback_years`: years without holiday data that the count ran
    through (counted weekends-only: show a warning). `computed_due_at` is the working-day
    deadline before the upstream one was applied; `upstream_won` when that one was earlier."""

    due_at: datetime
    fallback_years: frozenset[int] = field(default_factory=frozenset)
    computed_due_at: datetime | None = None
    upstream_won: bool = False


def _due_day(cal: WorkCalendar, dispatched_at: datetime, tier_days: int, rule: DueRule):
    d = as_date(dispatched_at)
    if tier_days == 0:
        if cal.is_workday(d) or not rule.same_day_rolls_to_next_workday:
            return d
        return cal.add_workdays(d, 1)
    if rule.count_dispatch_day and cal.is_workday(d):
        return cal.add_workdays(d, tier_days - 1) if tier_days > 1 else d
    return cal.add_workdays(d, tier_days)


def compute_due(
    calendar: WorkCalendar,
    dispatched_at: datetime,
    tier_days: int,
    *,
    rule: DueRule = DEFAULT_RULE,
    upstream_due: datetime | None = None,
) -> DueResult:
    """The deadline of an order dispatched at `dispatched_at` with `tier_days` working days."""
    if tier_days < 0:
        raise ValueError("tier_days must be 0 or more")
    day = _due_day(calendar, dispatched_at, tier_days, rule)
    due = datetime.combine(day, rule.end_of_day)
    if due <= dispatched_at:  # early end of day: never due before it was handed over
        day = calendar.add_workdays(max(day, as_date(dispatched_at)), 1)
        due = datetime.combine(day, rule.end_of_day)
    fallback = frozenset(calendar.fallback_years(dispatched_at, day))
    final = effective_due(due, upstream_due)
    return DueResult(final, fallback, due, final != due)


def due_at(
    dispatched_at: datetime,
    tier_days: int,
    *,
    rule: DueRule = DEFAULT_RULE,
    calendar: WorkCalendar | None = None,
) -> datetime:
    """The working-day deadline alone (package data only unless a calendar is given)."""
    cal = calendar if calendar is not None else _package_calendar()
    return compute_due(cal, dispatched_at, tier_days, rule=rule).due_at


def effective_due(computed: datetime, upstream: datetime | None) -> datetime:
    """The upstream deadline (办理时限 from the import) wins when it is earlier."""
    if upstream is not None and upstream < computed:
        return upstream
    return computed


def due_in_hours(start: datetime, hours: float) -> datetime:
    """An hours-based limit (urgent orders): clock hours, holidays included."""
    return start + timedelta(hours=hours)


_pkg_cal: WorkCalendar | None = None


def _package_calendar() -> WorkCalendar:
    global _pkg_cal
    if _pkg_cal is None:
        _pkg_cal = WorkCalendar()
    return _pkg_cal
