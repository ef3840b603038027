"""`hotline migrate-to`: every table copied row for row into a new database (a PostgreSQL
server in the suite's PostgreSQL run, a second SQLite file otherwise), counters moved on,
refusals leave the target untouched."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from sqlalchemy import select

from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.services.migrate_to import _tables, copy_database
from hotline_tui.services.orders import find_order, record
from hotline_tui.store.engine import make_engine, session
from hotline_tui.store.models import Unit, WorkOrder

T0 = datetime(2026, 11, 2, 9, 0, 0)


@pytest.fixture
def target(tmp_path):
    base = os.environ.get("HOTLINE_TEST_PG", "").rstrip("/")
    if base:
        from pg_support import fresh_database

        url, drop = fresh_database(base)
        yield url
        drop()
    else:
        yield str(tmp_path / "moved.db")


def _fill(engine) -> None:
    with session(engine) as s:
        u = Unit(name="城关镇", kind="township", phone="0000-1234")
        s.add(u)
        s.flush()
        for i in range(3):
            o = WorkOrder(order_no=f"M{i}", received_at=T0, title=f"路灯{i}", content="不亮",
                          caller_phone="13800000000", confidential=i == 1)
            record(s, o, Event.CREATE, actor="t")
        s.flush()
        o = find_order(s, "M0")
        record(s, o, Event.TRIAGE, changes={"unit_id": u.id, "tier_days": 3}, actor="t")
        s.commit()


def _dump(engine) -> dict[str, list[tuple]]:
    out = {}
    with engine.connect() as conn:
        for table in _tables():
            pk = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*pk))]
    return out


def test_every_table_copied_row_for_row(engine, target):
    _fill(engine)
    report = copy_database(engine, target)
    moved = make_engine(target)
    try:
        assert _dump(moved) == _dump(engine)
        assert report.tables["work_order"] == 3 and report.tables["order_history"] == 4
        with session(moved) as s:  # the counters moved past the copied ids
            o = WorkOrder(order_no="NEW", received_at=T0, title="新的")
            record(s, o, Event.CREATE, actor="t")
            s.commit()
            assert o.id == 4
    finally:
        moved.dispose()


def test_a_target_with_orders_is_refused_and_left_alone(engine, target):
    _fill(engine)
    copy_database(engine, target)
    with pytest.raises(UserError) as err:
        copy_database(engine, target)
    assert err.value.key == "migrate_to.not_empty"
    moved = make_engine(target)
    try:
        assert _dump(moved)["work_order"] == _dump(engine)["work_order"]
    finally:
        moved.dispose()


def test_cli_copies_and_reports(engine, db_path, target):
    from typer.testing import CliRunner

    from hotline_tui.cli import app

    _fill(engine)
    res = CliRunner().invoke(app, ["migrate-to", target, "--db", str(db_path), "--json"])
    assert res.exit_code == 0, res.output
    assert '"rows"' in res.output
    res = CliRunner().invoke(app, ["migrate-to", target, "--db", str(db_path)])
    assert res.exit_code == 1 and isinstance(res.exception, UserError)
    assert res.exception.key == "migrate_to.not_empty"
