"""The owner register at scale: how long the register screen's reads take on a large database,
beside the same SQL run through bare sqlite3 in the same process.

    python benchmarks/bench_register.py                      # 1,000,000 orders in a temp file
    python benchmarks/bench_register.py --db big.db          # reuse (or create) that file
    python benchmarks/bench_register.py --orders 200000

A missing database is made with services.demo.generate (what `hotline demo` runs) when it
exists, else with a raw-sqlite3 generator below (three years of orders, most closed,
the last weeks in every state). Demo orders that were signed for get owners through
services.owners.fill_demo_owners. The clock is frozen at the newest order's receipt time.
Target: the register screen's one call (`register_snapshot`) under 300 ms at 1,000,000.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sqlite3
import statistics
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from hotline_tui.store.types import to_db_text

NOW = datetime(2026, 11, 20, 10, 0, 0)
UNITS = 150


# ---- making the database ------------------------------------------------------------------


def _make_with_demo(path: Path, n: int) -> bool:
    """services.demo (the demo county, the last six months) when it is there."""
    try:
        from hotline_tui.services.demo import generate
    except ImportError:
        return False
    print(f"making {n:,} orders with services.demo ...", flush=True)
    t0 = time.perf_counter()
    generate(path, n, now=NOW)
    print(f"  {time.perf_counter() - t0:.0f} s", flush=True)
    return True


def _state(rnd: random.Random, age_days: float) -> str:
    x = rnd.random()
    if age_days > 30:
        table = (("closed", 0.965), ("replied", 0.975), ("signed", 0.985), ("rework", 0.99),
                 ("dispatched", 0.995), ("meeting", 1.0))
    else:
        table = (("new", 0.08), ("triaged", 0.15), ("dispatched", 0.27), ("signed", 0.55),
                 ("replied", 0.72), ("rework", 0.75), ("closed", 1.0))
    for st, edge in table:
        if x < edge:
            return st
    return "closed"


def _make_raw(path: Path, n: int) -> None:
    """Orders over three years up to NOW through bare sqlite3 (schema from the migrations)."""
    from hotline_tui.store.engine import open_database

    open_database(path).dispose()
    print(f"making {n:,} orders with the raw generator ...", flush=True)
    rnd = random.Random(4)
    con = sqlite3.connect(path)
    try:  # the search index's triggers call this function (store/search.py)
        from hotline_tui.store.search import register_functions

        register_functions(con)
    except ImportError:
        pass
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    con.executemany(
        "INSERT INTO unit (id, name, short_name, kind, phone, leader, pinyin, initials, retired)"
        " VALUES (?, ?, '', 'township', '', '', '', '', 0)",
        [(i, f"单位{i:03d}") for i in range(1, UNITS + 1)],
    )
    span = 3 * 365 * 86400
    start = NOW - timedelta(seconds=span)
    cols = ("order_no, is_local, received_at, caller_name, caller_phone, request_type, category,"
            " title, content, area, address, source, urgency, urgent, confidential, anonymous,"
            " upstream_unit, status, unit_id, tier_days, dispatched_at, due_at, signed_at,"
            " replied_at, closed_at, is_demo, version, created_at, updated_at")
    sql = f"INSERT INTO work_order ({cols}) VALUES ({', '.join('?' * 29)})"
    batch = []
    for i in range(n):
        rec = start + timedelta(seconds=span * i / n)
        age = (NOW - rec).total_seconds() / 86400
        st = _state(rnd, age)
        unit = disp = due = signed = replied = closed = None
        tier = None
        if st != "new":
            unit = rnd.randint(1, UNITS)
            tier = rnd.choice((0, 3, 5, 15))
        if st not in ("new", "triaged"):
            disp = rec + timedelta(hours=rnd.uniform(1, 30))
            if disp > NOW:
                disp = NOW - timedelta(minutes=5)
            due = disp + timedelta(days=tier * 1.4 + 1)
            if st != "dispatched" and rnd.random() < 0.92:
                signed = disp + timedelta(hours=rnd.expovariate(1 / 14))
                if signed > NOW:
                    signed = NOW
            if st in ("replied", "closed", "rework"):
                replied = min(NOW, disp + timedelta(days=rnd.uniform(0.5, tier * 1.4 + 3)))
            if st == "closed":
                closed = replied
        t = to_db_text
        batch.append((
            f"D{i:09d}", 0, t(rec), "", "", "投诉", "", "路灯不亮", "", "", "", "12345", "", 0,
            0, 0, "", st, unit, tier, t(disp), t(due), t(signed), t(replied), t(closed), 1, 1,
            t(rec), t(rec),
        ))
        if len(batch) == 50_000:
            con.executemany(sql, batch)
            batch.clear()
    if batch:
        con.executemany(sql, batch)
    con.commit()
    con.close()


def prepare(path: Path, n: int) -> None:
    from hotline_tui.services import clock, owners
    from hotline_tui.store.engine import open_database

    if not path.exists():
        if not _make_with_demo(path, n):
            _make_raw(path, n)
    engine = open_database(path)
    clock.set_fixed(NOW)
    t0 = time.perf_counter()
    filled = owners.fill_demo_owners(engine)
    if filled:
        print(f"fill_demo_owners: {filled:,} orders given owners in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        with engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    engine.dispose()


# ---- timing --------------------------------------------------------------------------------


def _time(fn, repeat: int = 5) -> tuple[float, float]:
    """(first call, median of the next `repeat`) in milliseconds."""
    gc.collect()
    t0 = time.perf_counter()
    fn()
    first = (time.perf_counter() - t0) * 1000
    runs = []
    for _ in range(repeat):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - t0) * 1000)
    return first, statistics.median(runs)


def _baseline_sql(limits, now: datetime, con: sqlite3.Connection) -> dict[str, callable]:
    """The same reads as hand-written SQL through bare sqlite3, with the limits table as a
    plain VALUES CTE (the app passes it as one JSON parameter)."""
    soon = to_db_text(now + timedelta(hours=48))
    tnow = to_db_text(now)
    owned = "o.status IN ('signed', 'replied', 'rework', 'meeting')"
    (lo,) = con.execute(f"SELECT min(dispatched_at) FROM work_order o WHERE {owned}").fetchone()
    first = datetime.fromisoformat(lo).date()

    def lim(rows):
        text = ", ".join("(?, ?, ?, ?, ?)" for _ in rows)
        params = [p for d, e, a, b in rows for p in (
            d.isoformat(), (d + timedelta(days=1)).isoformat(), to_db_text(e), to_db_text(a),
            to_db_text(b))]
        return f"WITH lim(day, nxt, eod, lo, hi) AS MATERIALIZED (VALUES {text}) ", params

    lim_sql, lim_params = lim(limits.day_table(first, now.date()))
    late = "o.signed_at > CASE WHEN o.dispatched_at < lim.eod THEN lim.lo ELSE lim.hi END"
    owner_sql = (
        lim_sql + "SELECT w.id, count(*),"
        " sum(o.status IN ('dispatched','signed','rework') AND o.due_at >= ? AND o.due_at < ?),"
        " sum(o.status IN ('dispatched','signed','rework') AND o.due_at < ?),"
        f" sum(o.signed_at IS NOT NULL AND lim.day IS NOT NULL AND {late})"
        f" FROM owner w JOIN work_order o ON o.owner_id = w.id AND {owned}"
        " LEFT JOIN lim ON lim.day = substr(o.dispatched_at, 1, 10) GROUP BY w.id"
    )
    cutoff = to_db_text(limits.unsigned_late_cutoff(now))
    mstart = datetime(now.year, now.month, 1)
    m_sql, m_params = lim(limits.day_table(mstart.date(), now.date()))
    rates_sql = (
        m_sql + "SELECT u.id, count(*), sum(o.signed_at <= ?),"
        " sum(o.signed_at <= ? AND o.signed_at <= CASE WHEN o.dispatched_at < lim.eod"
        "  THEN lim.lo ELSE lim.hi END),"
        " sum(o.signed_at IS NULL AND o.dispatched_at >= ?)"
        " FROM unit u JOIN lim JOIN work_order o ON o.unit_id = u.id"
        "  AND o.dispatched_at >= lim.day AND o.dispatched_at < lim.nxt GROUP BY u.id"
    )
    return {
        "owner counts (GROUP BY owner)": lambda: con.execute(
            owner_sql, [*lim_params, tnow, soon, tnow]).fetchall(),
        "waiting counts (GROUP BY unit)": lambda: con.execute(
            "SELECT unit_id, count(*), sum(dispatched_at < ?) FROM work_order"
            " WHERE status = 'dispatched' GROUP BY unit_id", (cutoff,)).fetchall(),
        "waiting page (100)": lambda: con.execute(
            "SELECT o.id, o.order_no, u.name, o.title, o.dispatched_at FROM work_order o"
            " LEFT JOIN unit u ON u.id = o.unit_id WHERE o.status = 'dispatched'"
            " ORDER BY o.dispatched_at, o.id LIMIT 100").fetchall(),
        "month sign counts (GROUP BY unit)": lambda: con.execute(
            rates_sql, [*m_params, tnow, tnow, cutoff]).fetchall(),
    }


def run(path: Path) -> None:
    from hotline_tui.services import clock, owners
    from hotline_tui.store import register_query as rq
    from hotline_tui.store.engine import open_database

    clock.set_fixed(NOW)
    engine = open_database(path)
    with engine.connect() as conn:
        total = conn.exec_driver_sql("SELECT count(*) FROM work_order").scalar()
        open_owned = conn.exec_driver_sql(
            "SELECT count(*) FROM work_order WHERE status IN ('signed','replied','rework',"
            "'meeting')").scalar()
        waiting = conn.exec_driver_sql(
            "SELECT count(*) FROM work_order WHERE status = 'dispatched'").scalar()
        n_owners = conn.exec_driver_sql("SELECT count(*) FROM owner").scalar()
        big = conn.exec_driver_sql(
            "SELECT owner_id FROM work_order WHERE status IN ('signed','replied','rework')"
            " AND owner_id IS NOT NULL GROUP BY owner_id ORDER BY count(*) DESC LIMIT 1"
        ).scalar()
        unit_of_big = conn.exec_driver_sql(
            "SELECT unit_id FROM owner WHERE id = ?", (big,)).scalar()
    print(f"\n{path}: {total:,} orders, {open_owned:,} open with an owner, {waiting:,} waiting"
          f" for sign-for, {n_owners:,} owners\n")

    with engine.connect() as conn:
        limits = owners.sign_limits(conn)
        soon = owners.soon_hours(conn)
    from hotline_tui.domain.signing import month_bounds

    period = ("", *month_bounds(f"{NOW:%Y-%m}"))

    def with_conn(fn):
        def go():
            with engine.connect() as conn:
                return fn(conn)
        return go

    app_steps = {
        "owner counts (GROUP BY owner)": with_conn(lambda c: rq.owner_counts(
            c, now=NOW, soon_hours=soon, limits=limits)),
        "waiting counts (GROUP BY unit)": with_conn(lambda c: rq.waiting_counts(
            c, cutoff=limits.unsigned_late_cutoff(NOW))),
        "waiting page (100)": with_conn(lambda c: rq.waiting_page(
            c, now=NOW, limits=limits, limit=100)),
        "month sign counts (GROUP BY unit)": with_conn(lambda c: rq.sign_counts(
            c, start=period[1], end=period[2], as_of=NOW, limits=limits)),
    }
    con = sqlite3.connect(path)
    base_steps = _baseline_sql(limits, NOW, con)

    print(f"{'step':38} {'app first':>10} {'app med':>9} {'sqlite3 med':>12}")
    for name, fn in app_steps.items():
        first, med = _time(fn)
        _bf, bmed = _time(base_steps[name])
        print(f"{name:38} {first:9.1f}ms {med:7.1f}ms {bmed:10.1f}ms")
    con.close()

    def cold():
        """As on opening the app: a new engine, no cached calendar, limits or lim table."""
        from hotline_tui.services import calendar

        owners._limits_cache.clear()
        rq._json_cache.clear()
        calendar.invalidate()
        fresh = open_database(path)
        try:
            owners.register_snapshot(fresh)
        finally:
            fresh.dispose()

    whole = {
        "register_snapshot, cold (new engine)": cold,
        "register_snapshot (the screen's call)": lambda: owners.register_snapshot(engine),
        "register_snapshot, one unit": lambda: owners.register_snapshot(
            engine, unit_id=unit_of_big),
        "owner_orders (drill-in, 100)": lambda: owners.owner_orders(engine, big),
        "owner_suggestions ('z')": lambda: owners.owner_suggestions(engine, unit_of_big, "z"),
        "sign_rates (month)": lambda: owners.sign_rates(engine, f"{NOW:%Y-%m}"),
        "roster (all owners)": lambda: owners.roster(engine),
    }
    print()
    print(f"{'service call':38} {'first':>10} {'median':>9}")
    for name, fn in whole.items():
        first, med = _time(fn)
        flag = "  (over 300 ms)" if name.startswith("register_snapshot") and med > 300 else ""
        print(f"{name:38} {first:8.1f}ms {med:7.1f}ms{flag}")
    snap = owners.register_snapshot(engine)
    print(f"\nsnapshot: {len(snap.units)} units, {len(snap.owners)} owners with open orders,"
          f" {snap.waiting_total:,} waiting ({snap.waiting_late_total:,} past the limit),"
          f" month {snap.total.sign_rate.text()} signed,"
          f" {snap.total.on_time_rate.text()} on time")
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--db", type=Path, help="database file (made when missing)")
    ap.add_argument("--orders", type=int, default=1_000_000)
    args = ap.parse_args()
    tmp = None
    path = args.db
    if path is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench_register_")
        path = Path(tmp.name) / "register.db"
    os.environ.setdefault("HOTLINE_DATA_DIR", str(path.parent / "data"))
    os.environ.setdefault("HOTLINE_CONFIG_DIR", str(path.parent / "config"))
    try:
        prepare(path, args.orders)
        run(path)
    finally:
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
