"""退单: from 已交办 / 已签收 only, reason required, everything of the old unit cleared and
kept in the history, one row per return in unit_return, counts per unit for the metrics."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select
from triage_helpers import add_order, add_units, dispatch, events, order, sign

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.triage import next_new_order, order_assists, rebuild_triage_stats, triage
from hotline_tui.services.unit_return import order_returns, return_order, returns_by_unit
from hotline_tui.store.models_triage import TriageStat


@pytest.fixture
def fixed_clock():
    clock.set_fixed(datetime(2026, 3, 10, 10, 0))
    yield
    clock.set_fixed(None)


def _dispatched(engine, no, unit="hlh", assist=()):
    add_order(engine, no)
    triage(engine, no, unit, 3, assist=list(assist))
    dispatch(engine, no)


def test_return_from_dispatched_goes_back_to_triage(engine, fixed_clock):
    ids = add_units(engine)
    _dispatched(engine, "R1", assist=["黑山镇"])
    res = return_order(engine, "R1", "该路段属县公路局管养", basis="《西山县道路管养职责分工》")
    assert res.status == "new" and res.unit_name == "黑龙河乡"
    o = order(engine, "R1")
    assert (o.status, o.unit_id, o.tier_days, o.dispatched_at, o.due_at) == ("new", None, None,
                                                                           None, None)
    assert order_assists(engine, "R1") == []
    event, changes, note = events(engine, "R1")[-1]
    assert event == "unit_return"
    assert changes["unit_id"] == [ids["黑龙河乡"], None]
    assert changes["return_reason"] == [None, "该路段属县公路局管养"]
    assert changes["return_basis"] == [None, "《西山县道路管养职责分工》"]
    assert changes["assist"] == [["黑山镇"], []]
    assert "黑龙河乡" in note and "县公路局" in note
    # it is in the triage queue again
    assert next_new_order(engine).order_no == "R1"
    rows = order_returns(engine, "R1")
    assert [(r.unit_name, r.reason) for r in rows] == [("黑龙河乡", "该路段属县公路局管养")]


def test_return_from_signed_clears_the_sign_for(engine, fixed_clock):
    add_units(engine)
    _dispatched(engine, "R2")
    sign(engine, "R2")
    return_order(engine, "R2", "不属于本乡职责")
    o = order(engine, "R2")
    assert o.status == "new" and o.signed_at is None


def test_reason_required_and_state_checked(engine):
    add_units(engine)
    _dispatched(engine, "R3")
    with pytest.raises(UserError, match="理由"):
        return_order(engine, "R3", "   ")
    assert order(engine, "R3").status == "dispatched"
    add_order(engine, "R4")
    with pytest.raises(UserError, match="待分拣"):
        return_order(engine, "R4", "不是我们的")
    with pytest.raises(UserError, match="找不到工单"):
        return_order(engine, "NOPE", "x")
    assert returns_by_unit(engine) == []


def test_returns_by_unit_counts_in_a_period(engine):
    ids = add_units(engine)
    for i, (no, unit) in enumerate([("C1", "hlh"), ("C2", "hlh"), ("C3", "黑山镇")]):
        clock.set_fixed(datetime(2026, 3, 10 + i, 9, 0))
        try:
            _dispatched(engine, no, unit)
            return_order(engine, no, "非本单位职责")
        finally:
            clock.set_fixed(None)
    # C1 goes to 黑山镇 next and comes back again in April
    clock.set_fixed(datetime(2026, 4, 2, 9, 0))
    try:
        triage(engine, "C1", "黑山镇", 3)
        dispatch(engine, "C1")
        return_order(engine, "C1", "也不是本镇的")
    finally:
        clock.set_fixed(None)
    march = returns_by_unit(engine, datetime(2026, 3, 1), datetime(2026, 4, 1))
    assert [(r.unit_id, r.unit_name, r.count) for r in march] == [
        (ids["黑龙河乡"], "黑龙河乡", 2), (ids["黑山镇"], "黑山镇", 1)]
    total = {r.unit_name: r.count for r in returns_by_unit(engine)}
    assert total == {"黑龙河乡": 2, "黑山镇": 2}
    assert len(order_returns(engine, "C1")) == 2


def test_return_uncounts_the_unit_in_the_statistics(engine):
    add_units(engine)
    _dispatched(engine, "S1")
    return_order(engine, "S1", "非本单位职责")
    with engine.connect() as conn:
        live = sorted(tuple(r) for r in conn.execute(select(TriageStat.__table__)))
    rebuild_triage_stats(engine)
    with engine.connect() as conn:
        rebuilt = sorted(tuple(r) for r in conn.execute(select(TriageStat.__table__)))
    assert live == rebuilt == []


def test_history_keeps_times_of_the_old_dispatch(engine):
    add_units(engine)
    _dispatched(engine, "H1")
    before = order(engine, "H1")
    return_order(engine, "H1", "非本单位职责")
    changes = events(engine, "H1")[-1][1]
    assert changes["dispatched_at"][0] == before.dispatched_at.isoformat(sep=" ")
    assert changes["due_at"][0] == (before.dispatched_at + timedelta(days=3)).isoformat(sep=" ")
