"""The reply review at scale: how long `review_order()` takes for replies waiting for the
review (the copy-paste check against the other orders' replies included), the waiting list,
and the three writes (take a reply, accept, send back), on a 1,000,000-order demo database
with its demo replies; beside a bare-sqlite3 baseline of the same reads in the same run
(the order, its latest reply, the fingerprint and near-copy key seeks with their LIMITs, the
candidates' texts) and the bare review rules (domain.review.review) on the same inputs.

    python benchmarks/bench_review.py --db /tmp/replies.db --samples 40 --runs 3

Make the database with `hotline demo --orders 1000000 --no-open --db PATH` (the demo fills
replies and callbacks), or migrate a copy of an older 1M demo and run
services.demo_replies.fill_demo_replies on it. The writes change the database (a copy!).
Target (issue 6): reviewing a reply answers within 100 ms at 1,000,000 orders.
"""

from __future__ import annotations

import argparse
import gc
import random
import sqlite3
import statistics
import time
from pathlib import Path

FP_SQL = ("SELECT id, order_id FROM reply WHERE fingerprint = ? AND order_id <> ? "
          "ORDER BY order_id DESC LIMIT 50")
KEY_SQL = ("SELECT reply_id, order_id FROM reply_band WHERE band_key = ? AND order_id <> ? "
           "ORDER BY reply_id DESC LIMIT 60")


def ms(fn, runs: int) -> list[float]:  # noqa: ANN001
    fn()  # warm
    out = []
    for _ in range(runs):
        gc.collect()
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def summary(samples: list[float]) -> str:
    s = sorted(samples)
    p95 = s[min(len(s) - 1, int(round(0.95 * (len(s) - 1))))]
    return f"median {statistics.median(s):7.1f} ms   p95 {p95:7.1f} ms   (n={len(s)})"


def raw_review_reads(con: sqlite3.Connection, order_no: str) -> list:
    """The reads of review_order through bare sqlite3: the order, its unit and owner, the
    latest reply, the exact-copy and near-copy candidates, their texts, the rounds."""
    from hotline_tui.domain.review import band_keys

    o = con.execute("SELECT id, unit_id, owner_id, title, content FROM work_order "
                    "WHERE order_no = ?", (order_no,)).fetchone()
    oid = o[0]
    con.execute("SELECT name FROM unit WHERE id = ?", (o[1],)).fetchone()
    con.execute("SELECT name, phone FROM owner WHERE id = ?", (o[2],)).fetchone()
    r = con.execute("SELECT id, text, fingerprint FROM reply WHERE order_id = ? "
                    "ORDER BY id DESC LIMIT 1", (oid,)).fetchone()
    # the near-copy keys from the text, as the app does (reply_band is keyed by band_key)
    keys = band_keys(r[1]) if r else []
    cands = {}
    if r:
        cands.update(con.execute(FP_SQL, (r[2], oid)).fetchall())
    for k in keys:
        cands.update(con.execute(KEY_SQL, (k, oid)).fetchall())
    ids = list(cands)[:50]
    marks = ",".join("?" * len(ids))
    texts = con.execute(f"SELECT r.id, o.order_no, r.text FROM reply r JOIN work_order o "
                        f"ON o.id = r.order_id WHERE r.id IN ({marks})", ids).fetchall() \
        if ids else []
    con.execute("SELECT received_at, decision FROM reply WHERE order_id = ?", (oid,)).fetchall()
    return texts


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", default="/tmp/replies.db")
    ap.add_argument("--samples", type=int, default=40, help="pending orders reviewed")
    ap.add_argument("--runs", type=int, default=3, help="repetitions of each figure")
    ap.add_argument("--no-writes", action="store_true")
    args = ap.parse_args()
    path = Path(args.db)

    from hotline_tui.domain.review import ReplyText, RequestText, SimilarReply, review
    from hotline_tui.services.replies import take_reply
    from hotline_tui.services.review import (
        accept,
        count_pending,
        pending_reviews,
        review_order,
        send_back,
    )
    from hotline_tui.store.engine import open_database

    engine = open_database(path)
    con = sqlite3.connect(path)
    n_orders = con.execute("SELECT max(id) FROM work_order").fetchone()[0]
    n_replies = con.execute("SELECT count(*) FROM reply").fetchone()[0]
    n_bands = con.execute("SELECT count(*) FROM reply_band").fetchone()[0]
    pending = [r[0] for r in con.execute(
        "SELECT order_no FROM work_order WHERE status = 'replied' ORDER BY id")]
    print(f"{path}: {n_orders:,} orders, {n_replies:,} replies, {n_bands:,} near-copy keys, "
          f"{len(pending):,} waiting for the review")
    rnd = random.Random(6)
    sample = rnd.sample(pending, min(args.samples, len(pending)))

    app, raw, rules, cpus = [], [], [], []
    for _ in range(args.runs):
        for no in sample:
            gc.collect()
            c0, t0 = time.process_time(), time.perf_counter()
            review_order(engine, no)
            app.append((time.perf_counter() - t0) * 1000)
            cpus.append((time.process_time() - c0) * 1000)
    cpu = statistics.median(cpus)
    for _ in range(args.runs):
        for no in sample:
            t0 = time.perf_counter()
            texts = raw_review_reads(con, no)
            raw.append((time.perf_counter() - t0) * 1000)
            o = con.execute("SELECT title, content, request_type, category, id FROM work_order "
                            "WHERE order_no = ?", (no,)).fetchone()
            rt = con.execute("SELECT text FROM reply WHERE order_id = ? ORDER BY id DESC "
                             "LIMIT 1", (o[4],)).fetchone()
            sims = tuple(SimilarReply(n, t) for _i, n, t in texts)
            t0 = time.perf_counter()
            review(RequestText(o[0], o[1], o[2], o[3], no), ReplyText(rt[0] if rt else ""),
                   sims)
            rules.append((time.perf_counter() - t0) * 1000)
    print(f"review_order()            {summary(app)}   cpu median {cpu:.1f} ms")
    print(f"  bare sqlite3 reads      {summary(raw)}")
    print(f"  bare review rules       {summary(rules)}")
    print(f"count_pending()           {summary(ms(lambda: count_pending(engine), 5))}")
    print(f"pending_reviews(100)      {summary(ms(lambda: pending_reviews(engine), 5))}")
    print("  bare sqlite3 count      " + summary(ms(lambda: con.execute(
        "SELECT count(*) FROM work_order WHERE status = 'replied'").fetchone(), 5)))

    if not args.no_writes:
        signed = [r[0] for r in con.execute(
            "SELECT order_no FROM work_order WHERE status = 'signed' ORDER BY id DESC "
            "LIMIT ?", (args.samples,))]
        text = con.execute("SELECT text FROM reply WHERE verdict = 'acceptable' LIMIT 1"
                           ).fetchone()[0]
        took, acc, back = [], [], []
        for i, no in enumerate(signed):
            t0 = time.perf_counter()
            take_reply(engine, no, text=text + f"（第{i}件）")
            took.append((time.perf_counter() - t0) * 1000)
        for i, no in enumerate(signed):
            t0 = time.perf_counter()
            if i % 2:
                accept(engine, no)
                acc.append((time.perf_counter() - t0) * 1000)
            else:
                send_back(engine, no, reason="请补充联系来电人的情况")
                back.append((time.perf_counter() - t0) * 1000)
        print(f"take_reply()              {summary(took)}")
        print(f"accept()                  {summary(acc)}")
        print(f"send_back()               {summary(back)}")
    engine.dispose()
    con.close()


if __name__ == "__main__":
    main()
