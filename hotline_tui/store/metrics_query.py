"""Counts behind the monthly figures (domain/metrics.py), aggregated in SQL per unit for one
period [start, end): the dispatch cohort, the intake cohort, the deadline cohort, unit
returns, callbacks; the office totals per month for the trend; the overdue orders with their
first-contact owner; the reasons orders were sent back.

Speed: each cohort count is one range of a covering index that starts with the unit
(store/models_metrics.py, migration 0010), so SQLite reads no table rows and the rows arrive
grouped by unit. 签收率 / 按时签收率 are the owner register's own counts
(register_query.sign_counts), so the figures agree with the register screen.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, case, exists, func, literal, or_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from hotline_tui.domain.metrics import REPEAT_DAYS, RUNNING, SATISFIED
from hotline_tui.domain.signing import SignCounts, SignLimits
from hotline_tui.store import register_query as rq
from hotline_tui.store.models import OrderHistory, Unit, WorkOrder
from hotline_tui.store.models_metrics import REWORK_WHERE
from hotline_tui.store.models_owner import Owner
from hotline_tui.store.models_queue import OrderMerge
from hotline_tui.store.models_reply import Callback
from hotline_tui.store.models_triage import UnitReturn

WO = WorkOrder.__table__.c
U = Unit.__table__.c
H = OrderHistory.__table__.c
MIN_PHONE_DIGITS = 7  # as services/repeats.py: shorter numbers are not a caller's identity


def _sum(cond: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


def _sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


Units = Collection[int | None] | None  # None: every unit; else these (None = no unit)


def _of_units(col: ColumnElement, units: Units) -> list[ColumnElement]:
    """The WHERE terms keeping the rows of `units` (none for every unit)."""
    if units is None:
        return []
    ids = sorted(u for u in units if u is not None)
    terms = [col.in_(ids)] if ids else []
    if None in units:
        terms.append(col.is_(None))
    return [or_(*terms)] if terms else [literal(False)]


# ---- per-unit counts of one period ------------------------------------------------------------


def dispatch_counts(conn: Connection, start: datetime, end: datetime, units: Units = None
                    ) -> dict[int | None, tuple[int, int, int, int, int, int]]:
    """unit_id -> (dispatched, closed, closed with the reply by the deadline, replied,
    replied and sent back at least once, signed for) over the orders dispatched in
    [start, end)."""
    closed = WO.status == "closed"
    replied = WO.replied_at.isnot(None)
    q = (select(WO.unit_id, func.count(), _sum(closed),
                _sum(and_(closed, replied, WO.due_at.isnot(None), WO.replied_at <= WO.due_at)),
                _sum(replied), _sum(and_(replied, WO.rework_count > 0)),
                _sum(WO.signed_at.isnot(None)))
         .where(WO.dispatched_at >= start, WO.dispatched_at < end,
                *_of_units(WO.unit_id, units))
         .group_by(WO.unit_id))
    return {r[0]: tuple(int(x) for x in r[1:]) for r in conn.execute(q)}


def sign_counts(conn: Connection, start: datetime, end: datetime, as_of: datetime,
                limits: SignLimits) -> dict[int, SignCounts]:
    """The owner register's sign-for counts (same query, same figures)."""
    return rq.sign_counts(conn, start=start, end=end, as_of=as_of, limits=limits)


def intake_counts(conn: Connection, start: datetime, end: datetime, units: Units = None
                  ) -> dict[int | None, tuple[int, int]]:
    """unit_id -> (received, answered directly) over the orders received in [start, end).
    A direct answer (直办) is closed without ever being dispatched and not a merged repeat
    (a merged order closes with its main order): the merged ones are counted from the small
    merge table and taken off, rather than probing it for every closed order."""
    undispatched = and_(WO.status == "closed", WO.dispatched_at.is_(None))
    q = (select(WO.unit_id, func.count(), _sum(undispatched))
         .where(WO.received_at >= start, WO.received_at < end, *_of_units(WO.unit_id, units))
         .group_by(WO.unit_id))
    out = {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(q)}
    for uid, n in _merged_closed(conn, WO.unit_id, start, end):
        if units is not None and uid not in units:
            continue
        got, closed = out.get(uid, (0, 0))
        out[uid] = (got, max(0, closed - n))
    return out


def _merged_closed(conn: Connection, key: ColumnElement, start: datetime, end: datetime
                   ) -> list[tuple]:
    """(key, merged orders closed without dispatch) among the orders received in
    [start, end), read from the merge table (one row per merged order)."""
    m = OrderMerge.__table__.c
    # driven by the merge table's ids (primary key lookups), never by a scan of the
    # undispatched orders
    q = (select(key, func.count())
         .where(WO.id.in_(select(m.order_id)), WO.received_at >= start,
                WO.received_at < end, WO.status == "closed", WO.dispatched_at.is_(None))
         .group_by(key))
    return [tuple(r) for r in conn.execute(q)]


def repeat_counts(conn: Connection, start: datetime, end: datetime, units: Units = None
                  ) -> dict[int | None, int]:
    """unit_id -> repeat complaints among the orders received in [start, end): the same
    caller phone (7+ characters) on an earlier order of the 90 days before, or merged into
    another order (并单). One index seek per order into the phone index."""
    p = WorkOrder.__table__.alias("p")
    m = OrderMerge.__table__.c
    if _sqlite(conn):
        window = func.datetime(WO.received_at, f"-{REPEAT_DAYS} days")
    else:
        window = WO.received_at - text(f"interval '{REPEAT_DAYS} days'")
    same_phone = exists().where(p.c.caller_phone == WO.caller_phone,
                                p.c.received_at < WO.received_at, p.c.received_at >= window)
    cond = or_(and_(func.length(WO.caller_phone) >= MIN_PHONE_DIGITS, same_phone),
               exists().where(m.order_id == WO.id))
    q = (select(WO.unit_id, _sum(cond))
         .where(WO.received_at >= start, WO.received_at < end, *_of_units(WO.unit_id, units))
         .group_by(WO.unit_id))
    return {r[0]: int(r[1]) for r in conn.execute(q) if r[1]}


def _running_sql() -> ColumnElement:
    return WO.status.in_(sorted(RUNNING))


def due_counts(conn: Connection, start: datetime, end: datetime, as_of: datetime,
               units: Units = None) -> dict[int | None, tuple[int, int]]:
    """unit_id -> (deadline fell in the period and has passed, of those not replied by it)."""
    stop = min(end, as_of)
    if stop <= start:
        return {}
    late = or_(_running_sql(), WO.replied_at > WO.due_at)
    q = (select(WO.unit_id, func.count(), _sum(late))
         .where(WO.due_at.isnot(None), WO.due_at >= start, WO.due_at < stop,
                *_of_units(WO.unit_id, units))
         .group_by(WO.unit_id))
    return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(q)}


def return_counts(conn: Connection, start: datetime, end: datetime) -> dict[int | None, int]:
    """unit_id -> orders the unit returned as not its business (退单) in [start, end)."""
    r = UnitReturn.__table__.c
    q = (select(r.unit_id, func.count()).where(r.at >= start, r.at < end).group_by(r.unit_id))
    return {row[0]: int(row[1]) for row in conn.execute(q)}


def callback_counts(conn: Connection, start: datetime, end: datetime, units: Units = None
                    ) -> dict[int | None, tuple[int, int]]:
    """unit_id -> (valid callbacks in [start, end): reached with an answer, of those 满意 or
    基本满意), by the order's unit."""
    c = Callback.__table__.c
    q = (select(WO.unit_id, func.count(), _sum(c.satisfaction.in_(sorted(SATISFIED))))
         .select_from(Callback.__table__.join(WorkOrder.__table__, WO.id == c.order_id))
         .where(c.at >= start, c.at < end, c.reached.is_(True), c.satisfaction.isnot(None),
                *_of_units(WO.unit_id, units))
         .group_by(WO.unit_id))
    return {r[0]: (int(r[1]), int(r[2])) for r in conn.execute(q)}


# ---- the trend: office totals per month --------------------------------------------------------


@dataclass(frozen=True)
class MonthTotals:
    month: str  # '2026-11'
    received: int = 0
    direct: int = 0
    dispatched: int = 0
    signed: int = 0
    closed: int = 0
    closed_on_time: int = 0
    replied: int = 0
    reworked: int = 0
    due: int = 0
    overdue: int = 0


def month_totals(conn: Connection, first: datetime, end: datetime, as_of: datetime
                 ) -> dict[str, MonthTotals]:
    """Per month from `first` to `end` (month starts): the office's counts of each cohort.
    Each month is read per unit through the covering indexes and summed here: a GROUP BY
    over the month text makes SQLite pick the plain time indexes and read every row."""
    from hotline_tui.domain.metrics import month_label, shift_month

    out: dict[str, MonthTotals] = {}
    start = first
    while start < end:
        stop = shift_month(start, 1)
        d = [0] * 6
        for row in dispatch_counts(conn, start, stop).values():
            d = [a + b for a, b in zip(d, row, strict=True)]
        got = [0, 0]
        for row in intake_counts(conn, start, stop).values():
            got = [a + b for a, b in zip(got, row, strict=True)]
        late = [0, 0]
        for row in due_counts(conn, start, stop, as_of).values():
            late = [a + b for a, b in zip(late, row, strict=True)]
        if d[0] or got[0] or late[0]:
            m = month_label(start)
            out[m] = MonthTotals(m, received=got[0], direct=got[1], dispatched=d[0],
                                 signed=d[5], closed=d[1], closed_on_time=d[2],
                                 replied=d[3], reworked=d[4], due=late[0], overdue=late[1])
        start = stop
    return out


# ---- lists ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OverdueRow:
    """An order still owing its reply after a deadline that fell in the period."""

    order_id: int
    order_no: str
    unit_id: int | None
    unit_name: str
    unit_kind: str
    title: str
    request_type: str
    status: str
    dispatched_at: datetime | None
    due_at: datetime
    owner_name: str
    owner_phone: str
    confidential: bool = False


def overdue_orders(conn: Connection, start: datetime, end: datetime, as_of: datetime, *,
                   limit: int | None = None) -> tuple[int, list[OverdueRow]]:
    """(how many, the first `limit` longest overdue first) of the orders whose deadline fell
    in [start, end), has passed at `as_of`, and whose reply is still owed. The caller's
    name and phone are not read."""
    stop = min(end, as_of)
    if stop <= start:
        return 0, []
    where = (WO.due_at >= start, WO.due_at < stop, _running_sql())
    n = conn.execute(select(func.count()).select_from(WorkOrder.__table__).where(*where)).scalar()
    W = Owner.__table__.c
    q = (select(WO.id, WO.order_no, WO.unit_id, U.name, U.kind, WO.title, WO.content,
                WO.request_type, WO.status, WO.dispatched_at, WO.due_at, W.name, W.phone,
                WO.confidential)
         .select_from(WorkOrder.__table__
                      .outerjoin(Unit.__table__, U.id == WO.unit_id)
                      .outerjoin(Owner.__table__, W.id == WO.owner_id))
         .where(*where).order_by(WO.due_at, WO.id))
    if limit is not None:
        q = q.limit(limit)
    rows = [OverdueRow(r[0], r[1], r[2], r[3] or "", r[4] or "",
                       r[5] or (r[6] or "")[:40].replace("\n", " "), r[7] or "", r[8], r[9],
                       r[10], r[11] or "", r[12] or "", bool(r[13]))
            for r in conn.execute(q)]
    return int(n or 0), rows


@dataclass(frozen=True)
class ReworkEvent:
    order_id: int
    order_no: str
    unit_id: int | None
    event: str  # send_back | reopen
    at: datetime
    note: str


def rework_events(conn: Connection, start: datetime, end: datetime) -> list[ReworkEvent]:
    """Orders sent back (退回重办) or reopened after a callback in [start, end), with the
    history note (the reasons), through the small partial index of those events."""
    q = (select(H.order_id, WO.order_no, WO.unit_id, H.event, H.at, H.note)
         .select_from(OrderHistory.__table__.join(WorkOrder.__table__, WO.id == H.order_id))
         .where(text(f"order_history.{REWORK_WHERE}"), H.at >= start, H.at < end)
         .order_by(H.at, H.id))
    return [ReworkEvent(*r) for r in conn.execute(q)]


@dataclass(frozen=True)
class UnitInfo:
    unit_id: int
    name: str
    short_name: str
    kind: str
    retired: bool

    @property
    def label(self) -> str:
        return self.short_name or self.name


def units(conn: Connection, ids: Iterable[int] | None = None) -> dict[int, UnitInfo]:
    """unit_id -> name, short name, kind, retired (all units, or `ids`)."""
    q = select(U.id, U.name, U.short_name, U.kind, U.retired)
    if ids is not None:
        q = q.where(U.id.in_(sorted({i for i in ids if i is not None}) or [literal(-1)]))
    return {r[0]: UnitInfo(r[0], r[1], r[2] or "", r[3] or "other", bool(r[4]))
            for r in conn.execute(q)}


def received_since(conn: Connection, since: datetime) -> int:
    """Orders received at or after `since` (new today)."""
    return int(conn.execute(select(func.count()).select_from(WorkOrder.__table__)
                            .where(WO.received_at >= since)).scalar() or 0)


def status_count(conn: Connection, status: str) -> int:
    """Orders in one state (to triage: new; to review: replied), through the status index."""
    return int(conn.execute(select(func.count()).select_from(WorkOrder.__table__)
                            .where(WO.status == status)).scalar() or 0)

