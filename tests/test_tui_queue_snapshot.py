"""A snapshot of the overdue queue screen on a small fixed database (fixed clock; regenerate
with `pytest tests/test_tui_queue_snapshot.py --snapshot-update` and check the SVG by eye:
the SVG squeezes Chinese glyphs, the text grid is what counts)."""

from __future__ import annotations

import pytest
from test_tui_queue_support import NOW, queue_app, queue_scene, ready

from hotline_tui.services import clock

SIZE = (140, 30)


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def test_queue_screen_grouped_by_unit_with_a_mark(engine, snap_compare):
    queue_scene(engine)
    app = queue_app(engine)

    async def run_before(pilot):  # noqa: ANN001, ANN202
        await ready(pilot)
        await pilot.press("b")  # grouped by unit
        await ready(pilot)
        await pilot.press("j", "space")  # Q3 marked, the cursor on Q2
        await ready(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
