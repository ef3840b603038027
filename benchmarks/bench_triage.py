"""Triage at scale: the calls the triage screen makes per order / per keystroke, timed on a
large database beside the plain-SQL way of asking the same through bare sqlite3.

    python benchmarks/bench_triage.py --db /tmp/h5big.db          # reuse (or create) that file
    python benchmarks/bench_triage.py --db big.db --orders 200000

A missing database is made with `hotline demo --orders N --no-open --db PATH` when that
command exists, else with the raw-sqlite3 generator below (three years of orders over the
demo county's areas, categories and units, repeat callers and addresses). When the
suggestion statistics are empty they are rebuilt first (timed). Target: each call under
100 ms at 1,000,000 orders.

Measured: next_new_order (walking 20 new orders), suggest_unit and repeat_hints (for those
20), lookup_units (keystroke by keystroke: h hl hlh / 黑 黑龙 / z zj zjj ...). Baselines:
the same keyset query; the unit counts of earlier orders of the same area and category
(GROUP BY over work_order, what suggest_unit avoids with triage_stat); the phone / address /
text-candidate reads of the repeat hint without the text comparison; LIKE over the units.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

from hotline_tui.store.types import to_db_text

NOW = datetime(2026, 11, 20, 10, 0, 0)
KEYSTROKES = ["h", "hl", "hlh", "黑", "黑龙", "z", "zj", "zjj", "x", "xc", "xcj", "rs", "rsj",
              "城", "城管", "gong", "gongan"]


# ---- making the database ------------------------------------------------------------------


def _demo_command_exists() -> bool:
    try:
        out = subprocess.run([sys.executable, "-m", "hotline_tui", "demo", "--help"],
                             capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return out.returncode == 0 and "--orders" in out.stdout


CATEGORIES = {
    "城市管理/路灯": ("{road}路灯不亮", "县城管局"),
    "城市管理/占道经营": ("{road}占道经营", "县城管局"),
    "环境保护/噪音": ("{compound}附近噪音扰民", "县生态环境局"),
    "住房/物业管理": ("{compound}物业不作为", "县住建局"),
    "住房/房产证": ("{compound}房产证办不下来", "县自然资源局"),
    "劳动保障/欠薪": ("{company}拖欠工资", "县人社局"),
    "社会保障/社保卡": ("咨询社保卡补办", "县人社局"),
    "民政/低保": ("咨询低保申请", ""),
    "供水/停水": ("{place}停水", "县水利局"),
    "交通/道路破损": ("{place}道路破损", "县交通运输局"),
    "教育/入学": ("咨询孩子入学", "县教育局"),
    "卫生/疫苗": ("咨询疫苗接种", "县卫健委"),
    "农业/补贴": ("{place}种粮补贴未发放", "县农业农村局"),
    "市场监管/食品安全": ("{road}饭店卫生差", "县市场监管局"),
}


def _make_raw(path: Path, n: int) -> None:
    from hotline_tui.services.units import load_demo_county
    from hotline_tui.store import search
    from hotline_tui.store.engine import open_database

    engine = open_database(path)
    load_demo_county(engine)
    engine.dispose()
    from hotline_tui.config import shipped_data

    county = json.loads(shipped_data("demo_county.json").read_text(encoding="utf-8"))
    print(f"making {n:,} orders with the raw generator ...", flush=True)
    rnd = random.Random(5)
    con = sqlite3.connect(path)
    search.register_functions(con)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=OFF")
    units = {r[1]: r[0] for r in con.execute("SELECT id, short_name FROM unit")}
    units.update({r[1]: r[0] for r in con.execute("SELECT id, name FROM unit")})
    towns = county["townships"]
    phones = [f"13{rnd.randint(100000000, 999999999)}" for _ in range(n // 3)]
    cats = list(CATEGORIES)
    cols = ("order_no, is_local, received_at, caller_name, caller_phone, request_type, category,"
            " title, content, area, address, source, urgency, urgent, confidential, anonymous,"
            " upstream_unit, status, unit_id, tier_days, dispatched_at, due_at, signed_at,"
            " replied_at, closed_at, is_demo, version, created_at, updated_at")
    sql = f"INSERT INTO work_order ({cols}) VALUES ({', '.join('?' * 29)})"
    span = 3 * 365 * 86400
    start = NOW - timedelta(seconds=span)
    batch = []
    for i in range(n):
        rec = start + timedelta(seconds=span * i / n)
        town = rnd.choice(towns)
        cat = rnd.choice(cats)
        tmpl, dept = CATEGORIES[cat]
        compound = rnd.choice(town.get("compounds") or town.get("places") or ["小区"])
        place = rnd.choice(town.get("places") or ["村"])
        title = tmpl.format(road=rnd.choice(county["roads"]), compound=compound, place=place,
                            company=rnd.choice(county["companies"]))
        address = f"{town['name']}{compound}{rnd.randint(1, 30)}号楼"
        content = f"市民来电反映：{address}，{title}，已经{rnd.randint(2, 20)}天，希望尽快处理。"
        age = (NOW - rec).days
        st = "closed" if age > 30 else rnd.choice(("new", "triaged", "dispatched", "signed",
                                                    "replied", "closed"))
        unit = None
        if st != "new":
            unit = units.get(dept) if dept and rnd.random() < 0.8 else units.get(town["name"])
        t = to_db_text
        batch.append((
            f"D{i:09d}", 0, t(rec), "张**", rnd.choice(phones), "投诉", cat, title, content,
            town["name"], address, "12345", "", 0, 0, 0, dept, st, unit,
            None if unit is None else 3, None, None, None, None,
            t(rec) if st == "closed" else None, 1, 1, t(rec), t(rec),
        ))
        if len(batch) == 50_000:
            con.executemany(sql, batch)
            batch.clear()
    if batch:
        con.executemany(sql, batch)
    con.commit()
    con.execute("ANALYZE")
    con.close()


def prepare(path: Path, n: int) -> None:
    if path.exists():
        return
    if _demo_command_exists():
        print(f"making {n:,} orders with `hotline demo` ...", flush=True)
        rc = subprocess.run([sys.executable, "-m", "hotline_tui", "demo", "--orders", str(n),
                             "--no-open", "--db", str(path)]).returncode
        if rc == 0:
            return
    _make_raw(path, n)


# ---- timing --------------------------------------------------------------------------------


def _ms(fn, *args) -> tuple[float, object]:
    """(milliseconds, result) of one call."""
    t0 = time.perf_counter()
    out = fn(*args)
    return (time.perf_counter() - t0) * 1000, out


def _stats(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return f"median {statistics.median(s):7.2f} ms   p95 {p95:7.2f}   max {s[-1]:7.2f}"


def run(path: Path) -> None:
    from hotline_tui.services import triage as tr
    from hotline_tui.services.repeats import TEXT_RECENT, TEXT_SAME_CATEGORY, repeat_hints
    from hotline_tui.services.units import lookup_units
    from hotline_tui.store.engine import open_database

    engine = open_database(path)
    con = sqlite3.connect(path)
    total = con.execute("SELECT count(*) FROM work_order").fetchone()[0]
    new = con.execute("SELECT count(*) FROM work_order WHERE status = 'new'").fetchone()[0]
    n_units = con.execute("SELECT count(*) FROM unit").fetchone()[0]
    print(f"\n{path}: {total:,} orders, {new:,} new, {n_units} units\n")
    if con.execute("SELECT count(*) FROM triage_stat").fetchone()[0] == 0:
        t0 = time.perf_counter()
        counted = tr.rebuild_triage_stats(engine)
        rows = con.execute("SELECT count(*) FROM triage_stat").fetchone()[0]
        print(f"rebuild_triage_stats: {counted:,} orders -> {rows:,} rows in "
              f"{time.perf_counter() - t0:.1f} s (once; kept current by triage afterwards)\n")

    # warm both paths once (imports, pypinyin, page cache)
    item = tr.next_new_order(engine)
    if item is None:
        print("no new orders to walk")
        return
    lookup_units(engine, "hlh")
    tr.suggest_unit(engine, item)
    repeat_hints(engine, item)

    results: list[tuple[str, list[float], list[float]]] = []

    def ms(fn, *args) -> float:
        return _ms(fn, *args)[0]

    # next_new_order
    items, ours, base = [], [], []
    cur = None
    for _ in range(20):
        took, cur = _ms(tr.next_new_order, engine, cur.id if cur else None)
        ours.append(took)
        if cur is None:
            break
        items.append(cur)
    first_sql = "SELECT * FROM work_order WHERE status = 'new' ORDER BY received_at, id LIMIT 1"
    next_sql = ("SELECT * FROM work_order WHERE status = 'new' AND (received_at > ?"
                " OR (received_at = ? AND id > ?)) ORDER BY received_at, id LIMIT 1")
    prev = None
    for it in items:
        if prev is None:
            base.append(ms(lambda q: con.execute(q).fetchone(), first_sql))
        else:
            at = to_db_text(prev.received_at)
            base.append(ms(lambda q, p: con.execute(q, p).fetchone(), next_sql,
                           (at, at, prev.id)))
        prev = it
    results.append(("next_new_order", ours, base))

    # suggest_unit
    ours = [ms(tr.suggest_unit, engine, it) for it in items]
    sql = ("SELECT unit_id, count(*) FROM work_order WHERE area = ? AND category = ?"
           " AND unit_id IS NOT NULL GROUP BY unit_id ORDER BY 2 DESC LIMIT 5")
    base = [ms(lambda p: con.execute(sql, p).fetchall(), (it.area, it.category))
            for it in items]
    results.append(("suggest_unit", ours, base))

    # repeat_hints
    ours = [ms(repeat_hints, engine, it) for it in items]

    def plain_repeats(it) -> None:
        lo, hi = to_db_text(it.received_at - timedelta(days=90)), to_db_text(it.received_at)
        con.execute("SELECT id, order_no, status FROM work_order WHERE caller_phone = ?"
                    " AND received_at BETWEEN ? AND ? LIMIT 50",
                    (it.caller_phone, lo, hi)).fetchall()
        con.execute("SELECT id, order_no, status FROM work_order WHERE address = ?"
                    " AND received_at BETWEEN ? AND ? LIMIT 50", (it.address, lo, hi)).fetchall()
        con.execute("SELECT id, order_no, title, substr(content, 1, 160) FROM work_order"
                    " WHERE area = ? AND category = ? AND received_at BETWEEN ? AND ?"
                    f" ORDER BY received_at DESC LIMIT {TEXT_SAME_CATEGORY}",
                    (it.area, it.category, lo, hi)).fetchall()
        con.execute("SELECT id, order_no, title, substr(content, 1, 160) FROM work_order"
                    " WHERE area || '' = ? AND received_at BETWEEN ? AND ?"
                    f" ORDER BY received_at DESC LIMIT {TEXT_RECENT}",
                    (it.area, lo, hi)).fetchall()

    base = [ms(plain_repeats, it) for it in items]
    results.append(("repeat_hints", ours, base))

    # lookup_units, one call per keystroke
    ours = [ms(lookup_units, engine, k) for k in KEYSTROKES]
    sql = ("SELECT id, name FROM unit WHERE retired = 0 AND (name LIKE ? OR short_name LIKE ?"
           " OR initials LIKE ? OR pinyin LIKE ?) LIMIT 10")
    base = [ms(lambda p: con.execute(sql, p).fetchall(), (f"%{k}%", f"%{k}%", f"{k}%", f"{k}%"))
            for k in KEYSTROKES]
    results.append(("lookup_units", ours, base))
    gc.collect()

    print(f"{'call':16} {'service (ours)':44} {'bare sqlite3 baseline'}")
    for name, a, b in results:
        print(f"{name:16} {_stats(a)}   |   {_stats(b)}")
    worst = max(max(a) for _, a, _ in results)
    print(f"\nworst single call: {worst:.1f} ms (target < 100 ms)")
    con.close()
    engine.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/h5big.db")
    ap.add_argument("--orders", type=int, default=1_000_000)
    args = ap.parse_args()
    path = Path(args.db)
    prepare(path, args.orders)
    run(path)


if __name__ == "__main__":
    main()
