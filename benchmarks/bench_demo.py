"""The demo generator at scale: `hotline demo --orders N` (services.demo.generate) on a new
file, stage by stage, beside bare sqlite3 writing the same number of order-sized rows.

    python benchmarks/bench_demo.py --orders 1000000 --db /tmp/demo_bench.db
    python benchmarks/bench_demo.py --orders 200000 --runs 3 --workers 1

It WRITES (and replaces) --db, and deletes it afterwards unless --keep. Each run prints:
- wall: generate() from the call to its return (what `hotline demo --no-open` waits for,
  less ~0.5 s of imports);
- cpu: CPU seconds of this process and of its helper processes (on a loaded 2-core machine
  the wall clock is mostly waiting for a core: compare the CPU time);
- the stages as the progress callback reports them: prepare, orders (generating and writing
  the rows, replies and callbacks included: ChunkReplies makes them with each chunk), index (secondary indexes, the search index
  copied in, settings, ANALYZE),
  finish (services.demo._finish: what is left for the other screens; nothing after a
  SQLite bulk load);
- .name: wall seconds of the steps of the SQLite load (services.demo.TIMES): .wait_chunk
  (waiting for the helper's rows, and making the main process's own share of chunks),
  .orders / .history (executemany), .replies (inserting the replies, callbacks and
  near-copy keys the chunks bring), .indexes,
  .search_copy (waiting for the search-index helper, then copying its tables in), ...
Baseline: bare sqlite3, one transaction, executemany of N rows of 31 columns (the width of
work_order) into an unindexed table of a new file: the floor for writing the orders alone.
Target (issue 2): 1,000,000 orders well under two minutes on a 2-core machine (< 90 s).
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def _remove(path: str) -> None:
    for suffix in ("", "-journal", "-wal", "-shm", "-demo-stage"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def _cpu() -> tuple[float, float]:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def run_demo(path: str, orders: int, workers: int | None) -> dict[str, float]:
    import hotline_tui.services.demo as demo

    _remove(path)
    stages: dict[str, float] = {}
    last: list = [time.perf_counter(), None]

    def progress(stage: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1] is not None:
            stages[last[1]] = stages.get(last[1], 0.0) + now - last[0]
        last[0], last[1] = now, stage

    finish = demo._finish

    def timed_finish(engine, **kw) -> None:  # noqa: ANN001, ANN003
        t0 = time.perf_counter()
        finish(engine, **kw)
        stages["finish"] = time.perf_counter() - t0

    demo._finish = timed_finish
    demo.TIMES = {}
    c_me, c_kids = _cpu()
    t0 = time.perf_counter()
    try:
        demo.generate(path, orders, workers=workers, progress=progress)
    finally:
        demo._finish = finish
    wall = time.perf_counter() - t0
    steps, demo.TIMES = demo.TIMES, None
    c_me2, c_kids2 = _cpu()
    out = {"wall": wall, "cpu_main": c_me2 - c_me, "cpu_helpers": c_kids2 - c_kids,
           "peak_rss_main_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}
    out.update(stages)
    out.update({f".{k}": v for k, v in steps.items()})
    return out


def baseline(orders: int) -> float:
    """Seconds for bare sqlite3 to write `orders` rows of 31 columns in one transaction."""
    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite3.connect(str(Path(tmp) / "base.db"), isolation_level=None)
        db.execute("PRAGMA journal_mode=OFF")
        db.execute("PRAGMA synchronous=OFF")
        cols = ", ".join(f"c{i}" for i in range(31))
        db.execute(f"CREATE TABLE t (id INTEGER PRIMARY KEY, {cols})")
        row = ("XS2025112000001", "2025-11-20 10:00:00", "张三", "13800000000", "投诉", "城建",
               "小区门口路灯不亮", "来电人反映：小区门口路灯连续多日不亮，夜间出行不便。" * 3,
               "城关镇", "西山县城关镇幸福小区", "12345热线", "一般", 0, 0, 0, "", None,
               "dispatched", 3, 5, "2025-11-20 11:00:00", "2025-11-27 23:59:59", None, None,
               None, 1, 3, "2025-11-20 10:05:00", "2025-11-20 11:00:00", 0, 0)
        sql = f"INSERT INTO t VALUES (?, {', '.join('?' * 31)})"
        t0 = time.perf_counter()
        db.execute("BEGIN")
        step = 10_000
        for start in range(0, orders, step):
            db.executemany(sql, ((i, *row) for i in range(start, min(orders, start + step))))
        db.execute("COMMIT")
        took = time.perf_counter() - t0
        db.close()
    return took


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--orders", type=int, default=1_000_000)
    ap.add_argument("--db", default="/tmp/demo_bench.db")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--workers", type=int, default=None,
                    help="helper processes (default: the generator's own choice)")
    ap.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = ap.parse_args()

    runs = []
    for i in range(args.runs):
        r = run_demo(args.db, args.orders, args.workers)
        runs.append(r)
        print(f"run {i + 1}: " + "  ".join(f"{k} {v:.1f}s" for k, v in r.items()), flush=True)
        if not args.keep or i + 1 < args.runs:
            _remove(args.db)
    base = baseline(args.orders)
    keys = list(runs[0])
    print(f"\ndemo of {args.orders:,} orders, median of {len(runs)} run(s):")
    for k in keys:
        print(f"  {k:12s} {statistics.median(r.get(k, 0.0) for r in runs):7.1f} s")
    print(f"  {'bare sqlite3':12s} {base:7.1f} s   (executemany of {args.orders:,} 31-column "
          "rows, no index)")
    if not args.keep:
        _remove(args.db)


if __name__ == "__main__":
    main()
