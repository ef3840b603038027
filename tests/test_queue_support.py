"""Shared set-up for the overdue-queue tests (no tests of its own): units, owners, orders
brought to a running state with a chosen deadline, and reading history back."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hotline_tui.domain.states import Event
from hotline_tui.services.orders import record
from hotline_tui.store.engine import session
from hotline_tui.store.models import OrderHistory, Unit, WorkOrder
from hotline_tui.store.models_owner import Owner

# Friday 2026-11-27 10:00; no holiday within two weeks either side
NOW = datetime(2026, 11, 27, 10, 0)


def add_unit(s, name: str, short: str = "", initials: str = "") -> Unit:
    u = Unit(name=name, short_name=short, initials=initials)
    s.add(u)
    s.flush()
    return u


def add_owner(s, unit: Unit, name: str, phone: str) -> Owner:
    w = Owner(unit_id=unit.id, name=name, phone=phone, created_at=NOW, updated_at=NOW)
    s.add(w)
    s.flush()
    return w


def make_order(s, no: str, unit: Unit | None, due_at: datetime | None = None, *,
               status: str = "dispatched", owner: Owner | None = None, tier: int = 3,
               dispatched_at: datetime | None = None, **fields) -> WorkOrder:
    """An order brought through the state machine to `status` (new, triaged, dispatched,
    signed, replied, rework, closed) with the deadline `due_at`."""
    values = dict(
        received_at=(dispatched_at or NOW) - timedelta(days=5), caller_name="张三丰",
        caller_phone="13812345678", request_type="投诉", title=f"路灯不亮 {no}",
        content="幸福路路灯坏了两周。", area="黑龙河乡", address="幸福路12号",
    )
    values.update(fields)
    o = WorkOrder(order_no=no, **values)
    at = values["received_at"]
    record(s, o, Event.CREATE, actor="test", at=at)
    if status == "new":
        return o
    record(s, o, Event.TRIAGE, actor="test", at=at,
           changes={"unit_id": unit.id if unit else None, "tier_days": tier})
    if status == "triaged":
        return o
    disp = dispatched_at or (due_at - timedelta(days=3) if due_at else NOW - timedelta(days=3))
    record(s, o, Event.DISPATCH, actor="test", at=disp,
           changes={"dispatched_at": disp, "due_at": due_at})
    if status == "dispatched":
        return o
    changes = {"signed_at": disp + timedelta(hours=1)}
    if owner is not None:
        changes["owner_id"] = owner.id
    record(s, o, Event.SIGN, actor="test", at=disp + timedelta(hours=1), changes=changes)
    if status == "signed":
        return o
    record(s, o, Event.REPLY, actor="test", at=disp + timedelta(hours=2),
           changes={"replied_at": disp + timedelta(hours=2)})
    if status == "replied":
        return o
    if status == "rework":
        record(s, o, Event.SEND_BACK, actor="test", at=disp + timedelta(hours=3))
        return o
    record(s, o, Event.ACCEPT, actor="test", at=disp + timedelta(hours=3),
           changes={"closed_at": disp + timedelta(hours=3)})
    return o


def order(engine, no: str) -> WorkOrder:
    from hotline_tui.services.orders import find_order

    with session(engine) as s:
        return find_order(s, no)


def events(engine, no: str) -> list[OrderHistory]:
    from hotline_tui.services.orders import find_order, history

    with session(engine) as s:
        return history(s, find_order(s, no).id)


def eod(d: date) -> datetime:
    """The default end of day of `d` (the deadline of an order due that day)."""
    return datetime(d.year, d.month, d.day, 23, 59, 59)
