"""联席会议: an order with unclear responsibility goes onto the agenda, the agenda shows the
units concerned and the history so far, the outcome sends it back to dispatch with the lead
unit, assisting units and tier, and dispatch hands it over as usual."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from clock_support import fixed_clock
from test_queue_support import NOW, add_unit, eod, events, make_order, order

from hotline_tui.errors import UserError
from hotline_tui.services.dispatch import dispatch
from hotline_tui.services.meeting import add_to_meeting, agenda, record_outcome
from hotline_tui.services.triage import order_assists, triage
from hotline_tui.services.unit_return import return_order
from hotline_tui.store.engine import session

_clock = fixed_clock(NOW)


@pytest.fixture
def seeded(engine):
    with session(engine) as s:
        water = add_unit(s, "县水利局", "水利局", "slj")
        add_unit(s, "县住房和城乡建设局", "住建局", "zjj")
        add_unit(s, "城关镇", "城关", "cgz")
        make_order(s, "W1", water, eod(date(2026, 11, 30)), status="signed",
                   title="小区自来水管爆裂无人维修", content="城关镇幸福小区自来水主管道爆裂三天。")
        make_order(s, "W2", water, status="triaged")
        make_order(s, "W3", water, status="closed", due_at=eod(date(2026, 11, 20)))
        s.commit()
    return engine


def test_round_trip(seeded):
    # the water bureau returns it first (退单): part of the story the meeting sees
    return_order(seeded, "W1", "供水管网归住建局管理", "县政府办〔2020〕12号")
    triage(seeded, "W1", "住建局", 3)
    item = add_to_meeting(seeded, "W1", reason="供水管网产权不清，水利局与住建局互相推诿",
                          units=["水利局", "城关"])
    assert order(seeded, "W1").status == "meeting"
    assert item.units == ("县水利局", "城关镇", "县住房和城乡建设局")
    items = agenda(seeded)
    assert [i.order_no for i in items] == ["W1"]
    story = [h.text for h in items[0].history]
    assert any("退单" in x and "供水管网归住建局管理" in x for x in story)
    assert any("提交联席会议" in x for x in story)
    assert any(x.startswith("分拣") and "县住房和城乡建设局" in x for x in story)

    out = record_outcome(seeded, "W1", lead_unit="住建局", assist=["水利局", "城关"], tier=5,
                         note="住建局牵头，三日内抢修")
    assert (out.status, out.lead_unit, out.tier_days) == ("triaged", "县住房和城乡建设局", 5)
    assert out.assist == ("县水利局", "城关镇")
    o = order(seeded, "W1")
    assert (o.status, o.tier_days, o.owner_id, o.signed_at) == ("triaged", 5, None, None)
    assert sorted(u.name for u in order_assists(seeded, "W1")) == sorted(["城关镇", "县水利局"])
    last = events(seeded, "W1")[-1]
    assert (last.event, last.old_status, last.new_status) == ("meeting_outcome", "meeting",
                                                              "triaged")
    assert json.loads(last.changes)["assist"] == [[], ["县水利局", "城关镇"]]
    assert agenda(seeded) == []
    # and back to dispatch as usual
    res = dispatch(seeded, ["W1"])
    assert [d.order_no for d in res.dispatched] == ["W1"]
    assert order(seeded, "W1").status == "dispatched"
    assert order(seeded, "W1").due_at == datetime(2026, 12, 4, 23, 59, 59)


def test_outcome_with_a_deadline_date(seeded):
    add_to_meeting(seeded, "W2", reason="职责交叉")
    out = record_outcome(seeded, "W2", lead_unit="城关镇", due_date=date(2026, 12, 4))
    assert out.tier_days == 5 and out.due_date == date(2026, 12, 4)  # Mon..Fri next week
    res = dispatch(seeded, ["W2"])
    assert res.dispatched[0].due_at == datetime(2026, 12, 4, 23, 59, 59)


@pytest.mark.parametrize(("call", "word"), [
    (lambda e: add_to_meeting(e, "W1", reason=""), "理由"),
    (lambda e: add_to_meeting(e, "W3", reason="x"), "已办结"),
    (lambda e: add_to_meeting(e, "W1", reason="x", units=["不存在的局"]), "不存在的局"),
    (lambda e: record_outcome(e, "W1", lead_unit="住建局", tier=3), "不在联席会议议题"),
    (lambda e: record_outcome(e, "W1", lead_unit="住建局"), "--tier"),
])
def test_errors(seeded, call, word):
    with pytest.raises(UserError) as e:
        call(seeded)
    assert word in str(e.value)


def test_agenda_includes_orders_in_meeting_state_without_entry(seeded):
    add_to_meeting(seeded, "W2", reason="职责交叉")
    with session(seeded) as s:
        from hotline_tui.domain.states import Event
        from hotline_tui.services.orders import find_order, record

        record(s, find_order(s, "W1"), Event.TO_MEETING)
        s.commit()
    assert [i.order_no for i in agenda(seeded)] == ["W2", "W1"]
    assert agenda(seeded)[1].reason == ""
    out = record_outcome(seeded, "W1", lead_unit="水利局", tier="3日")
    assert out.tier_days == 3
