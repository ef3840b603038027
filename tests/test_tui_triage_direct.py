"""直办 from the triage screen (a knowledge-base answer closes the order, recorded in its
history) and 退单 from the order view (the order goes back to 待分拣)."""

from __future__ import annotations

from triage_helpers import add_order, dispatch, events, order
from triage_tui_support import T1, Keys, add_new_orders, make_app, open_triage, seed_history
from tui_support import async_test, screen_text, settle

from hotline_tui.services.triage import triage
from hotline_tui.services.unit_return import order_returns
from hotline_tui.services.units import resolve_unit


@async_test
async def test_direct_answer_closes_the_order_with_the_answer_in_history(engine):
    seed_history(engine)
    add_order(engine, "K001", at=T1, title="咨询社保卡补办",
              content="市民来电咨询社保卡丢失了怎么补办，需要带什么材料。", area="黑山镇")
    add_new_orders(engine, 1, prefix="Z")  # the next one (received later)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        assert screen.item.order_no == "K001"
        press = Keys(pilot)
        await press("d")
        dialog = app.screen
        assert dialog.__class__.__name__ == "AnswerPickScreen"
        first = dialog.hits[0].answer
        assert first.topic == "社保卡办理"  # suggested from the order's words
        text = screen_text(app)
        assert "[建议]" in text and "社保卡办理" in text
        await press("enter")  # chosen: asks to confirm
        assert dialog.chosen is not None and "回车确认" in screen_text(app)
        assert order(engine, "K001").status == "new"
        await press("enter")  # confirmed
        assert app.screen is screen
        assert press.count == 3
        assert screen.item.order_no == "Z000"  # moved on
        assert "已直办办结" in screen_text(app)
    o = order(engine, "K001")
    assert o.status == "closed" and o.closed_at is not None
    kind, changes, note = events(engine, "K001")[-1]
    assert kind == "direct_answer"
    assert changes["knowledge_answer"][1]["id"] == first.id
    assert first.answer[:20] in note


@async_test
async def test_direct_answer_by_search_and_back_out(engine):
    seed_history(engine)
    add_new_orders(engine, 1)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_triage(pilot)
        await pilot.press("d")
        await settle(pilot)
        dialog = app.screen
        await pilot.press("公", "积", "金")
        await settle(pilot)
        assert dialog.hits[0].answer.topic == "住房公积金提取"
        await pilot.press("enter", "escape")  # chosen, then not confirmed
        await settle(pilot)
        assert dialog.chosen is None and app.screen is dialog
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "TriageScreen"
    assert order(engine, "N000").status == "new"


@async_test
async def test_unit_return_from_the_order_view(engine):
    from hotline_tui.tui.views.order_detail import OrderDetailScreen

    seed_history(engine)
    no = add_order(engine, "R001", at=T1, title="路灯不亮", content="西城街道路灯不亮",
                   area="西城街道", category="城市管理/路灯")
    triage(engine, no, unit="黑山镇", tier_days=3)
    dispatch(engine, no)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        await app.push_screen(OrderDetailScreen(order(engine, no).id))
        await settle(pilot)
        detail = app.screen
        assert "退单" in screen_text(app)  # in the footer: the order is with a unit
        await pilot.press("t")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "ReturnScreen"
        await pilot.press("enter")  # the reason is required
        await settle(pilot)
        assert "必须填写理由" in screen_text(app)
        await pilot.press(*"不属本镇职责", "enter", *"县城管局负责路灯", "enter")
        await settle(pilot)
        assert app.screen is detail and detail.changed
        assert any("回到待分拣" in n.message for n in app._notifications)  # noqa: SLF001
        assert "待分拣" in screen_text(app) and "退单" not in screen_text(app).splitlines()[-1]
        await pilot.press("t")  # no longer with a unit: the key does nothing
        await settle(pilot)
        assert app.screen is detail
    o = order(engine, no)
    assert (o.status, o.unit_id, o.tier_days, o.due_at) == ("new", None, None, None)
    returns = order_returns(engine, no)
    assert [(r.unit_name, r.reason, r.basis) for r in returns] == [
        ("黑山镇", "不属本镇职责", "县城管局负责路灯")]
    assert events(engine, no)[-1][0] == "unit_return"
    assert resolve_unit(engine, "黑山镇").id  # the unit is still there


@async_test
async def test_returned_order_is_triaged_again_from_the_screen(engine):
    seed_history(engine)
    no = add_order(engine, "R002", at=T1, title="路灯不亮", content="西城街道路灯不亮",
                   area="西城街道", category="城市管理/路灯")
    triage(engine, no, unit="黑山镇", tier_days=3)
    dispatch(engine, no)
    from hotline_tui.services.unit_return import return_order

    return_order(engine, no, "不属本镇职责")
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        assert screen.item.order_no == no
        assert screen.walk_form.unit.short_name == "县城管局"  # the wrong choice lost weight
        await pilot.press("3", "enter")
        await settle(pilot)
    assert order(engine, no).unit_id == resolve_unit(engine, "县城管局").id
