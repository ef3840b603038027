"""Snapshots of what the clerk sees (fixed clock and data). Regenerate with
`pytest tests/test_tui_snapshots.py --snapshot-update` and check the SVGs by eye; the SVG
squeezes Chinese glyphs, the text grid is what counts."""

from __future__ import annotations

import pytest
from tui_support import NOW, fill, settle

from hotline_tui.services import clock
from hotline_tui.tui.app import HotlineApp

# the pictures are pinned on the default backend (SQLite); the same screens run on
# PostgreSQL in the Pilot tests
pytestmark = pytest.mark.sqlite_only

SIZE = (120, 32)


@pytest.fixture(autouse=True)
def _frozen_clock_inbox_only(monkeypatch):
    """A fixed clock, and the inbox as the only top-level screen, so screens added by
    other modules do not change these pictures (their keys would join the footer)."""
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.screens.inbox import TOP_SCREEN

    monkeypatch.setattr(app_module, "discover", lambda: [TOP_SCREEN])
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def _app(engine) -> HotlineApp:  # noqa: ANN001
    fill(engine, 40)
    return HotlineApp(engine=engine, db_label="demo.db")


def test_inbox(engine, snap_compare):
    async def ready(pilot):  # noqa: ANN001, ANN202
        await settle(pilot)

    assert snap_compare(_app(engine), terminal_size=SIZE, run_before=ready)


def test_inbox_filtered_by_due(engine, snap_compare):
    async def ready(pilot):  # noqa: ANN001, ANN202
        await settle(pilot)
        await pilot.press("slash", "积", "水", "enter", "o", "j")
        await settle(pilot)

    assert snap_compare(_app(engine), terminal_size=SIZE, run_before=ready)


def test_order_detail(engine, snap_compare):
    async def ready(pilot):  # noqa: ANN001, ANN202
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(_app(engine), terminal_size=SIZE, run_before=ready)
