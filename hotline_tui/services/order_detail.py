"""One order with its history, as plain rows for the detail view; revealing caller data."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import select

from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    actor: str
    event: str
    old_status: str | None
    new_status: str | None
    changes: dict[str, Any]  # field -> [old, new]
    note: str


@dataclass(frozen=True)
class OrderDetail:
    id: int
    order_no: str
    is_local: bool
    received_at: datetime
    caller_name: str
    caller_phone: str
    request_type: str
    category: str
    title: str
    content: str
    area: str
    address: str
    source: str
    urgency: str
    urgent: bool
    confidential: bool
    anonymous: bool
    upstream_unit: str
    upstream_due_at: datetime | None
    status: str
    unit_name: str
    tier_days: int | None
    dispatched_at: datetime | None
    due_at: datetime | None
    signed_at: datetime | None
    replied_at: datetime | None
    closed_at: datetime | None
    version: int
    history: tuple[HistoryEntry, ...]
    owner: str = ""  # first-contact owner (首接负责人): name, phone, post


_PLAIN = (
    "id", "order_no", "is_local", "received_at", "caller_name", "caller_phone", "request_type",
    "category", "title", "content", "area", "address", "source", "urgency", "urgent",
    "confidential", "anonymous", "upstream_unit", "upstream_due_at", "status", "tier_days",
    "dispatched_at", "due_at", "signed_at", "replied_at", "closed_at", "version",
)


def _changes(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


_TIME = re.compile(r"^(\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}):\d{2}$")
_UNIT_FIELDS = ("unit_id",)


def _unit_names(s, rows) -> dict[int, str]:  # noqa: ANN001
    ids = {v for _, ch in rows for f in _UNIT_FIELDS if f in ch for v in ch[f]
           if isinstance(v, int)}
    if not ids:
        return {}
    return {u.id: u.name for u in s.exec(select(Unit).where(Unit.id.in_(ids)))}


def _readable(changes: dict[str, Any], units: dict[int, str]) -> dict[str, Any]:
    """Unit ids as unit names, stored times without seconds: what the clerk reads."""
    out: dict[str, Any] = {}
    for field, pair in changes.items():
        values = pair if isinstance(pair, list) else [None, pair]
        shown = []
        for v in values:
            if field in _UNIT_FIELDS and isinstance(v, int):
                v = units.get(v, v)
            elif isinstance(v, str) and (m := _TIME.match(v)):
                v = m.group(1).replace("T", " ")
            shown.append(v)
        out[field] = shown
    return out


def load_order_detail(engine: Engine, order_id: int) -> OrderDetail:
    """The order `order_id` with its unit's name and full history (oldest first)."""
    from hotline_tui.services.orders import history

    with session(engine) as s:
        order = s.get(WorkOrder, order_id)
        if order is None:
            raise UserError("error.order_not_found", order_no=f"#{order_id}")
        unit = s.get(Unit, order.unit_id) if order.unit_id is not None else None
        unit_name = unit.name if unit is not None else order.upstream_unit
        rows = [(h, _changes(h.changes)) for h in history(s, order_id)]
        names = _unit_names(s, rows)
        entries = tuple(
            HistoryEntry(h.at, h.actor, h.event, h.old_status, h.new_status,
                         _readable(changes, names), h.note)
            for h, changes in rows
        )
        values = {name: getattr(order, name) for name in _PLAIN}
        return OrderDetail(**values, unit_name=unit_name or "", history=entries,
                           owner=_owner_text(s, order.owner_id))


def _owner_text(s, owner_id: int | None) -> str:  # noqa: ANN001
    """The first-contact owner as the clerk calls them: name, phone and post."""
    from hotline_tui.store.models_owner import Owner

    owner = s.get(Owner, owner_id) if owner_id is not None else None
    if owner is None:
        return ""
    return "  ".join(p for p in (owner.name, owner.phone, owner.post) if p)


def reveal_caller(engine: Engine, order_id: int, *, actor: str | None = None) -> tuple[str, str]:
    """The caller's name and phone in clear. For a confidential order the viewing is recorded
    in its history (Event.VIEW_CONFIDENTIAL) before anything is returned."""
    from hotline_tui.services.orders import record

    with session(engine) as s:
        order = s.get(WorkOrder, order_id)
        if order is None:
            raise UserError("error.order_not_found", order_no=f"#{order_id}")
        name, phone = order.caller_name, order.caller_phone
        if order.confidential:
            record(s, order, Event.VIEW_CONFIDENTIAL, actor=actor)
            s.commit()
        return name, phone
