"""Candidates for sponsorship: overdue past the escalation stage, chased many times, and
repeat complaints (same phone, same address, near-same text within 90 days) grouped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from clock_support import fixed_clock
from test_queue_support import NOW, add_unit, eod, make_order

from hotline_tui.domain.repeats import is_near_same
from hotline_tui.services.chase import chase
from hotline_tui.services.settings import set_setting
from hotline_tui.services.sponsor_candidates import sponsor_candidates
from hotline_tui.services.sponsorship import sponsor
from hotline_tui.store.engine import session

LAMP = [
    "幸福路与建设路交叉口的路灯已经坏了两个星期，晚上一片漆黑，行人过马路很危险",
    "幸福路建设路交叉口路灯坏了两周了，晚上漆黑一片，行人过马路非常危险",
    "建设路和幸福路交叉口路灯坏了两个多星期，晚上很黑，过马路的行人很危险",
]
# different matters, one per order that is not a text repeat
OTHER = [
    "小区垃圾清运不及时，楼下垃圾堆积发臭", "学校门口早晚高峰车辆乱停乱放堵塞交通",
    "农贸市场占道经营严重影响通行", "自来水水质发黄有异味无法饮用",
    "企业拖欠农民工工资三个月未发放", "公园健身器材损坏无人维修",
    "医保异地报销手续怎么办理", "村里道路坑洼不平雨天积水严重",
    "养老保险缴费年限如何查询", "饭店油烟直排居民楼无法开窗",
    "公交车班次太少等车时间过长", "出租车拒载绕路乱收费",
    "办理营业执照需要哪些材料", "广场舞音响声音过大扰民",
    "供暖温度不达标家中太冷", "电动车在楼道充电存在火灾隐患",
    "低保申请迟迟没有审批结果", "河道有人非法采砂破坏堤坝",
    "房屋漏水物业不予维修", "网吧接纳未成年人上网",
]
_clock = fixed_clock(NOW)


def days_ago(n: int):
    return NOW - timedelta(days=n)


@pytest.fixture
def seeded(engine):
    assert is_near_same(LAMP[0], LAMP[1]) and is_near_same(LAMP[0], LAMP[2])
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        k = 0

        def other(no, **kw):
            nonlocal k
            kw.setdefault("title", OTHER[k])
            kw.setdefault("content", kw["title"])
            kw.setdefault("caller_phone", f"1350000{k:04d}")
            kw.setdefault("address", f"幸福路{100 + k}号")
            k += 1
            return make_order(s, no, u, **kw)

        # same phone three times (one still open), different matters
        other("P1", status="closed", received_at=days_ago(80), caller_phone="13711112222")
        other("P2", status="closed", received_at=days_ago(40), caller_phone="13711112222")
        other("P3", status="triaged", received_at=days_ago(3), caller_phone="13711112222")
        # same specific address three times from different phones
        for i, n in enumerate((60, 30, 2)):
            other(f"D{i + 1}", status="triaged" if i == 2 else "closed",
                  received_at=days_ago(n), address="西关社区幸福小区5号楼2单元")
        # near-same text from three phones and places in the same area; the last one also
        # from the repeat phone: it joins that group
        for i, n in enumerate((50, 20, 1)):
            phone = "13711112222" if i == 2 else f"1390000{i:04d}"
            other(f"T{i + 1}", status="triaged" if i else "closed", received_at=days_ago(n),
                  title="路灯不亮", content=LAMP[i], caller_phone=phone)
        # not repeats: twice only; three times but one too long ago; three times all closed
        other("N1", status="triaged", received_at=days_ago(5), caller_phone="13622223333")
        other("N2", status="closed", received_at=days_ago(9), caller_phone="13622223333")
        other("O1", status="closed", received_at=days_ago(120), caller_phone="13633334444")
        other("O2", status="closed", received_at=days_ago(60), caller_phone="13633334444")
        other("O3", status="triaged", received_at=days_ago(6), caller_phone="13633334444")
        for i in range(3):
            other(f"Z{i + 1}", status="closed", received_at=days_ago(10 + i),
                  caller_phone="13644445555")
        # overdue: 5 working days (escalate), 1 working day (not yet)
        other("L5", due_at=eod(date(2026, 11, 20)), status="signed",
              received_at=days_ago(12))
        other("L1", due_at=eod(date(2026, 11, 26)), status="signed", received_at=days_ago(8))
        s.commit()
    return engine


def test_repeat_groups(seeded):
    c = sponsor_candidates(seeded)
    groups = {tuple(sorted(o.order_no for o in g.orders)): g for g in c.repeats}
    phone = ("P1", "P2", "P3", "T3")  # T3 came from the repeat phone too
    assert set(groups) == {phone, ("T1", "T2", "T3"), ("D1", "D2", "D3")}
    g = groups[phone]
    assert g.reasons == ("phone",) and g.phones == ("13711112222",)
    assert g.open_count == 2  # P3, T3
    assert [o.order_no for o in g.orders][:2] == ["T3", "P3"]  # newest first
    t = groups[("T1", "T2", "T3")]
    assert t.reasons == ("text",) and all(o.why == ("text",) for o in t.orders)
    d = groups[("D1", "D2", "D3")]
    assert d.reasons == ("address",) and d.addresses == ("西关社区幸福小区5号楼2单元",)


NOISE = [
    "锦绣花园小区旁边的工地每天晚上十点以后还在施工，噪音很大影响休息",
    "锦绣花园小区旁工地每晚十点后仍在施工，噪音太大无法休息",
    "锦绣花园小区边上的工地晚上十点以后还施工，噪音大影响睡觉",
]


def test_text_repeats_of_one_caller_show_once(seeded):
    # one caller reports the same noise three times: the text group lies inside the phone
    # group and adds its reason there; the second and third are alike only through the first
    assert not is_near_same(NOISE[1], NOISE[2])
    with session(seeded) as s:
        from hotline_tui.store.models import Unit

        u = s.get(Unit, 1)
        for i, n in enumerate((15, 7, 4)):
            make_order(s, f"Q{i + 1}", u, status="triaged", received_at=days_ago(n),
                       title="工地夜间施工", content=NOISE[i], caller_phone="13822223333",
                       address=f"建设路{i}号")
        s.commit()
    c = sponsor_candidates(seeded)
    q = next(g for g in c.repeats if g.phones == ("13822223333",))
    assert q.reasons == ("phone", "text")
    assert sorted(o.order_no for o in q.orders) == ["Q1", "Q2", "Q3"]
    assert all(o.why == ("phone", "text") for o in q.orders)
    assert not any(g.reasons == ("text",) and "Q1" in {o.order_no for o in g.orders}
                   for g in c.repeats)


def test_repeat_settings(seeded):
    with session(seeded) as s:
        set_setting(s, "repeat_min_orders", 2)
        set_setting(s, "repeat_window_days", 30)
        s.commit()
    c = sponsor_candidates(seeded)
    nos = {tuple(sorted(o.order_no for o in g.orders)) for g in c.repeats}
    # twice is enough now (N1+N2); 30 days cut P1/P2/D1/D2/T1 and O2
    assert ("N1", "N2") in nos
    assert ("P3", "T3") in nos and ("T2", "T3") in nos
    assert not any("P1" in g or "O2" in g for g in nos)


def test_escalated_and_much_chased(seeded):
    c = sponsor_candidates(seeded)
    assert [o.order_no for o in c.escalated] == ["L5"] and c.escalated_total == 1
    assert c.escalated[0].late_workdays == 5
    assert c.much_chased == []
    for _ in range(3):
        chase(seeded, ["L1"], method="电话")
    c = sponsor_candidates(seeded)
    assert [(o.order_no, o.chase_count) for o in c.much_chased] == [("L1", 3)]
    # sponsored orders are no longer proposed
    sponsor(seeded, "L5", leader="王建国", title="副县长")
    sponsor(seeded, "L1", leader="王建国", title="副县长")
    c = sponsor_candidates(seeded)
    assert c.escalated == [] and c.much_chased == []


def test_sponsored_flag_in_groups(seeded):
    sponsor(seeded, "P3", leader="王建国", title="副县长")
    c = sponsor_candidates(seeded)
    p3 = next(o for g in c.repeats for o in g.orders if o.order_no == "P3")
    assert p3.sponsored
