"""Every change of an order goes through `apply_event`: state machine + history row, one
transaction. Services call it; nothing else writes `work_order.status`."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from hotline_tui.domain.states import Event, Status, next_status
from hotline_tui.services import clock
from hotline_tui.services.settings import clerk_name
from hotline_tui.store.models import OrderHistory, WorkOrder


class OrderNotFound(LookupError):
    """No order with that number."""


class StaleOrder(RuntimeError):
    """The order changed since it was read (another window or the CLI saved first)."""


def _jsonable(v: Any) -> Any:
    if isinstance(v, datetime):
        return v.isoformat(sep=" ")
    return v


def find_order(s: Session, order_no: str) -> WorkOrder:
    order = s.exec(select(WorkOrder).where(WorkOrder.order_no == order_no.strip())).first()
    if order is None:
        raise OrderNotFound(order_no)
    return order


def record(
    s: Session,
    order: WorkOrder,
    event: Event,
    *,
    changes: dict[str, Any] | None = None,
    note: str = "",
    actor: str | None = None,
    at: datetime | None = None,
    expected_version: int | None = None,
    extra_changes: dict[str, list[Any]] | None = None,
) -> WorkOrder:
    """Apply `event` with field `changes` to `order` and add its history row.

    The caller commits (so several orders can share one transaction). Raises
    TransitionError when the state machine refuses, StaleOrder on a version clash.
    `extra_changes` ({"name": [old, new]}) are written to the history's changes as given,
    for things kept outside work_order (assisting units, the answer used, ...).
    """
    if expected_version is not None and order.version != expected_version:
        raise StaleOrder(order.order_no)
    if order.id is not None:
        _claim(s, order)
    at = at or clock.now()
    old_status = Status(order.status) if order.id is not None else None
    new_status = next_status(old_status, event)
    diff: dict[str, list[Any]] = {}
    for field, value in (changes or {}).items():
        old = getattr(order, field)
        if old != value:
            diff[field] = [_jsonable(old), _jsonable(value)]
            setattr(order, field, value)
    for key, pair in (extra_changes or {}).items():
        diff[key] = [_jsonable(v) for v in pair]
    if new_status != old_status:
        order.status = new_status.value
    order.version = (order.version or 0) + 1 if order.id is not None else 1
    order.updated_at = at
    if order.created_at is None:
        order.created_at = at
    s.add(order)
    s.flush()
    s.add(
        OrderHistory(
            order_id=order.id,
            at=at,
            actor=actor if actor is not None else clerk_name(s),
            event=event.value,
            old_status=old_status.value if old_status else None,
            new_status=new_status.value,
            changes=json.dumps(diff, ensure_ascii=False),
            note=note,
        )
    )
    return order


def _claim(s: Session, order: WorkOrder) -> None:
    """Check, atomically with the write that follows, that the row still has the version
    this copy was read at: a conditional UPDATE takes the write lock (SQLite) or the row
    lock (PostgreSQL) and matches nothing when another window or process saved in between
    (the check above compares only with the copy in memory). StaleOrder then, nothing
    written; no two saves can both build on one version (no lost update)."""
    from sqlalchemy import update

    stmt = (update(WorkOrder).where(WorkOrder.id == order.id,
                                    WorkOrder.version == order.version)
            .values(version=WorkOrder.version)
            .execution_options(synchronize_session=False))
    if s.execute(stmt).rowcount != 1:
        raise StaleOrder(order.order_no)


def history(s: Session, order_id: int) -> list[OrderHistory]:
    return list(
        s.exec(
            select(OrderHistory).where(OrderHistory.order_id == order_id).order_by(OrderHistory.id)
        )
    )
