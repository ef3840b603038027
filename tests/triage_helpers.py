"""Helpers for the triage, units, knowledge-base, repeat and return tests: a few units and
orders written through the services (no demo generator needed)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

from hotline_tui.domain.states import Event
from hotline_tui.services.orders import find_order, history, record
from hotline_tui.services.units import add_unit
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder

T0 = datetime(2026, 3, 2, 9, 0)

UNITS = [
    ("黑龙河乡", "township", "黑龙河"),
    ("黑山镇", "township", ""),
    ("西城街道", "township", ""),
    ("西山县住房和城乡建设局", "department", "县住建局"),
    ("西山县人力资源和社会保障局", "department", "县人社局"),
    ("西山县城市管理综合行政执法局", "department", "县城管局"),
    ("国网西山县供电公司", "other", "供电公司"),
]


def add_units(engine: Any) -> dict[str, int]:
    return {name: add_unit(engine, name, kind=kind, short_name=short).id
            for name, kind, short in UNITS}


def add_order(engine: Any, no: str, *, at: datetime | None = None, **fields: Any) -> str:
    values = {"title": "路灯不亮", "content": "市民来电反映路灯不亮", "area": "西城街道"}
    values.update(fields)
    with session(engine) as s:
        o = WorkOrder(order_no=no, received_at=at or T0, **values)
        record(s, o, Event.CREATE, actor="test")
        s.commit()
    return no


def add_orders(engine: Any, n: int, prefix: str = "N", **fields: Any) -> list[str]:
    return [add_order(engine, f"{prefix}{i:03d}", at=T0 + timedelta(minutes=i), **fields)
            for i in range(n)]


def dispatch(engine: Any, no: str, at: datetime | None = None) -> None:
    """Move a triaged order to 已交办 the way the dispatch service does (state machine)."""
    at = at or T0 + timedelta(days=1)
    with session(engine) as s:
        o = find_order(s, no)
        record(s, o, Event.DISPATCH, changes={"dispatched_at": at,
                                              "due_at": at + timedelta(days=3)}, actor="test")
        s.commit()


def sign(engine: Any, no: str) -> None:
    with session(engine) as s:
        o = find_order(s, no)
        record(s, o, Event.SIGN, changes={"signed_at": T0 + timedelta(days=1, hours=2)},
               actor="test")
        s.commit()


def order(engine: Any, no: str) -> WorkOrder:
    with session(engine) as s:
        return find_order(s, no)


def events(engine: Any, no: str) -> list[tuple[str, dict[str, Any], str]]:
    with session(engine) as s:
        o = find_order(s, no)
        return [(h.event, json.loads(h.changes), h.note) for h in history(s, o.id)]
