"""The register's owners: units with their owners, the drill-in to an owner's orders (enter
opens one), change of owner with a required reason kept in the history, a wrong phone fixed
once for every open order (the confirmation says how many), the owner directory."""

from __future__ import annotations

import json

from clock_support import fixed_clock
from register_tui_support import NOW, ready, register_app, register_scene
from sqlalchemy import select
from tui_support import async_test, screen_text

from hotline_tui.i18n import t
from hotline_tui.services import owners
from hotline_tui.services.owner_targets import order_targets
from hotline_tui.store.models import OrderHistory
from hotline_tui.tui.modals.change_owner import ChangeOwnerScreen
from hotline_tui.tui.modals.phone_edit import PhoneEditScreen
from hotline_tui.tui.screens.register import RegisterScreen
from hotline_tui.tui.views.owner_directory import OwnerDirectoryScreen
from hotline_tui.tui.views.owner_orders import OwnerOrdersScreen

_clock = fixed_clock(NOW)


def _history(engine, order_no: str) -> list:  # noqa: ANN001
    oid = order_targets(engine, [order_no])[0].order_id
    H = OrderHistory.__table__.c
    with engine.connect() as conn:
        return list(conn.execute(select(H.event, H.changes, H.note)
                                 .where(H.order_id == oid).order_by(H.id)))


async def _to_owner(pilot, unit: str, name: str) -> None:  # noqa: ANN001
    """Units list: cursor on `unit`; enter; owners list: cursor on `name`."""
    screen = pilot.app.screen
    screen.units_table.focus()
    while screen.units_table.current.cells["unit"] != unit:
        await pilot.press("j")
    await pilot.press("enter")
    assert screen.focused is screen.owners_table
    while screen.owners_table.current.cells["name"] != name:
        await pilot.press("j")


@async_test
async def test_units_with_their_owners_and_counts(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        units = {ln.cells["unit"]: ln.data for ln in screen.units_table.lines}
        assert set(units) == {"黑龙河", "城关"}
        assert (units["黑龙河"].waiting, units["黑龙河"].waiting_late) == (2, 1)
        # 签收率 with numerator and denominator: 黑龙河 had 5 dispatched in November, 3 signed
        line = next(ln for ln in screen.units_table.lines if ln.cells["unit"] == "黑龙河")
        assert line.cells["sign_rate"] == "60.0% 3/5"
        assert line.cells["on_time_rate"] == "40.0% 2/5"
        await _to_owner(pilot, "黑龙河", "张三")
        owners_shown = {ln.cells["name"]: ln.data for ln in screen.owners_table.lines}
        assert set(owners_shown) == {"张三", "李四"}
        z = owners_shown["张三"]
        assert (z.open, z.overdue, z.signed_late) == (2, 1, 1)
        text = screen_text(app)
        assert "13812345678" in text and t("register.owners_title", unit="黑龙河", n=2) in text
        # another unit: its owners follow the cursor
        await pilot.press("shift+tab")
        await pilot.press("j" if screen.units_table.cursor == 0 else "k")
        await pilot.pause()
        assert {ln.cells["name"] for ln in screen.owners_table.lines} == {"王五"}


@async_test
async def test_drill_into_an_owner_and_open_an_order(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _to_owner(pilot, "黑龙河", "张三")
        await pilot.press("enter")
        await ready(pilot)
        drill = app.screen
        assert isinstance(drill, OwnerOrdersScreen)
        assert [ln.key for ln in drill.table.lines] == ["XS0001", "XS0002"]  # overdue first
        first = drill.table.lines[0]
        assert first.tone == "late"
        assert t("register.flag.overdue") in first.cells["flags"]
        assert t("register.flag.signed_late") in first.cells["flags"]
        head = screen_text(app)
        assert "张三" in head and "13812345678" in head and "办公室主任" in head
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.__class__.__name__ == "OrderDetailScreen"
        assert "XS0001" in screen_text(app)
        await pilot.press("escape")
        await ready(pilot)
        assert app.screen is drill
        await pilot.press("escape")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)


@async_test
async def test_change_of_owner_needs_a_reason_and_keeps_history(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _to_owner(pilot, "黑龙河", "张三")
        await pilot.press("enter")
        await ready(pilot)
        drill = app.screen
        await pilot.press("j")  # XS0002
        assert drill.table.current.key == "XS0002"
        await pilot.press("c")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, ChangeOwnerScreen)
        # the current owner is not offered: 李四 is the first suggestion
        assert [s.name for s in form.query_one("#owner-field").suggestions] == ["李四"]
        await pilot.press("enter")  # take 李四; the cursor goes to the reason
        await ready(pilot, 2)
        assert form.focused.id == "change-reason"
        await pilot.press("enter")  # no reason: refused
        await ready(pilot)
        assert app.screen is form
        assert form.error == t("owners.error.reason_required")
        assert owners.owner_of(engine, "XS0002").name == "张三"
        await pilot.press("调", "岗", "enter")
        await ready(pilot)
        assert app.screen is drill
        assert owners.owner_of(engine, "XS0002").name == "李四"
        assert [ln.key for ln in drill.table.lines] == ["XS0001"]
        last = _history(engine, "XS0002")[-1]
        assert last.event == "change_owner"
        assert last.note == "调岗"
        changes = json.loads(last.changes)
        assert changes["owner_name"] == ["张三", "李四"]
        await pilot.press("escape")
        await ready(pilot)
        names = {ln.cells["name"]: ln.data.open for ln in app.screen.owners_table.lines}
        assert names == {"张三": 1, "李四": 2}


@async_test
async def test_change_of_owner_by_order_number_from_the_register(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "W1"  # not signed for: no owner
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("c")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "XS0004"
        await pilot.press("enter")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, ChangeOwnerScreen)
        await pilot.press("钱", "七", "enter")  # a new person: on to the phone
        await ready(pilot, 2)
        await pilot.press(*"13655556666", "enter", "enter")
        await pilot.press("换", "人", "enter")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
        new = owners.owner_of(engine, "XS0004")
        assert (new.name, new.phone) == ("钱七", "13655556666")
        assert _history(engine, "XS0004")[-1].note == "换人"


@async_test
async def test_phone_fixed_once_for_all_open_orders(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _to_owner(pilot, "黑龙河", "张三")
        await pilot.press("e")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, PhoneEditScreen)
        form.query_one("#phone-new").value = ""
        await pilot.press(*"1381234567", "enter")  # ten digits: refused
        await ready(pilot)
        assert form.error == t("owners.error.bad_phone", phone="1381234567")
        await pilot.press("9", "enter")
        await ready(pilot)
        assert form.confirm_text == t("phone_edit.confirm", name="张三", old="13812345678",
                                      new="13812345679", n=2)
        assert owners.owner_of(engine, "XS0001").phone == "13812345678"  # not yet
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
        for no in ("XS0001", "XS0002"):
            assert owners.owner_of(engine, no).phone == "13812345679"
            last = _history(engine, no)[-1]
            assert json.loads(last.changes)["owner_phone"] == ["13812345678", "13812345679"]
        shown = {ln.cells["name"]: ln.cells["phone"] for ln in app.screen.owners_table.lines}
        assert shown["张三"] == "13812345679"


@async_test
async def test_owner_directory_find_and_fix_phone(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("p")
        await ready(pilot)
        directory = app.screen
        assert isinstance(directory, OwnerDirectoryScreen)
        assert {ln.cells["name"] for ln in directory.table.lines} == {"张三", "李四", "王五"}
        await pilot.press("slash", "w", "w")  # pinyin initials of 王五
        await ready(pilot)
        assert [ln.cells["name"] for ln in directory.table.lines] == ["王五"]
        await pilot.press("enter")  # back to the list
        await pilot.press("e")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, PhoneEditScreen)
        form.query_one("#phone-new").value = "0371-12345678"
        await pilot.press("enter", "enter")
        await ready(pilot)
        assert app.screen is directory
        assert owners.owner_of(engine, "XS0004").phone == "0371-12345678"
        assert directory.table.lines[0].cells["phone"] == "0371-12345678"
        await pilot.press("escape")  # clears the search
        await ready(pilot)
        assert len(directory.table.lines) == 3
        await pilot.press("escape")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
