"""A snapshot of the supervision screen's candidates view: the escalated order, a repeat
group under its heading with the closed order dimmed (fixed clock and data; regenerate with
`pytest tests/test_tui_supervision_snapshot.py --snapshot-update` and check the SVG by eye:
the SVG squeezes Chinese glyphs, the text grid is what counts)."""

from __future__ import annotations

import pytest
from test_queue_support import NOW
from test_tui_supervision_support import make_app, seed
from tui_support import settle

from hotline_tui.services import clock
from hotline_tui.services.sponsorship import sponsor

SIZE = (120, 32)


@pytest.fixture(autouse=True)
def _frozen_clock_supervision_only(monkeypatch):
    """A fixed clock, and the supervision screen as the only top-level screen, so screens
    added by other modules do not change the picture (their keys would join the footer)."""
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.screens.supervision import TOP_SCREEN

    monkeypatch.setattr(app_module, "discover", lambda: [TOP_SCREEN])
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def test_supervision_candidates(engine, snap_compare):
    seed(engine)
    sponsor(engine, "S1", leader="李明", title="水利局局长")

    async def run_before(pilot):  # noqa: ANN001, ANN202
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        await pilot.press("j", "j", "j")  # the repeat group's heading
        await settle(pilot)

    assert snap_compare(make_app(engine), terminal_size=SIZE, run_before=run_before)
