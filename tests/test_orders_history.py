"""Every change of an order writes exactly one history row, in the same transaction."""

import json
from datetime import datetime

import pytest

from hotline_tui.domain.states import Event, TransitionError
from hotline_tui.services.orders import StaleOrder, find_order, history, record
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder


def _new(s, no="A1"):
    o = WorkOrder(order_no=no, received_at=datetime(2026, 11, 2, 9, 0), title="路灯不亮")
    return record(s, o, Event.CREATE, actor="tester")


def test_create_and_update_write_history(engine):
    with session(engine) as s:
        _new(s)
        s.commit()
    with session(engine) as s:
        o = find_order(s, "A1")
        record(s, o, Event.UPDATE, changes={"title": "路灯坏了"}, actor="tester")
        s.commit()
    with session(engine) as s:
        o = find_order(s, "A1")
        rows = history(s, o.id)
    assert [r.event for r in rows] == ["create", "update"]
    assert json.loads(rows[1].changes) == {"title": ["路灯不亮", "路灯坏了"]}
    assert o.version == 2


def test_refused_transition_writes_nothing(engine):
    with session(engine) as s:
        _new(s)
        s.commit()
    with session(engine) as s:
        o = find_order(s, "A1")
        with pytest.raises(TransitionError):
            record(s, o, Event.DISPATCH, actor="tester")
        s.rollback()
    with session(engine) as s:
        o = find_order(s, "A1")
        assert o.status == "new"
        assert len(history(s, o.id)) == 1


def test_stale_version_refused(engine):
    with session(engine) as s:
        _new(s)
        s.commit()
    with session(engine) as s:
        o = find_order(s, "A1")
        with pytest.raises(StaleOrder):
            record(s, o, Event.UPDATE, changes={"title": "x"}, expected_version=0)
