"""退单: a unit sends an order back as not its business. The reason and basis go into the
order's history and the `unit_return` table (each unit's count of returns, for the
metrics); the order goes back to 待分拣 for another unit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.triage import apply_event, bump_stats, load_order, unit_names
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_triage import OrderAssist, UnitReturn

R = UnitReturn.__table__.c
U = Unit.__table__.c
MAX_REASON = 2000

# Fields a return clears: the order starts triage again with no unit, tier or deadline.
_CLEARED = ("unit_id", "tier_days", "dispatched_at", "due_at", "signed_at", "owner_id")


@dataclass(frozen=True)
class ReturnResult:
    order_no: str
    status: str
    unit_id: int | None
    unit_name: str
    at: datetime
    reason: str
    basis: str


@dataclass(frozen=True)
class UnitReturnCount:
    unit_id: int | None
    unit_name: str
    count: int


@dataclass(frozen=True)
class ReturnRow:
    order_no: str
    unit_name: str
    at: datetime
    reason: str
    basis: str


def return_order(engine: Engine, order_no: str, reason: str, basis: str = "",
                 actor: str | None = None, expected_version: int | None = None) -> ReturnResult:
    """Record a 退单 of a dispatched or signed-for order (Event.UNIT_RETURN -> 待分拣).

    The reason is required. The lead unit, tier, dispatch time, deadline, sign-for time,
    first-contact owner and assisting units are cleared (the history keeps them)."""
    reason = (reason or "").strip()
    basis = (basis or "").strip()
    if not reason:
        raise UserError("return.reason_required")
    if len(reason) > MAX_REASON or len(basis) > MAX_REASON:
        raise UserError("return.too_long", max=MAX_REASON)
    with session(engine) as s:
        order = load_order(s, order_no)
        now = clock.now()
        unit_id = order.unit_id
        name = unit_names(s, [unit_id]).get(unit_id, "") if unit_id else ""
        a = OrderAssist.__table__
        assists = list(s.exec(select(a.c.unit_id).where(a.c.order_id == order.id)).scalars())
        changes: dict[str, Any] = {f: None for f in _CLEARED if hasattr(order, f)}
        extra: dict[str, list[Any]] = {"return_reason": [None, reason]}
        if basis:
            extra["return_basis"] = [None, basis]
        if name:
            extra["unit"] = [name, None]
        if assists:
            names = unit_names(s, assists)
            extra["assist"] = [[names[i] for i in assists], []]
        note = t("return.history_note", unit=name or "-", reason=reason)
        if basis:
            note += "\n" + t("return.history_basis", basis=basis)
        apply_event(s, order, Event.UNIT_RETURN, changes=changes, note=note, actor=actor,
                    at=now, extra_changes=extra, expected_version=expected_version)
        s.add(UnitReturn(order_id=order.id, unit_id=unit_id, at=now, reason=reason,
                         basis=basis))
        if assists:
            s.exec(a.delete().where(a.c.order_id == order.id))
        bump_stats(s, order, unit_id, -1)  # that unit was the wrong choice for such orders
        s.commit()
        return ReturnResult(order.order_no, order.status, unit_id, name, now, reason, basis)


def returns_by_unit(engine: Engine, start: datetime | None = None,
                    end: datetime | None = None) -> list[UnitReturnCount]:
    """How many orders each unit returned in [start, end), most first."""
    q = (
        select(R.unit_id, func.coalesce(U.name, "").label("name"), func.count().label("n"))
        .select_from(UnitReturn.__table__.outerjoin(Unit.__table__, U.id == R.unit_id))
        .group_by(R.unit_id, U.name)
    )
    if start is not None:
        q = q.where(R.at >= start)
    if end is not None:
        q = q.where(R.at < end)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    out = [UnitReturnCount(r.unit_id, r.name, int(r.n)) for r in rows]
    return sorted(out, key=lambda x: (-x.count, x.unit_name))


def order_returns(engine: Engine, order_no: str) -> list[ReturnRow]:
    """The returns of one order, oldest first."""
    o = WorkOrder.__table__.c
    q = (
        select(func.coalesce(U.name, "").label("name"), R.at, R.reason, R.basis, o.order_no)
        .select_from(UnitReturn.__table__.join(WorkOrder.__table__, o.id == R.order_id)
                     .outerjoin(Unit.__table__, U.id == R.unit_id))
        .where(o.order_no == order_no.strip())
        .order_by(R.at, R.id)
    )
    with engine.connect() as conn:
        return [ReturnRow(r.order_no, r.name, r.at, r.reason, r.basis) for r in conn.execute(q)]
