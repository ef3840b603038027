"""Import through the inbox's path prompt, and the hand-entry form."""

from __future__ import annotations

import pytest
from tui_support import NOW, async_test, fill, screen_text, settle

from hotline_tui.services import clock
from hotline_tui.tui.app import HotlineApp


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


CSV = (
    "工单编号,来电时间,来电人,联系电话,诉求类型,标题,诉求内容,所属区域\n"
    "XS2026500001,2026-06-15 09:30,赵六,13711112222,投诉,新小区停水,已经停水两天,城关镇\n"
    "XS2026500002,2026-06-15 09:40,钱七,13711113333,咨询,医保报销,怎么报销,黑龙河乡\n"
    ",2026-06-15 09:50,孙八,13711114444,求助,没有编号,这一行没有编号,城关镇\n"
)


@async_test
async def test_import_from_the_inbox_shows_counts_and_rejected_rows(engine, tmp_path):
    fill(engine, 5)
    src = tmp_path / "平台导出.csv"
    src.write_text(CSV, encoding="utf-8")
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        ol = app.screen.query_one("#orders")
        before = ol.total
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(tmp_path / "nothere.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert "找不到文件" in screen_text(app)  # the prompt stays open with a sentence
        box = app.screen.query_one("#prompt-input")
        box.value = str(tmp_path / "平台")
        await pilot.press("tab")  # completes the file name
        assert box.value == str(src)
        await pilot.press("enter")
        await settle(pilot, rounds=8)
        shown = screen_text(app)
        assert "导入完成" in shown and "新增 2 条" in shown and "未能读取 1 行" in shown
        (row, reason), = app.screen.result.rejected
        assert row == 4  # the spreadsheet row of the line without a number
        line = next(x for x in shown.splitlines() if reason[:8] in x)
        assert "4" in line.split()
        await pilot.press("enter")
        await settle(pilot)
        assert ol.total == before + 2
        # newest first: order 0 (09:55), then the imported 09:40 and 09:30
        assert [ol.row_at(i).order_no for i in (1, 2)] == ["XS2026500002", "XS2026500001"]


@async_test
async def test_import_of_a_broken_file_is_one_sentence(engine, tmp_path):
    fill(engine, 3)
    src = tmp_path / "broken.xlsx"
    src.write_bytes(b"this is not a spreadsheet")
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = str(src)
        await pilot.press("enter")
        await settle(pilot, rounds=8)
        shown = screen_text(app)
        assert "导入失败" in shown and "Traceback" not in shown
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#orders").total == 3


@async_test
async def test_manual_entry_form(engine):
    fill(engine, 5)
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("ctrl+s")  # nothing typed: a sentence, nothing written
        await pilot.pause()
        assert app.screen.__class__.__name__ == "EntryScreen"
        from hotline_tui.errors import UserError

        assert str(UserError("entry.need_text")) in screen_text(app)
        app.screen.query_one("#entry-title").value = "来信反映路灯不亮"
        app.screen.query_one("#entry-content").text = "石门镇中心街路灯已坏一周。"
        app.screen.query_one("#entry-caller-phone").value = "13600001111"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "InboxScreen"
        ol = app.screen.query_one("#orders")
        assert ol.total == 6
        new = [ol.row_at(i) for i in range(6) if ol.row_at(i).title == "来信反映路灯不亮"]
        assert new and new[0].order_no.startswith("L2026")
        assert any(new[0].order_no in n.message for n in app._notifications)
