"""The register's first open: the app's warm-up snapshot is painted at once and read again
behind it (so a change made meanwhile shows a moment later); without one, the first waiting
rows come first and the snapshot after, from one worker."""

from __future__ import annotations

import pytest
from register_tui_support import NOW, ready, register_app, register_scene, waiting_keys
from tui_support import async_test

from hotline_tui.services import clock, owners
from hotline_tui.tui.screens import register as reg


@pytest.fixture(autouse=True)
def _clock():
    clock.set_fixed(NOW)
    reg._warm_snapshot = None
    yield
    reg._warm_snapshot = None
    clock.set_fixed(None)


@async_test
async def test_warm_snapshot_painted_at_once_then_read_again(engine, monkeypatch):
    register_scene(engine)
    reg._warm(engine)  # what the app's warm-up does a moment after start
    owners.sign(engine, "W1", name="张三", phone="13812345678")  # a change after the warm-up
    painted = []
    original = reg.RegisterScreen._loaded

    def loaded(self, result, *, warm=False):  # noqa: ANN001, ANN202
        original(self, result, warm=warm)
        painted.append((warm, waiting_keys(self.app)))

    monkeypatch.setattr(reg.RegisterScreen, "_loaded", loaded)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        assert painted[0][0] is True and "W1" in painted[0][1]  # the warm one, at once
        assert painted[-1][0] is False and "W1" not in painted[-1][1]  # then the fresh read
        assert app.screen.from_warm is False and app.screen.load_ms > 0
        assert "W1" not in waiting_keys(app)


@async_test
async def test_without_warm_up_first_rows_then_snapshot(engine, monkeypatch):
    register_scene(engine)
    seen = []
    first_rows = reg.RegisterScreen._first_rows
    original = reg.RegisterScreen._loaded

    def loaded(self, result, *, warm=False):  # noqa: ANN001, ANN202
        seen.append("snapshot")
        original(self, result, warm=warm)

    monkeypatch.setattr(reg.RegisterScreen, "_loaded", loaded)
    app = register_app(engine)
    async with app.run_test(size=(160, 45)) as pilot:
        await ready(pilot)
        screen = app.screen
        assert seen == ["snapshot"] and screen.from_warm is False
        assert waiting_keys(app)[:2] == ["W1", "W2"]
        assert 0 < screen.first_rows_at <= screen.loaded_at
    assert first_rows is reg.RegisterScreen._first_rows


def test_an_old_or_foreign_warm_snapshot_is_not_used(engine):
    reg._warm_snapshot = (engine, 0.0, object())  # read long ago
    assert reg.take_warm_snapshot(engine) is None
    reg._warm_snapshot = (object(), 1e18, object())  # another database
    assert reg.take_warm_snapshot(engine) is None
