"""Test data for the owner register tests: units and orders taken to 已交办 through the state
machine (services.orders.record), with fixed times."""

from __future__ import annotations

from datetime import datetime, timedelta

from hotline_tui.domain.states import Event
from hotline_tui.services.orders import record
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder


def make_unit(engine, name: str, short: str = "", initials: str = "") -> int:
    with session(engine) as s:
        u = Unit(name=name, short_name=short, initials=initials, kind="township")
        s.add(u)
        s.commit()
        return int(u.id)


def make_order(
    engine, no: str, unit_id: int | None, *, dispatched_at: datetime | None,
    tier_days: int = 5, due_at: datetime | None = None, title: str = "路灯不亮",
) -> None:
    """An order received a day before dispatch; dispatched when `dispatched_at` is given,
    else left triaged (or new without a unit)."""
    received = (dispatched_at or datetime(2026, 11, 2, 9, 0)) - timedelta(days=1)
    with session(engine) as s:
        o = WorkOrder(order_no=no, received_at=received, title=title)
        record(s, o, Event.CREATE, actor="test", at=received)
        if unit_id is not None:
            record(s, o, Event.TRIAGE, changes={"unit_id": unit_id, "tier_days": tier_days},
                   actor="test", at=received)
        if dispatched_at is not None:
            due = due_at or dispatched_at + timedelta(days=7)
            record(s, o, Event.DISPATCH, changes={"dispatched_at": dispatched_at, "due_at": due},
                   actor="test", at=dispatched_at)
        s.commit()
