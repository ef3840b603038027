"""Power-cut style crashes: a process doing an import, or a loop of edits through the
services, is killed with SIGKILL at random moments, many times over. Afterwards the file is
sound (`PRAGMA integrity_check`), no import is half there, and every change the process had
reported as saved is there.

HOTLINE_CRASH_KILLS=N sets the kills per scenario (default 30; fixed seed
HOTLINE_CRASH_SEED, default 8)."""

from __future__ import annotations

import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from _import_util import order_row, write_csv

pytestmark = [pytest.mark.sqlite_only,
              pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")]

KILLS = int(os.environ.get("HOTLINE_CRASH_KILLS", "30"))
SEED = int(os.environ.get("HOTLINE_CRASH_SEED", "8"))
IMPORT_ROWS = 800
CHILD = Path(__file__).with_name("crash_child.py")


class ForkServer:
    """tests/crash_child.py: starts workers on request; lines come back through a queue."""

    def __init__(self, tmp: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(CHILD.parent), env.get("PYTHONPATH", "")])
        self.proc = subprocess.Popen(
            [sys.executable, str(CHILD)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, bufsize=1, env=env, cwd=tmp)
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:  # type: ignore[union-attr]
            self.lines.put(line.rstrip("\n"))

    def start(self, command: str) -> int:
        """Start a worker; returns once it said READY (its lines so far are kept)."""
        self.proc.stdin.write(command + "\n")  # type: ignore[union-attr]
        self.proc.stdin.flush()  # type: ignore[union-attr]
        pid, ready = None, False
        self.pending: list[str] = []
        while pid is None or not ready:
            line = self.lines.get(timeout=120)
            if line.startswith("PID "):
                pid = int(line.split()[1])
            elif line == "READY":
                ready = True
            elif line.startswith("DONE "):
                raise AssertionError(f"the worker ended before READY: {self.pending}")
            else:
                self.pending.append(line)
        return pid

    def finish(self, pid: int) -> tuple[list[str], bool]:
        """The worker's lines until it ended, and whether it was killed by SIGKILL."""
        out: list[str] = self.pending
        while True:
            line = self.lines.get(timeout=120)
            if line.startswith(f"DONE {pid} "):
                status = int(line.split()[2])
                return out, os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            out.append(line)

    def close(self) -> None:
        self.proc.stdin.close()  # type: ignore[union-attr]
        self.proc.wait(timeout=30)


@pytest.fixture
def server(tmp_path):
    s = ForkServer(tmp_path)
    yield s
    s.close()


def _check_sound(path: Path) -> sqlite3.Connection:
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    return con


def test_killed_imports_are_all_or_nothing(engine, db_path, tmp_path, server):
    rng = random.Random(SEED)
    killed = mid_import = 0
    rounds = 0
    while killed < KILLS:
        tag = f"K{rounds:03d}"
        csv_path = write_csv(tmp_path / f"{tag}.csv", [
            order_row(i, 工单编号=f"{tag}-{i:05d}", 来电时间=datetime(2026, 11, 2, 8, 0)
                      + timedelta(minutes=i)) for i in range(IMPORT_ROWS)])
        pid = server.start(f"import {db_path} {csv_path} {tag}")
        time.sleep(rng.uniform(0.0, 0.6))
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, was_killed = server.finish(pid)
        assert not [x for x in out if x.startswith("ERROR")], out
        reported = any(x.startswith(f"IMPORTED {tag} ") for x in out)
        killed += was_killed
        con = _check_sound(db_path)
        try:
            n = con.execute("SELECT count(*) FROM work_order WHERE order_no LIKE ?",
                            (f"{tag}-%",)).fetchone()[0]
            h = con.execute(
                "SELECT count(*) FROM order_history h JOIN work_order o ON o.id = h.order_id "
                "WHERE o.order_no LIKE ? AND h.event = 'create'", (f"{tag}-%",)).fetchone()[0]
        finally:
            con.close()
        assert n in (0, IMPORT_ROWS), f"{tag}: {n} of {IMPORT_ROWS} rows after the kill"
        assert h == n, f"{tag}: {n} orders but {h} history rows"
        if reported:
            assert n == IMPORT_ROWS
        if was_killed and n == 0:
            mid_import += 1
        os.unlink(csv_path)
        rounds += 1
    print(f"\nimport: {killed} kills survived ({mid_import} before the commit), "
          f"{rounds} rounds")
    assert mid_import >= 1  # the kills did land inside imports, not only between them


def _prepare_orders(engine) -> None:
    from triage_helpers import add_order, add_units

    from hotline_tui.services import dispatch as dispatch_svc
    from hotline_tui.services import triage

    units = add_units(engine)
    uid = units["黑龙河乡"]
    at = datetime.now().replace(microsecond=0) - timedelta(days=2)
    for i in range(40):
        add_order(engine, f"R{i:03d}", at=at - timedelta(hours=1))
        triage.triage(engine, f"R{i:03d}", uid, 5, actor="t")
    dispatch_svc.dispatch(engine, [f"R{i:03d}" for i in range(20)], at=at, actor="t")


def test_killed_edits_lose_nothing_reported_saved(engine, db_path, server):
    _prepare_orders(engine)
    engine.dispose()
    rng = random.Random(SEED)
    killed = saves = 0
    latest: dict[str, tuple[int, str]] = {}  # order -> (version, tier) last reported
    chases: list[tuple[str, str]] = []
    rounds = 0
    while killed < KILLS:
        pid = server.start(f"edit {db_path} {SEED * 1000 + rounds}")
        time.sleep(rng.uniform(0.0, 0.25))  # the loop is running
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        out, was_killed = server.finish(pid)
        assert not [x for x in out if x.startswith("ERROR")], out
        killed += was_killed
        rounds += 1
        for line in out:
            _, no, version, what = line.split(" ", 3)
            saves += 1
            if what.startswith("chase="):
                chases.append((no, what[len("chase="):]))
            elif what.startswith("tier="):
                latest[no] = (int(version), what[len("tier="):])
            elif what == "sign":
                latest[no] = (int(version), "")
        con = _check_sound(db_path)
        try:
            for no, (version, tier) in latest.items():
                v, t, n_hist = con.execute(
                    "SELECT o.version, o.tier_days, (SELECT count(*) FROM order_history h "
                    "WHERE h.order_id = o.id) FROM work_order o WHERE order_no = ?",
                    (no,)).fetchone()
                assert v >= version, f"{no}: saved as version {version}, found {v}"
                assert n_hist == v, f"{no}: version {v} but {n_hist} history rows"
                if v == version and tier:
                    assert str(t) == tier
            for no, said in chases:
                assert con.execute(
                    "SELECT count(*) FROM chase_log c JOIN work_order o ON o.id = c.order_id "
                    "WHERE o.order_no = ? AND c.said = ?", (no, said)).fetchone()[0] == 1
        finally:
            con.close()
    print(f"\nedits: {killed} kills survived, {saves} reported saves checked, lost 0")
