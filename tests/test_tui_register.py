"""The register screen's sign-for: a regular owner in two or three keys once the form is
open, a bad phone refused in the form with nothing written, bulk sign-for of marked orders
of one unit, the waiting list longest-waiting first with the orders past the limit marked,
sign-for from the order detail, keys listed by `?` and rebindable by id."""

from __future__ import annotations

from clock_support import fixed_clock
from register_tui_support import NOW, ready, register_app, register_scene, waiting_keys
from textual.binding import Binding
from tui_support import async_test, screen_text

from hotline_tui import config
from hotline_tui.i18n import t
from hotline_tui.services import owners
from hotline_tui.services.owner_targets import order_targets
from hotline_tui.tui.modals.sign_for import SignForScreen
from hotline_tui.tui.screens.register import RegisterScreen

_clock = fixed_clock(NOW)


def _status(engine, no: str) -> str:  # noqa: ANN001
    return order_targets(engine, [no])[0].status


async def _goto(pilot, key: str) -> None:  # noqa: ANN001
    """Put the waiting list's cursor on order `key`."""
    table = pilot.app.screen.waiting_table
    table.focus()
    while table.current.key != key:
        await pilot.press("j")


@async_test
async def test_waiting_list_longest_first_and_past_limit_marked(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        # longest waiting first: W1 (11-20), W2 (11-24), then today's
        assert waiting_keys(app) == ["W1", "W2", "W3", "W4"]
        tones = {ln.key: ln.tone for ln in screen.waiting_table.lines}
        assert tones == {"W1": "late", "W2": "late", "W3": "", "W4": ""}
        text = screen_text(app)
        rows = {line.split()[0]: line for line in text.splitlines()
                if line.strip().startswith("W")}
        assert rows["W1"].rstrip().endswith(t("register.past_limit"))
        assert not rows["W3"].rstrip().endswith(t("register.past_limit"))
        assert t("register.waited_dh", d=10, h=1) in rows["W1"]  # 11-20 09:00 -> 11-30 10:00
        assert t("register.waiting_title", total="4", late="2", days=1) in text
        # the red of a past-limit row: its rendered line carries the late style
        table = screen.waiting_table
        late = table.get_component_rich_style("line-table--late", partial=True)
        strip = table.render_line(2)  # W2 (the cursor is on W1)
        assert any(seg.style and seg.style.color == late.color for seg in strip)


@async_test
async def test_sign_for_most_recent_owner_in_two_keys(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _goto(pilot, "W1")
        await pilot.press("s")
        await ready(pilot)
        assert isinstance(app.screen, SignForScreen)
        keys = ["enter", "enter"]  # take 李四 (the unit's most recent), sign
        await pilot.press(*keys)
        await ready(pilot)
        assert len(keys) <= 3
        assert isinstance(app.screen, RegisterScreen)
        owner = owners.owner_of(engine, "W1")
        assert (owner.name, owner.phone, owner.post) == ("李四", "13900001111", "综治专干")
        assert _status(engine, "W1") == "signed"
        assert "W1" not in waiting_keys(app)  # the list was read again


@async_test
async def test_sign_for_by_initials_in_three_keys(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _goto(pilot, "W3")
        await pilot.press("s")
        await ready(pilot)
        keys = ["z", "enter", "enter"]  # zhang san by his initial, take, sign
        for k in keys:
            await pilot.press(k)
            await ready(pilot, 2)
        assert len(keys) <= 3
        assert isinstance(app.screen, RegisterScreen)
        owner = owners.owner_of(engine, "W3")
        assert (owner.name, owner.phone) == ("张三", "13812345678")
        signed = order_targets(engine, ["W3"])[0].signed_at
        assert signed == NOW  # the default time: now


@async_test
async def test_bad_phone_refused_in_the_form_nothing_written(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _goto(pilot, "W2")
        await pilot.press("s")
        await ready(pilot)
        form = app.screen
        await pilot.press("赵", "六")
        await ready(pilot, 2)
        await pilot.press("enter")  # no such owner yet: on to the phone
        await ready(pilot, 2)
        assert form.focused.id == "owner-phone"
        await pilot.press("1", "2", "3", "4", "5", "ctrl+s")
        await ready(pilot)
        assert app.screen is form  # still open, what was typed kept
        assert form.error == t("owners.error.bad_phone", phone="12345")
        assert form.value("owner-name") == "赵六"
        assert _status(engine, "W2") == "dispatched"
        assert owners.owner_suggestions(engine, order_targets(engine, ["W2"])[0].unit_id,
                                        "赵") == []
        # a bad time is refused the same way
        form.query_one("#owner-phone").value = "13811112222"
        form.query_one("#sign-at").value = "明天上午"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert form.error == t("owners.error.bad_time", value="明天上午")
        assert _status(engine, "W2") == "dispatched"
        await pilot.press("escape")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
        assert _status(engine, "W2") == "dispatched"


@async_test
async def test_bulk_sign_for_marked_orders_of_one_unit(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        await _goto(pilot, "W1")
        await pilot.press("space")  # W1 marked, cursor on W2 (城关)
        assert screen.waiting_table.current.key == "W2"
        await pilot.press("space")  # refused: another unit
        await ready(pilot, 2)
        assert set(screen.waiting_table.marked) == {"W1"}
        await _goto(pilot, "W3")
        await pilot.press("space")
        assert set(screen.waiting_table.marked) == {"W1", "W3"}
        assert t("register.marked", n=2) in screen_text(app)
        await pilot.press("s")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, SignForScreen)
        assert form.order_nos == ["W1", "W3"]
        await pilot.press("enter", "enter")
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
        for no in ("W1", "W3"):
            assert owners.owner_of(engine, no).name == "李四"
        assert _status(engine, "W2") == "dispatched"
        assert waiting_keys(app) == ["W2", "W4"]
        assert not screen.waiting_table.marked


@async_test
async def test_mark_all_of_a_unit_then_sign(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _goto(pilot, "W2")
        await pilot.press("a")
        assert set(app.screen.waiting_table.marked) == {"W2", "W4"}
        await pilot.press("s")
        await ready(pilot)
        await pilot.press("enter", "enter")  # 王五, the unit's only owner
        await ready(pilot)
        assert owners.owner_of(engine, "W4").name == "王五"
        assert waiting_keys(app) == ["W1", "W3"]


@async_test
async def test_sign_for_from_the_order_detail(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await _goto(pilot, "W4")
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen.__class__.__name__ == "OrderDetailScreen"
        await pilot.press("s")
        await ready(pilot)
        assert isinstance(app.screen, SignForScreen)
        await pilot.press("enter", "enter")
        await ready(pilot)
        assert app.screen.__class__.__name__ == "OrderDetailScreen"
        assert owners.owner_of(engine, "W4").name == "王五"
        await pilot.press("s")  # signed now: the key is gone
        await ready(pilot)
        assert app.screen.__class__.__name__ == "OrderDetailScreen"
        await pilot.press("escape")
        await ready(pilot)
        assert waiting_keys(app) == ["W1", "W2", "W3"]


@async_test
async def test_keys_listed_and_rebindable(engine):
    register_scene(engine)
    path = config.keymap_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('[keymap]\n"register.sign" = "ctrl+g"\n', encoding="utf-8")
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {row.binding_id: row.keys for row in app.screen.rows}
        for ident in ("register.sign", "register.mark", "register.change_owner",
                      "register.edit_phone", "register.export", "register.import",
                      "register.month", "register.directory"):
            assert ident in rows, ident
        assert rows["register.sign"] == [app.get_key_display(Binding("ctrl+g", "x"))]
        await pilot.press("escape")
        await pilot.press("s")  # no longer the key
        await ready(pilot)
        assert isinstance(app.screen, RegisterScreen)
        await pilot.press("ctrl+g")
        await ready(pilot)
        assert isinstance(app.screen, SignForScreen)


@async_test
async def test_month_key_changes_the_rates_period(engine):
    register_scene(engine)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert screen.snapshot.period == "2026-11"
        nov = {ln.key: ln.cells["sign_rate"] for ln in screen.units_table.lines}
        assert set(nov.values()) != {"-"}
        await pilot.press("left_square_bracket")
        await ready(pilot)
        assert screen.snapshot.period == "2026-10"
        assert {ln.cells["sign_rate"] for ln in screen.units_table.lines} == {"-"}
        await pilot.press("m")
        await pilot.pause()
        app.screen.query_one("#prompt-input").value = "2026年13月"
        await pilot.press("enter")
        await pilot.pause()
        assert t("owners.error.bad_month", month="2026年13月") in screen_text(app)
        app.screen.query_one("#prompt-input").value = "2026-11"
        await pilot.press("enter")
        await ready(pilot)
        assert screen.snapshot.period == "2026-11"
        assert {ln.key: ln.cells["sign_rate"] for ln in screen.units_table.lines} == nov
        assert t("register.month_label", y="2026", m="11") in screen_text(app)


@async_test
async def test_focus_comes_back_to_the_list_after_other_screens(engine):
    register_scene(engine)
    app = register_app(engine, screens=("inbox", "register"))
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        await pilot.press("f4")
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen)
        assert screen.focused is screen.waiting_table
        await pilot.press("p")  # the directory covers the register
        await ready(pilot)
        await pilot.press("escape")
        await ready(pilot)
        assert screen.focused is screen.waiting_table
        await pilot.press("tab")
        assert screen.focused is screen.units_table
        await pilot.press("f2")
        await ready(pilot)
        await pilot.press("f4")
        await ready(pilot)
        assert screen.focused is screen.units_table
        await pilot.press("shift+tab")
        await pilot.press("space")  # marking works again: the waiting list has the keys
        assert len(screen.waiting_table.marked) == 1
