"""`hotline demo`: its own file by default (never the clerk's), --json, the refusal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def _hotline(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hotline_tui", *args], capture_output=True,
                          text=True, env={**os.environ, **(env or {})}, timeout=300)


def test_demo_uses_its_own_file_not_the_clerks(tmp_path):
    clerk = tmp_path / "clerk.db"
    data = Path(os.environ["HOTLINE_DATA_DIR"])
    out = _hotline("demo", "--orders", "300", "--no-open", "--json",
                   env={"HOTLINE_DB": str(clerk)})
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert Path(got["path"]) == data / "demo.db"
    assert got["orders"] == 300 and got["history"] >= 300 and got["replaced"] == 0
    assert not clerk.exists()
    again = _hotline("demo", "--orders", "200", "--no-open", "--seed", "5")
    assert again.returncode == 0, again.stderr
    assert "300" in again.stdout and "200" in again.stdout  # replaced 300, made 200


def test_demo_refuses_a_database_with_real_orders(tmp_path):
    db = tmp_path / "real.db"
    made = _hotline("demo", "--orders", "50", "--no-open", "--db", str(db))
    assert made.returncode == 0, made.stderr
    import sqlite3

    con = sqlite3.connect(db)
    con.execute("UPDATE work_order SET is_demo = 0 WHERE id = 1")
    con.commit()
    con.close()
    out = _hotline("demo", "--orders", "50", "--no-open", "--db", str(db))
    assert out.returncode == 1
    assert str(db) in out.stderr and "Traceback" not in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
