"""Files from the register screen: the roster exported through the path prompt and opened
again with openpyxl; a returned dispatch sheet, filled in like a unit would (with mistakes),
imported through the prompt, its result listing signed, unchanged and rejected rows."""

from __future__ import annotations

from pathlib import Path

from clock_support import fixed_clock
from openpyxl import Workbook, load_workbook
from register_tui_support import NOW, ready, register_app, register_scene, waiting_keys
from tui_support import async_test, screen_text

from hotline_tui.i18n import t
from hotline_tui.services import owners
from hotline_tui.tui.modals.prompt import PathPrompt
from hotline_tui.tui.modals.returned_sheets import ReturnedSheetScreen
from hotline_tui.tui.screens.register import RegisterScreen

_clock = fixed_clock(NOW)


async def _answer(pilot, path: Path) -> None:  # noqa: ANN001
    prompt = pilot.app.screen
    assert isinstance(prompt, PathPrompt)
    prompt.query_one("#prompt-input").value = str(path)
    await pilot.press("enter")
    await ready(pilot)


@async_test
async def test_roster_export_opens_in_openpyxl(engine, tmp_path):
    register_scene(engine)
    out = tmp_path / "名册"
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("x")
        await pilot.pause()
        await _answer(pilot, out)
        assert isinstance(app.screen, RegisterScreen)
    written = out.with_name("名册.xlsx")
    assert written.is_file()
    ws = load_workbook(written, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:1] == (t("owners.col.unit"),)
    heads = list(rows[0])
    body = {r[heads.index(t("owners.col.owner"))]: r for r in rows[1:]}
    assert set(body) == {"张三", "李四", "王五"}
    z = body["张三"]
    assert z[heads.index(t("owners.col.phone"))] == "13812345678"
    assert z[heads.index(t("owners.col.open"))] == 2
    assert z[heads.index(t("owners.col.overdue"))] == 1
    assert z[heads.index(t("owners.col.unit"))] == "黑龙河乡"


def _returned_sheet(path: Path) -> Path:
    """A unit's filled-in sheet: W1 signed properly, W3 with a phone one digit short, an
    order number that does not exist, XS0002 copied again as already recorded."""
    wb = Workbook()
    ws = wb.active
    ws.append(["西山县12345交办单回执"])
    ws.append(["工单编号", "首接负责人", "负责人电话", "签收时间"])
    ws.append(["W1", "赵六", "13511112222", "2026-11-30 08:00"])
    ws.append(["W3", "孙八", "1351111222", "2026-11-30 09:00"])
    ws.append(["XS9999", "周九", "13533334444", "2026-11-30 09:00"])
    ws.append(["XS0002", "张三", "13812345678", "2026-11-27 10:00"])
    wb.save(path)
    return path


@async_test
async def test_returned_sheet_import_through_the_prompt(engine, tmp_path):
    register_scene(engine)
    sheet = _returned_sheet(tmp_path / "回执.xlsx")
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        await _answer(pilot, sheet)
        result_screen = app.screen
        assert isinstance(result_screen, ReturnedSheetScreen)
        r = result_screen.result
        assert [x.order_no for x in r.signed] == ["W1"]
        assert [o for _s, _row, o in r.unchanged] == ["XS0002"]
        reasons = {x.order_no: x.reason for x in r.rejected}
        assert reasons == {"W3": "bad_phone", "XS9999": "unknown_order"}
        text = screen_text(app)
        assert t("sheets.summary", signed=1, late=1, unchanged=1, rejected=2, created=1) in text
        bad = next(x for x in r.rejected if x.order_no == "W3")
        assert bad.message() in text and str(bad.row) in text
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert waiting_keys(app) == ["W2", "W3", "W4"]  # read again after the import
    assert owners.owner_of(engine, "W1").name == "赵六"
    assert owners.owner_of(engine, "W3") is None


@async_test
async def test_import_of_a_file_that_is_not_there_stays_in_the_prompt(engine, tmp_path):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await pilot.pause()
        prompt = app.screen
        await _answer(pilot, tmp_path / "nope.xlsx")
        assert app.screen is prompt
        assert t("prompt.no_file", path=tmp_path / "nope.xlsx") in screen_text(app)
