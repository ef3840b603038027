"""The inbox driven through App.run_test(): order, filter, pinyin, status, sort, open, G."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tui_support import (
    NOW,
    async_test,
    fill,
    order_no,
    screen_text,
    settle,
    visible_rows,
)

from hotline_tui.services import clock
from hotline_tui.tui.app import HotlineApp


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def _app(engine) -> HotlineApp:  # noqa: ANN001
    return HotlineApp(engine=engine, db_label="test.db")


def _orders(app):  # noqa: ANN001, ANN202
    return app.screen.query_one("#orders")


def _status(app) -> str:  # noqa: ANN001
    return [line for line in screen_text(app).splitlines() if "排序" in line][0]


@async_test
async def test_rows_newest_first_with_header_and_total(engine):
    fill(engine, 60)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        assert ol.total == 60
        header = ol.render_line(0).text
        for col in ("工单编号", "来电时间", "类型", "标题", "区域", "承办单位", "状态", "时限"):
            assert col in header
        rows = visible_rows(ol)
        assert rows[0].split()[0] == order_no(0)  # 5 minutes old
        assert rows[1].split()[0] == order_no(1)
        assert rows[2].split()[0] == "L20260615-0009"  # order 2, numbered locally
        received = [ol.row_at(i).received_at for i in range(20)]
        assert received == sorted(received, reverse=True)
        assert "60" in _status(app) and "来电时间" in _status(app)
        top = screen_text(app).splitlines()[0]
        assert "test.db" in top and "王芳" in top and f"{NOW:%Y-%m-%d}" in top


@async_test
async def test_chinese_alignment_by_cells(engine):
    fill(engine, 30)
    app = _app(engine)
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        from rich.cells import cell_len

        ol = _orders(app)
        lines = [ol.render_line(y).text for y in range(0, 12)]
        assert {cell_len(line) for line in lines} == {ol.scrollable_content_region.width}
        # the status column starts at the same cell on every line
        header = lines[0]
        col = cell_len(header[: header.index("状态")])
        for line in lines[1:]:
            row = ol.row_at(lines.index(line) - 1)
            status = {"new": "待分拣", "triaged": "已分拣", "dispatched": "已交办",
                      "signed": "已签收", "replied": "已反馈", "closed": "已办结"}[row.status]
            assert cell_len(line[: line.index(status)]) == col


@async_test
async def test_filter_as_you_type_and_escape(engine):
    fill(engine, 60)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        await pilot.press("slash", "积", "水")
        await settle(pilot)
        # order 0's title has 积水, and every 5th order is 小区积水严重
        expected = 1 + len([i for i in range(1, 60) if i % 5 == 0])
        assert ol.total == expected
        assert all("积水" in ol.row_at(i).title for i in range(expected))
        assert "筛选: 积水" in _status(app)
        await pilot.press("enter")  # back to the list, filter kept
        assert app.focused is ol and ol.total == expected
        await pilot.press("escape")  # clears the filter
        await settle(pilot)
        assert ol.total == 60 and "筛选" not in _status(app)


@async_test
async def test_filter_by_pinyin_initials_of_the_unit(engine):
    ids = fill(engine, 60)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        await pilot.press("slash", "h", "l", "h")
        await settle(pilot)
        assert ol.total and ol.total < 60
        rows = [ol.row_at(i) for i in range(ol.total)]
        assert all("黑龙河" in (r.unit_name + r.area) for r in rows)
        assert any(r.unit_name == "黑龙河乡" for r in rows)
        assert ids["黑龙河乡"]


@async_test
async def test_state_filter_picker(engine):
    fill(engine, 60)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        await pilot.press("s")
        await pilot.pause()
        # options: 全部, 未办结, 待分拣, ... -> two down is 待分拣 (new)
        await pilot.press("j", "j", "enter")
        await settle(pilot)
        assert ol.total == len([i for i in range(1, 60) if i % 6 == 0])
        assert all(ol.row_at(i).status == "new" for i in range(ol.total))
        assert "状态: 待分拣" in _status(app)
        await pilot.press("escape")
        await settle(pilot)
        assert ol.total == 60


@async_test
async def test_sort_cycles_received_due_unit(engine):
    fill(engine, 60)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        await pilot.press("o")
        await settle(pilot)
        assert "排序: 时限" in _status(app)
        dues = [ol.row_at(i).due_at for i in range(ol.total)]
        with_due = [d for d in dues if d is not None]
        assert with_due and with_due == sorted(with_due)
        assert dues[: len(with_due)] == with_due  # orders without a deadline come last
        await pilot.press("o")
        await settle(pilot)
        assert "排序: 承办单位" in _status(app)
        assert ol.filter.sort == "unit"
        await pilot.press("o")
        await settle(pilot)
        assert "排序: 来电时间" in _status(app)


@async_test
async def test_open_detail_and_back_at_same_position(engine):
    fill(engine, 60)
    app = _app(engine)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        await pilot.press("j", "j", "j")
        assert ol.cursor == 3
        inbox = app.screen
        await pilot.press("g", "enter")
        await settle(pilot)
        from hotline_tui.tui.views.order_detail import OrderDetailScreen

        assert isinstance(app.screen, OrderDetailScreen)
        shown = screen_text(app).replace("\n", "").replace(" ", "")
        assert "彻底解决积水问题" in shown  # the end of the long request text, wrapped
        assert "分拣" in shown and "交办" in shown and "王芳" in shown  # the history
        history = app.screen.detail.history
        assert [h.event for h in history] == ["create", "triage", "dispatch"]
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is inbox and ol.cursor == 0
        await pilot.press("j", "j")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is inbox and ol.cursor == 2


@async_test
async def test_G_goes_to_the_last_row_beyond_the_first_page(engine):
    fill(engine, 260)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        assert ol.total == 260
        await pilot.press("G")
        await settle(pilot)
        assert ol.cursor == 259
        rows = visible_rows(ol)
        assert rows[-1].split()[0] == order_no(259)  # the oldest
        await pilot.press("g")
        await settle(pilot)
        assert ol.cursor == 0 and visible_rows(ol)[0].split()[0] == order_no(0)
        await pilot.press("pagedown")
        assert ol.cursor > 10


@async_test
async def test_list_works_while_the_count_runs_and_G_waits_for_it(engine, monkeypatch):
    import threading

    from hotline_tui.tui.widgets.order_list import OrderSource

    fill(engine, 260)
    release = threading.Event()
    real_count = OrderSource.count

    def slow_count(self, gen, f):  # noqa: ANN001, ANN202
        release.wait(10)
        return real_count(self, gen, f)

    monkeypatch.setattr(OrderSource, "count", slow_count)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await pilot.pause(0.3)
        ol = _orders(app)
        assert ol.total is None and ol.counting
        assert visible_rows(ol)[0].split()[0] == order_no(0)  # first page painted
        assert "计数中" in _status(app)
        await pilot.press("j", "j")
        assert ol.cursor == 2  # keys work meanwhile
        await pilot.press("G")  # remembered until the count is known
        await pilot.pause(0.1)
        assert ol.cursor < 100
        release.set()
        await settle(pilot)
        assert ol.total == 260 and ol.cursor == 259
        assert "共 260 条" in _status(app)


@async_test
async def test_deadlines_overdue_and_due_soon_are_marked(engine):
    fill(engine, 60)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        marks = {}
        for i in range(ol.total):
            row = ol.row_at(i)
            marks[row.order_no] = (row.status, row.due_at, ol._due_class(row))
        overdue = [m for m in marks.values() if m[2] == "order-list--overdue"]
        soon = [m for m in marks.values() if m[2] == "order-list--warn"]
        assert overdue and soon
        assert all(due < NOW for _, due, _ in overdue)
        assert all(NOW <= due <= NOW + timedelta(hours=48) for _, due, _ in soon)
        for status, due, mark in marks.values():
            if due is None or status not in ("dispatched", "signed", "rework"):
                assert mark is None


@async_test
async def test_mouse_click_selects_and_double_click_opens(engine):
    fill(engine, 30)
    app = _app(engine)
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = _orders(app)
        await pilot.click("#orders", offset=(5, 4))  # line 0 is the header
        assert ol.cursor == 3
        ol.scroll_to(y=3, animate=False, immediate=True)  # what the wheel does
        await pilot.pause()
        top = ol.scroll_offset.y
        assert top == 3 and visible_rows(ol)[0].split()[0] == ol.row_at(3).order_no
        await pilot.double_click("#orders", offset=(5, 2))  # the second row shown
        await settle(pilot)
        assert app.screen.__class__.__name__ == "OrderDetailScreen"
        assert app.screen.order_id == ol.row_at(top + 1).id
