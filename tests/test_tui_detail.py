"""The order view: masked caller with a key to reveal (a confidential order records the
viewing), the platform number for a local order; the detail read service."""

from __future__ import annotations

import pytest
from tui_support import NOW, async_test, fill, order_no, screen_text, settle

from hotline_tui.services import clock
from hotline_tui.services.order_detail import load_order_detail, reveal_caller
from hotline_tui.store.engine import session
from hotline_tui.tui.app import HotlineApp


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def _id(engine, no: str) -> int:  # noqa: ANN001
    from hotline_tui.services.orders import find_order

    with session(engine) as s:
        return find_order(s, no).id


def test_detail_read_and_reveal_records_only_confidential(engine):
    fill(engine, 10)
    d = load_order_detail(engine, _id(engine, order_no(0)))
    assert d.unit_name == "城关镇" and d.content.endswith("联系时请在工作日下午。")
    assert [h.event for h in d.history] == ["create", "triage", "dispatch"]
    assert d.history[1].changes["tier_days"] == [None, 3]
    assert reveal_caller(engine, d.id) == ("李四", "13912345678")
    assert len(load_order_detail(engine, d.id).history) == 3  # not confidential: no record
    secret = _id(engine, order_no(1))
    assert reveal_caller(engine, secret) == ("张1明", "13800000001")
    events = [h.event for h in load_order_detail(engine, secret).history]
    assert events[-1] == "view_confidential"


async def _open(pilot, app, index: int) -> None:  # noqa: ANN001
    ol = app.screen.query_one("#orders")
    await pilot.press("g")
    for _ in range(index):
        await pilot.press("j")
    assert ol.cursor == index
    await pilot.press("enter")
    await settle(pilot)


@async_test
async def test_caller_masked_until_revealed_and_viewing_recorded(engine):
    fill(engine, 10)
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        await _open(pilot, app, 1)  # order 1 is confidential
        shown = screen_text(app)
        assert "13800000001" not in shown and "张1明" not in shown
        assert "保密" in shown
        await pilot.press("v")
        await settle(pilot)
        shown = screen_text(app)
        assert "13800000001" in shown and "张1明" in shown
        assert "查看保密信息" in shown  # the history now shows the viewing
        await pilot.press("v")  # hide again
        assert "13800000001" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        await _open(pilot, app, 0)  # order 0: masked, not confidential
        shown = screen_text(app)
        assert "139****5678" in shown and "李*" in shown and "13912345678" not in shown


@async_test
async def test_platform_number_for_a_local_order(engine):
    fill(engine, 10)
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        await _open(pilot, app, 0)
        assert not app.screen.check_action("platform_no", ())  # a platform order: no key
        await pilot.press("escape")
        await pilot.pause()
        await _open(pilot, app, 2)  # the local order
        assert app.screen.detail.order_no == "L20260615-0009"
        await pilot.press("p")
        await pilot.pause()
        await pilot.press("enter")  # empty: refused with a sentence, prompt stays
        await pilot.pause()
        assert "平台" in screen_text(app) and app.screen.__class__.__name__ == "TextPrompt"
        app.screen.query_one("#prompt-input").value = "XS2026999999"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.detail.order_no == "XS2026999999"
        assert app.screen.detail.history[-1].event == "renumber"
        await pilot.press("escape")
        await settle(pilot)
        ol = app.screen.query_one("#orders")
        assert ol.row_at(2).order_no == "XS2026999999"  # the list reloaded in place
