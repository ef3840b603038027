"""The overdue queue screen (F5): the service's order on screen (overdue first, most overdue
on top, then due today, then due soon), grouping by unit and by owner, the chase-today
view, the empty state, paging through a long queue, the chase log of the current order, the
detail on enter, and the English UI."""

from __future__ import annotations

from datetime import timedelta

from clock_support import fixed_clock
from sqlalchemy import insert
from test_tui_queue_support import (
    NOW,
    ORDER,
    goto,
    list_lines,
    queue_app,
    queue_scene,
    ready,
    shown_numbers,
)
from tui_support import async_test, screen_text

from hotline_tui.i18n import t
from hotline_tui.services.queue import queue_page
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.tui.screens.queue import QueueScreen
from hotline_tui.tui.views.order_detail import OrderDetailScreen

SIZE = (160, 40)


_clock = fixed_clock(NOW)


def _line_of(screen, order_no: str) -> str:  # noqa: ANN001
    return next(ln for ln in list_lines(screen) if ln.strip().startswith(order_no))


@async_test
async def test_queue_in_service_order_with_counts_and_lateness(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, QueueScreen)
        service = queue_page(engine)
        assert shown_numbers(screen) == [r.order_no for r in service.rows] == ORDER
        text = screen_text(app)
        assert t("queue_tui.summary", overdue="2", today="1", soon="1") in text
        assert "Q5" not in text and "Q6" not in text  # later, closed
        by_no = {r.order_no: r for r in service.rows}
        q1 = _line_of(screen, "Q1")
        assert by_no["Q1"].late_text in q1 and "13812345678" in q1 and "11-20 18:00" in q1
        assert t("queue_tui.next.suggested", day="11-27") in q1  # never chased: suggested
        q2 = _line_of(screen, "Q2")
        assert t("queue.no_owner") in q2 and " 1 " in q2  # chased once, next date set
        assert "12-02" in q2 and t("queue_tui.next.suggested", day="12-02") not in q2
        # the most overdue (past the escalation stage) is drawn in the error colour, bold
        q = screen.queue
        esc = q.get_component_rich_style("queue-list--escalate", partial=True)
        strip = q.render_line(1)
        assert any(seg.style and seg.style.color == esc.color and seg.style.bold
                   for seg in strip if seg.text.strip())


@async_test
async def test_grouping_cycles_none_unit_owner(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("b")
        await ready(pilot)
        assert screen.queue.group == "unit"
        lines = [ln.strip() for ln in list_lines(screen) if ln.strip()]
        # the unit with the most overdue order first; each group's header line, then its rows
        assert lines[1].startswith("黑龙河乡") and lines[2].startswith("Q1")
        assert lines[3].startswith("Q3") and lines[4].startswith("城关镇")
        assert t("queue_tui.group_line", label="黑龙河乡", phone="", count=2, overdue=1
                 ).strip() in lines[1].replace("  ", "  ")
        assert t("queue_tui.group.unit") in screen_text(app)
        # the cursor never rests on a group line
        await pilot.press("j", "j")
        assert screen.queue.current_row.order_no == "Q2"
        # ] and [ jump to the first order of the next / previous group
        await pilot.press("left_square_bracket")
        assert screen.queue.current_row.order_no == "Q1"
        await pilot.press("right_square_bracket")
        assert screen.queue.current_row.order_no == "Q2"
        # m marks the loaded orders of the cursor's group
        await pilot.press("m")
        assert {r.order_no for r in screen.queue.marked.values()} == {"Q2", "Q4"}
        await pilot.press("escape")
        assert not screen.queue.marked
        await pilot.press("b")
        await ready(pilot)
        assert screen.queue.group == "owner"
        text = screen_text(app)
        assert t("queue.group.owner", owner="张三", unit="黑龙河乡") in text
        assert t("queue.group.unsigned", unit="城关镇") in text
        assert "13900001111" in text  # the owner's phone on the group line
        service = queue_page(engine, group="owner")
        assert shown_numbers(screen) == [r.order_no for r in service.rows]
        await pilot.press("b")
        await ready(pilot)
        assert screen.queue.group is None
        assert shown_numbers(screen) == ORDER


@async_test
async def test_chase_today_view(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        await pilot.press("t")
        await ready(pilot)
        want = [r.order_no for r in queue_page(engine, view="today").rows]
        assert "Q2" not in want  # its next chase is 12-02
        assert shown_numbers(screen) == want and want
        text = screen_text(app)
        assert t("queue_tui.view.today") in text
        assert t("queue_tui.summary_today", total=str(len(want))) in text
        await pilot.press("t")
        await ready(pilot)
        assert shown_numbers(screen) == ORDER


@async_test
async def test_empty_queue_says_so(engine):
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert t("queue_tui.empty") in text
        assert t("queue_tui.summary", overdue="0", today="0", soon="0") in text
        await pilot.press("c")  # nothing to chase: no form
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)


def _many_orders(engine, n: int) -> None:  # noqa: ANN001
    with engine.begin() as conn:
        conn.execute(insert(Unit.__table__), [dict(name="黑龙河乡", short_name="黑龙河",
                                                  kind="township", retired=False)])
        uid = conn.execute(Unit.__table__.select()).first().id
        conn.execute(insert(WorkOrder.__table__), [dict(
            order_no=f"P{i:05d}", is_local=False, received_at=NOW - timedelta(days=20),
            title=f"诉求{i}", content="", status="dispatched", unit_id=uid,
            dispatched_at=NOW - timedelta(days=15), due_at=NOW - timedelta(hours=n - i),
            confidential=False, anonymous=False, urgent=False, is_demo=False, version=1,
            created_at=NOW, updated_at=NOW) for i in range(n)])


@async_test
async def test_long_queue_pages_in_on_demand(engine):
    _many_orders(engine, 450)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        q = app.screen.queue
        assert q.total == 450
        assert sorted(q._pages) == [0]  # noqa: SLF001 - only the first page was read
        await pilot.press("G")
        await ready(pilot)
        assert q.current_row is not None and q.current_row.order_no == "P00449"
        pages = set(q._pages)  # noqa: SLF001 - the first page and the ones near the end
        assert 4 in pages and not pages & {1, 2}, pages
        assert any(ln.strip().startswith("P00449") for ln in list_lines(app.screen))
        text = screen_text(app)
        assert t("queue_tui.position", position="450", total="450") in text
        # the row came with a later page: its keys and its chase log follow it
        assert app.screen.check_action("chase", ()) and app.screen.check_action("extend", ())
        assert t("queue_tui.log_title", order_no="P00449", unit="黑龙河乡") in text


@async_test
async def test_chase_log_of_the_current_order_and_detail_on_enter(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "Q2")
        await ready(pilot)
        text = screen_text(app)
        assert t("queue_tui.log_title", order_no="Q2", unit="城关镇") in text
        assert "城关镇办公室" in text and "已催" in text and "2026-12-02" in text
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert app.screen.detail.order_no == "Q2"
        await pilot.press("escape")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)


@async_test
async def test_english_ui(engine):
    queue_scene(engine)
    app = queue_app(engine, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text = screen_text(app)
        assert "Overdue 2   due today 1   due soon 1" in text
        assert "Order" in text and "Owner" in text and "Next chase" in text
        assert "workdays late" in text
        assert "Chase log: Q1" in text
        assert "催办" not in text.split("\n", 1)[1]  # no Chinese UI text below the header


def test_hotline_has_the_queue_screen_on_f5():
    from hotline_tui.tui.registry import discover

    spec = {s.id: s for s in discover()}["queue"]
    assert spec.key == "f5" and spec.title_key == "screen.queue" and spec.warm is not None
