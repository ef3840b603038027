"""The demo generator writes the triage suggestion statistics from its own choices: they must
be exactly what services.triage.rebuild_triage_stats computes from the orders afterwards."""

from __future__ import annotations

from datetime import datetime

import pytest

from hotline_tui.services import demo
from hotline_tui.services.triage import rebuild_triage_stats
from hotline_tui.store.engine import make_engine

NOW = datetime(2026, 5, 20, 10, 30)


def _stats(engine) -> dict[tuple[str, str, int], int]:
    with engine.connect() as conn:
        return {(f, a, u): n for f, a, u, n in conn.exec_driver_sql(
            "SELECT feature, area, unit_id, n FROM triage_stat")}


@pytest.mark.parametrize("use_core", [False, True])
def test_demo_stats_are_what_the_rebuild_computes(tmp_path, monkeypatch, use_core):
    monkeypatch.setattr(demo, "CHUNK", 700)  # several chunks, added up
    path = tmp_path / "d.db"
    demo.generate(path, 2500, seed=9, now=NOW, workers=0, use_core=use_core)
    eng = make_engine(path)
    try:
        written = _stats(eng)
        counted = rebuild_triage_stats(eng)
        rebuilt = _stats(eng)
        with eng.connect() as conn:
            with_unit = conn.exec_driver_sql(
                "SELECT count(*) FROM work_order WHERE unit_id IS NOT NULL").scalar()
    finally:
        eng.dispose()
    assert counted == with_unit > 0
    assert any(f.startswith("w:") for f, _, _ in rebuilt)
    assert any(f.startswith("c:") and a for f, a, _ in rebuilt)
    assert written == rebuilt


def test_demo_stats_with_a_helper_process(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 400)
    path = tmp_path / "h.db"
    demo.generate(path, 1000, seed=4, now=NOW, workers=1)
    eng = make_engine(path)
    try:
        written = _stats(eng)
        rebuild_triage_stats(eng)
        assert written == _stats(eng) != {}
    finally:
        eng.dispose()

