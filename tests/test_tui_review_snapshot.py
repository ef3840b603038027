"""A snapshot of the reply review screen (fixed clock and data; regenerate with
`pytest tests/test_tui_review_snapshot.py --snapshot-update` and check the SVG by eye: the
SVG squeezes Chinese glyphs, the text grid is what counts)."""

from __future__ import annotations

import pytest
from review_tui_support import NOW, goto, ready, review_app, review_scene

from hotline_tui.services import clock

SIZE = (120, 32)


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def test_review_screen(engine, snap_compare):
    review_scene(engine)
    app = review_app(engine)

    async def run_before(pilot):  # noqa: ANN001, ANN202
        await ready(pilot)
        await goto(pilot, "XS0002")  # boilerplate, a copy of XS0003's: reasons highlighted

    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
