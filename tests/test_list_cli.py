"""`hotline list`: newest first, --status by code or label, --json for scripts, bad input."""

import json
from datetime import datetime

from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.domain.states import Event
from hotline_tui.services.orders import find_order, record
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder


def _fill(engine):
    with session(engine) as s:
        for i, title in enumerate(["路灯不亮", "噪音扰民", "污水外溢"]):
            o = WorkOrder(order_no=f"GD{i}", received_at=datetime(2026, 11, 2 + i, 9), title=title)
            record(s, o, Event.CREATE, actor="t")
        s.commit()
        o = find_order(s, "GD0")
        record(s, o, Event.TRIAGE, changes={"tier_days": 3}, actor="t")
        s.commit()


def test_json_newest_first_and_status(engine, db_path):
    _fill(engine)
    r = CliRunner().invoke(app, ["list", "--db", str(db_path), "--json"])
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["total"] == 3
    assert [o["order_no"] for o in data["orders"]] == ["GD2", "GD1", "GD0"]
    assert data["orders"][0]["received_at"] == "2026-11-04T09:00:00"
    for label in ("triaged", "已分拣"):
        r = CliRunner().invoke(app, ["list", "--db", str(db_path), "--json", "--status", label])
        assert [o["order_no"] for o in json.loads(r.stdout)["orders"]] == ["GD0"]


def test_bad_status_is_one_sentence(engine, db_path):
    import sys

    from hotline_tui.cli.common import run_guarded

    argv = sys.argv
    sys.argv = ["hotline", "list", "--db", str(db_path), "--status", "bogus"]
    try:
        assert run_guarded(app) == 1
    finally:
        sys.argv = argv
