"""A database made by each earlier schema revision (tests/fixtures/schemas/schema_000N.db,
made by tests/fixtures/make_schema_fixtures.py) opens, migrates to the newest schema and
keeps every row of every table, value for value."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from hotline_tui.store.engine import DatabaseError, open_database
from hotline_tui.store.migrate import file_heads

pytestmark = pytest.mark.sqlite_only
SCHEMAS = Path(__file__).parent / "fixtures" / "schemas"
FIXTURES = sorted(SCHEMAS.glob("schema_*.db"))


def _rows(path: Path) -> dict[str, dict[object, dict[str, object]]]:
    """table -> rowid (or key) -> {column: value}; virtual tables and their shadows out."""
    con = sqlite3.connect(path)
    con.row_factory = sqlite3.Row
    try:
        virtual = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")]
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND sql NOT LIKE 'CREATE VIRTUAL%'")]
        out = {}
        for n in names:
            if n == "alembic_version" or any(n.startswith(v + "_") for v in virtual):
                continue
            try:
                rows = con.execute(f'SELECT rowid AS _key, * FROM "{n}"').fetchall()
                out[n] = {r["_key"]: {k: r[k] for k in r.keys() if k != "_key"} for r in rows}
            except sqlite3.OperationalError:  # WITHOUT ROWID: the whole row is the key
                rows = con.execute(f'SELECT * FROM "{n}"').fetchall()
                out[n] = {tuple(r): dict(r) for r in rows}
        return out
    finally:
        con.close()


def test_there_is_a_fixture_for_every_earlier_revision():
    assert [p.stem for p in FIXTURES] == [f"schema_000{i}" for i in range(1, 9)]
    for p in FIXTURES:
        assert p.stat().st_size < 200_000
        con = sqlite3.connect(p)
        try:
            assert con.execute("SELECT version_num FROM alembic_version").fetchall() == [
                (p.stem.split("_")[1],)]
        finally:
            con.close()


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_each_earlier_schema_opens_and_keeps_every_row(fixture, tmp_path):
    db = tmp_path / fixture.name
    shutil.copyfile(fixture, db)
    before = _rows(db)
    assert sum(len(t) for t in before.values()) >= 10
    engine = open_database(db)
    try:
        after = _rows(db)
        con = sqlite3.connect(db)
        try:
            assert {r[0] for r in con.execute("SELECT version_num FROM alembic_version")} == \
                file_heads()
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert con.execute("PRAGMA foreign_key_check").fetchall() == []
            from hotline_tui.store.search import status_token

            statuses = [r[0] for r in con.execute("SELECT DISTINCT status FROM work_order")]
            n_search = sum(con.execute(
                "SELECT count(*) FROM order_search WHERE order_search MATCH ?",
                (f'st : "{status_token(st)}"',)).fetchone()[0] for st in statuses)
        finally:
            con.close()
        lost = []
        for table, rows in before.items():
            assert table in after, f"table {table} is gone"
            for key, row in rows.items():
                now = after[table].get(key)
                if now is None or any(now[c] != v for c, v in row.items()):
                    lost.append((table, key, row, now))
        assert lost == []
        assert n_search == len(after["work_order"])  # every order findable
        # the upgraded file works: an order through the services, its history appended
        from triage_helpers import add_order, events

        add_order(engine, "AFTER-UPGRADE")
        assert [e for e, _c, _n in events(engine, "XS20261102002")][-1] == "dispatch"
        assert [e for e, _c, _n in events(engine, "AFTER-UPGRADE")] == ["create"]
    finally:
        engine.dispose()


def _with_versions(tmp_path: Path, versions: list[str]) -> Path:
    db = tmp_path / "dev.db"
    shutil.copyfile(SCHEMAS / "schema_0004.db", db)
    con = sqlite3.connect(db)
    con.execute("DELETE FROM alembic_version")
    con.executemany("INSERT INTO alembic_version VALUES (?)", [(v,) for v in versions])
    con.commit()
    con.close()
    return db


def test_old_branch_layout_with_several_version_rows_opens(tmp_path):
    """A development database from the layout where every migration sat on 0001."""
    db = _with_versions(tmp_path, ["0002", "0003", "0004"])
    before = _rows(db)
    open_database(db).dispose()
    con = sqlite3.connect(db)
    try:
        assert {r[0] for r in con.execute("SELECT version_num FROM alembic_version")} == \
            file_heads()
    finally:
        con.close()
    after = _rows(db)
    assert all(after[t].keys() >= rows.keys() for t, rows in before.items())


def test_several_version_rows_with_a_gap_are_refused_with_a_sentence(tmp_path):
    db = _with_versions(tmp_path, ["0002", "0004"])  # 0003 never ran on this file
    with pytest.raises(DatabaseError, match="cannot be combined"):
        open_database(db)
