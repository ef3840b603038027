"""The shell: `?` lists the active keys, a keymap file rebinds them, a bad one is one line,
the palette offers the screen's commands, screens are registered from tui/screens/."""

from __future__ import annotations

from pathlib import Path

from tui_support import async_test, fill, screen_text, settle

from hotline_tui import config
from hotline_tui.tui.app import HotlineApp


def _write_keymap(text: str) -> Path:
    path = config.keymap_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _help_rows(app) -> dict[str, str]:  # noqa: ANN001
    from hotline_tui.tui.modals.help import HelpScreen

    assert isinstance(app.screen, HelpScreen)
    return {row.description: " / ".join(row.keys) for row in app.screen.rows}


@async_test
async def test_help_lists_every_active_key(engine):
    fill(engine, 5)
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = _help_rows(app)
        for desc in ("筛选", "状态", "排序", "导出", "导入", "登记", "打开", "下一条",
                     "最后一条", "第一条", "退出", "命令面板"):
            assert desc in rows, desc
        assert rows["筛选"] == "/"
        assert "j" in rows["下一条"] and "G" in rows["最后一条"]
        shown = screen_text(app)
        assert "本屏按键" in shown and "筛选" in shown and "最后一条" in shown
        await pilot.press("escape")
        assert app.screen.__class__.__name__ == "InboxScreen"


@async_test
async def test_keymap_file_rebinds_keys_and_help_shows_it(engine):
    fill(engine, 5)
    _write_keymap('[keymap]\n"inbox.filter" = "ctrl+f"\n"list.bottom" = "b"\n')
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        ol = app.screen.query_one("#orders")
        await pilot.press("b")  # rebound G
        await settle(pilot)
        assert ol.cursor == ol.total - 1
        await pilot.press("slash")  # no longer the filter key
        assert not app.screen.query_one("#filter").has_focus
        await pilot.press("ctrl+f")
        assert app.screen.query_one("#filter").has_focus
        await pilot.press("escape")
        await pilot.press("question_mark")
        await pilot.pause()
        rows = _help_rows(app)
        assert rows["筛选"] == "^f"
        assert rows["最后一条"] == "b"


@async_test
async def test_bad_keymap_file_is_one_notification_not_a_crash(engine):
    fill(engine, 5)
    _write_keymap('[keymap\n"inbox.filter" = ctrl+f\n')
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert len(notes) == 1 and "keymap.toml" in notes[0] and "\n" not in notes[0]
        await pilot.press("slash")  # the default keys still work
        assert app.screen.query_one("#filter").has_focus


def test_keymap_values_are_checked(tmp_path):
    from hotline_tui.tui.keys import KeymapError, load_keymap

    good = tmp_path / "good.toml"
    good.write_text('[keymap]\n"list.down" = ["j", "ctrl+n"]\n', encoding="utf-8")
    assert load_keymap(good) == {"list.down": "j,ctrl+n"}
    assert load_keymap(tmp_path / "missing.toml") == {}
    bad = tmp_path / "bad.toml"
    bad.write_text('[keymap]\n"list.down" = 3\n', encoding="utf-8")
    try:
        load_keymap(bad)
    except KeymapError as exc:
        assert "list.down" in str(exc)
    else:
        raise AssertionError("a number is not a key")


@async_test
async def test_palette_offers_the_screens_commands(engine):
    from hotline_tui.tui.commands import ShellCommands

    fill(engine, 5)
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = ShellCommands(app.screen)
        found = [hit async for hit in provider.discover()]
        titles = {str(h.display) for h in found}
        assert {"筛选", "排序", "导出", "导入", "登记", "按键帮助"} <= titles
        hits = [hit async for hit in provider.search("排序")]
        assert hits and str(hits[0].text) == "排序"
        await hits[0].command()  # runs the screen's action
        await settle(pilot)
        assert app.screen.query_one("#orders").filter.sort == "due"


def test_top_screens_come_from_the_registry():
    from hotline_tui.tui.registry import TopScreen, discover

    screens = discover()
    assert [s.id for s in screens][0] == "inbox"
    assert all(isinstance(s, TopScreen) for s in screens)
    assert len({s.key for s in screens}) == len(screens)


@async_test
async def test_english_ui(engine):
    fill(engine, 5)
    app = HotlineApp(engine=engine, db_label="t.db", lang="en")
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            header = app.screen.query_one("#orders").render_line(0).text
            assert "Order no." in header and "Received" in header
            await pilot.press("question_mark")
            await pilot.pause()
            assert "Filter" in _help_rows(app)
    finally:
        from hotline_tui.i18n import set_lang

        set_lang("zh")


@async_test
async def test_a_failing_query_is_a_sentence_not_a_traceback(engine, monkeypatch):
    from hotline_tui.tui.widgets.order_list import OrderSource

    fill(engine, 5)

    def broken(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(OrderSource, "fetch", broken)
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications]
        assert any("crash.log" in n for n in notes), notes
        assert all("Traceback" not in n and "disk on fire" not in n for n in notes)
        assert app.is_running
    log = config.data_dir() / "crash.log"
    assert "disk on fire" in log.read_text(encoding="utf-8")  # the details are kept
