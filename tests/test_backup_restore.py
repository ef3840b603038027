"""Backups through SQLite's online backup API (while the app writes), daily on the first
start of a working day, rotating; restore checks the file first, keeps the current database
aside, and brings back every table row by row."""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from triage_helpers import add_order, add_units

from hotline_tui.errors import UserError
from hotline_tui.services import backup as bk
from hotline_tui.services import clock, triage
from hotline_tui.services.settings import set_setting
from hotline_tui.store.engine import open_database, session

pytestmark = pytest.mark.sqlite_only
HERE = Path(__file__).parent


def _tables(path: Path) -> dict[str, list[tuple]]:
    """Every table of the file, every row, in rowid order (virtual-table shadows included)."""
    con = sqlite3.connect(path)
    try:
        names = [r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE "
            "'CREATE VIRTUAL%' ORDER BY name")]
        out = {}
        for name in names:
            try:
                out[name] = con.execute(f'SELECT * FROM "{name}" ORDER BY rowid').fetchall()
            except sqlite3.OperationalError:  # WITHOUT ROWID
                out[name] = sorted(con.execute(f'SELECT * FROM "{name}"').fetchall(), key=repr)
        return out
    finally:
        con.close()


def _some_work(engine, prefix: str = "B", n: int = 30) -> None:
    units = add_units(engine)
    for i in range(n):
        add_order(engine, f"{prefix}{i:03d}", caller_name=f"王{i}", caller_phone="13800000000",
                  title=f"第{i}件 =SUM(A1)", confidential=(i % 7 == 0))
        if i % 2:
            triage.triage(engine, f"{prefix}{i:03d}", units["黑山镇"], 5)


def test_restore_brings_back_every_table_row_by_row(engine, db_path, tmp_path):
    _some_work(engine)
    before = _tables(db_path)
    made = bk.backup(engine)
    assert made.parent == db_path.parent / "backups" and made.name.startswith("hotline-")
    assert oct(made.stat().st_mode & 0o777) == "0o600"
    add_order(engine, "AFTER1")  # work after the backup ...
    triage.triage(engine, "B001", "县住建局", 15)
    engine.dispose()
    result = bk.restore(made, db_path)  # ... is gone after the restore, and kept aside
    after = _tables(db_path)
    assert set(after) == set(before) and len(before) > 10
    for name in before:
        assert after[name] == before[name], name
    assert result.aside is not None and result.aside.is_file()
    kept = _tables(result.aside)
    assert any(r for r in kept["work_order"] if "AFTER1" in r)
    assert result.migrated is False
    eng = open_database(db_path)  # the restored file opens and works
    try:
        add_order(eng, "NEXT1")
    finally:
        eng.dispose()


def test_backup_while_another_connection_writes(engine, db_path):
    """The backup is one consistent snapshot even while the app keeps committing."""
    _some_work(engine, n=5)
    stop = threading.Event()
    written: list[int] = []

    def writer() -> None:
        i = 0
        while not stop.is_set():
            add_order(engine, f"L{i:05d}")
            written.append(i)
            i += 1

    th = threading.Thread(target=writer)
    th.start()
    try:
        paths = []
        while len(paths) < 3:
            paths.append(bk.backup(engine))
    finally:
        stop.set()
        th.join()
    assert written
    for p in paths:
        con = sqlite3.connect(p)
        try:
            assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            n_orders, n_create = con.execute(
                "SELECT (SELECT count(*) FROM work_order), "
                "(SELECT count(*) FROM order_history WHERE event = 'create')").fetchone()
            assert n_orders == n_create  # never an order without its history row
            assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        finally:
            con.close()
        assert not Path(str(p) + "-wal").exists()


def test_rotation_keeps_the_newest_n(engine, db_path, monkeypatch):
    with session(engine) as s:
        set_setting(s, "backup_keep", 3)
        s.commit()
    t0 = datetime(2026, 11, 2, 9, 0, 0)
    for i in range(6):
        clock.set_fixed(t0 + timedelta(days=i))
        try:
            bk.backup(engine)
        finally:
            clock.set_fixed(None)
    names = [b.path.name for b in bk.list_backups(engine)]
    assert names == [f"hotline-2026110{d}-090000.db" for d in (5, 6, 7)]


def test_backup_dir_setting_and_to_option(engine, db_path, tmp_path):
    elsewhere = tmp_path / "U盘" / "备份"
    with session(engine) as s:
        set_setting(s, "backup_dir", str(elsewhere))
        s.commit()
    made = bk.backup(engine)
    assert made.parent == elsewhere
    one = bk.backup(engine, tmp_path / "one.db")
    assert one == tmp_path / "one.db" and one.is_file()
    folder = bk.backup(engine, tmp_path / "other")
    assert folder.parent == tmp_path / "other"
    with pytest.raises(UserError) as e:
        bk.backup(engine, db_path)
    assert e.value.key == "backup.error.same_file"


def test_daily_backup_once_per_working_day(engine):
    def start_at(when: datetime):  # the app starts at `when` (office clock)
        clock.set_fixed(when)
        try:
            return bk.daily_backup_if_due(engine)
        finally:
            clock.set_fixed(None)

    assert start_at(datetime(2026, 11, 23, 8, 0)) is not None  # Monday, first start
    assert start_at(datetime(2026, 11, 23, 13, 30)) is None  # the second start that day
    assert start_at(datetime(2026, 11, 24, 8, 0)) is not None  # the next working day
    assert start_at(datetime(2026, 11, 28, 9, 0)) is None  # Saturday
    # 2026-10-01 is a holiday (National Day), Saturday 2026-10-10 a make-up working day
    assert start_at(datetime(2026, 10, 1, 9, 0)) is None
    assert start_at(datetime(2026, 10, 10, 9, 0)) is not None
    assert len(bk.list_backups(engine)) == 3


@pytest.mark.parametrize("bad", ["random", "text", "truncated", "damaged", "other_db",
                                 "newer", "missing"])
def test_restore_refuses_a_bad_file_with_one_sentence(engine, db_path, tmp_path, bad):
    _some_work(engine, n=40)
    good = bk.backup(engine)
    engine.dispose()
    before = _tables(db_path)
    p = tmp_path / f"{bad}.db"
    if bad == "random":
        p.write_bytes(os.urandom(8192))
    elif bad == "text":
        p.write_text("工单编号,来电时间\n1,2\n", encoding="utf-8")
    elif bad == "truncated":
        p.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    elif bad == "damaged":
        data = bytearray(good.read_bytes())
        page = 4096
        for off in range(page * 3, len(data) - page, page * 2):  # scribble over pages
            data[off + 100: off + 400] = os.urandom(300)
        p.write_bytes(bytes(data))
    elif bad == "other_db":
        con = sqlite3.connect(p)
        con.execute("CREATE TABLE things (a)")
        con.commit()
        con.close()
    elif bad == "newer":
        p.write_bytes(good.read_bytes())
        con = sqlite3.connect(p)
        con.execute("UPDATE alembic_version SET version_num = '9999'")
        con.commit()
        con.close()
    with pytest.raises(UserError) as refused:
        bk.restore(p, db_path)
    sentence = str(refused.value)
    assert "\n" not in sentence and sentence.endswith("。")
    assert _tables(db_path) == before  # untouched
    assert not list(db_path.parent.glob("*before-restore*"))


def test_restore_refuses_while_the_database_is_open(engine, db_path):
    _some_work(engine, n=3)
    good = bk.backup(engine)
    with engine.connect() as conn:  # the app has the file open
        conn.execute(text("SELECT count(*) FROM work_order")).scalar()
        with pytest.raises(UserError) as refused:
            bk.restore(good, db_path)
    assert refused.value.key == "backup.restore.in_use"


def test_restore_of_an_older_schema_is_migrated(db_path, tmp_path):
    """A backup made by an earlier version (schema 0005) restores and is upgraded."""
    from hotline_tui.store.engine import make_engine
    from hotline_tui.store.migrate import file_heads, upgrade

    old = tmp_path / "old.db"
    eng = make_engine(old)
    upgrade(eng, "0005")
    with eng.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO work_order (order_no, received_at, caller_name, caller_phone, "
            "request_type, title, content, status, version, created_at, updated_at, is_local, "
            "urgent, confidential, anonymous, is_demo, category, area, address, source, "
            "urgency, upstream_unit) VALUES ('OLD1', '2026-01-05 09:00:00', '张三', '138', "
            "'咨询', 't', 'c', 'new', 1, '2026-01-05 09:00:00', '2026-01-05 09:00:00', 0, 0, "
            "0, 0, 0, '', '', '', '', '', '')")
    eng.dispose()
    open_database(db_path).dispose()
    result = bk.restore(old, db_path)
    assert result.revisions == ("0005",) and result.migrated
    con = sqlite3.connect(db_path)
    try:
        assert {r[0] for r in con.execute("SELECT version_num FROM alembic_version")} == \
            file_heads()
        assert con.execute("SELECT order_no FROM work_order").fetchall() == [("OLD1",)]
    finally:
        con.close()


def test_postgresql_url_is_refused_clearly():
    with pytest.raises(UserError) as e:
        bk.backup("postgresql://clerk@localhost/hotline")
    assert "pg_dump" in str(e.value)


def test_cli_backup_list_and_restore(engine, db_path, tmp_path):
    import subprocess
    import sys

    _some_work(engine, n=4)
    engine.dispose()

    def cli(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "hotline_tui", "--db", str(db_path), *args],
                              capture_output=True, text=True, timeout=120)

    made = cli("backup", "--json")
    assert made.returncode == 0, made.stderr
    path = Path(json.loads(made.stdout)["path"])
    listed = cli("backups", "--json")
    assert [Path(b["path"]) for b in json.loads(listed.stdout)["backups"]] == [path]
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    refused = cli("restore", str(junk), "--yes")
    assert refused.returncode == 1 and refused.stderr.count("\n") == 1
    assert "未作恢复" in refused.stderr
    asked = subprocess.run([sys.executable, "-m", "hotline_tui", "--db", str(db_path), "restore",
                            str(path)], input="n\n", capture_output=True, text=True, timeout=120)
    assert asked.returncode == 1 and "已取消" in asked.stderr
    done = cli("restore", str(path), "--yes", "--json")
    assert done.returncode == 0, done.stderr
    assert Path(json.loads(done.stdout)["kept_aside"]).is_file()
