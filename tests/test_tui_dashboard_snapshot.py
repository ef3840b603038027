"""A snapshot of the dashboard on the small fixed county of tui_support.fill (fixed clock):
not on the demo generator, whose data change with it. Regenerate with `--snapshot-update`
and check the text grid, not the SVG's squeezed Chinese glyphs."""

from __future__ import annotations

from clock_support import fixed_clock
from register_tui_support import register_app
from tui_support import NOW, fill, settle

_clock = fixed_clock(NOW)


def test_dashboard(engine, snap_compare):  # noqa: ANN001
    fill(engine, 60)

    async def ready(pilot):  # noqa: ANN001, ANN202
        await settle(pilot, 6)

    app = register_app(engine, ("dashboard",))
    assert snap_compare(app, terminal_size=(140, 42), run_before=ready)
