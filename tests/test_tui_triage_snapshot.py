"""Snapshot of the triage screen (fixed clock and data). Regenerate with
`pytest tests/test_tui_triage_snapshot.py --snapshot-update` and check the SVG by eye; the
SVG squeezes Chinese glyphs, the text grid is what counts."""

from __future__ import annotations

import pytest
from triage_tui_support import add_new_orders, make_app, open_triage, seed_history
from tui_support import NOW, settle

from hotline_tui.services import clock
from hotline_tui.services.settings import set_setting
from hotline_tui.store.engine import session

SIZE = (140, 36)


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def test_triage_screen(engine, snap_compare, monkeypatch):
    # only the inbox and this screen in the footer: other screens come and go
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.registry import discover

    mine = [s for s in discover() if s.id in ("inbox", "triage")]
    monkeypatch.setattr(app_module, "discover", lambda: mine)
    seed_history(engine)
    add_new_orders(engine, 6)
    with session(engine) as s:
        set_setting(s, "clerk_name", "王芳")
        s.commit()

    async def ready(pilot):  # noqa: ANN001, ANN202
        await open_triage(pilot)
        await pilot.press("n", "a", "g", "d", "g", "s", "enter", "5")
        await settle(pilot)

    assert snap_compare(make_app(engine), terminal_size=SIZE, run_before=ready)
