"""The reply review screen at scale, measured inside the app (headless `App.run_test`,
160x45), on a large database with replies (a demo made after issue 6, or one where replies
were taken in). It only reads: still, give it a copy (opening migrates it).

    cp /tmp/big.db /tmp/rv.db
    python benchmarks/bench_review_screen.py --db /tmp/rv.db --moves 30

Measured from the moment the key's action runs on the event loop (the pilot's own ~60 ms
per key press is not counted) to the moment the screen shows the answer:
- open: F10 until the first page of the pending list is painted (count + page);
- next: `j` (the cursor to the next reply) until the frame showing that reply's review
  has been drawn (the service call `review_order`, copy-paste check included, the
  widgets' update, layout and render);
- next (cpu): the same interval in CPU time of the whole process (every thread);
- paint: ReviewPanel.show, the Rich renderables built and handed to the widgets (the
  event loop's part of `next`; the terminal's repaint follows);
- review (wall) / review (cpu): the `review_order` call alone in its worker thread, wall
  clock and CPU time of that thread (on a loaded machine the wall clock is mostly waiting
  for a core);
- service: `review_order` called directly, outside the app, on the same orders;
- sqlite3: the nearest bare-sqlite3 equivalent of one review's reads (the order row, its
  latest reply, the replies with the same fingerprint), same orders.
Target: next under 100 ms at 1,000,000 orders.
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


def _stats(samples: list[float]) -> str:
    if not samples:
        return "no samples"
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return (f"n {len(s):3d}   median {statistics.median(s):7.1f} ms   p95 {p95:7.1f}   "
            f"max {s[-1]:7.1f}")


def _wrap(cls: Any, name: str, before: Any = None, after: Any = None) -> None:
    original = getattr(cls, name)
    params = inspect.signature(original).parameters.values()
    takes = len(params) - 1
    var = any(p.kind == p.VAR_POSITIONAL for p in params)

    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        args = args if var else args[:takes]
        if before:
            before(self, *args)
        result = original(self, *args, **kwargs)
        if after:
            after(self, *args)
        return result

    setattr(cls, name, wrapper)


async def _run(db: Path, moves: int) -> tuple[dict[str, list[float]], list[str]]:
    from hotline_tui.store.engine import open_database
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.app import HotlineApp
    from hotline_tui.tui.screens import review as review_module
    from hotline_tui.tui.screens.review import ReviewScreen
    from hotline_tui.tui.widgets.line_table import LineTable
    from hotline_tui.tui.widgets.review_panes import ReviewPanel

    engine = open_database(db)
    out: dict[str, list[float]] = {k: [] for k in
                                   ("open", "next", "next (cpu)", "review (wall)",
                                    "review (cpu)", "paint")}
    marks: dict[str, float] = {}
    seen: list[str] = []

    def took(name: str) -> None:
        start = marks.pop(name, None)
        if start is not None:
            out[name].append((time.perf_counter() - start) * 1000)
        cpu = marks.pop(name + " (cpu)", None)
        if cpu is not None:
            out[name + " (cpu)"].append((time.process_time() - cpu) * 1000)

    def moving(*_a: Any) -> None:
        marks["next"] = time.perf_counter()
        marks["next (cpu)"] = time.process_time()

    def switched(_app: Any, mode: str, *_a: Any) -> None:
        if mode == "review":
            marks["open"] = time.perf_counter()

    def shown(screen: Any, view: Any) -> None:
        out["review (wall)"].append(screen.review_ms)
        out["review (cpu)"].append(screen.review_cpu_ms)
        seen.append(view.order_no)
        screen.call_after_refresh(took, "next")  # after the frame with it is drawn

    _wrap(HotlineApp, "switch_mode", before=switched)
    _wrap(ReviewScreen, "_paint_list", after=lambda *_: took("open"))
    _wrap(ReviewScreen, "_show_review", after=shown)
    _wrap(ReviewPanel, "show", before=lambda *_: marks.__setitem__("paint", time.perf_counter()),
          after=lambda *_: took("paint"))
    _wrap(LineTable, "action_cursor_down", before=moving)

    # the review screen and one other, so that F10 is a switch as the clerk makes it
    found = {s.id: s for s in app_module.discover()}
    chosen = [found["inbox"], review_module.TOP_SCREEN] if "inbox" in found else [
        review_module.TOP_SCREEN]
    app_module.discover = lambda: chosen
    app = HotlineApp(engine=engine, db_label=db.name)

    async def settle(pilot: Any, rounds: int = 4) -> None:
        for _ in range(rounds):
            await pilot.pause(0.02)
            await app.workers.wait_for_complete()
        await pilot.pause()

    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        await pilot.pause(3.0)  # the warm-up reads have run, as when the clerk starts work
        await app.workers.wait_for_complete()
        await pilot.press("f10")
        await settle(pilot, 8)
        screen = app.screen
        assert isinstance(screen, ReviewScreen), screen
        print(f"pending replies {screen.total:,}; first review {screen.review_ms:.0f} ms",
              flush=True)
        for k in ("next", "next (cpu)", "review (wall)", "review (cpu)", "paint"):
            out[k].clear()
        for _ in range(moves):
            await pilot.press("j")
            await settle(pilot, 2)
    engine.dispose()
    return out, seen


def _service(db: Path, orders: list[str]) -> list[float]:
    from hotline_tui.services.review import review_order
    from hotline_tui.store.engine import open_database

    engine = open_database(db)
    out = []
    for no in orders:
        t0 = time.perf_counter()
        review_order(engine, no)
        out.append((time.perf_counter() - t0) * 1000)
    engine.dispose()
    return out


def _baseline(db: Path, orders: list[str]) -> list[float]:
    conn = sqlite3.connect(db)
    out = []
    for no in orders:
        t0 = time.perf_counter()
        o = conn.execute("SELECT * FROM work_order WHERE order_no = ?", (no,)).fetchone()
        r = conn.execute("SELECT * FROM reply WHERE order_id = ? ORDER BY id DESC LIMIT 1",
                         (o[0],)).fetchone()
        if r is not None:
            fp = r[list(d[0] for d in conn.execute("SELECT * FROM reply LIMIT 0").description)
                   .index("fingerprint")]
            conn.execute("SELECT id, order_id FROM reply WHERE fingerprint = ? AND order_id <> ? "
                         "ORDER BY order_id DESC LIMIT 50", (fp, o[0])).fetchall()
        out.append((time.perf_counter() - t0) * 1000)
    conn.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/rv.db", help="a COPY of a big database with replies")
    ap.add_argument("--moves", type=int, default=30, help="how many times to press j")
    args = ap.parse_args()
    db = Path(args.db)
    if not db.exists():
        sys.exit(f"{db} not found: copy a big database there first")
    os.environ.setdefault("HOTLINE_DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("HOTLINE_CONFIG_DIR", tempfile.mkdtemp())
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    with sqlite3.connect(db) as conn:
        total = conn.execute("SELECT count(*) FROM work_order").fetchone()[0]
        has_reply = conn.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'reply'").fetchone() is not None
        replies = conn.execute("SELECT count(*) FROM reply").fetchone()[0] if has_reply else 0
    print(f"{db}: {total:,} orders, {replies:,} replies", flush=True)
    out, seen = asyncio.run(_run(db, args.moves))
    gc.collect()
    orders = list(dict.fromkeys(seen))
    out["service"] = _service(db, orders)
    gc.collect()
    out["sqlite3"] = _baseline(db, orders)
    print(f"\n{db}")
    for name, samples in out.items():
        print(f"{name:14} {_stats(samples)}")
    nxt = statistics.median(out["next"]) if out["next"] else float("nan")
    print(f"\nnext reply shown: median {nxt:.1f} ms (target < 100 ms)")


if __name__ == "__main__":
    main()
