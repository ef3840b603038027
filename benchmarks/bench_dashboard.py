"""The dashboard (统计) and the monthly reports at scale, on a 1,000,000-order demo database:
the dashboard opened inside the app (headless `App.run_test`, 160x45: F12 until today's
counters, the month's figures and the trend are painted), the reads behind it, the monthly
aggregation, the circular and the statement written as .docx / .xlsx / .json; beside the
same GROUP BY through bare sqlite3 in the same run.

    python benchmarks/bench_dashboard.py --db /tmp/metrics.db --runs 5

The database is written to (migrations on the first open, the kept monthly counts of
migration 0011, and the benchmark's own edits to orders): use a copy.
Targets (issue 7): the dashboard opens within 500 ms, a monthly report is written within 2 s.

Three states are measured: "first read" (no month counted yet: the app's warm-up does this
once, soon after start-up), "kept" (nothing changed since the last read) and "after edits"
(before each call, CHANGED orders of this month, spread over the units, are edited the way
a working clerk's hour would: replied / closed; the triggers mark their cells and the read
recounts them).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path


def timed(fn, runs: int, before=None) -> tuple[float, float, object]:  # noqa: ANN001
    """Median wall and CPU milliseconds of `runs` calls (after one warm-up call); `before()`
    runs ahead of each call, untimed."""
    if before is not None:
        before()
    out = fn()
    wall, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        gc.collect()
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        wall.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    return statistics.median(wall), statistics.median(cpu), out


RAW_DISPATCH = (
    "SELECT unit_id, count(*), sum(status = 'closed'), "
    "sum(status = 'closed' AND replied_at IS NOT NULL AND due_at IS NOT NULL "
    "AND replied_at <= due_at), sum(replied_at IS NOT NULL), "
    "sum(replied_at IS NOT NULL AND rework_count > 0) "
    "FROM work_order WHERE dispatched_at >= ? AND dispatched_at < ? GROUP BY unit_id")
RAW_INTAKE = ("SELECT unit_id, count(*), sum(status = 'closed' AND dispatched_at IS NULL) "
              "FROM work_order WHERE received_at >= ? AND received_at < ? GROUP BY unit_id")
RAW_DUE = ("SELECT unit_id, count(*), sum(status IN ('dispatched', 'signed', 'rework') "
           "OR replied_at > due_at) FROM work_order WHERE due_at >= ? AND due_at < ? "
           "GROUP BY unit_id")
RAW_TREND = ("SELECT substr(dispatched_at, 1, 7), count(*), sum(status = 'closed') "
             "FROM work_order WHERE dispatched_at >= ? AND dispatched_at < ? GROUP BY 1")


def raw_month(con: sqlite3.Connection, start: str, end: str, stop: str) -> None:
    """The month's per-unit counts of the three cohorts through bare sqlite3."""
    con.execute(RAW_DISPATCH, (start, end)).fetchall()
    con.execute(RAW_INTAKE, (start, end)).fetchall()
    con.execute(RAW_DUE, (start, stop)).fetchall()


CHANGED = 40
_ROUND = [0]


def edit_orders(engine, n: int = CHANGED) -> None:  # noqa: ANN001
    """Edit `n` orders dispatched this month, over many units (a different set each call)."""
    from sqlalchemy import text

    from hotline_tui.services import clock
    from hotline_tui.store.types import to_db_text

    _ROUND[0] += 1
    now = clock.now()
    start = to_db_text(now.replace(day=1, hour=0, minute=0, second=0, microsecond=0))
    with engine.begin() as conn:
        ids = [r[0] for r in conn.execute(text(
            "SELECT id FROM work_order WHERE dispatched_at >= :s AND status = 'signed' "
            "ORDER BY (id * 7919 + :k) % 104729 LIMIT :n"), {"s": start, "k": _ROUND[0], "n": n})]
        for i in ids:
            conn.execute(text("UPDATE work_order SET status = 'replied', replied_at = :t "
                              "WHERE id = :i"), {"t": to_db_text(now), "i": i})


async def dashboard_open(engine, runs: int) -> list[tuple[float, float, float]]:  # noqa: ANN001
    """(counters, figures, trend) ms after F12, per run: a new app each time, F12 pressed
    after its warm-up and CHANGED edits."""
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.app import HotlineApp
    from hotline_tui.tui.registry import discover
    from hotline_tui.tui.screens.dashboard import DashboardScreen

    found = {s.id: s for s in discover()}
    chosen = [found["inbox"], found["dashboard"]]
    out = []
    for _ in range(runs):
        original = app_module.discover
        app_module.discover = lambda: chosen
        try:
            app = HotlineApp(engine=engine, db_label="bench")
        finally:
            app_module.discover = original
        async with app.run_test(size=(160, 45)) as pilot:
            # the app's warm-up (a few seconds after start) has run; then the clerk works
            await pilot.pause(app_module.WARM_DELAY_S + 0.3)
            await app.workers.wait_for_complete()
            edit_orders(engine)
            t0 = time.perf_counter()
            await pilot.press("f12")
            screen = app.screen
            for _ in range(3000):
                await pilot.pause(0.01)
                screen = app.screen
                if isinstance(screen, DashboardScreen) and screen.trend_at and screen.figures_at:
                    break
            out.append(((screen.first_paint_at - t0) * 1000, (screen.figures_at - t0) * 1000,
                        (screen.trend_at - t0) * 1000))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/metrics.db")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--month", default=None, help="default: this month")
    args = ap.parse_args()
    path = Path(args.db)
    if not path.exists():
        raise SystemExit(f"{path} is missing: copy a 1M demo database there first")

    from sqlalchemy import text

    from hotline_tui.domain import metrics as dm
    from hotline_tui.services import clock
    from hotline_tui.services.metrics import (
        compare_months,
        period_figures,
        resolve_month,
        today_counters,
        trend,
    )
    from hotline_tui.services.report import write_report
    from hotline_tui.services.report.data import circular_data, statement_data
    from hotline_tui.store.engine import open_database
    from hotline_tui.store.types import to_db_text

    t0 = time.perf_counter()
    engine = open_database(path)
    print(f"open + migrate: {time.perf_counter() - t0:.1f} s")
    with engine.connect() as conn:
        orders = conn.execute(text("SELECT count(*) FROM work_order")).scalar()
    now = clock.now().replace(microsecond=0)
    clock.set_fixed(now)
    label, start, end = resolve_month(args.month, now)
    print(f"{orders:,} orders; month {label}; now {now:%Y-%m-%d %H:%M}")

    from hotline_tui.store import metrics_cache as mc

    def first(fn):  # noqa: ANN001, ANN202
        def run():  # noqa: ANN202
            with engine.begin() as conn:
                mc.clear(conn)
            return fn()
        return run

    def edited(fn):  # noqa: ANN001, ANN202
        fn.before = lambda: edit_orders(engine)
        return fn

    def dash():  # noqa: ANN202
        return compare_months(engine, label, now=now), trend(engine, until=label, now=now)

    def dash_after_edits():  # noqa: ANN202
        return dash()

    rows = []
    for name, fn in (
        ("this + last month + 12-month trend, first read", first(dash)),
        ("today's counters", lambda: today_counters(engine, now=now)),
        ("this + last month + trend, kept", dash),
        (f"this + last month + trend, after {CHANGED} edits", edited(dash_after_edits)),
        ("month per unit with repeats, after edits", edited(
            lambda: period_figures(engine, label, now=now))),
        ("circular data, after edits", edited(lambda: circular_data(engine, label, now=now))),
        ("statement data, after edits", edited(
            lambda: statement_data(engine, label, now=now))),
    ):
        wall, cpu, _ = timed(fn, args.runs, getattr(fn, "before", None))
        rows.append((name, wall, cpu))

    out_dir = Path(tempfile.mkdtemp(prefix="bench_dash_"))
    for kind in ("circular", "statement"):
        for fmt in ("docx", "xlsx", "json"):
            wall, cpu, _ = timed(lambda kind=kind, fmt=fmt: write_report(
                engine, label, fmt, out_dir / f"{kind}.{fmt}", kind=kind, now=now), args.runs,
                lambda: edit_orders(engine))
            rows.append((f"write {kind} .{fmt} (after edits)", wall, cpu))
    figs = period_figures(engine, label, now=now)
    f = dm.figures(figs.office)

    con = sqlite3.connect(path, isolation_level=None)
    s, e = to_db_text(start), to_db_text(end)
    stop = to_db_text(min(end, now))
    first = to_db_text(dm.last_months(start, 12)[0][1])
    base = []
    wall, cpu, _ = timed(lambda: raw_month(con, s, e, stop), args.runs)
    base.append(("bare sqlite3: month per unit (3 GROUP BY)", wall, cpu))
    wall, cpu, _ = timed(lambda: con.execute(RAW_TREND, (first, e)).fetchall(), args.runs)
    base.append(("bare sqlite3: 12-month GROUP BY", wall, cpu))
    con.close()

    opens = asyncio.run(dashboard_open(engine, max(3, args.runs)))
    counters = statistics.median(o[0] for o in opens)
    figures_ms = statistics.median(o[1] for o in opens)
    trend_ms = statistics.median(o[2] for o in opens)

    print(f"\nmedian of {args.runs} runs: wall ms (CPU ms of this process)")
    for name, wall, cpu in rows + base:
        print(f"  {name:<44} {wall:8.1f}  ({cpu:7.1f})")
    print(f"\ndashboard in the app after {CHANGED} edits, F12 until painted "
          f"(median of {len(opens)}):")
    print(f"  today's counters {counters:7.1f} ms   month figures {figures_ms:7.1f} ms   "
          f"trend {trend_ms:7.1f} ms   (target: open < 500 ms)")
    print(f"\n{label}: dispatched {f['dispatched']:,}, close rate {f['close_rate'].text()}, "
          f"overdue {f['overdue']:,}, repeats {f['repeats']:,}; files in {out_dir}")


if __name__ == "__main__":
    main()
