"""Shared set-up for the queue screen tests (no tests of its own): two units, two owners and
orders at known deadlines around NOW (Friday 2026-11-27 10:00), and helpers to drive the app
with the queue as its only top-level screen.

    Q1  黑龙河乡  张三   due 11-20 18:00   overdue 5 working days (escalated)
    Q2  城关镇    -      due 11-25 18:00   overdue, not signed for; chased, next 12-02
    Q3  黑龙河乡  张三   due 11-27 18:00   due today
    Q4  城关镇    李四   due 11-28 18:00   inside the 48 h window
    Q5  城关镇    李四   due 12-10 18:00   later: not in the queue
    Q6  黑龙河乡  -      closed              not in the queue
"""

from __future__ import annotations

from datetime import date, datetime

from test_queue_support import NOW, add_owner, add_unit, make_order  # noqa: F401 - NOW re-exported
from tui_support import settle

from hotline_tui.services.chase import chase
from hotline_tui.services.settings import set_setting
from hotline_tui.store.engine import session
from hotline_tui.tui.app import HotlineApp

D = datetime
ORDER = ["Q1", "Q2", "Q3", "Q4"]


def queue_scene(engine) -> dict[str, int]:  # noqa: ANN001
    """The orders above; returns unit ids by short name."""
    with session(engine) as s:
        hlh = add_unit(s, "黑龙河乡", "黑龙河", "hlhx")
        cgz = add_unit(s, "城关镇", "城关", "cgz")
        zhang = add_owner(s, hlh, "张三", "13812345678")
        li = add_owner(s, cgz, "李四", "13900001111")
        make_order(s, "Q1", hlh, D(2026, 11, 20, 18), status="signed", owner=zhang,
                   title="小区积水严重")
        make_order(s, "Q2", cgz, D(2026, 11, 25, 18), title="路灯不亮")
        make_order(s, "Q3", hlh, D(2026, 11, 27, 18), status="signed", owner=zhang,
                   title="拖欠工资")
        make_order(s, "Q4", cgz, D(2026, 11, 28, 18), status="signed", owner=li,
                   title="噪音扰民")
        make_order(s, "Q5", cgz, D(2026, 12, 10, 18), status="signed", owner=li,
                   title="道路破损")
        make_order(s, "Q6", hlh, D(2026, 11, 20, 18), status="closed", title="已办结")
        set_setting(s, "clerk_name", "王芳")
        s.commit()
        ids = {"黑龙河": hlh.id, "城关": cgz.id}
    chase(engine, ["Q2"], method="电话", whom="城关镇办公室", said="已催",
          next_chase=date(2026, 12, 2), at=D(2026, 11, 26, 9), actor="王芳")
    return ids


def queue_app(engine, lang: str | None = None) -> HotlineApp:  # noqa: ANN001
    """The app with the queue as its only top-level screen (shown at start)."""
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.screens.queue import TOP_SCREEN

    original = app_module.discover
    app_module.discover = lambda: [TOP_SCREEN]
    try:
        return HotlineApp(engine=engine, db_label="t.db", lang=lang)
    finally:
        app_module.discover = original


async def ready(pilot, rounds: int = 5) -> None:  # noqa: ANN001
    await settle(pilot, rounds)
    await pilot.pause(0.15)  # the chase log's debounce
    await settle(pilot, 2)


def shown_numbers(screen) -> list[str]:  # noqa: ANN001
    """Order numbers of the loaded rows, in list order."""
    q = screen.queue
    return [q.row_at(i).order_no for i in range(q.total) if q.row_at(i) is not None]


def list_lines(screen) -> list[str]:  # noqa: ANN001
    """The list's lines as drawn (header first)."""
    q = screen.queue
    return [q.render_line(y).text.rstrip() for y in range(q.scrollable_content_region.height)]


async def goto(pilot, order_no: str) -> None:  # noqa: ANN001
    """Put the list's cursor on `order_no`."""
    q = pilot.app.screen.queue
    q.focus()
    for _ in range(q.line_count + 1):
        if q.current_row is not None and q.current_row.order_no == order_no:
            return
        await pilot.press("j")
    raise AssertionError(f"{order_no} not in the list")
