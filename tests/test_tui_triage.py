"""The triage screen through App.run_test(): 20 orders in at most 4 keys each, a unit by its
initials, assisting units, type, urgent, the repeat hint, a stale order, a rebound key."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select
from triage_helpers import events, order
from triage_tui_support import (
    KINDS,
    TIER_KEY,
    TIERS,
    Keys,
    add_new_orders,
    expected_unit,
    make_app,
    open_triage,
    seed_history,
)
from tui_support import async_test, screen_text, settle

from hotline_tui import config
from hotline_tui.services.triage import count_new_orders
from hotline_tui.services.units import resolve_unit
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder


def _unit_id(engine, short: str) -> int:  # noqa: ANN001
    return resolve_unit(engine, short).id


@async_test
async def test_twenty_orders_in_two_keys_each(engine):
    seed_history(engine)
    nos = add_new_orders(engine, 20)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        press = Keys(pilot)
        seen = []
        for i in range(20):
            item = screen.item
            assert item is not None and item.order_no == nos[i]  # oldest first
            assert screen.position == 1 and screen.total == 20 - i
            assert f"第 1 / {20 - i} 条" in screen_text(app)
            # the suggestion is pre-selected, with its reason on screen
            assert screen.walk_form.unit.short_name == expected_unit(i)
            assert "以往" in screen.walk_form.reason
            seen.append(item.order_no)
            await press(TIER_KEY[TIERS[i % 4]], "enter")
        assert press.count == 40 and press.count <= 4 * 20
        assert screen.item is None and "全部处理" in screen_text(app)
    assert seen == nos
    assert count_new_orders(engine) == 0
    with session(engine) as s:
        rows = {o.order_no: o for o in s.exec(select(WorkOrder).where(
            WorkOrder.order_no.in_(nos)))}
    for i, no in enumerate(nos):
        o = rows[no]
        assert o.status == "triaged"
        assert o.unit_id == _unit_id(engine, expected_unit(i)), no
        assert o.tier_days == TIERS[i % 4], no
        assert [e for e, _c, _n in events(engine, no)] == ["create", "triage"]


@async_test
async def test_unit_by_initials_when_nothing_is_suggested(engine):
    from triage_helpers import add_order, add_units

    add_units(engine)
    add_order(engine, "X001", title="桥下有人摆摊", content="桥下有人摆摊占道", area="",
              category="")
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        assert screen.walk_form.unit is None
        press = Keys(pilot)
        await press("enter")  # no unit yet: refused with a sentence, nothing written
        assert order(engine, "X001").status == "new"
        await press("u")
        assert screen.query_one("#unit-picker-input").has_focus
        await press("h", "l", "h")
        picker = screen.panel.picker
        assert picker.units[0].name == "黑龙河乡"
        assert "黑龙河乡" in screen_text(app)
        await press("enter")
        assert screen.walk_form.unit.name == "黑龙河乡"
        assert screen.query_one("#order-text").has_focus
        await press("5", "enter")
    o = order(engine, "X001")
    assert (o.status, o.tier_days) == ("triaged", 5)
    assert o.unit_id == resolve_unit(engine, "黑龙河乡").id


@async_test
async def test_typing_fast_then_enter_picks_the_unit_for_the_text_typed(engine):
    from triage_helpers import add_order, add_units

    add_units(engine)
    add_order(engine, "X002", area="", category="", title="无", content="无")
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("u", "h", "s", "z", "enter")  # no pause between the keys
        await settle(pilot)
        assert screen.walk_form.unit.name == "黑山镇"


@async_test
async def test_assisting_unit_type_and_urgent(engine):
    seed_history(engine)
    add_new_orders(engine, 2)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        press = Keys(pilot)
        assert screen.walk_form.request_type == "投诉"  # pre-filled from the import
        await press("a", "g", "d", "g", "s", "enter")  # 供电公司 as assisting unit
        assert [u.short_name for u in screen.walk_form.assists] == ["供电公司"]
        await press("a", "x", "c", "j", "d", "enter")  # 西城街道
        assert [u.name for u in screen.walk_form.assists] == ["国网西山县供电公司", "西城街道"]
        await press("a", "g", "d", "g", "s", "enter")  # picked again: removed
        assert [u.name for u in screen.walk_form.assists] == ["西城街道"]
        await press("t")
        assert app.screen.__class__.__name__ == "PickScreen"
        await press("home", "enter")  # the first type: 咨询
        assert screen.walk_form.request_type == "咨询"
        await press("exclamation_mark")
        assert screen.walk_form.urgent is True
        text = screen_text(app)
        assert "西城街道" in text and "咨询" in text
        await press("3", "enter")
    o = order(engine, "N000")
    assert (o.status, o.request_type, o.urgent, o.tier_days) == ("triaged", "咨询", True, 3)
    assert o.unit_id == resolve_unit(engine, KINDS[0][2]).id
    kind, changes, _note = events(engine, "N000")[-1]
    assert kind == "triage"
    assert changes["assist"] == [[], ["西城街道"]]
    assert changes["request_type"] == ["投诉", "咨询"] and changes["urgent"] == [False, True]


@async_test
async def test_skip_and_back_keep_the_count(engine):
    seed_history(engine)
    nos = add_new_orders(engine, 3)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert screen.item.order_no == nos[1] and "第 2 / 3 条" in screen_text(app)
        await pilot.press("p")
        await settle(pilot)
        assert screen.item.order_no == nos[0] and screen.position == 1


@async_test
async def test_repeat_hint_shows_earlier_orders_of_the_same_phone(engine):
    from datetime import timedelta

    from triage_helpers import add_order, add_units
    from triage_tui_support import T1

    from hotline_tui.services.triage import triage

    add_units(engine)
    add_order(engine, "OLD1", at=T1 - timedelta(days=10), title="噪音扰民",
              content="楼下饭店油烟噪音", area="黑山镇", caller_phone="13912345678")
    add_order(engine, "NEW1", at=T1, title="路面坑洼", content="村口路面坑洼", area="黑山镇",
              caller_phone="13912345678")
    triage(engine, "OLD1", unit="黑山镇", tier_days=3)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        assert screen.item.order_no == "NEW1"
        text = screen_text(app)
        assert "重复件提示" in text and "OLD1" in text and "同一来电号码" in text
        assert "已分拣" in text
        # the caller is masked on this screen
        assert "139****5678" in text and "13912345678" not in text


@async_test
async def test_stale_order_is_shown_again_with_a_message(engine):
    seed_history(engine)
    add_new_orders(engine, 2)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        assert screen.item.order_no == "N000"
        # someone else changes the order meanwhile (another window, a re-import)
        from hotline_tui.services.triage import triage

        triage(engine, "N000", unit="黑山镇", tier_days=5)
        await pilot.press("3", "enter")
        await settle(pilot)
        assert screen.item.order_no == "N000" and screen.item.status == "triaged"
        assert screen.walk_form.unit.name == "黑山镇"  # what is there now
        assert any("别处" in n.message for n in app._notifications)  # noqa: SLF001
    o = order(engine, "N000")
    assert (o.unit_id, o.tier_days) == (resolve_unit(engine, "黑山镇").id, 5)


def _write_keymap(text: str) -> Path:
    path = config.keymap_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@async_test
async def test_a_tier_key_rebound_through_the_keymap(engine):
    seed_history(engine)
    add_new_orders(engine, 2)
    _write_keymap('[keymap]\n"triage.tier_3" = "h"\n')
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        assert "h 3日" in screen_text(app)  # the form shows the key as bound now
        await pilot.press("3")
        await settle(pilot)
        assert screen.walk_form.tier_days is None  # no longer the key
        await pilot.press("h")
        await settle(pilot)
        assert screen.walk_form.tier_days == 3
        await pilot.press("question_mark")
        await pilot.pause()
        rows = {r.description: " / ".join(r.keys) for r in app.screen.rows}
        assert rows["时限 3日"] == "h" and rows["时限 当日"] == "0" and rows["确认"] == "enter"
        for desc in ("主办单位", "诉求类型", "直办", "交办", "选择", "列表/逐条"):
            assert desc in rows, desc
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(pilot)
    assert order(engine, "N000").tier_days == 3


@async_test
async def test_the_next_order_learns_from_the_one_just_triaged(engine):
    """The order after is read ahead while the clerk reads; once the triage is written its
    suggestion is read again, so a second order of a new kind gets the unit just chosen."""
    from datetime import timedelta

    from triage_helpers import add_order, add_units
    from triage_tui_support import T1

    add_units(engine)
    for i in range(2):
        add_order(engine, f"L{i}", at=T1 + timedelta(minutes=i), category="环境/油烟",
                  area="黑山镇", title="饭店油烟扰民", content=f"第{i}次反映饭店油烟扰民")
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        assert screen.walk_form.unit is None
        press = Keys(pilot)
        await press("u", "h", "s", "z", "enter", "3", "enter")
        assert screen.item.order_no == "L1"
        assert screen.walk_form.unit is not None and screen.walk_form.unit.name == "黑山镇"
        assert "以往" in screen.walk_form.reason
        await press("3", "enter")
    assert order(engine, "L1").unit_id == resolve_unit(engine, "黑山镇").id
