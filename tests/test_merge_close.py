"""并单: the others point to the main order (no chains), leave the queue, and close with it
through the state machine when the closing service calls the hook."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from clock_support import fixed_clock
from test_queue_support import NOW, add_unit, eod, events, make_order, order

from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.merge import close_merged_with, merge, merged_into, merged_orders
from hotline_tui.services.orders import find_order, record
from hotline_tui.services.queue import queue_rows
from hotline_tui.services.sponsorship import sponsor, supervision_list
from hotline_tui.store.engine import session

_clock = fixed_clock(NOW)


@pytest.fixture
def seeded(engine):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        make_order(s, "M", u, eod(date(2026, 11, 25)), status="signed")
        make_order(s, "R1", u, eod(date(2026, 11, 26)))
        make_order(s, "R2", u, status="new")
        make_order(s, "R3", u, status="triaged")
        make_order(s, "X", u, eod(date(2026, 11, 20)), status="closed")
        s.commit()
    return engine


def _close_main(engine, no: str) -> list[str]:
    """What a review service does on 审核通过: reply, accept, then the hook; one commit."""
    with session(engine) as s:
        main = find_order(s, no)
        if main.status != "replied":
            record(s, main, Event.REPLY, changes={"replied_at": NOW})
        record(s, main, Event.ACCEPT, changes={"closed_at": NOW})
        closed = close_merged_with(s, main)
        s.commit()
    return closed


def test_merge_then_close_with_main(seeded):
    res = merge(seeded, "M", ["R1", "R2"], reason="同一路灯")
    assert res.merged == ["R1", "R2"] and res.repointed == []
    assert order(seeded, "R1").status == "merged" and order(seeded, "R2").status == "merged"
    assert merged_into(seeded, "R1") == "M" and merged_into(seeded, "M") is None
    assert [m.order_no for m in merged_orders(seeded, "M")] == ["R1", "R2"]
    ev = events(seeded, "R1")[-1]
    assert ev.event == "merge" and "并入主工单 M" in ev.note and "同一路灯" in ev.note
    assert json.loads(ev.changes)["merged_into"] == [None, "M"]
    # merged orders leave the queue; the main shows how many joined it
    rows = {r.order_no: r for r in queue_rows(seeded)}
    assert "R1" not in rows and rows["M"].merged_count == 2

    closed = _close_main(seeded, "M")
    assert closed == ["R1", "R2"]
    for no in ("R1", "R2"):
        o = order(seeded, no)
        assert o.status == "closed" and o.closed_at == NOW
        last = events(seeded, no)[-1]
        assert (last.event, last.old_status, last.new_status) == ("accept", "merged", "closed")
        assert "随主工单 M 办结" in last.note


def test_hook_does_nothing_while_main_is_open(seeded):
    merge(seeded, "M", ["R1"])
    with session(seeded) as s:
        assert close_merged_with(s, find_order(s, "M")) == []
    assert order(seeded, "R1").status == "merged"


def test_no_chains_and_sponsor_moves(seeded):
    merge(seeded, "R3", ["R2"])
    sponsor(seeded, "R3", leader="王建国", title="副县长")
    res = merge(seeded, "M", ["R3"])
    assert res.repointed == ["R2"] and res.sponsorship_moved
    assert merged_into(seeded, "R2") == "M"
    assert sorted(m.order_no for m in merged_orders(seeded, "M")) == ["R2", "R3"]
    rows = supervision_list(seeded)
    assert [(r.order_no, r.leader_name) for r in rows] == [("M", "王建国")]
    assert _close_main(seeded, "M") == ["R2", "R3"]


@pytest.mark.parametrize(("main", "others", "word"), [
    ("M", ["M"], "它自己"),
    ("X", ["R1"], "已办结"),
    ("M", ["X"], "已办结"),
    ("M", ["NOPE"], "NOPE"),
    ("M", [], "没有"),
])
def test_merge_errors_change_nothing(seeded, main, others, word):
    with pytest.raises(UserError) as e:
        merge(seeded, main, others)
    assert word in str(e.value)
    assert order(seeded, "R1").status == "dispatched"


def test_merged_order_cannot_be_merged_again(seeded):
    merge(seeded, "M", ["R1"])
    with pytest.raises(UserError) as e:
        merge(seeded, "R3", ["R1"])
    assert "已并单" in str(e.value)
    assert merged_into(seeded, "R1") == "M"


def test_closing_time_defaults_to_main(seeded):
    merge(seeded, "M", ["R1"])
    later = datetime(2026, 11, 30, 9, 0)
    clock.set_fixed(later)
    with session(seeded) as s:
        main = find_order(s, "M")
        record(s, main, Event.REPLY, changes={"replied_at": later})
        record(s, main, Event.ACCEPT, changes={"closed_at": later})
        close_merged_with(s, main)
        s.commit()
    assert order(seeded, "R1").closed_at == later
