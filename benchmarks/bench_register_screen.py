"""The register screen at scale, measured inside the app (headless `App.run_test`, 160x45),
on a large database. It WRITES (it signs orders for): give it a copy.

    cp /tmp/h5big.db /tmp/r2c.db
    python benchmarks/bench_register_screen.py --db /tmp/r2c.db --signs 5

Demo databases made before the owner register have no owners: the first run gives the
signed-for demo orders owners (services.owners.fill_demo_owners, ~20-50 s per million) and
runs ANALYZE. Measured from the moment the key's action runs on the event loop (the pilot's
own ~60 ms per key press is not counted) to the moment the screen shows the answer:
- frame: the key that switches to the register until the screen is mounted (drawn empty);
- rows: the same key until the first waiting orders are on screen (a quick first read on the
  first open; the counts follow with the snapshot);
- open: the same key until a snapshot (waiting list, units, owners, rates) is painted: on a
  first open after the app's warm-up (--wait) that is the warm-up's snapshot, painted at
  once, with a fresh read behind it;
- fresh: the same key until the first open's own fresh read is painted;
- reload: `r` until repainted;
- suggestions: the sign-for form's name field mounted until the unit's owners are listed;
- sign: enter (the form's save) until the signed order is gone from the repainted list;
- drill-in: enter on an owner until their orders are listed;
- directory: `p` until the owner directory is listed;
- read (wall) / read (cpu): the snapshot call alone in its worker, wall clock and the CPU
  time of that thread (on a loaded machine the wall clock is mostly waiting for a core).
Baseline: bare sqlite3, the plainest SQL for the two big counts of the snapshot (open owned
orders per owner; this month's dispatched / signed per unit), median of 3.
Target: open under 300 ms at 1,000,000 orders.
"""

from __future__ import annotations

import argparse
import asyncio
import inspect
import os
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


def _prepare(db: Path) -> None:
    from sqlalchemy import func, select

    from hotline_tui.services.owners import fill_demo_owners
    from hotline_tui.store.engine import open_database
    from hotline_tui.store.models import WorkOrder

    engine = open_database(db)
    c = WorkOrder.__table__.c
    with engine.connect() as conn:
        owned = conn.execute(select(func.count()).where(c.owner_id.isnot(None))).scalar()
        signed = conn.execute(select(func.count()).where(c.signed_at.isnot(None),
                                                         c.is_demo.is_(True))).scalar()
        total = conn.execute(select(func.count()).select_from(WorkOrder.__table__)).scalar()
    print(f"{db}: {total:,} orders, {owned:,} with an owner", flush=True)
    if not owned and signed:
        t0 = time.perf_counter()
        n = fill_demo_owners(engine)
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
        print(f"fill_demo_owners: {n:,} orders in {time.perf_counter() - t0:.0f} s", flush=True)
    engine.dispose()


async def _run(db: Path, signs: int, reloads: int) -> dict[str, list[float]]:
    from hotline_tui.store.engine import open_database
    from hotline_tui.tui.app import HotlineApp
    from hotline_tui.tui.modals.sign_for import SignForScreen
    from hotline_tui.tui.screens.register import RegisterScreen
    from hotline_tui.tui.views.owner_directory import OwnerDirectoryScreen
    from hotline_tui.tui.views.owner_orders import OwnerOrdersScreen
    from hotline_tui.tui.widgets.owner_suggest import OwnerNameField

    engine = open_database(db)
    names = ("frame", "rows", "open", "fresh", "read (wall)", "read (cpu)", "reload",
             "suggestions", "sign", "drill-in", "directory")
    out: dict[str, list[float]] = {k: [] for k in names}
    marks: dict[str, float] = {}

    def took(name: str, key: str | None = None) -> None:
        start = marks.pop(key or name, None)
        if start is not None:
            out[name].append((time.perf_counter() - start) * 1000)

    def wrap(cls: Any, name: str, before: Any = None, after: Any = None) -> None:
        original = getattr(cls, name)
        takes = len(inspect.signature(original).parameters) - 1  # Textual passes what fits

        def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            args = args[:takes] if not any(
                p.kind == p.VAR_POSITIONAL
                for p in inspect.signature(original).parameters.values()) else args
            if before:
                before(self, *args)
            result = original(self, *args, **kwargs)
            if after:
                after(self, *args)
            return result

        setattr(cls, name, wrapper)

    def switched(_app: Any, mode: str, *_a: Any) -> None:
        if mode == "register":
            marks["frame"] = marks["open"] = marks["fresh"] = time.perf_counter()
            marks["f4"] = marks["frame"]

    def painted(screen: Any, *_a: Any, **_k: Any) -> None:
        took("open")
        if screen.from_warm:
            return
        out["read (wall)"].append(screen.load_ms)
        out["read (cpu)"].append(screen.load_cpu_ms)
        took("fresh")
        took("reload")
        took("sign")

    wrap(HotlineApp, "switch_mode", before=switched)
    wrap(RegisterScreen, "on_mount", before=lambda *_: took("frame"))
    wrap(RegisterScreen, "_loaded", after=painted)
    wrap(RegisterScreen, "action_reload",
         before=lambda *_: marks.__setitem__("reload", time.perf_counter()))
    wrap(OwnerNameField, "on_mount",
         before=lambda *_: marks.__setitem__("suggestions", time.perf_counter()))
    wrap(OwnerNameField, "_show", after=lambda *_: took("suggestions"))
    wrap(SignForScreen, "action_save",
         before=lambda *_: marks.__setitem__("sign", time.perf_counter()))
    wrap(RegisterScreen, "drill_into",
         before=lambda *_: marks.__setitem__("drill-in", time.perf_counter()))
    wrap(OwnerOrdersScreen, "_status", after=lambda *_: took("drill-in"))
    wrap(RegisterScreen, "action_directory",
         before=lambda *_: marks.__setitem__("directory", time.perf_counter()))
    wrap(OwnerDirectoryScreen, "_apply", after=lambda *_: took("directory"))

    app = HotlineApp(engine=engine, db_label=db.name)

    async def settle(pilot: Any) -> None:
        for _ in range(4):
            await pilot.pause(0.02)
            await app.workers.wait_for_complete()
        await pilot.pause()

    async with app.run_test(size=(160, 45)) as pilot:
        await settle(pilot)
        if WAIT_S:  # the clerk presses F4 a few seconds after start: the warm-up has run
            await pilot.pause(WAIT_S)
            await app.workers.wait_for_complete()
        await pilot.press("f4")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, RegisterScreen), screen
        # the first waiting rows on screen (a message handler sets first_rows_at)
        out["rows"].append((screen.first_rows_at - marks.pop("f4")) * 1000)
        snap = screen.snapshot
        print(f"waiting {snap.waiting_total:,} (past the limit {snap.waiting_late_total:,}), "
              f"units {len(snap.units)}, owners {len(snap.owners)}, "
              f"snapshot read {screen.load_ms:.0f} ms (CPU {screen.load_cpu_ms:.0f} ms)",
              flush=True)
        for _ in range(reloads):
            await pilot.press("r")
            await settle(pilot)
        for _ in range(signs):
            first = screen.waiting_table.current
            if first is None:
                break
            await pilot.press("s")
            await settle(pilot)
            if not isinstance(app.screen, SignForScreen):
                break
            await pilot.press("enter")  # the most recent owner of the unit
            await settle(pilot)
            await pilot.press("enter")  # sign
            await settle(pilot)
            if isinstance(app.screen, SignForScreen):  # a unit without owners yet
                marks.pop("sign", None)
                await pilot.press("escape")
                await settle(pilot)
                await pilot.press("j")
        screen.units_table.focus()
        await pilot.press("enter")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
    engine.dispose()
    return out


WAIT_S = 3.0


def baseline(db: Path) -> float:
    """Median ms of the two largest counts of the snapshot in their plainest SQL."""
    import sqlite3
    from datetime import datetime

    con = sqlite3.connect(db)
    month = datetime.now().strftime("%Y-%m-01 00:00:00")
    times = []
    for _ in range(4):
        t0 = time.perf_counter()
        con.execute("SELECT owner_id, count(*) FROM work_order WHERE status IN ('signed', "
                    "'replied', 'rework', 'meeting') AND owner_id IS NOT NULL "
                    "GROUP BY owner_id").fetchall()
        con.execute("SELECT unit_id, count(*), count(signed_at) FROM work_order "
                    "WHERE unit_id IN (SELECT id FROM unit) AND dispatched_at >= ? "
                    "GROUP BY unit_id", (month,)).fetchall()
        times.append((time.perf_counter() - t0) * 1000)
    con.close()
    return statistics.median(times[1:])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/r2c.db", help="a COPY of a big database (written)")
    ap.add_argument("--signs", type=int, default=5, help="how many orders to sign for")
    ap.add_argument("--reloads", type=int, default=5)
    ap.add_argument("--wait", type=float, default=3.0,
                    help="seconds between start-up and F4 (0: press at once, cold)")
    args = ap.parse_args()
    global WAIT_S
    WAIT_S = args.wait
    db = Path(args.db)
    if not db.exists():
        sys.exit(f"{db} not found: copy a big database there first (it is written to)")
    os.environ.setdefault("HOTLINE_DATA_DIR", tempfile.mkdtemp())
    os.environ.setdefault("HOTLINE_CONFIG_DIR", tempfile.mkdtemp())
    os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
    _prepare(db)
    base = baseline(db)
    out = asyncio.run(_run(db, args.signs, args.reloads))
    print(f"\n{db}")
    for name, samples in out.items():
        print(f"{name:12} {_stats(samples)}")
    print(f"{'bare sqlite3':12} median {base:7.1f} ms (owner counts + month's sign-for counts, "
          "plain GROUP BY)")
    rows, worst = max(out["rows"], default=0.0), max(out["open"], default=0.0)
    fresh = max(out["fresh"], default=0.0)
    print(f"\nfirst rows: {rows:.1f} ms; everything painted: {worst:.1f} ms (target < 300 ms); "
          f"the first open's own read painted: {fresh:.1f} ms")


if __name__ == "__main__":
    main()
