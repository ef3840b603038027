"""The review decisions: the waiting list, one reply reviewed now (against other orders),
accept (closes, merged repeats with it), send back (deadline, rework count, history), and
the accepted reply going upstream (text and .xlsx)."""

from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest
from replies_support import GOOD, GOOD_2, LAZY, fixed_clock, history, replies_of, seed

from hotline_tui.errors import UserError
from hotline_tui.services.replies import take_reply
from hotline_tui.services.review import (
    accept,
    count_pending,
    export_upstream,
    pending_reviews,
    review_order,
    send_back,
    upstream_text,
)
from hotline_tui.store.engine import session

__all__ = ["fixed_clock"]


def _order(engine, no):
    from hotline_tui.services.orders import find_order

    with session(engine) as s:
        return find_order(s, no)


def test_pending_list_puts_likely_send_backs_first_then_oldest(engine, fixed_clock):
    from hotline_tui.services import clock

    seed(engine, {"A1": "signed", "A2": "signed", "A3": "signed", "B垃圾": "signed"})
    clock.set_fixed(datetime(2026, 11, 27, 9, 0))
    take_reply(engine, "A1", text=GOOD)
    clock.set_fixed(datetime(2026, 11, 27, 9, 30))
    take_reply(engine, "B垃圾", text=GOOD_2)
    clock.set_fixed(datetime(2026, 11, 27, 10, 0))
    take_reply(engine, "A3", text=LAZY)
    assert count_pending(engine) == 3
    rows = pending_reviews(engine)
    assert [r.order_no for r in rows] == ["A3", "A1", "B垃圾"]
    assert rows[0].verdict == "send_back" and rows[0].reason_codes
    assert rows[1].verdict == "acceptable" and rows[1].unit_name == "黑龙河乡"
    assert [r.order_no for r in pending_reviews(engine, offset=1, limit=1)] == ["A1"]


def test_review_view_masks_the_caller_and_names_the_owner(engine, fixed_clock):
    seed(engine, {"A1": "signed", "A2": "signed"}, confidential=False)
    take_reply(engine, "A1", text=GOOD, contact_by="王强", handler="王强")
    v = review_order(engine, "A1")
    assert v.caller_name == "张**" and v.caller_phone == "138****5678"
    assert (v.owner_name, v.owner_phone, v.unit_name) == ("王强", "13812345678", "黑龙河乡")
    assert v.text == GOOD and v.contact_by == "王强" and v.acceptable and v.can_decide
    assert v.checklist and all(isinstance(ok, bool) for _c, ok in v.checklist)
    assert len(v.rounds) == 1 and v.rounds[0].decision == "pending"
    # a copy taken in later is caught when the first reply is reviewed again
    take_reply(engine, "A2", text=GOOD.replace("王强", "赵刚"))
    again = review_order(engine, "A1")
    assert "copy_paste" in again.verdict.codes and again.copy_of == "A2"
    assert again.send_back_text().startswith("1. ")


def test_confidential_caller_is_hidden(engine, fixed_clock):
    seed(engine, {"A1": "signed"}, confidential=True)
    take_reply(engine, "A1", text=GOOD)
    v = review_order(engine, "A1")
    assert "138" not in v.caller_phone and "张" not in v.caller_name


def test_accept_closes_and_merged_orders_close_with_it(engine, fixed_clock):
    from hotline_tui.services.merge import merge

    ids = seed(engine, {"A1": "signed", "R1": "dispatched"})
    merge(engine, "A1", ["R1"], reason="同一路灯")
    take_reply(engine, "A1", text=GOOD)
    res = accept(engine, "A1", note="内容完整")
    assert res.merged_closed == ("R1",)
    o = _order(engine, "A1")
    assert (o.status, o.closed_at) == ("closed", fixed_clock)
    assert _order(engine, "R1").status == "closed"
    [r] = replies_of(engine, ids["A1"])
    assert (r.decision, r.decided_at, r.decision_note) == ("accepted", fixed_clock, "内容完整")
    ev = history(engine, ids["A1"])[-1]
    assert ev[:3] == ("accept", "replied", "closed") and ev[3]["reply_id"] == [None, r.id]
    assert history(engine, ids["R1"])[-1][:3] == ("accept", "merged", "closed")
    with pytest.raises(UserError) as exc:
        accept(engine, "A1")
    assert exc.value.key == "review.error.not_replied"


def test_send_back_sets_deadline_rework_count_and_history(engine, fixed_clock):
    ids = seed(engine, {"A1": "signed"}, tier=3)
    take_reply(engine, "A1", text=LAZY)
    res = send_back(engine, "A1", reason="未写明联系来电人的时间和处理结果。")
    # Friday 27 Nov 10:00 + 3 working days -> Wednesday 2 Dec, end of day
    assert res.rework_count == 1 and res.new_due_at.date() == datetime(2026, 12, 2).date()
    o = _order(engine, "A1")
    assert (o.status, o.rework_count, o.due_at) == ("rework", 1, res.new_due_at)
    assert o.owner_id is not None  # the owner stays
    [r] = replies_of(engine, ids["A1"])
    assert r.decision == "sent_back" and r.decision_note.startswith("未写明")
    ev = history(engine, ids["A1"])[-1]
    assert ev[:3] == ("send_back", "replied", "rework")
    assert ev[3]["rework_count"] == [0, 1] and ev[4].startswith("未写明")
    # the next round: reply again, send back again with an explicit time limit
    take_reply(engine, "A1", text=LAZY + "现已处理完毕。")
    res2 = send_back(engine, "A1", reason="仍然敷衍", workdays=1)
    assert res2.rework_count == 2 and res2.new_due_at.date() == datetime(2026, 11, 30).date()
    assert [r.decision for r in replies_of(engine, ids["A1"])] == ["sent_back", "sent_back"]


@pytest.mark.parametrize(("kwargs", "key"), [
    ({"reason": "  "}, "review.error.reason_required"),
    ({"reason": "x", "workdays": 99}, "review.error.bad_days"),
])
def test_send_back_refusals(engine, fixed_clock, kwargs, key):
    ids = seed(engine, {"A1": "signed"})
    take_reply(engine, "A1", text=LAZY)
    with pytest.raises(UserError) as exc:
        send_back(engine, "A1", **kwargs)
    assert exc.value.key == key
    assert _order(engine, "A1").status == "replied"
    assert replies_of(engine, ids["A1"])[0].decision == "pending"


def test_order_replied_before_replies_were_kept(engine, fixed_clock):
    """An order in 已反馈 with only a history note (older data, the demo) is reviewed from
    that note and can be decided."""
    ids = seed(engine, {"A1": "replied"})
    v = review_order(engine, "A1")
    assert v.reply_id is None and not v.acceptable and v.can_decide
    send_back(engine, "A1", reason="请补充")
    [r] = replies_of(engine, ids["A1"])
    assert r.decision == "sent_back"


def test_upstream_text_and_xlsx(engine, fixed_clock, tmp_path):
    from hotline_tui.services.callback import record_callback

    ids = seed(engine, {"A1": "signed", "A2": "signed", "A3": "signed"})
    take_reply(engine, "A1", text=GOOD, contact_by="王强", contacted_at="11月24日9时",
               contact_method="电话", handler="王强", handler_phone="13812345678",
               policy_basis="《城市照明管理规定》")
    accept(engine, "A1")
    body = upstream_text(engine, "A1")
    lines = body.split("\n")
    assert lines[0] == "经办单位：黑龙河乡"
    assert lines[1].startswith("联系情况：王强于11月24日9时通过电话")
    assert lines[2].startswith("办理结果：黑龙河乡接到工单后")
    assert "政策依据：《城市照明管理规定》" in lines and lines[-1] == "经办人及电话：王强 13812345678"
    take_reply(engine, "A2", text="=HYPERLINK(\"http://x\")" + GOOD_2)
    accept(engine, "A2")
    take_reply(engine, "A3", text=LAZY)  # not accepted: not exported
    out = tmp_path / "上报.xlsx"
    assert export_upstream(engine, out, since=fixed_clock.date()) == 2
    ws = openpyxl.load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == ("工单编号", "回复内容") and [r[0] for r in rows[1:]] == ["A1", "A2"]
    cell = ws["B3"]
    assert cell.data_type == "s" and cell.value.startswith("经办单位")
    assert "=HYPERLINK" in cell.value
    ev = history(engine, ids["A1"])[-1]
    assert ev[0] == "export" and "上报.xlsx" in ev[4]
    # reopened after an unsatisfied callback: nothing accepted to send any more
    record_callback(engine, "A1", reached=True, solved=False, satisfaction="不满意")
    with pytest.raises(UserError) as exc:
        upstream_text(engine, "A1")
    assert exc.value.key == "upstream.error.not_accepted"
    with pytest.raises(UserError):
        export_upstream(engine, tmp_path / "one.xlsx", ["A1"])
    assert not (tmp_path / "one.xlsx").exists()
    assert export_upstream(engine, tmp_path / "two.xlsx", ["A2"]) == 1


def test_formula_looking_reply_is_text_in_the_file(engine, fixed_clock, tmp_path):
    seed(engine, {"A1": "signed"})
    take_reply(engine, "A1", text="=1+1 " + GOOD)
    accept(engine, "A1")
    out = tmp_path / "f.xlsx"
    export_upstream(engine, out, ["A1"])
    ws = openpyxl.load_workbook(out).active
    assert ws["B2"].data_type == "s" and "=1+1" in ws["B2"].value
    assert ws["A2"].value == "A1"
