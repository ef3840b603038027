"""The overdue queue screen (F5) at scale, measured inside the app (headless `App.run_test`,
160x45) on a large database, beside bare-sqlite3 baselines from the same run. It WRITES
(chases and the raw baseline chases): give it a copy.

    cp /tmp/big.db /tmp/q5.db
    python benchmarks/bench_queue_screen.py --db /tmp/q5.db --opens 5 --chases 5

Each open is a fresh app started on the inbox; F5 is pressed `--wait` seconds after start
(the screens' warm-up has run, as when the clerk starts the day) and, once, at once (cold).
Times are taken on the event loop from the moment the key's action runs (`switch_mode`; the
pilot's own ~60 ms per key press is not counted) to:
- frame: the queue screen mounted (drawn, list empty);
- rows: the list's first render of data rows (the first page painted);
- rows (loop cpu): the CPU time of the event loop's thread over the same span (what the
  open costs the app itself, whatever the machine's load);
- read (wall) / read (cpu): the first page's service call in its worker, wall clock and the
  CPU time of that thread (on a loaded machine the wall clock is mostly waiting for a core);
- reload: `r` until the rows are painted again;
- by unit / by owner / chase today: `b`, `b`, then `t` until painted;
- chase save: the form's ctrl+s (its check, on the event loop) until the chased row is back
  in the list with the new count (service call + re-read of the row + put in place);
- chase worker: the service call and the re-read alone, in the form's worker.
Baselines (bare sqlite3, same database, same run): the queue page (ids by the partial
deadline index + details, the same SQL) and a chase (log row, summary upsert, history row).
Targets (issue 5): open under 300 ms, chase saved under 100 ms at 1,000,000 orders.

The shell's other screens bind F5 to their own reload, so F5 pressed on the inbox would
reload the inbox: this benchmark (like a clerk's keymap file would) rebinds `inbox.reload`
to `r` only, through the documented keymap file.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import inspect
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SIZE = (160, 45)


def _stats(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    s = sorted(samples)
    return (f"n {len(s):3d}   median {statistics.median(s):7.1f} ms   min {s[0]:7.1f}   "
            f"max {s[-1]:7.1f}")


def _wrap(cls: Any, name: str, before: Any = None, after: Any = None) -> None:
    original = getattr(cls, name)
    takes = len(inspect.signature(original).parameters) - 1
    var = any(p.kind == p.VAR_POSITIONAL for p in inspect.signature(original).parameters.values())

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        args = args if var else args[:takes]
        if before:
            before(self, *args)
        result = original(self, *args, **kwargs)
        if after:
            after(self, *args)
        return result

    setattr(cls, name, wrapper)


async def _settle(app: Any, pilot: Any, until: Any = None, limit: float = 20.0) -> None:
    """Workers done and, if given, `until()` true (or `limit` seconds)."""
    t0 = time.perf_counter()
    while True:
        await pilot.pause(0.02)
        await app.workers.wait_for_complete()
        await pilot.pause()
        if until is None or until() or time.perf_counter() - t0 > limit:
            return


async def _run(db: Path, opens: int, chases: int, wait: float) -> dict[str, list[float]]:
    from hotline_tui.store.engine import open_database
    from hotline_tui.tui.app import HotlineApp
    from hotline_tui.tui.modals.chase_form import ChaseForm
    from hotline_tui.tui.screens.queue import QueueScreen
    from hotline_tui.tui.widgets.queue_list import QueueList

    names = ("frame (cold)", "rows (cold)", "frame", "rows", "rows (loop cpu)", "read (wall)",
             "read (cpu)",
             "reload", "by unit", "by owner", "chase today", "chase save", "chase worker")
    out: dict[str, list[float]] = {k: [] for k in names}
    marks: dict[str, float] = {}

    def switched(_app: Any, mode: str, *_a: Any) -> None:
        if mode == "queue":
            marks["switch"] = time.perf_counter()
            marks["switch cpu"] = time.thread_time()

    _wrap(HotlineApp, "switch_mode", before=switched)
    _wrap(QueueScreen, "on_mount",
          before=lambda *_: marks.__setitem__("mounted", time.perf_counter()))
    _wrap(QueueList, "load", before=lambda *_: marks.__setitem__("load", time.perf_counter()))

    for run in range(opens + 1):
        cold = run == 0
        engine = open_database(db)
        app = HotlineApp(engine=engine, db_label=db.name)
        async with app.run_test(size=SIZE) as pilot:
            await _settle(app, pilot)
            if not cold and wait:
                await pilot.pause(wait)  # the warm-up read after start-up has run
                await app.workers.wait_for_complete()
            marks.clear()
            await pilot.press("f5")
            screen = app.screen
            assert isinstance(screen, QueueScreen), f"F5 did not open the queue: {screen}"
            q = screen.queue
            await _settle(app, pilot, until=lambda q=q: q.rows_painted_at > marks.get("switch", 0))
            suffix = " (cold)" if cold else ""
            out["frame" + suffix].append((marks["mounted"] - marks["switch"]) * 1000)
            out["rows" + suffix].append((q.rows_painted_at - marks["switch"]) * 1000)
            if not cold:
                out["rows (loop cpu)"].append((q.rows_painted_cpu - marks["switch cpu"]) * 1000)
                out["read (wall)"].append(q.read_ms)
                out["read (cpu)"].append(q.read_cpu_ms)
            if run == 1:
                print(f"queue: {q.total:,} rows; {q.page.counts.overdue:,} overdue, "
                      f"{q.page.counts.today:,} today, {q.page.counts.soon:,} soon; "
                      f"first page read {q.read_ms:.0f} ms (CPU {q.read_cpu_ms:.0f} ms)",
                      flush=True)
            if run == opens:  # the last app: reloads, views, chases
                for _ in range(3):
                    before = q.rows_painted_at
                    await pilot.press("r")
                    await _settle(app, pilot, until=lambda b=before, q=q: q.rows_painted_at > b)
                    out["reload"].append((q.rows_painted_at - marks["load"]) * 1000)
                for key, label in (("b", "by unit"), ("b", "by owner"), ("b", None),
                                   ("t", "chase today"), ("t", None)):
                    before = q.rows_painted_at
                    await pilot.press(key)
                    await _settle(app, pilot, until=lambda b=before, q=q: q.rows_painted_at > b)
                    if label:
                        out[label].append((q.rows_painted_at - marks["load"]) * 1000)
                for i in range(chases):
                    await pilot.press("j" if i else "g")
                    row = q.current_row
                    await pilot.press("c")
                    await _settle(app, pilot)
                    form = app.screen
                    assert isinstance(form, ChaseForm), form
                    await pilot.press("1", "ctrl+s")
                    await _settle(app, pilot, until=lambda s=screen, a=app: a.screen is s)
                    saved = screen.last_chase
                    fresh = q.current_row
                    assert fresh.order_id == row.order_id
                    assert fresh.chase_count == row.chase_count + 1, (fresh, row)
                    out["chase save"].append((screen.chase_painted_at - form.saved_started_at)
                                             * 1000)
                    out["chase worker"].append(saved.ms)
        engine.dispose()
        gc.collect()
    return out


def _baselines(db: Path, runs: int) -> dict[str, float]:
    """The same reads and a chase through bare sqlite3 (bench_queue's SQL)."""
    sys.path.insert(0, str(Path(__file__).parent))
    from bench_queue import raw_chase, raw_page, timed

    from hotline_tui.domain.escalation import window_end
    from hotline_tui.services import clock
    from hotline_tui.services.queue import escalation_rules, queue_page
    from hotline_tui.store.engine import open_database

    engine = open_database(db)
    now = clock.now()
    end = window_end(now, escalation_rules(engine))
    page = queue_page(engine, limit=200)
    engine.dispose()
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    base = {}
    base["bare sqlite3: queue page"], _ = timed(lambda: raw_page(con, now, end), runs)
    ids = iter([r.order_id for r in page.rows[150: 151 + runs]])
    base["bare sqlite3: chase save"], _ = timed(lambda: raw_chase(con, next(ids), now), runs)
    con.close()
    return base


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/q5.db", help="a COPY of a big database (written)")
    ap.add_argument("--opens", type=int, default=5, help="fresh apps opening the queue")
    ap.add_argument("--chases", type=int, default=5)
    ap.add_argument("--wait", type=float, default=3.0,
                    help="seconds between start-up and F5 (the cold open has none)")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        sys.exit(f"{db} not found: copy a big database there first (it is written to)")
    os.environ.setdefault("HOTLINE_DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("HOTLINE_CONFIG_DIR", tempfile.mkdtemp())
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    keymap = Path(os.environ["HOTLINE_CONFIG_DIR"]) / "keymap.toml"
    if not keymap.exists():
        keymap.parent.mkdir(parents=True, exist_ok=True)
        keymap.write_text('[keymap]\n"inbox.reload" = "r"\n', encoding="utf-8")
    out = asyncio.run(_run(db, args.opens, args.chases, args.wait))
    base = _baselines(db, max(args.chases, 5))
    print(f"\n{db}")
    for name, samples in out.items():
        print(f"{name:14} {_stats(samples)}")
    for name, ms in base.items():
        print(f"{name:30} median {ms:7.1f} ms")
    rows = statistics.median(out["rows"]) if out["rows"] else 0.0
    save = statistics.median(out["chase save"]) if out["chase save"] else 0.0
    print(f"\nqueue open (F5 to first rows): {rows:.1f} ms (target < 300 ms); "
          f"chase saved and row refreshed: {save:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
