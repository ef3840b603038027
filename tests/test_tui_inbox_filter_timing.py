"""The inbox filter's path from keystroke to painted rows: applied at once after a pause,
bursts coalesced, the list always ends on what the box says, and the in-app timing (and
the opt-in HOTLINE_TRACE file) filled in."""

from __future__ import annotations

import pytest
from tui_support import NOW, async_test, fill, settle

from hotline_tui.services import clock
from hotline_tui.tui.app import HotlineApp


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


@async_test
async def test_keystroke_timing_is_measured_and_traced(engine, tmp_path, monkeypatch):
    trace = tmp_path / "trace.log"
    monkeypatch.setenv("HOTLINE_TRACE", str(trace))
    fill(engine, 60)
    app = HotlineApp(engine=engine, db_label="test.db")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        ol = app.screen.query_one("#orders")
        ol.last_timing = None
        await pilot.press("slash", "h")
        await settle(pilot)
        timing = ol.last_timing
        assert timing is not None and ol.filter.text == "h"
        parts = ("debounce_ms", "to_worker_ms", "query_ms", "to_loop_ms", "to_paint_ms")
        assert all(timing[k] >= 0 for k in parts)
        assert timing["total_ms"] >= max(timing[k] for k in parts)
        assert timing["debounce_ms"] < 25  # a key after a pause is not held back
    lines = trace.read_text(encoding="utf-8").splitlines()
    assert any("inbox.filter" in line and "text='h'" in line and "total_ms=" in line
               for line in lines)


@async_test
async def test_a_burst_ends_on_what_the_box_says(engine):
    fill(engine, 60)
    app = HotlineApp(engine=engine, db_label="test.db")
    async with app.run_test(size=(140, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        ol = screen.query_one("#orders")
        calls = []
        original = ol.set_filter

        def counting(f, **kw):  # noqa: ANN001, ANN003, ANN202
            calls.append(f.text)
            return original(f, **kw)

        ol.set_filter = counting
        box = screen.filter_input
        # four changes faster than the debounce: one query for what the box says when the
        # first change is handled, none for the rest (the same filter)
        for text in ("积", "积水", "积水严", "积水"):
            box.value = text
        await settle(pilot)
        assert calls == ["积水"]
        assert ol.filter.text == "积水" and ol.total and ol.total < 60
        # away and straight back before the first page came: the list shows the box's text
        calls.clear()
        box.value = "小区"
        box.value = "积水"
        await settle(pilot)
        assert ol.filter.text == "积水" and ol.requested.text == "积水"
