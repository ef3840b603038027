"""Paged reads of the order list for the inbox and `hotline list`: one window at a time,
plain rows, never whole tables."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.engine import Connection

from hotline_tui.store.models import Unit, WorkOrder

O = WorkOrder.__table__.c
U = Unit.__table__.c

SORTS = ("received", "due", "unit")


@dataclass(frozen=True)
class InboxFilter:
    text: str = ""
    statuses: tuple[str, ...] = ()
    sort: str = "received"  # received | due | unit


@dataclass(frozen=True)
class InboxRow:
    id: int
    order_no: str
    received_at: datetime
    request_type: str
    title: str
    area: str
    unit_name: str
    status: str
    due_at: datetime | None
    caller_name: str
    caller_phone: str
    confidential: bool


def _where(f: InboxFilter):  # noqa: ANN202
    conds = []
    if f.statuses:
        conds.append(O.status.in_(f.statuses))
    term = f.text.strip()
    if term:
        like = f"%{term}%"
        unit_ids = select(U.id).where(
            or_(U.name.like(like), U.initials.like(f"{term.lower()}%"),
                U.pinyin.like(f"{term.lower()}%"))
        )
        conds.append(
            or_(
                O.order_no.like(like), O.title.like(like), O.content.like(like),
                O.caller_name.like(like), O.caller_phone.like(like), O.area.like(like),
                O.address.like(like), O.upstream_unit.like(like), O.unit_id.in_(unit_ids),
            )
        )
    return and_(*conds) if conds else None


def _order_by(f: InboxFilter):  # noqa: ANN202
    if f.sort == "due":
        return [O.due_at.is_(None), O.due_at.asc(), O.id.asc()]
    if f.sort == "unit":
        return [O.unit_id.is_(None), O.unit_id.asc(), O.received_at.desc(), O.id.desc()]
    return [O.received_at.desc(), O.id.desc()]


def count_orders(conn: Connection, f: InboxFilter) -> int:
    q = select(func.count()).select_from(WorkOrder.__table__)
    w = _where(f)
    if w is not None:
        q = q.where(w)
    return int(conn.execute(q).scalar() or 0)


def fetch_page(conn: Connection, f: InboxFilter, offset: int, limit: int) -> list[InboxRow]:
    q = (
        select(
            O.id, O.order_no, O.received_at, O.request_type, O.title, O.content, O.area,
            func.coalesce(U.short_name, U.name, O.upstream_unit).label("unit_name"),
            O.status, O.due_at, O.caller_name, O.caller_phone, O.confidential,
        )
        .select_from(WorkOrder.__table__.outerjoin(Unit.__table__, U.id == O.unit_id))
        .order_by(*_order_by(f))
        .offset(offset)
        .limit(limit)
    )
    w = _where(f)
    if w is not None:
        q = q.where(w)
    rows = []
    for r in conn.execute(q):
        title = r.title or (r.content or "")[:40].replace("\n", " ")
        rows.append(
            InboxRow(r.id, r.order_no, r.received_at, r.request_type, title, r.area,
                     r.unit_name or "", r.status, r.due_at, r.caller_name, r.caller_phone,
                     bool(r.confidential))
        )
    return rows
