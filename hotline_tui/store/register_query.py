"""Aggregated reads for the owner register (首接负责登记): per unit and per owner the open,
due-soon, overdue and signed-late counts, the dispatched-not-signed list, the roster, and the
sign-for counts behind 签收率 / 按时签收率. Plain frozen rows; one `register_snapshot` call per
screen refresh.

Speed: every count walks small partial indexes of the open orders, or one month of an index
on (unit, dispatch time), never the whole table; the driving table (owners, units) makes the
rows arrive grouped, so SQLite does not sort them. Sign-for lateness needs the working-day
calendar: the limit of each dispatch date is computed in Python once (domain.signing
.SignLimits) and joined in as a small table keyed by the date, so SQLite still counts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    String,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    or_,
    select,
    text,
    values,
)
from sqlalchemy.engine import Connection
from sqlalchemy.sql.elements import ColumnElement

from hotline_tui.domain.signing import SignCounts, SignLimits
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_owner import OWNED_OPEN_WHERE, WAITING_WHERE, Owner
from hotline_tui.store.types import LocalDateTime, to_db_text

WO = WorkOrder.__table__.c
W = Owner.__table__.c
U = Unit.__table__.c

# open states in which an order has a first-contact owner (= models_owner.OWNED_OPEN_WHERE)
OWNED_OPEN = ("signed", "replied", "rework", "meeting")
# states in which the reply deadline runs (overdue = not replied by due_at)
RUNNING = ("dispatched", "signed", "rework")


# ---- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerLine:
    """One owner with the counts over their open orders."""

    owner_id: int
    unit_id: int
    unit_name: str
    unit_label: str  # short name when the unit has one
    name: str
    phone: str
    post: str
    last_used_at: datetime | None
    open: int = 0
    due_soon: int = 0  # reply due within the warning window (default 48 h), not yet overdue
    overdue: int = 0
    signed_late: int = 0  # open orders that were signed for after the sign-for limit


@dataclass(frozen=True)
class UnitLine:
    """One unit: totals over its owners, and its dispatched orders waiting for sign-for."""

    unit_id: int
    unit_name: str
    unit_label: str
    owners: int  # owners with open orders
    open: int
    due_soon: int
    overdue: int
    signed_late: int
    waiting: int  # dispatched, not signed for
    waiting_late: int  # of those, past the sign-for limit
    counts: SignCounts = field(default_factory=SignCounts)  # the period's sign-for counts

    @property
    def attention(self) -> int:
        """How much needs chasing: unsigned past the limit, then overdue (for sorting)."""
        return self.waiting_late * 1_000_000 + self.overdue * 1_000 + self.due_soon


@dataclass(frozen=True)
class WaitingRow:
    """A dispatched order not yet signed for."""

    order_id: int
    order_no: str
    unit_id: int | None
    unit_name: str
    title: str
    request_type: str
    urgent: bool
    dispatched_at: datetime
    due_at: datetime | None
    limit_end: datetime  # end of the sign-for limit
    past_limit: bool
    waited: timedelta
    version: int


@dataclass(frozen=True)
class OwnerOrderRow:
    """One order of an owner (drill-in)."""

    order_id: int
    order_no: str
    status: str
    title: str
    request_type: str
    urgent: bool
    dispatched_at: datetime | None
    signed_at: datetime | None
    due_at: datetime | None
    limit_end: datetime | None
    signed_late: bool
    overdue: bool
    due_soon: bool
    version: int


@dataclass(frozen=True)
class RosterRow:
    """A line of the roster export: unit, owner, phone, open, overdue."""

    unit_id: int
    unit_name: str
    owner_id: int
    name: str
    phone: str
    post: str
    open: int
    overdue: int
    last_used_at: datetime | None


@dataclass(frozen=True)
class UnitCounts:
    unit_id: int
    unit_name: str
    counts: SignCounts


@dataclass(frozen=True)
class RegisterSnapshot:
    """What the register screen shows, read in one go.

    `units`: units with owners, open orders or orders waiting for sign-for, those needing
    attention first; `owners`: per unit (same order), most open first; `waiting`: the first
    page of dispatched-not-signed orders, longest waiting (so past the limit) first."""

    at: datetime
    period: str  # e.g. "2026-11": the period of `counts` / `total`
    soon_hours: int
    sign_limit_workdays: int
    units: list[UnitLine]
    owners: list[OwnerLine]
    waiting: list[WaitingRow]
    waiting_total: int
    waiting_late_total: int
    total: SignCounts

    def owners_of(self, unit_id: int) -> list[OwnerLine]:
        return [o for o in self.owners if o.unit_id == unit_id]


# ---- the sign-for limit as SQL ---------------------------------------------------------------


def _is_sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


# The conditions of the partial indexes, as literal SQL (a bound IN list would hide them from
# the planner). models_owner holds the same text the indexes were made with.
OWNED_OPEN_SQL = text(f"work_order.{OWNED_OPEN_WHERE}")
WAITING_SQL = text(f"work_order.{WAITING_WHERE}")


def _limit_table(conn: Connection, limits: SignLimits, first: date, last: date):  # noqa: ANN202
    """A table lim(day, nxt, eod, lo, hi) for the dispatch dates first..last: the day's start,
    the next day's start, the day's end-of-day time, and the sign-for limit of a dispatch
    before / at or after that time.

    SQLite: one JSON parameter read by json_each, so the statement keeps one shape and
    SQLAlchemy compiles it once (a VALUES list of a thousand rows costs ~0.1 s to compile on
    every call). Elsewhere a CTE over VALUES."""
    one = timedelta(days=1)
    if _is_sqlite(conn):  # SQLite stores times as text: compare text with text
        each = func.json_each(
            bindparam("lim_json", _limit_json(limits, first, last), String)
        ).table_valued("value")
        cols = [func.json_extract(each.c.value, f"$[{i}]").label(n)
                for i, n in enumerate(("day", "nxt", "eod", "lo", "hi"))]
        # LIMIT -1 (no limit) keeps SQLite from flattening the CTE into the join, which
        # would run json_extract for every order row instead of once per date
        return select(*cols).select_from(each).limit(-1).cte("lim")
    cols = [column(n, LocalDateTime) for n in ("day", "nxt", "eod", "lo", "hi")]
    data = [(datetime.combine(d, time()), datetime.combine(d + one, time()), e, lo, hi)
            for d, e, lo, hi in limits.day_table(first, last)]
    return values(*cols, name="lim").data(data).cte("lim")


_json_cache: dict[tuple[int, date, date], tuple[SignLimits, str]] = {}


def _limit_json(limits: SignLimits, first: date, last: date) -> str:
    """The JSON of lim's rows, kept per limits object and date range (a refresh of the screen
    asks for the same range again)."""
    key = (id(limits), first, last)
    hit = _json_cache.get(key)
    if hit is not None and hit[0] is limits:
        return hit[1]
    one = timedelta(days=1)
    text_ = json.dumps([
        (d.isoformat(), (d + one).isoformat(), to_db_text(e), to_db_text(lo), to_db_text(hi))
        for d, e, lo, hi in limits.day_table(first, last)
    ])
    if len(_json_cache) > 32:
        _json_cache.clear()
    _json_cache[key] = (limits, text_)
    return text_


def _limit_of(lim) -> ColumnElement:  # noqa: ANN001
    """The sign-for limit end of the order row joined to `lim`."""
    return case((WO.dispatched_at < lim.c.eod, lim.c.lo), else_=lim.c.hi)


def _day_of(conn: Connection, col: ColumnElement) -> ColumnElement:
    """The dispatch date as lim.day holds it."""
    if _is_sqlite(conn):
        return func.substr(col, 1, 10)
    return func.date_trunc("day", col)


def _as_time(conn: Connection, dt: datetime):  # noqa: ANN202
    """A bound time compared with stored times (text on SQLite)."""
    return literal(to_db_text(dt), String) if _is_sqlite(conn) else literal(dt, LocalDateTime)


def _owned_first_day(conn: Connection) -> date | None:
    """The first dispatch date among open orders with an owner."""
    first = conn.execute(select(func.min(WO.dispatched_at)).where(OWNED_OPEN_SQL)).scalar()
    return first.date() if first is not None else None


def _sum(cond: ColumnElement) -> ColumnElement:
    return func.coalesce(func.sum(case((cond, 1), else_=0)), 0)


# ---- aggregates ------------------------------------------------------------------------------


def owner_counts(
    conn: Connection, *, now: datetime, soon_hours: int, limits: SignLimits,
    unit_id: int | None = None,
) -> dict[int, tuple[int, int, int, int]]:
    """owner_id -> (open, due_soon, overdue, signed_late) over open orders with an owner.

    Driven by the owner directory: per owner one seek into the partial index of open owned
    orders (owner first), each order finding its dispatch date's limits in lim by equality.
    Rows arrive grouped by owner, so there is no sort."""
    t_now = _as_time(conn, now)
    t_soon = _as_time(conn, now + timedelta(hours=soon_hours))
    running = WO.status.in_(RUNNING)
    first = _owned_first_day(conn)
    if first is None:
        return {}
    lim = _limit_table(conn, limits, first, max(first, now.date()))
    frm = (
        Owner.__table__
        .join(WorkOrder.__table__, and_(WO.owner_id == W.id, OWNED_OPEN_SQL))
        .outerjoin(lim, lim.c.day == _day_of(conn, WO.dispatched_at))
    )
    q = (
        select(W.id, func.count(),
               _sum(and_(running, WO.due_at >= t_now, WO.due_at < t_soon)),
               _sum(and_(running, WO.due_at < t_now)),
               _sum(and_(WO.signed_at.isnot(None), lim.c.day.isnot(None),
                         WO.signed_at > _limit_of(lim))))
        .select_from(frm)
        .group_by(W.id)
    )
    if unit_id is not None:
        q = q.where(W.unit_id == unit_id)
    return {oid: (n, soon, over, late) for oid, n, soon, over, late in conn.execute(q)}


def waiting_counts(
    conn: Connection, *, cutoff: datetime, unit_id: int | None = None
) -> dict[int | None, tuple[int, int]]:
    """unit_id -> (dispatched not signed, of those dispatched before `cutoff`)."""
    q = (select(WO.unit_id, func.count(), _sum(WO.dispatched_at < _as_time(conn, cutoff)))
         .where(WAITING_SQL).group_by(WO.unit_id))
    if unit_id is not None:
        q = q.where(WO.unit_id == unit_id)
    return {u: (n, late) for u, n, late in conn.execute(q)}


def waiting_page(
    conn: Connection, *, now: datetime, limits: SignLimits, offset: int = 0, limit: int = 100,
    unit_id: int | None = None,
) -> list[WaitingRow]:
    """Dispatched orders not signed for, longest waiting first (so those past the sign-for
    limit come first: the limit never gets earlier for a later dispatch)."""
    q = (
        select(WO.id, WO.order_no, WO.unit_id, U.name, WO.title, WO.content, WO.request_type,
               WO.urgent, WO.dispatched_at, WO.due_at, WO.version)
        .select_from(WorkOrder.__table__.outerjoin(Unit.__table__, U.id == WO.unit_id))
        .where(WAITING_SQL)
        .order_by(WO.dispatched_at, WO.id)
        .offset(max(0, offset)).limit(max(0, limit))
    )
    if unit_id is not None:
        q = q.where(WO.unit_id == unit_id)
    out = []
    for r in conn.execute(q):
        disp = r.dispatched_at or now
        end = limits.end_for(disp)
        title = r.title or (r.content or "")[:40].replace("\n", " ")
        out.append(WaitingRow(
            r.id, r.order_no, r.unit_id, r.name or "", title, r.request_type, bool(r.urgent),
            disp, r.due_at, end, now > end, max(timedelta(0), now - disp), r.version,
        ))
    return out


def owner_directory(conn: Connection, *, unit_id: int | None = None) -> list:
    """Owner rows with their unit's name and short name, by unit name then owner name."""
    q = (
        select(W.id, W.unit_id, U.name.label("unit_name"), U.short_name, W.name, W.phone,
               W.post, W.last_used_at)
        .select_from(Owner.__table__.join(Unit.__table__, U.id == W.unit_id))
        .order_by(U.name, W.name, W.id)
    )
    if unit_id is not None:
        q = q.where(W.unit_id == unit_id)
    return list(conn.execute(q))


def sign_counts(
    conn: Connection, *, start: datetime, end: datetime, as_of: datetime, limits: SignLimits,
    unit_id: int | None = None,
) -> dict[int, SignCounts]:
    """unit_id -> the sign-for counts of the orders dispatched in [start, end).

    Counted by each order's current unit. `signed`: signed for by `as_of`; `signed_on_time`:
    and by the end of its limit; `waiting`: not signed by `as_of`, limit not yet passed.
    Driven by the unit list: per unit and dispatch date one range of an index on (unit,
    dispatch time), so rows arrive grouped by unit (no sort of a month's orders)."""
    if end <= start:
        return {}
    first, last = start.date(), (end - timedelta(seconds=1)).date()
    t_as_of = _as_time(conn, as_of)
    lim = _limit_table(conn, limits, first, last)
    signed = and_(WO.signed_at.isnot(None), WO.signed_at <= t_as_of)
    not_signed = or_(WO.signed_at.is_(None), WO.signed_at > t_as_of)
    cutoff = _as_time(conn, limits.unsigned_late_cutoff(as_of))
    frm = (
        Unit.__table__
        .join(lim, literal(True))
        .join(WorkOrder.__table__, and_(WO.unit_id == U.id, WO.dispatched_at >= lim.c.day,
                                        WO.dispatched_at < lim.c.nxt))
    )
    q = (
        select(U.id, func.count(), _sum(signed),
               _sum(and_(signed, WO.signed_at <= _limit_of(lim))),
               _sum(and_(not_signed, WO.dispatched_at >= cutoff)))
        .select_from(frm)
        .group_by(U.id)
    )
    if start.time() != time() or end.time() != time():  # a period not on date bounds
        q = q.where(WO.dispatched_at >= _as_time(conn, start),
                    WO.dispatched_at < _as_time(conn, end))
    if unit_id is not None:
        q = q.where(U.id == unit_id)
    return {uid: SignCounts(n, s_, on_time, waiting)
            for uid, n, s_, on_time, waiting in conn.execute(q)}


def unit_names(conn: Connection, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """unit_id -> (name, short name or name)."""
    ids = sorted({i for i in ids if i is not None})
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), 500):
        for uid, name, short in conn.execute(
            select(U.id, U.name, U.short_name).where(U.id.in_(ids[i : i + 500]))
        ):
            out[uid] = (name, short or name)
    return out


# ---- the screen's reads ----------------------------------------------------------------------


def register_snapshot(
    conn: Connection, *, now: datetime, limits: SignLimits, soon_hours: int,
    period: tuple[str, datetime, datetime], waiting_limit: int = 100,
    unit_id: int | None = None,
) -> RegisterSnapshot:
    """Everything the register screen shows, for all units or one (`unit_id`)."""
    counts = owner_counts(conn, now=now, soon_hours=soon_hours, limits=limits, unit_id=unit_id)
    cutoff = limits.unsigned_late_cutoff(now)
    waiting = waiting_counts(conn, cutoff=cutoff, unit_id=unit_id)
    label, start, end = period
    rates = sign_counts(conn, start=start, end=end, as_of=now, limits=limits, unit_id=unit_id)
    owners: list[OwnerLine] = []
    for r in owner_directory(conn, unit_id=unit_id):
        c = counts.get(r.id)
        if c is None:
            continue  # the directory keeps everyone; the register shows who has open orders
        owners.append(OwnerLine(r.id, r.unit_id, r.unit_name, r.short_name or r.unit_name,
                                r.name, r.phone, r.post, r.last_used_at, *c))
    by_unit: dict[int, list[OwnerLine]] = {}
    for o in owners:
        by_unit.setdefault(o.unit_id, []).append(o)
    unit_ids = set(by_unit) | {u for u in waiting if u is not None} | set(rates)
    names = unit_names(conn, unit_ids)
    units: list[UnitLine] = []
    for uid in unit_ids:
        own = by_unit.get(uid, [])
        w, wl = waiting.get(uid, (0, 0))
        name, label_ = names.get(uid, ("", ""))
        units.append(UnitLine(
            uid, name, label_, len(own), sum(o.open for o in own), sum(o.due_soon for o in own),
            sum(o.overdue for o in own), sum(o.signed_late for o in own), w, wl,
            rates.get(uid, SignCounts()),
        ))
    units.sort(key=lambda u: (-u.attention, u.unit_name, u.unit_id))
    order = {u.unit_id: i for i, u in enumerate(units)}
    owners.sort(key=lambda o: (order.get(o.unit_id, 0), -o.overdue, -o.open, o.name, o.owner_id))
    total = SignCounts()
    for c in rates.values():
        total = total + c
    return RegisterSnapshot(
        at=now, period=label, soon_hours=soon_hours, sign_limit_workdays=limits.workdays,
        units=units, owners=owners,
        waiting=waiting_page(conn, now=now, limits=limits, limit=waiting_limit, unit_id=unit_id),
        waiting_total=sum(n for n, _ in waiting.values()),
        waiting_late_total=sum(n for _, n in waiting.values()), total=total,
    )


def owner_orders(
    conn: Connection, owner_id: int, *, now: datetime, limits: SignLimits, soon_hours: int,
    open_only: bool = True, offset: int = 0, limit: int = 100,
) -> list[OwnerOrderRow]:
    """An owner's orders (open ones by default), overdue and soonest due first."""
    q = (
        select(WO.id, WO.order_no, WO.status, WO.title, WO.content, WO.request_type, WO.urgent,
               WO.dispatched_at, WO.signed_at, WO.due_at, WO.version)
        .where(WO.owner_id == owner_id)
        .order_by(WO.due_at.is_(None), WO.due_at, WO.id)
        .offset(max(0, offset)).limit(max(0, limit))
    )
    if open_only:
        q = q.where(OWNED_OPEN_SQL)  # the partial index: one seek per owner
    soon = now + timedelta(hours=soon_hours)
    out = []
    for r in conn.execute(q):
        end = limits.end_for(r.dispatched_at) if r.dispatched_at else None
        running = r.status in RUNNING
        overdue = bool(running and r.due_at is not None and r.due_at < now)
        title = r.title or (r.content or "")[:40].replace("\n", " ")
        out.append(OwnerOrderRow(
            r.id, r.order_no, r.status, title, r.request_type, bool(r.urgent), r.dispatched_at,
            r.signed_at, r.due_at, end,
            bool(end is not None and r.signed_at is not None and r.signed_at > end),
            overdue, bool(running and r.due_at is not None and now <= r.due_at < soon),
            r.version,
        ))
    return out


def roster_rows(
    conn: Connection, *, now: datetime, limits: SignLimits, unit_id: int | None = None,
    with_open_only: bool = False,
) -> list[RosterRow]:
    """The roster: every owner in the directory (or only those with open orders), by unit
    name, then most open orders first."""
    counts = owner_counts(conn, now=now, soon_hours=0, limits=limits, unit_id=unit_id)
    rows = []
    for r in owner_directory(conn, unit_id=unit_id):
        n, _soon, over, _late = counts.get(r.id, (0, 0, 0, 0))
        if with_open_only and not n:
            continue
        rows.append(RosterRow(r.unit_id, r.unit_name, r.id, r.name, r.phone, r.post, n, over,
                              r.last_used_at))
    rows.sort(key=lambda x: (x.unit_name, -x.open, x.name, x.owner_id))
    return rows
