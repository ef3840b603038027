"""The units screen: find by initials / pinyin / Chinese, add and edit through the form
(refusals as a sentence in the form), delete refused for a unit orders point to while
retire and restore work, and a unit list imported with its rejected row numbers."""

from __future__ import annotations

from directory_tui_support import make_app, notes, open_screen, press, row_texts, type_text
from triage_helpers import add_order, add_units
from tui_support import async_test, screen_text, settle

from hotline_tui.i18n import t
from hotline_tui.services import units as us
from hotline_tui.services.triage import triage


def _names(screen) -> list[str]:  # noqa: ANN001
    return [screen.units[k].name for k in screen.table.keys()]


@async_test
async def test_find_by_initials_pinyin_and_chinese(engine):
    add_units(engine)
    app = make_app(engine)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "f6", "UnitsScreen")
        everyone = _names(screen)
        assert set(everyone) == {u.name for u in us.list_units(engine)}
        for typed in ("hlh", "heilonghe", "黑龙"):
            await press(pilot, "slash")
            assert screen.find_box.has_focus
            await type_text(pilot, typed)
            await settle(pilot)
            expected = [m.unit.name for m in us.lookup_units(engine, typed, limit=1000)]
            assert _names(screen)[0] == "黑龙河乡"
            assert _names(screen) == expected and len(expected) < len(everyone)
            await press(pilot, "escape")  # clears the find box and goes back to the list
            assert screen.find_box.value == "" and screen.table.has_focus
            assert len(_names(screen)) == len(everyone)
        await press(pilot, "slash")
        await type_text(pilot, "hlh")
        await press(pilot, "enter")  # leaves the box, keeps the find
        assert screen.table.has_focus and _names(screen) == ["黑龙河乡"]
        assert "hlh" in str(screen.query_one("#status").render())


@async_test
async def test_add_and_edit_through_the_form(engine):
    add_units(engine)
    app = make_app(engine)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "f6", "UnitsScreen")
        await press(pilot, "n")
        form = app.screen
        assert type(form).__name__ == "UnitForm"
        await press(pilot, "ctrl+s")  # no name: refused in the form, form stays
        assert app.screen is form and form.error == t("unit.name_required")
        await type_text(pilot, "黑山镇")  # a name that exists
        await press(pilot, "ctrl+s")
        assert app.screen is form and "黑山镇" in form.error == t("unit.exists", unit="黑山镇")
        form.query_one("#unit-name").value = ""
        await type_text(pilot, "柳河乡")
        await press(pilot, "enter")  # next field: the short name
        await type_text(pilot, "柳河")
        await press(pilot, "tab", "left")  # the kind: 县直部门 -> 乡镇
        await press(pilot, "tab")
        await type_text(pilot, "0372-5551234")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        added = us.get_unit(engine, "柳河乡")
        assert (added.short_name, added.kind, added.phone) == ("柳河", "township",
                                                                "0372-5551234")
        assert screen.units[screen.table.current_key].name == "柳河乡"  # cursor on it
        assert any("柳河乡" in n for n in notes(app))

        # edit: the form comes filled in; change the leader and rename
        await press(pilot, "e")
        form = app.screen
        assert form.query_one("#unit-name").value == "柳河乡"
        assert form.query_one("#unit-phone").value == "0372-5551234"
        form.query_one("#unit-name").value = "柳河镇"
        form.query_one("#unit-leader").focus()
        await type_text(pilot, "刘强")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        edited = us.get_unit(engine, added.id)
        assert (edited.name, edited.leader, edited.initials) == ("柳河镇", "刘强", "lhz")
        await press(pilot, "slash")
        await type_text(pilot, "lhz")
        await settle(pilot)
        assert _names(screen) == ["柳河镇"]


@async_test
async def test_delete_refused_for_a_unit_in_use_retire_and_restore_work(engine):
    ids = add_units(engine)
    add_order(engine, "A001")
    triage(engine, "A001", "黑山镇", 3)
    app = make_app(engine)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "f6", "UnitsScreen")
        table = screen.table
        table.move_cursor(row=table.get_row_index(str(ids["黑山镇"])))
        await press(pilot, "D")
        assert type(app.screen).__name__ == "PickScreen"
        await press(pilot, "down", "enter")  # "删除 黑山镇"
        assert app.screen is screen
        refusal = [n for n in notes(app) if "不能删除" in n]
        assert refusal == [str(_error_of(lambda: us.delete_unit(engine, ids["黑山镇"])))]
        assert "\n" not in refusal[0] and "Traceback" not in screen_text(app)
        assert str(ids["黑山镇"]) in table.keys()

        await press(pilot, "r")  # retire: accepted, kept in the list and marked
        assert us.get_unit(engine, ids["黑山镇"]).retired
        row = "|".join(str(c) for c in table.get_row(str(ids["黑山镇"])))
        assert "黑山镇 (已停用)" in row
        assert table.current_key == str(ids["黑山镇"])
        await press(pilot, "h")  # hide retired units
        assert str(ids["黑山镇"]) not in table.keys()
        await press(pilot, "h")
        table.move_cursor(row=table.get_row_index(str(ids["黑山镇"])))
        await press(pilot, "r")  # restore
        assert not us.get_unit(engine, ids["黑山镇"]).retired
        assert "已停用" not in "|".join(row_texts(table))

        # a unit no order points to can be deleted
        table.move_cursor(row=table.get_row_index(str(ids["西城街道"])))
        await press(pilot, "delete", "down", "enter")
        assert str(ids["西城街道"]) not in table.keys()
        assert "西城街道" not in {u.name for u in us.list_units(engine, include_retired=True)}


def _error_of(fn) -> Exception:  # noqa: ANN001
    try:
        fn()
    except Exception as exc:  # noqa: BLE001
        return exc
    raise AssertionError("expected a refusal")


@async_test
async def test_import_a_unit_list_with_a_bad_row(engine, tmp_path):
    add_units(engine)
    path = tmp_path / "单位名录.csv"
    path.write_text(
        "单位名称,简称,类别,联系电话,负责人\n"
        "黑龙河乡,黑龙河,乡镇,0372-1111111,张三\n"  # exists: updated
        "黑山镇,,,,\n"  # exists, nothing new: unchanged
        ",无名,县直部门,0372-2222222,\n"  # row 4: no name
        "西山县水利局,水利局,县直部门,0372-3333333,李四\n",  # new
        encoding="utf-8",
    )
    app = make_app(engine)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_screen(pilot, "f6", "UnitsScreen")
        await press(pilot, "i")
        prompt = app.screen
        prompt.query_one("#prompt-input").value = str(path)
        await press(pilot, "enter")
        await settle(pilot)
        dialog = app.screen
        assert type(dialog).__name__ == "UnitImportScreen"
        report = dialog.report
        assert report is not None
        assert (report.added, report.updated, report.unchanged) == (
            ["西山县水利局"], ["黑龙河乡"], ["黑山镇"])
        assert [row for row, _ in report.errors] == [4]
        shown = screen_text(app)
        assert "新增 1 个，更新 1 个，未变 1 个，有误 1 行" in shown
        assert "缺少单位名称" in shown
        await press(pilot, "enter")
        assert app.screen is screen
        assert "西山县水利局" in _names(screen)
        assert us.get_unit(engine, "黑龙河乡").phone == "0372-1111111"


@async_test
async def test_import_of_a_missing_or_headerless_file_is_one_sentence(engine, tmp_path):
    add_units(engine)
    bad = tmp_path / "list.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    app = make_app(engine)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "f6", "UnitsScreen")
        await press(pilot, "i")
        prompt = app.screen
        prompt.query_one("#prompt-input").value = str(tmp_path / "none.csv")
        await press(pilot, "enter")
        assert app.screen is prompt  # the prompt refuses a missing file
        prompt.query_one("#prompt-input").value = str(bad)
        await press(pilot, "enter")
        await settle(pilot)
        text = screen_text(app)
        assert "导入失败" in text and "单位名称" in text and "Traceback" not in text


@async_test
async def test_help_lists_the_units_keys_with_ids(engine):
    add_units(engine)
    app = make_app(engine)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_screen(pilot, "f6", "UnitsScreen")
        ids = {b.id for bs in screen._bindings.key_to_bindings.values() for b in bs}
        assert {"units.find", "units.add", "units.edit", "units.retire", "units.delete",
                "units.import"} <= ids
        await press(pilot, "question_mark")
        rows = {row.description: row.keys for row in app.screen.rows}
        for desc in ("查找", "新增", "修改", "停用/恢复", "删除", "导入名录", "下一条"):
            assert desc in rows, desc


@async_test
async def test_a_keymap_file_rebinds_the_units_keys(engine):
    from hotline_tui import config

    add_units(engine)
    path = config.keymap_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[keymap]\n"units.add" = "a"\n"screen.units" = "f9"\n', encoding="utf-8")
    app = make_app(engine)
    async with app.run_test(size=(120, 36)) as pilot:
        await open_screen(pilot, "f9", "UnitsScreen")
        await press(pilot, "n")  # no longer the add key
        assert type(app.screen).__name__ == "UnitsScreen"
        await press(pilot, "a")
        assert type(app.screen).__name__ == "UnitForm"
