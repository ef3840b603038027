"""Triage: the queue of new orders, one transaction per triage with its history (incl. the
assisting units), re-triage, bulk triage, tier/type/unit validation, and the statistics
behind the unit suggestions (kept current, equal to a rebuild)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from triage_helpers import T0, add_order, add_orders, add_units, dispatch, events, order

from hotline_tui.errors import UserError
from hotline_tui.services import triage as tr
from hotline_tui.services.settings import set_setting
from hotline_tui.services.units import retire_unit
from hotline_tui.store.engine import session
from hotline_tui.store.models_triage import TriageStat


def test_next_new_order_walks_oldest_first(engine):
    add_order(engine, "B", at=T0 + timedelta(hours=1))
    add_order(engine, "A", at=T0)
    add_order(engine, "C", at=T0 + timedelta(hours=1))  # same time as B: by id
    add_order(engine, "D", at=T0 + timedelta(hours=2), content="完整的诉求内容" * 50)
    seen = []
    item = tr.next_new_order(engine)
    while item:
        seen.append(item.order_no)
        item = tr.next_new_order(engine, after_id=item.id)
    assert seen == ["A", "B", "C", "D"]
    d = tr.get_triage_item(engine, "D")
    assert d.content == "完整的诉求内容" * 50  # the full text
    assert tr.previous_new_order(engine, d.id).order_no == "C"
    assert tr.count_new_orders(engine) == 4
    assert [r.order_no for r in tr.list_new_orders(engine, limit=2)] == ["A", "B"]


def test_next_new_order_skips_triaged(engine):
    ids = add_units(engine)
    add_orders(engine, 3)
    tr.triage(engine, "N000", ids["黑龙河乡"], 3)
    assert tr.next_new_order(engine).order_no == "N001"
    first = tr.get_triage_item(engine, "N000")
    # continuing after an order that was just triaged still finds the next one
    assert tr.next_new_order(engine, after_id=first.id).order_no == "N001"


def test_triage_sets_fields_and_writes_one_history_row(engine):
    ids = add_units(engine)
    add_order(engine, "T1", request_type="其他")
    res = tr.triage(engine, "T1", "zjj", "3日", request_type="投诉",
                    assist=["hlh", "西城街道"], urgent=True, actor="clerk")
    assert res.event == "triage" and res.status == "triaged"
    assert res.unit_name == "西山县住房和城乡建设局"
    assert res.assists == ("黑龙河乡", "西城街道")
    o = order(engine, "T1")
    assert (o.unit_id, o.tier_days, o.request_type, o.urgent, o.status) == (
        ids["西山县住房和城乡建设局"], 3, "投诉", True, "triaged")
    ev = events(engine, "T1")
    assert [e for e, _, _ in ev] == ["create", "triage"]
    changes = ev[1][1]
    assert changes["unit_id"] == [None, ids["西山县住房和城乡建设局"]]
    assert changes["tier_days"] == [None, 3]
    assert changes["request_type"] == ["其他", "投诉"]
    assert changes["assist"] == [[], ["黑龙河乡", "西城街道"]]
    assert [u.name for u in tr.order_assists(engine, "T1")] == ["黑龙河乡", "西城街道"]


def test_retriage_records_changes_and_noop_writes_nothing(engine):
    ids = add_units(engine)
    add_order(engine, "R1")
    tr.triage(engine, "R1", "黑龙河乡", 0, assist=["西城街道"])
    res = tr.triage(engine, "R1", "黑山镇", None)  # keep tier and assists
    assert res.event == "retriage" and res.tier_days == 0 and res.assists == ("西城街道",)
    ev = events(engine, "R1")
    assert ev[-1][0] == "retriage"
    assert ev[-1][1]["unit"] == ["黑龙河乡", "黑山镇"]
    assert tr.triage(engine, "R1", ids["黑山镇"], 0).event == ""  # nothing new
    assert len(events(engine, "R1")) == 3
    res = tr.triage(engine, "R1", None, None, assist=())  # clear the assists
    assert res.assists == () and events(engine, "R1")[-1][1]["assist"] == [["西城街道"], []]


def test_lead_unit_is_not_its_own_assist(engine):
    add_units(engine)
    add_order(engine, "S1")
    res = tr.triage(engine, "S1", "黑龙河乡", 3, assist=["黑龙河乡", "黑山镇", "黑山镇"])
    assert res.assists == ("黑山镇",)


@pytest.mark.parametrize("tier,days", [(0, 0), ("0", 0), ("当日", 0), ("3", 3), ("5日", 5),
                                       ("15天", 15), (15, 15)])
def test_tier_by_days_or_name(engine, tier, days):
    add_units(engine)
    add_order(engine, "X")
    assert tr.triage(engine, "X", "黑龙河乡", tier).tier_days == days


def test_tiers_come_from_the_setting(engine):
    add_units(engine)
    add_order(engine, "X")
    with session(engine) as s:
        set_setting(s, "tiers", [{"days": 1, "name": "急办"}, {"days": 10, "name": "一般"}])
        s.commit()
    assert tr.triage(engine, "X", "黑龙河乡", "急办").tier_days == 1
    with pytest.raises(UserError, match="急办"):
        tr.triage(engine, "X", "黑龙河乡", 3)


@pytest.mark.parametrize("bad", [4, "7日", "明天"])
def test_bad_tier_is_refused(engine, bad):
    add_units(engine)
    add_order(engine, "X")
    with pytest.raises(UserError, match="办理时限"):
        tr.triage(engine, "X", "黑龙河乡", bad)
    assert order(engine, "X").status == "new"


def test_request_type_validation(engine):
    add_units(engine)
    add_order(engine, "X")
    assert tr.triage(engine, "X", "黑龙河乡", 3, request_type="意见建议").request_type == "建议"
    with pytest.raises(UserError, match="诉求类型"):
        tr.triage(engine, "X", "黑龙河乡", 3, request_type="牢骚")


def test_unit_errors(engine):
    add_units(engine)
    add_order(engine, "X")
    with pytest.raises(UserError, match="多个单位"):
        tr.triage(engine, "X", "黑", 3)
    with pytest.raises(UserError, match="还没有主办单位"):
        tr.triage(engine, "X", None, 3)
    with pytest.raises(UserError, match="还没有办理时限"):
        tr.triage(engine, "X", "hlh", None)
    retire_unit(engine, "黑山镇")
    with pytest.raises(UserError, match="已停用"):
        tr.triage(engine, "X", "黑山镇", 3)
    with pytest.raises(UserError, match="找不到工单"):
        tr.triage(engine, "NOPE", "hlh", 3)
    assert len(events(engine, "X")) == 1


def test_triage_refused_after_dispatch(engine):
    add_units(engine)
    add_order(engine, "X")
    tr.triage(engine, "X", "hlh", 3)
    dispatch(engine, "X")
    with pytest.raises(UserError, match="已交办"):
        tr.triage(engine, "X", "黑山镇", 3)
    assert order(engine, "X").unit_id == tr.get_triage_item(engine, "X").unit_id


def test_triage_many_one_transaction_one_row_each(engine):
    add_units(engine)
    nos = add_orders(engine, 4)
    res = tr.triage_many(engine, nos[:3], "hlh", 5, request_type="求助")
    assert [r.order_no for r in res] == nos[:3]
    for no in nos[:3]:
        assert [e for e, _, _ in events(engine, no)] == ["create", "triage"]
    # all or nothing: one unknown order stops the whole batch
    with pytest.raises(UserError, match="NOPE"):
        tr.triage_many(engine, [nos[3], "NOPE"], "hlh", 5)
    assert order(engine, nos[3]).status == "new"
    # bulk change of the type only, on triaged orders
    res = tr.triage_many(engine, nos[:2], request_type="投诉")
    assert all(r.event == "retriage" and r.request_type == "投诉" and r.tier_days == 5
               for r in res)
    with pytest.raises(UserError):
        tr.triage_many(engine, [])


def _stats(engine):
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(TriageStat.__table__)))


def test_stats_kept_current_equal_rebuild(engine):
    add_units(engine)
    add_order(engine, "A", category="城市管理/路灯", title="人民路路灯不亮")
    add_order(engine, "B", category="城市管理/路灯", title="幸福小区路灯损坏", area="黑龙河乡")
    add_order(engine, "C", category="劳动保障/欠薪", title="拖欠农民工工资")
    tr.triage(engine, "A", "县城管局", 3)
    tr.triage(engine, "B", "县城管局", 3)
    tr.triage(engine, "C", "县人社局", 5)
    tr.triage(engine, "B", "黑龙河乡", 3)  # re-triage moves B's counts
    live = _stats(engine)
    assert live
    assert tr.rebuild_triage_stats(engine) == 3
    assert _stats(engine) == live


def test_suggest_unit_prefers_earlier_choices_for_similar_orders(engine):
    ids = add_units(engine)
    for i in range(4):
        add_order(engine, f"H{i}", category="城市管理/路灯", title="人民路路灯不亮",
                  area="西城街道")
        tr.triage(engine, f"H{i}", "县城管局", 3)
    add_order(engine, "H9", category="劳动保障/欠薪", title="拖欠工资", area="西城街道")
    tr.triage(engine, "H9", "县人社局", 5)
    add_order(engine, "NEW", category="城市管理/路灯", title="建设路路灯不亮", area="西城街道")
    sug = tr.suggest_unit(engine, "NEW")
    assert sug[0].unit.id == ids["西山县城市管理综合行政执法局"]
    assert "4" in sug[0].reason
    # words alone (no category, other area) still point to it
    add_order(engine, "NEW2", title="路灯坏了", area="黑山镇")
    assert tr.suggest_unit(engine, "NEW2")[0].unit.id == ids["西山县城市管理综合行政执法局"]
    # a retired unit is never suggested
    retire_unit(engine, "县城管局")
    assert all(s.unit.name != "西山县城市管理综合行政执法局"
               for s in tr.suggest_unit(engine, "NEW"))


def test_suggest_unit_uses_upstream_unit(engine):
    ids = add_units(engine)
    add_order(engine, "U1", upstream_unit="西山县人社局", title="社保卡补办", category="")
    sug = tr.suggest_unit(engine, "U1")
    assert sug[0].unit.id == ids["西山县人力资源和社会保障局"]
    assert "上级平台" in sug[0].reason
    add_order(engine, "U2", upstream_unit="某不存在的单位")
    assert tr.suggest_unit(engine, "U2") == []


def test_match_upstream():
    from hotline_tui.services.units import UnitInfo

    units = [UnitInfo(1, "西山县人力资源和社会保障局", "县人社局", "department", "", "", "", "",
                      False),
             UnitInfo(2, "黑龙河乡", "黑龙河", "township", "", "", "", "", False)]
    assert tr.match_upstream(units, "县人社局").id == 1
    assert tr.match_upstream(units, "人社局").id == 1
    assert tr.match_upstream(units, "西山县黑龙河乡人民政府").id == 2
    assert tr.match_upstream(units, "") is None
    assert tr.match_upstream(units, "市公安局") is None
