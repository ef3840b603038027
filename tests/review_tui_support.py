"""Test data for the review screen tests: one township, orders dispatched and signed for by
a first-contact owner, and replies taken in through services.replies (the clock frozen at
NOW, a Monday): a substantive reply, a bare boilerplate one, and a copy of the boilerplate
on another order; one order closed (accepted) waiting for a callback."""

from __future__ import annotations

from datetime import datetime, timedelta

from tui_support import settle

from hotline_tui.domain.states import Event
from hotline_tui.services import owners
from hotline_tui.services.orders import record
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.tui.app import HotlineApp

NOW = datetime(2026, 11, 30, 10, 0)  # Monday
DISPATCHED = datetime(2026, 11, 24, 9, 0)

REQUEST = ("市民反映：城关镇幸福小区3号楼门前道路每逢下雨即严重积水，积水最深处超过三十厘米，"
           "老人和孩子出行困难。诉求：请尽快疏通排水管道，解决积水问题。")
GOOD = ("11月26日上午，城关镇城建办张明通过电话联系了诉求人李女士，并于当天下午到幸福小区"
        "3号楼现场查看，发现门前雨水井被建筑垃圾堵塞。11月27日镇里组织清淤车疏通排水管道"
        "共120米，清出淤泥约2吨，现已不再积水。依据《城镇排水与污水处理条例》第二十条，"
        "镇城建办将每月巡查一次。诉求人表示满意。经办人：张明，电话13812345678。")
GOOD2 = ("11月25日，城关镇环卫所王刚电话联系诉求人赵先生，了解到和平路东段垃圾桶三天未清运。"
         "当天下午环卫所安排2辆清运车清走垃圾约5吨，并在该路段增设垃圾桶6个，"
         "自11月26日起每日清运两次。赵先生对处理结果表示满意。经办人：王刚，电话13700002222。")
BAD = "已收悉，正在处理，我单位高度重视，将按相关规定办理。"

ORDERS = [
    # order_no, title, reply (None: dispatched and signed, no reply yet)
    ("XS0001", "幸福小区门前积水", GOOD),
    ("XS0002", "路灯不亮", BAD),
    ("XS0003", "噪音扰民", BAD),  # the same text as XS0002's: a copy
    ("XS0004", "道路破损", None),
    ("XS0005", "垃圾清运不及时", GOOD2),  # accepted: waits for a callback
]


def review_scene(engine) -> dict[str, int]:  # noqa: ANN001
    """The orders above, signed for by 张三 (13812345678) of 城关镇, replies taken in an
    hour apart (XS0001 first); XS0005 accepted and closed. Returns order ids by number."""
    from hotline_tui.services import clock
    from hotline_tui.services.replies import take_reply
    from hotline_tui.services.review import accept

    with session(engine) as s:
        unit = Unit(name="城关镇", short_name="城关", initials="cgz", kind="township")
        s.add(unit)
        s.flush()
        ids: dict[str, int] = {}
        for no, title, _reply in ORDERS:
            received = DISPATCHED - timedelta(days=1)
            o = WorkOrder(order_no=no, received_at=received, title=title, content=REQUEST,
                          caller_name="李四", caller_phone="13912345678", request_type="投诉")
            record(s, o, Event.CREATE, actor="test", at=received)
            record(s, o, Event.TRIAGE, changes={"unit_id": unit.id, "tier_days": 5},
                   actor="test", at=received)
            record(s, o, Event.DISPATCH, changes={"dispatched_at": DISPATCHED,
                                                  "due_at": DISPATCHED + timedelta(days=7)},
                   actor="test", at=DISPATCHED)
            s.flush()
            ids[no] = int(o.id)
        s.commit()
    for no, _t, _r in ORDERS:
        owners.sign(engine, no, name="张三", phone="13812345678", at=DISPATCHED + timedelta(hours=1))
    base = NOW - timedelta(hours=len(ORDERS) + 1)
    for i, (no, _t, reply) in enumerate(ORDERS):
        if reply is None:
            continue
        clock.set_fixed(base + timedelta(hours=i))
        if reply == BAD:  # boilerplate, nothing else filled in
            take_reply(engine, no, text=reply)
        else:
            take_reply(engine, no, text=reply, contact_by="张明",
                       contacted_at="2026-11-26 10:00", contact_method="电话",
                       result="已疏通，不再积水", handler="张明", handler_phone="13812345678")
    clock.set_fixed(NOW - timedelta(minutes=30))
    accept(engine, "XS0005")
    clock.set_fixed(NOW)
    return ids


def review_app(engine, lang: str | None = None) -> HotlineApp:  # noqa: ANN001
    """The app with the review screen as its only top-level screen."""
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.screens.review import TOP_SCREEN

    original = app_module.discover
    app_module.discover = lambda: [TOP_SCREEN]
    try:
        return HotlineApp(engine=engine, db_label="t.db", lang=lang)
    finally:
        app_module.discover = original


async def ready(pilot, rounds: int = 6) -> None:  # noqa: ANN001
    await settle(pilot, rounds)


def list_keys(app) -> list[str]:  # noqa: ANN001
    return [ln.key for ln in app.screen.table.lines]


async def goto(pilot, order_no: str) -> None:  # noqa: ANN001
    """Put the list's cursor on `order_no` and wait for its review."""
    table = pilot.app.screen.table
    table.focus()
    if table.current is not None and table.current.key != order_no:
        await pilot.press("g")
    for _ in range(len(table.lines)):
        if table.current is not None and table.current.key == order_no:
            break
        await pilot.press("j")
    await ready(pilot)
    assert table.current.key == order_no
