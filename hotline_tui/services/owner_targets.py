"""The orders a sign-for or change-of-owner dialog acts on, read by number: status, unit,
version and current owner (plain rows; the dialogs of the TUI open from any screen)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine

from hotline_tui.errors import UserError
from hotline_tui.services.owners import OwnerInfo
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_owner import Owner

WO = WorkOrder.__table__.c
U = Unit.__table__.c
W = Owner.__table__.c


@dataclass(frozen=True)
class OrderTarget:
    order_id: int
    order_no: str
    status: str
    unit_id: int | None
    unit_name: str  # short name when the unit has one
    version: int
    dispatched_at: datetime | None
    signed_at: datetime | None
    owner: OwnerInfo | None


def order_targets(engine: Engine, order_nos: Sequence[str]) -> list[OrderTarget]:
    """The orders numbered `order_nos`, in that order; UserError naming the first unknown."""
    numbers = list(dict.fromkeys(str(n).strip() for n in order_nos if str(n).strip()))
    if not numbers:
        raise UserError("owners.error.no_orders")
    q = (
        select(WO.id, WO.order_no, WO.status, WO.unit_id, U.name, U.short_name, WO.version,
               WO.dispatched_at, WO.signed_at, W.id.label("oid"), W.unit_id.label("ounit"),
               W.name.label("oname"), W.phone, W.post)
        .select_from(WorkOrder.__table__
                     .outerjoin(Unit.__table__, U.id == WO.unit_id)
                     .outerjoin(Owner.__table__, W.id == WO.owner_id))
    )
    found: dict[str, OrderTarget] = {}
    with engine.connect() as conn:
        for i in range(0, len(numbers), 500):
            for r in conn.execute(q.where(WO.order_no.in_(numbers[i:i + 500]))):
                owner = (OwnerInfo(r.oid, r.ounit, r.oname, r.phone, r.post)
                         if r.oid is not None else None)
                found[r.order_no] = OrderTarget(
                    r.id, r.order_no, r.status, r.unit_id, r.short_name or r.name or "",
                    r.version, r.dispatched_at, r.signed_at, owner)
    for n in numbers:
        if n not in found:
            raise UserError("error.order_not_found", order_no=n)
    return [found[n] for n in numbers]


def unit_labels(engine: Engine) -> dict[int, str]:
    """unit id -> short name (or name), for lists drawn before the register's snapshot."""
    with engine.connect() as conn:
        return {uid: short or name for uid, name, short in
                conn.execute(select(U.id, U.name, U.short_name))}
