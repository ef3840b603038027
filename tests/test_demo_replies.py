"""The demo's replies and callbacks: replies for the orders waiting for the review (with
their verdict) and the recent ones, copy keys exactly as domain.review computes them,
rework counts that agree with the history, callbacks ~85% satisfied, deterministic."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime

import pytest

from hotline_tui.domain.review import band_keys, fingerprint
from hotline_tui.services import demo
from hotline_tui.store.engine import make_engine

NOW = datetime(2026, 5, 20, 10, 30)
pytestmark = pytest.mark.sqlite_only


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo_replies") / "demo.db"
    demo.generate(path, 4000, seed=7, now=NOW, workers=0)
    eng = make_engine(path)
    yield eng
    eng.dispose()


def _all(eng, sql):
    with eng.connect() as conn:
        return conn.exec_driver_sql(sql).all()


def test_every_order_waiting_for_the_review_has_a_reviewed_reply(made):
    rows = _all(made, "SELECT o.id, r.verdict, r.score, r.decision FROM work_order o "
                      "LEFT JOIN reply r ON r.id = (SELECT max(id) FROM reply "
                      "WHERE order_id = o.id) WHERE o.status = 'replied'")
    assert rows and all(v in ("acceptable", "send_back") and s is not None and d == "pending"
                        for _o, v, s, d in rows)
    verdicts = Counter(v for _o, v, _s, _d in rows)
    assert verdicts["acceptable"] and verdicts["send_back"]  # a mix
    decisions = dict(_all(made, "SELECT decision, count(*) FROM reply GROUP BY decision"))
    assert decisions["accepted"] > decisions.get("sent_back", 0) > 0


def test_copy_keys_are_exactly_the_review_s(made):
    rows = _all(made, "SELECT id, text, fingerprint FROM reply ORDER BY id")
    keys = {}
    for rid, key in _all(made, "SELECT reply_id, band_key FROM reply_band"):
        keys.setdefault(rid, set()).add(key)
    sample = random.Random(1).sample(rows, min(300, len(rows)))
    for rid, text, fp in sample:
        assert fp == fingerprint(text)
        assert keys.get(rid, set()) == set(band_keys(text))


def test_fast_keys_equal_the_domain_functions_on_many_texts(made):
    import sqlite3

    from hotline_tui.services.demo_replies import _Keys, _Writer

    db = sqlite3.connect(made.url.database)
    w = _Writer(db, random.Random(3))
    orders = db.execute("SELECT id, status, title, category, unit_id, owner_id FROM work_order "
                        "ORDER BY id LIMIT 400").fetchall()
    k = _Keys()
    k.checked = 10**9  # no self-check: compare here
    for o in orders:
        pieces, _ = w.good(o, NOW)
        text = "".join(pieces)
        assert k.keys(pieces) == (fingerprint(text), band_keys(text)), text
    db.close()


def test_rework_count_agrees_with_the_history(made):
    rows = _all(made, "SELECT o.id, o.rework_count, (SELECT count(*) FROM order_history h "
                      "WHERE h.order_id = o.id AND h.event IN ('send_back', 'reopen')) "
                      "FROM work_order o")
    assert all(rc == n for _o, rc, n in rows)
    assert sum(rc for _o, rc, _n in rows) > 0


def test_callbacks(made):
    rows = _all(made, "SELECT c.reached, c.satisfaction, o.status FROM callback c "
                      "JOIN work_order o ON o.id = c.order_id")
    assert len(rows) > 200
    reached = [s for r, s, _st in rows if r]
    assert all(s is None for r, s, _st in rows if not r)
    ok = sum(1 for s in reached if s in ("satisfied", "basic")) / len(reached)
    assert 0.78 <= ok <= 0.92
    n_cb = _all(made, "SELECT count(*) FROM order_history WHERE event = 'callback'")[0][0]
    assert n_cb == len(rows)
    reopened = _all(made, "SELECT count(*) FROM order_history WHERE event = 'reopen'")[0][0]
    assert reopened > 0


def test_same_seed_same_replies(tmp_path, made):
    path = tmp_path / "again.db"
    demo.generate(path, 4000, seed=7, now=NOW, workers=0)
    eng = make_engine(path)
    try:
        q = "SELECT order_id, text, decision, fingerprint FROM reply ORDER BY id"
        assert _all(eng, q) == _all(made, q)
        q = "SELECT order_id, at, reached, satisfaction FROM callback ORDER BY id"
        assert _all(eng, q) == _all(made, q)
    finally:
        eng.dispose()
