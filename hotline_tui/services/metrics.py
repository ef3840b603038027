"""The figures for the dashboard, `hotline metrics` and the monthly reports: one period's
counts per unit (and per kind, and the office's total), the office's totals per month for
the trend, and today's counters (each the count of a list the clerk works from)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from hotline_tui.domain import metrics as dm
from hotline_tui.domain.metrics import Counts, UnitFigures
from hotline_tui.domain.signing import SignLimits
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store import metrics_cache as mc
from hotline_tui.store import metrics_query as mq

Db = Engine | Connection | Session
TREND_MONTHS = 12


def _run(db: Db, fn):  # noqa: ANN001, ANN202
    if isinstance(db, Engine):
        with db.connect() as conn:
            return fn(conn)
    if isinstance(db, Session):
        return fn(db.connection())
    return fn(db)


# ---- periods -----------------------------------------------------------------------------------


def resolve_month(month: str | None, now: datetime | None = None
                  ) -> tuple[str, datetime, datetime]:
    """'2026-11' (also 2026/11, 2026年11月, 202611; None: this month) -> (label, start, end)."""
    if month is None or not str(month).strip():
        return dm.month_range(now or clock.now())
    try:
        return dm.month_range(str(month))
    except ValueError:
        raise UserError("metrics.error.bad_month", month=month) from None


def previous_month(label: str) -> tuple[str, datetime, datetime]:
    _label, start, _end = dm.month_range(label)
    return dm.month_range(dm.shift_month(start, -1))


def previous_months(label: str, n: int) -> list[tuple[str, datetime, datetime]]:
    """The `n` months before `label`, oldest first."""
    _label, start, _end = dm.month_range(label)
    return dm.last_months(dm.shift_month(start, -1), n) if n > 0 else []


# ---- one period ------------------------------------------------------------------------------------


@dataclass
class PeriodFigures:
    """One period's counts: per unit (units with anything counted), per kind, the office."""

    label: str
    start: datetime
    end: datetime
    as_of: datetime
    units: list[UnitFigures] = field(default_factory=list)
    unassigned: Counts = field(default_factory=Counts)  # orders with no unit (直办, new)
    sign_limit_workdays: int = 1
    repeats_counted: bool = True

    @property
    def office(self) -> Counts:
        return dm.total([u.counts for u in self.units]) + self.unassigned

    @property
    def kinds(self) -> dict[str, Counts]:
        return dm.by_kind(self.units)

    def of_kind(self, kind: str) -> list[UnitFigures]:
        return [u for u in self.units if u.kind == kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "period": self.label, "start": self.start, "end": self.end, "as_of": self.as_of,
            "office": dm.as_json(self.office),
            "kinds": {k: dm.as_json(c) for k, c in sorted(self.kinds.items())},
            "units": [{"unit_id": u.unit_id, "unit": u.name, "kind": u.kind,
                       **dm.as_json(u.counts)} for u in dm.rank(self.units)],
            "repeats_counted": self.repeats_counted,
        }


def _calendar_month(start: datetime, end: datetime) -> bool:
    return start == dm.month_start(start) and end == dm.shift_month(start, 1)


def _kept(conn: Connection, label: str, start: datetime, end: datetime, as_of: datetime,
          repeats: bool, limits: SignLimits) -> mc.MonthCells | None:
    """The month's kept counts (store/metrics_cache.py), or None to count directly."""
    if not _calendar_month(start, end):
        return None
    return mc.month_cells(conn.engine, label, start, end, as_of, repeats=repeats,
                          limits=limits)


def count_period(conn: Connection, label: str, start: datetime, end: datetime,
                 as_of: datetime, *, repeats: bool = True, cache: bool = False
                 ) -> PeriodFigures:
    """Every count of the period, per unit. With `cache` (only for a connection that has
    written nothing uncommitted) a calendar month's counts come from the kept cells,
    recounted where they changed; sign-for, returns and a running month's deadlines are
    always read live. Either way the figures are the same."""
    from hotline_tui.services.owners import sign_limits

    limits = sign_limits(conn)
    acc: dict[int | None, dict[str, int]] = {}

    def put(uid: int | None, **kw: int) -> None:
        row = acc.setdefault(uid, {})
        for k, v in kw.items():
            row[k] = row.get(k, 0) + v

    kept = _kept(conn, label, start, end, as_of, repeats, limits) if cache else None
    if kept is None:  # the same per-unit counts, straight from the orders
        kept = mc.MonthCells(mc.count_units(conn, start, end, units=None, repeats=repeats,
                                            due=False), due=False, repeats=repeats)
    for uid, c in kept.units.items():
        if not kept.due and not any(c[k] for k in mc.KEPT if k not in mc.READING_TIME):
            continue  # counted only for its ended month's deadlines, not asked here
        put(uid, dispatched=c["dispatched"], closed=c["closed"],
            closed_on_time=c["closed_on_time"], replies=c["replied"],
            sent_back=c["reworked"], received=c["received"], direct=c["direct"],
            callbacks=c["callbacks"], satisfied=c["satisfied"])
        if repeats:
            put(uid, repeats=c["repeats"])
        if kept.due:
            put(uid, due=c["due"], overdue=c["overdue"])
        if kept.sign and uid is not None:
            put(uid, signed=c["signed"], signed_on_time=c["signed_on_time"])
    if not kept.due:
        for uid, (due, late) in mq.due_counts(conn, start, end, as_of).items():
            put(uid, due=due, overdue=late)
    if not kept.sign:
        for uid, c in mq.sign_counts(conn, start, end, as_of, limits).items():
            put(uid, signed=c.signed, signed_on_time=c.signed_on_time)
    for uid, n in mq.return_counts(conn, start, end).items():
        put(uid, returned=n)
    info = mq.units(conn, [u for u in acc if u is not None])
    out = PeriodFigures(label, start, end, as_of, sign_limit_workdays=limits.workdays,
                        repeats_counted=repeats)
    for uid, row in acc.items():
        counts = Counts(**row)
        if uid is None or uid not in info:
            out.unassigned = out.unassigned + counts
            continue
        u = info[uid]
        out.units.append(UnitFigures(uid, u.label, u.kind, counts))
    out.units.sort(key=lambda u: (u.kind, u.name, u.unit_id))
    return out


def period_figures(db: Db, month: str | None = None, *, now: datetime | None = None,
                   repeats: bool = True) -> PeriodFigures:
    """The figures of `month` ('2026-11'; default this month) as of now."""
    at = now or clock.now()
    label, start, end = resolve_month(month, at)
    return _run(db, lambda conn: count_period(conn, label, start, end, at, repeats=repeats,
                                              cache=isinstance(db, Engine)))


# ---- the trend ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    """The office's figures of one month (the trend charts and the statement's table)."""

    month: str
    counts: Counts

    def get(self, code: str) -> dm.Ratio | int:
        return dm.figure(self.counts, code)


def trend(db: Db, *, months: int = TREND_MONTHS, until: str | None = None,
          now: datetime | None = None) -> list[TrendPoint]:
    """The office's figures for the `months` months ending with `until` (default this
    month), oldest first; months without orders have zero counts. 签收 on time, returns,
    callbacks and repeats are not in the trend (per-period reads; see period_figures)."""
    at = now or clock.now()
    label, _start, _end = resolve_month(until, at)
    span = dm.last_months(dm.month_range(label)[1], months)

    keep = isinstance(db, Engine)

    def read(conn: Connection) -> list[TrendPoint]:
        out = []
        for m, s, e in span:
            x = _month_totals(conn, m, s, e, at, keep)
            out.append(TrendPoint(m, Counts(
                received=x.received, direct=x.direct, dispatched=x.dispatched,
                signed=x.signed, closed=x.closed, closed_on_time=x.closed_on_time,
                replies=x.replied, sent_back=x.reworked, due=x.due, overdue=x.overdue)))
        return out

    return _run(db, read)


def _month_totals(conn: Connection, label: str, start: datetime, end: datetime,
                  at: datetime, keep: bool) -> mq.MonthTotals:
    """The office's counts of one month: summed from the kept cells (recounted where they
    changed), else counted directly."""
    # repeats counted too: a month of the trend is then ready for its circular
    kept = mc.month_cells(conn.engine, label, start, end, at, repeats=True) if keep else None
    if kept is None:
        return mq.month_totals(conn, start, end, at).get(label) or mq.MonthTotals(label)
    tot = dict.fromkeys(mc.KEPT, 0)
    for row in kept.units.values():
        for k in mc.KEPT:
            tot[k] += row[k]
    if not kept.due:
        tot["due"] = tot["overdue"] = 0
        for n, late in mq.due_counts(conn, start, end, at).values():
            tot["due"] += n
            tot["overdue"] += late
    return mq.MonthTotals(label, received=tot["received"], direct=tot["direct"],
                          dispatched=tot["dispatched"], signed=tot["signed_any"],
                          closed=tot["closed"], closed_on_time=tot["closed_on_time"],
                          replied=tot["replied"], reworked=tot["reworked"], due=tot["due"],
                          overdue=tot["overdue"])


# ---- today -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TodayCounters:
    """Each counter is the length of a list: the inbox of today, the triage list, the
    overdue queue (due today / overdue / to chase today) and the review list."""

    at: datetime
    new_today: int  # received since 00:00
    to_triage: int  # status new (待分拣)
    due_today: int  # running, deadline later today
    overdue: int  # running, deadline passed
    chase_today: int  # the queue's chase-today view
    to_review: int  # status replied (已反馈, waiting for the review)

    def to_json(self) -> dict[str, Any]:
        return {"at": self.at, "new_today": self.new_today, "to_triage": self.to_triage,
                "due_today": self.due_today, "overdue": self.overdue,
                "chase_today": self.chase_today, "to_review": self.to_review}


def today_counters(db: Db, *, now: datetime | None = None) -> TodayCounters:
    """Today's counters, with the overdue queue's own definitions (store/queue_query)."""
    from hotline_tui.domain.escalation import start_of, unchased_due_before
    from hotline_tui.services.calendar import calendar_for
    from hotline_tui.store import queue_query as qq

    at = (now or clock.now()).replace(microsecond=0)
    midnight = start_of(at.date())
    tomorrow = midnight + timedelta(days=1)

    def read(conn: Connection) -> TodayCounters:
        counts = qq.queue_counts(conn, now=at, today_end=tomorrow, end=tomorrow)
        cal = calendar_for(conn)
        chase = qq.chase_today_count(conn, today=at.date(),
                                     unchased_before=unchased_due_before(cal, at.date()))
        return TodayCounters(at, mq.received_since(conn, midnight),
                             mq.status_count(conn, "new"), counts.today, counts.overdue,
                             chase, mq.status_count(conn, "replied"))

    return _run(db, read)


# ---- the dashboard in one call ----------------------------------------------------------------------


@dataclass
class Comparison:
    """This month against the previous one."""

    this: PeriodFigures
    last: PeriodFigures


def compare_months(db: Db, month: str | None = None, *, now: datetime | None = None,
                   repeats: bool = False) -> Comparison:
    """The figures of `month` (default this month) and of the month before, as of now."""
    at = now or clock.now()
    label, start, end = resolve_month(month, at)
    p_label, p_start, p_end = previous_month(label)

    def read(conn: Connection) -> Comparison:
        keep = isinstance(db, Engine)
        return Comparison(
            count_period(conn, label, start, end, at, repeats=repeats, cache=keep),
            count_period(conn, p_label, p_start, p_end, at, repeats=repeats, cache=keep))

    return _run(db, read)
