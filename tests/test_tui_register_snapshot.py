"""A snapshot of the register screen (fixed clock and data; regenerate with
`pytest tests/test_tui_register_snapshot.py --snapshot-update` and check the SVG by eye: the
SVG squeezes Chinese glyphs, the text grid is what counts)."""

from __future__ import annotations

import pytest
from register_tui_support import NOW, ready, register_app, register_scene

from hotline_tui.services import clock

SIZE = (120, 32)


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def test_register_screen(engine, snap_compare):
    register_scene(engine)
    app = register_app(engine)

    async def run_before(pilot):  # noqa: ANN001, ANN202
        await ready(pilot)
        await pilot.press("j", "space")  # W2 marked, the cursor on W3
        await ready(pilot)

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
