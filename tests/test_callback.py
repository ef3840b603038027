"""回访: every callback writes a history row; 不满意 (or not solved) reopens the order with a
new deadline and one more round of rework; only closed orders take a callback."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from replies_support import GOOD, callbacks_of, fixed_clock, history, seed

from hotline_tui.errors import UserError
from hotline_tui.services.callback import (
    awaiting_callback,
    count_awaiting_callback,
    parse_satisfaction,
    record_callback,
)
from hotline_tui.services.replies import take_reply
from hotline_tui.services.review import accept
from hotline_tui.store.engine import session

__all__ = ["fixed_clock"]


def _order(engine, no):
    from hotline_tui.services.orders import find_order

    with session(engine) as s:
        return find_order(s, no)


def _closed(engine, no="A1", **kw):
    ids = seed(engine, {no: "signed"}, **kw)
    take_reply(engine, no, text=GOOD)
    accept(engine, no)
    return ids[no]


def test_satisfied_callback_is_recorded_and_the_order_stays_closed(engine, fixed_clock):
    oid = _closed(engine)
    res = record_callback(engine, "A1", reached=True, solved=True, satisfaction="满意",
                          remark="路灯已亮")
    assert not res.reopened and res.new_due_at is None
    [cb] = callbacks_of(engine, oid)
    assert (cb.reached, cb.solved, cb.satisfaction, cb.remark) == (True, True, "satisfied", "路灯已亮")
    assert cb.at == fixed_clock and cb.by
    ev = history(engine, oid)[-1]
    assert ev[:3] == ("callback", "closed", "closed") and "满意" in ev[4]
    assert ev[3]["callback_id"] == [None, cb.id]
    assert _order(engine, "A1").status == "closed"


def test_not_reached_is_recorded_without_an_answer(engine, fixed_clock):
    oid = _closed(engine)
    res = record_callback(engine, "A1", reached=False, solved=None, satisfaction=None)
    assert not res.reopened
    [cb] = callbacks_of(engine, oid)
    assert (cb.reached, cb.solved, cb.satisfaction) == (False, None, None)


@pytest.mark.parametrize("kw", [
    {"solved": False, "satisfaction": "基本满意"},
    {"solved": True, "satisfaction": "不满意"},
    {"solved": None, "satisfaction": "unsatisfied"},
])
def test_unsatisfied_or_unsolved_reopens_with_a_new_deadline(engine, fixed_clock, kw):
    oid = _closed(engine, tier=5)
    res = record_callback(engine, "A1", reached=True, **kw)
    assert res.reopened and res.rework_count == 1
    # Friday 27 Nov + 5 working days -> Friday 4 Dec
    assert res.new_due_at.date() == datetime(2026, 12, 4).date()
    o = _order(engine, "A1")
    assert (o.status, o.rework_count, o.due_at, o.closed_at) == \
        ("rework", 1, res.new_due_at, None)
    evs = [h[:3] for h in history(engine, oid)[-2:]]
    assert evs == [("callback", "closed", "closed"), ("reopen", "closed", "rework")]
    # the unit replies again; the order can be accepted again and called back again
    take_reply(engine, "A1", text=GOOD)
    accept(engine, "A1")
    assert not record_callback(engine, "A1", reached=True, solved=True,
                               satisfaction="满意").reopened
    assert len(callbacks_of(engine, oid)) == 2


@pytest.mark.parametrize(("state", "kw", "key"), [
    ("signed", {"reached": True, "solved": True, "satisfaction": "满意"},
     "callback.error.not_closed"),
    ("closed", {"reached": True, "solved": True, "satisfaction": None},
     "callback.error.satisfaction_required"),
    ("closed", {"reached": False, "solved": True, "satisfaction": None},
     "callback.error.not_reached_answer"),
    ("closed", {"reached": True, "solved": True, "satisfaction": "还行吧"},
     "callback.error.bad_satisfaction"),
])
def test_refusals_write_nothing(engine, fixed_clock, state, kw, key):
    ids = seed(engine, {"A1": state})
    before = history(engine, ids["A1"])
    with pytest.raises(UserError) as exc:
        record_callback(engine, "A1", **kw)
    assert exc.value.key == key and str(exc.value)
    assert callbacks_of(engine, ids["A1"]) == [] and history(engine, ids["A1"]) == before


def test_satisfaction_words():
    assert [parse_satisfaction(w) for w in ("满意", "基本满意", "不满意", "", None)] == \
        ["satisfied", "basic", "unsatisfied", None, None]


def test_closed_orders_waiting_for_a_callback(engine, fixed_clock):
    from hotline_tui.services import clock

    seed(engine, {"A1": "signed", "A2": "signed"})
    for no in ("A1", "A2"):
        take_reply(engine, no, text=GOOD)
        accept(engine, no)
    assert count_awaiting_callback(engine) == 2
    record_callback(engine, "A1", reached=True, solved=True, satisfaction="满意")
    assert [a.order_no for a in awaiting_callback(engine)] == ["A2"]
    assert awaiting_callback(engine)[0].unit_name == "黑龙河乡"
    clock.set_fixed(fixed_clock + timedelta(days=30))
    assert count_awaiting_callback(engine) == 0
