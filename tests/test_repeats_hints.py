"""Repeat hints: earlier orders of the last 90 days from the same phone, at the same
address, or with near-same text (in the same area), with their state; nothing else."""

from __future__ import annotations

from datetime import timedelta

from triage_helpers import T0, add_order, add_units

from hotline_tui.services.repeats import repeat_hints
from hotline_tui.services.triage import triage

TEXT = "幸福家园小区物业不作为，垃圾堆积没人清理，电梯经常坏，要求督促物业整改"


def _setup(engine):
    add_units(engine)
    now = T0 + timedelta(days=100)
    add_order(engine, "CUR", at=now, caller_phone="13812345678", address="西城街道幸福家园5号楼",
              title="物业不作为", content=TEXT, area="西城街道")
    return now


def _hints(engine):
    return {h.order_no: h for h in repeat_hints(engine, "CUR")}


def test_same_phone(engine):
    now = _setup(engine)
    add_order(engine, "P1", at=now - timedelta(days=10), caller_phone="13812345678",
              title="咨询公积金提取", content="咨询公积金提取条件", area="黑山镇")
    add_order(engine, "P2", at=now - timedelta(days=95), caller_phone="13812345678",
              title="旧事", content="九十天以前的来电", area="黑山镇")
    add_order(engine, "P3", at=now - timedelta(days=1), caller_phone="13900000000",
              title="别人", content="别人的来电", area="黑山镇")
    triage(engine, "P1", "hlh", 3)
    hints = _hints(engine)
    assert set(hints) == {"P1"}
    assert hints["P1"].why == ("phone",) and hints["P1"].status == "triaged"


def test_phone_inside_a_list_of_numbers(engine):
    now = _setup(engine)
    add_order(engine, "P4", at=now - timedelta(days=3), caller_phone="13812345678,0372-6012201",
              title="别的事", content="别的事情", area="黑山镇")
    add_order(engine, "CUR2", at=now, caller_phone="0372-6012201", title="x", content="y",
              area="黑山镇")
    # a number first in a list is found (index range); one further inside is not
    assert [h.order_no for h in repeat_hints(engine, "CUR2")] == []
    assert "CUR" not in [h.order_no for h in repeat_hints(engine, "P4")]  # later: not earlier
    assert [h.order_no for h in repeat_hints(engine, "CUR")] == ["P4"]


def test_same_address(engine):
    now = _setup(engine)
    add_order(engine, "A1", at=now - timedelta(days=30), address="西城街道幸福家园5号楼",
              title="楼道灯坏", content="楼道灯坏了", area="西城街道")
    add_order(engine, "A2", at=now - timedelta(days=30), address="西城街道幸福家园6号楼",
              title="楼道灯坏", content="楼道灯坏了", area="西城街道")
    hints = _hints(engine)
    assert set(hints) == {"A1"} and hints["A1"].why == ("address",)


def test_short_address_is_not_a_reason(engine):
    now = _setup(engine)
    add_order(engine, "S1", at=now, address="西城街道", area="西城街道", caller_phone="",
              title="a", content="b")
    add_order(engine, "S2", at=now - timedelta(days=1), address="西城街道", area="西城街道",
              title="c", content="d")
    assert repeat_hints(engine, "S1") == []
    # a village or community alone is shared by too many orders to mean 'the same place'
    add_order(engine, "S3", at=now, address="西山县长岭镇长岭村", area="长岭镇", title="a",
              content="b")
    add_order(engine, "S4", at=now - timedelta(days=1), address="西山县长岭镇长岭村",
              area="长岭镇", title="c", content="d")
    assert repeat_hints(engine, "S3") == []


def test_near_same_text_in_the_same_area(engine):
    now = _setup(engine)
    add_order(engine, "T1", at=now - timedelta(days=20), title="物业问题",
              content="市民来电反映，幸福家园小区物业公司不作为，小区垃圾堆积无人清理，电梯经常故障，"
                      "希望相关部门督促物业整改", area="西城街道")
    add_order(engine, "T2", at=now - timedelta(days=20), title="物业收费",
              content="阳光小区物业收费不合理，乱收停车费", area="西城街道")
    add_order(engine, "T3", at=now - timedelta(days=20), title="物业问题",
              content=TEXT, area="黑山镇")  # same text, other area: not a candidate
    hints = _hints(engine)
    assert set(hints) == {"T1"}
    assert hints["T1"].why == ("text",) and hints["T1"].similarity >= 0.38


def test_several_reasons_rank_first(engine):
    now = _setup(engine)
    add_order(engine, "M1", at=now - timedelta(days=5), caller_phone="13812345678",
              title="别的", content="咨询居住证办理", area="西城街道")
    add_order(engine, "M2", at=now - timedelta(days=50), caller_phone="13812345678",
              address="西城街道幸福家园5号楼", title="物业问题", content=TEXT, area="西城街道")
    hints = repeat_hints(engine, "CUR")
    assert [h.order_no for h in hints] == ["M2", "M1"]
    assert hints[0].why == ("phone", "address", "text")


def test_days_window_is_a_parameter(engine):
    now = _setup(engine)
    add_order(engine, "W1", at=now - timedelta(days=40), caller_phone="13812345678",
              title="a", content="b", area="黑山镇")
    assert [h.order_no for h in repeat_hints(engine, "CUR")] == ["W1"]
    assert repeat_hints(engine, "CUR", days=30) == []
