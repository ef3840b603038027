"""The overdue queue's rules: where an order stands relative to its deadline (warning,
overdue, escalate), how late it is in working days and clock hours, when to chase it next,
and whether a sponsored matter's progress report is due. Pure: no database, no UI.

Stages (all thresholds are office settings, see `EscalationRules.from_settings`):
    warn      the deadline is at most max(warn_hours) clock hours away (48 h by default)
    overdue   the deadline has passed (replied orders are never overdue: callers only ask
              about running orders)
    escalate  overdue on or past the `escalate_workdays`-th working day after the due day
              (3 by default): candidates for leader sponsorship (包联督办)

Lateness: `workdays` late is the number of working days after the due day up to and
including today (an order due Friday is 1 working day late all Monday); `hours` are clock
hours since the deadline. Before the deadline the same fields count what is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from hotline_tui.domain.workdays import WorkCalendar, as_date


class Stage(StrEnum):
    OK = "ok"  # nothing to do yet
    WARN = "warn"  # inside a warning window before the deadline
    OVERDUE = "overdue"  # past the deadline
    ESCALATE = "escalate"  # past the escalation stage: propose a leader sponsor


class Bucket(StrEnum):
    """The queue's sections, in screen order."""

    OVERDUE = "overdue"
    TODAY = "today"  # due later today
    SOON = "soon"  # due inside the warning window, after today
    LATER = "later"  # not in the queue (only shown in the chase-today view)


BUCKET_ORDER = (Bucket.OVERDUE, Bucket.TODAY, Bucket.SOON, Bucket.LATER)


@dataclass(frozen=True)
class EscalationRules:
    """The office's thresholds. Built from the settings with `from_settings`."""

    warn_hours: tuple[int, ...] = (48, 24)  # warning windows before the deadline, hours
    escalate_workdays: int = 3  # overdue this many working days: escalate
    chase_many: int = 3  # chased this often: propose for sponsorship
    chase_every_workdays: int = 1  # an overdue order is chased again after this many
    report_days: int = 7  # a sponsored matter reports progress every N days (weekly)
    repeat_days: int = 90  # repeat complaints are looked for in this many days
    repeat_min: int = 3  # this many orders of one matter make a repeat complaint

    def __post_init__(self) -> None:
        hours = tuple(sorted({int(h) for h in self.warn_hours if int(h) > 0}, reverse=True))
        object.__setattr__(self, "warn_hours", hours)
        for name in ("escalate_workdays", "chase_many", "chase_every_workdays", "report_days",
                     "repeat_days", "repeat_min"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a whole number >= 0, not {value!r}")
        if self.chase_every_workdays < 1 or self.report_days < 1 or self.repeat_min < 2:
            raise ValueError("chase_every_workdays and report_days must be >= 1, "
                             "repeat_min >= 2")

    @property
    def window_hours(self) -> int:
        """The widest warning window (0: no warnings)."""
        return self.warn_hours[0] if self.warn_hours else 0

    @classmethod
    def from_settings(cls, values: Mapping[str, Any]) -> EscalationRules:
        """From the settings' keys (missing ones take the defaults). ValueError if bad."""
        d = cls()
        warn = values.get("warn_hours", d.warn_hours)
        if isinstance(warn, int | float) and not isinstance(warn, bool):
            warn = [warn]
        if not isinstance(warn, list | tuple):
            raise ValueError(f"warn_hours must be a list of hours, not {warn!r}")
        keys = {
            "escalate_workdays": "escalate_after_workdays",
            "chase_many": "sponsor_after_chases",
            "chase_every_workdays": "chase_every_workdays",
            "report_days": "sponsor_report_days",
            "repeat_days": "repeat_window_days",
            "repeat_min": "repeat_min_orders",
        }
        kw = {attr: values.get(key, getattr(d, attr)) for attr, key in keys.items()}
        return cls(warn_hours=tuple(int(h) for h in warn), **kw)


@dataclass(frozen=True)
class Lateness:
    """How far an order is from its deadline. When `overdue`, `workdays`/`hours` say how
    late; otherwise how much is left (`workdays` 0: due today)."""

    overdue: bool
    workdays: int
    hours: int

    @property
    def late_workdays(self) -> int:
        return self.workdays if self.overdue else 0

    @property
    def late_hours(self) -> int:
        return self.hours if self.overdue else 0


def lateness(cal: WorkCalendar, due_at: datetime, now: datetime) -> Lateness:
    """Working days and clock hours late (or left) at `now`."""
    if now > due_at:
        days = max(0, cal.workdays_between(due_at.date(), now.date()))
        return Lateness(True, days, int((now - due_at).total_seconds() // 3600))
    days = max(0, cal.workdays_between(now.date(), due_at.date()))
    return Lateness(False, days, int((due_at - now).total_seconds() // 3600))


def bucket(due_at: datetime, now: datetime, rules: EscalationRules) -> Bucket:
    if due_at < now:
        return Bucket.OVERDUE
    if due_at.date() == now.date():
        return Bucket.TODAY
    if due_at < now + timedelta(hours=rules.window_hours):
        return Bucket.SOON
    return Bucket.LATER


@dataclass(frozen=True)
class StageInfo:
    stage: Stage
    warn_hours: int | None = None  # the narrowest warning window the order is in (24, 48)


def stage(cal: WorkCalendar, due_at: datetime, now: datetime,
          rules: EscalationRules) -> StageInfo:
    """The order's stage at `now` (only meaningful while a unit owes a reply)."""
    late = lateness(cal, due_at, now)
    if late.overdue:
        if late.workdays >= rules.escalate_workdays:
            return StageInfo(Stage.ESCALATE)
        return StageInfo(Stage.OVERDUE)
    left = due_at - now
    inside = [h for h in rules.warn_hours if left <= timedelta(hours=h)]
    if inside:
        return StageInfo(Stage.WARN, min(inside))
    return StageInfo(Stage.OK)


def start_of(d: date) -> datetime:
    return datetime.combine(d, time.min)


def escalate_due_before(cal: WorkCalendar, now: datetime, rules: EscalationRules) -> datetime:
    """Orders due before this moment are at the escalation stage at `now` (for a range
    condition on the deadline index). Same answer as `stage(...) is ESCALATE`."""
    n = rules.escalate_workdays
    if n <= 0:
        return now
    last = cal.previous_workday_on_or_before(now.date())
    bound_day = cal.add_workdays(last, -(n - 1))
    return min(start_of(bound_day), now)


def window_end(now: datetime, rules: EscalationRules) -> datetime:
    """Orders due before this are in the queue (overdue, today or inside the window); an
    order due later today is always in it, whatever the window."""
    end_of_today = start_of(now.date() + timedelta(days=1))
    return max(now + timedelta(hours=rules.window_hours), end_of_today)


# ---- chasing ---------------------------------------------------------------------------------


def first_chase_day(cal: WorkCalendar, today: date, due_at: datetime) -> date:
    """When an order nobody chased yet should be chased: the working day before its due day,
    or today when that is today or past (overdue orders: today)."""
    day = cal.add_workdays(due_at.date(), -1)
    return today if day <= today else day


def unchased_due_before(cal: WorkCalendar, today: date) -> datetime:
    """Unchased orders due before this moment have `first_chase_day(...) == today` (the
    chase-today view's range condition): due at the latest on the next working day."""
    return start_of(cal.add_workdays(today, 1) + timedelta(days=1))


def next_chase_day(cal: WorkCalendar, now: datetime, due_at: datetime | None, *,
                   promised: date | None = None,
                   rules: EscalationRules = EscalationRules()) -> date:
    """The suggested date of the next chase, right after a chase at `now`:
    - a reply promised for a day: the working day after it (they have that whole day);
    - overdue: `chase_every_workdays` working days after today;
    - not yet due: the due day (check the reply came), or the next working day when the due
      day is today."""
    today = now.date()
    nxt = cal.add_workdays(today, 1)
    if promised is not None:
        return max(cal.add_workdays(as_date(promised), 1), nxt)
    if due_at is None:
        return nxt
    if due_at < now:
        return cal.add_workdays(today, rules.chase_every_workdays)
    due_day = cal.next_workday_on_or_after(due_at.date())
    return due_day if due_day > today else nxt


# ---- sponsorship reports -----------------------------------------------------------------------


@dataclass(frozen=True)
class ReportDue:
    """When a sponsored matter's next progress report is due, and whether it is late.
    Counted in calendar days (a weekly report is due 7 days after the last one, or after
    the start when there is none yet); late from the day after the due day."""

    due_on: date
    overdue: bool
    days_over: int


def report_due(started_at: datetime, last_report_at: datetime | None, cadence_days: int,
               now: datetime) -> ReportDue:
    base = (last_report_at if last_report_at and last_report_at > started_at
            else started_at).date()
    due_on = base + timedelta(days=max(1, cadence_days))
    over = (now.date() - due_on).days
    return ReportDue(due_on, over > 0, max(0, over))


# ---- repeat complaints: groups -------------------------------------------------------------------


def star_groups(links: Mapping[int, set[int]], min_size: int,
                weight: Mapping[int, int] | None = None) -> list[list[int]]:
    """Groups of near-same texts without chaining: the item with the most near-same partners
    is a group's centre and takes its partners not yet grouped; then the next. Every member
    is near-same to its centre (a chain A~B~C with A and C unlike does not make one group).
    `weight` counts an item as several orders (identical texts kept once); groups weighing
    less than `min_size` are dropped. Members come centre first, then by id."""
    def w(i: int) -> int:
        return weight.get(i, 1) if weight is not None else 1

    done: set[int] = set()
    out: list[list[int]] = []
    score = {i: w(i) + sum(w(x) for x in links[i] if x != i) for i in links}
    for centre in sorted(links, key=lambda i: (-score[i], -w(i), -i)):
        if centre in done:
            continue
        members = [centre, *sorted(x for x in links[centre] if x not in done and x != centre)]
        if sum(w(x) for x in members) >= min_size:
            out.append(members)
            done.update(members)
    return out
