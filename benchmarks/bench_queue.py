"""The overdue queue at scale: how long the queue screen's one call takes (plain, grouped by
unit and by owner, chase-today) and how long saving a chase takes, on a 1,000,000-order demo
database, beside the same work through bare sqlite3 in the same run.

    python benchmarks/bench_queue.py                      # /tmp/h10big.db
    python benchmarks/bench_queue.py --db big.db --runs 7

The database is made first with `hotline demo --orders 1000000 --no-open --db /tmp/h10big.db`
(about 5 minutes); opening it runs the migrations. Demo orders signed for without an owner
get owners through services.owners.fill_demo_owners (once, ~20 s), so that grouping by owner
reads real owners. Chasing writes to the database (chase log, chase summary, history).
Targets (issue 5): the queue opens within 300 ms, a chase is saved within 100 ms.
"""

from __future__ import annotations

import argparse
import gc
import sqlite3
import statistics
import time
from datetime import datetime
from pathlib import Path

from hotline_tui.store.types import to_db_text


def timed(fn, runs: int) -> tuple[float, object]:  # noqa: ANN001
    """Median milliseconds of `runs` calls (after one warm-up call), and the last result."""
    out = fn()
    times = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        out = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), out


def raw_page(con: sqlite3.Connection, now: datetime, end: datetime, limit: int = 100) -> list:
    """The plain queue page through bare sqlite3: the ids by the partial deadline index, then
    the details of the page (unit, owner, chase summary, flags): the same SQL the app runs."""
    ids = [r[0] for r in con.execute(
        "SELECT w.id FROM work_order AS w INDEXED BY ix_order_running_due "
        "WHERE w.status IN ('dispatched', 'signed', 'rework') AND w.due_at < ? "
        "ORDER BY w.due_at, w.unit_id, w.id LIMIT ?", (to_db_text(end), limit))]
    con.execute(
        "SELECT count(*), sum(w.due_at < ?) FROM work_order AS w INDEXED BY ix_order_running_due "
        "WHERE w.status IN ('dispatched', 'signed', 'rework') AND w.due_at < ?",
        (to_db_text(now), to_db_text(end))).fetchone()
    marks = ",".join("?" * len(ids))
    return con.execute(
        "SELECT w.id, w.order_no, w.due_at, u.name, o.name, o.phone, c.chase_count, "
        "c.next_chase_on, EXISTS (SELECT 1 FROM sponsorship sp WHERE sp.order_id = w.id "
        "AND sp.ended_at IS NULL) FROM work_order w LEFT JOIN unit u ON u.id = w.unit_id "
        "LEFT JOIN owner o ON o.id = w.owner_id LEFT JOIN chase_state c ON c.order_id = w.id "
        f"WHERE w.id IN ({marks})", ids).fetchall()


def raw_chase(con: sqlite3.Connection, order_id: int, at: datetime) -> None:
    """A chase through bare sqlite3: log row, summary upsert, history row, version bump."""
    t = to_db_text(at)
    con.execute("BEGIN IMMEDIATE")
    con.execute("INSERT INTO chase_log (order_id, at, actor, method, whom, said, promised_on, "
                "next_chase_on) VALUES (?, ?, 'bench', 'phone', '', 'raw', NULL, ?)",
                (order_id, t, at.date().isoformat()))
    con.execute("INSERT INTO chase_state (order_id, chase_count, last_chase_at, last_method, "
                "next_chase_on) VALUES (?, 1, ?, 'phone', ?) ON CONFLICT (order_id) DO UPDATE "
                "SET chase_count = chase_count + 1, last_chase_at = excluded.last_chase_at, "
                "next_chase_on = excluded.next_chase_on", (order_id, t, at.date().isoformat()))
    status = con.execute("SELECT status FROM work_order WHERE id = ?", (order_id,)).fetchone()[0]
    con.execute("UPDATE work_order SET version = version + 1, updated_at = ? WHERE id = ?",
                (t, order_id))
    con.execute("INSERT INTO order_history (order_id, at, actor, event, old_status, new_status, "
                "changes, note) VALUES (?, ?, 'bench', 'chase', ?, ?, '{}', 'raw')",
                (order_id, t, status, status))
    con.execute("COMMIT")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", default="/tmp/h10big.db")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    path = Path(args.db)
    if not path.exists():
        raise SystemExit(f"{path} is missing: hotline demo --orders 1000000 --no-open --db {path}")

    from sqlalchemy import text

    from hotline_tui.domain.escalation import window_end
    from hotline_tui.services import clock
    from hotline_tui.services.chase import chase
    from hotline_tui.services.queue import escalation_rules, queue_page
    from hotline_tui.services.sponsor_candidates import sponsor_candidates
    from hotline_tui.store.engine import open_database

    t0 = time.perf_counter()
    engine = open_database(path)
    print(f"open + migrate: {time.perf_counter() - t0:.1f} s")
    with engine.connect() as conn:
        orders = conn.execute(text("SELECT count(*) FROM work_order")).scalar()
        owners = conn.execute(text("SELECT count(*) FROM owner")).scalar()
    if owners == 0:
        from hotline_tui.services.owners import fill_demo_owners

        t0 = time.perf_counter()
        n = fill_demo_owners(engine)
        print(f"fill_demo_owners: {n:,} orders got owners in {time.perf_counter() - t0:.0f} s")
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    now = clock.now()
    clock.set_fixed(now)
    rules = escalation_rules(engine)
    end = window_end(now, rules)

    rows = []
    ms, page = timed(lambda: queue_page(engine), args.runs)
    rows.append(("queue open (100 rows + counts)", ms))
    print(f"{orders:,} orders; queue: {page.total:,} rows ({page.counts.overdue:,} overdue, "
          f"{page.counts.today:,} today, {page.counts.soon:,} soon)")
    for label, kw in (("queue page at offset 20,000", {"offset": 20000}),
                      ("queue grouped by unit", {"group": "unit"}),
                      ("queue grouped by owner", {"group": "owner"}),
                      ("chase-today view", {"view": "today"})):
        ms, _ = timed(lambda kw=kw: queue_page(engine, **kw), args.runs)
        rows.append((label, ms))

    targets = [r.order_no for r in page.rows[: args.runs + 1]]
    it = iter(targets)
    ms, _ = timed(lambda: chase(engine, [next(it)], method="电话", said="bench"), args.runs)
    rows.append(("chase save (1 order)", ms))
    batch = [r.order_no for r in page.rows[10:60]]
    ms, _ = timed(lambda: chase(engine, batch, method="短信", said="bench"), 1)
    rows.append(("chase save (50 marked orders)", ms))
    ms, cands = timed(lambda: sponsor_candidates(engine), 1)
    rows.append(("sponsorship candidates", ms))

    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    base = []
    ms, _ = timed(lambda: raw_page(con, now, end), args.runs)
    base.append(("bare sqlite3: queue page", ms))
    ids = iter([r.order_id for r in page.rows[60 : 61 + args.runs]])
    ms, _ = timed(lambda: raw_chase(con, next(ids), now), args.runs)
    base.append(("bare sqlite3: chase save", ms))
    con.close()

    print(f"\nmedian of {args.runs} runs (ms)")
    for label, ms in rows + base:
        print(f"  {label:<36} {ms:8.1f}")
    print(f"\ncandidates: {cands.escalated_total:,} escalated, {len(cands.much_chased)} much "
          f"chased, {len(cands.repeats)} repeat groups ({cands.text_compared:,} compared by text)")


if __name__ == "__main__":
    main()
