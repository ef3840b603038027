"""The demo generator: a plausible mix, history for every transition, deterministic, never
into a database with real orders, replaces its own data, same rows on every path."""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from datetime import datetime

import pytest

from hotline_tui.domain.states import Event, Status, next_status
from hotline_tui.errors import UserError
from hotline_tui.services import demo
from hotline_tui.services.demo_text import ChunkMaker, County, plan_days
from hotline_tui.store.engine import make_engine
from hotline_tui.store.search import search_doc

NOW = datetime(2026, 5, 20, 10, 30)


def _digest(path, tables=("unit", "work_order", "order_history"), keyed=None) -> str:
    eng = make_engine(path)
    h = hashlib.sha256()
    with eng.connect() as conn:
        for table, order in [*((t, "id") for t in tables), *(keyed or {}).items()]:
            n = 0
            for row in conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY {order}"):
                h.update(repr(tuple(row)).encode())
                n += 1
            assert n, table
    eng.dispose()
    return h.hexdigest()


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    result = demo.generate(path, 3000, seed=11, now=NOW, workers=0)
    return path, result


def test_mix_of_states_and_flags(made):
    path, result = made
    assert result.orders == 3000 and result.units >= 50 and result.replaced == 0
    eng = make_engine(path)
    with eng.connect() as conn:
        states = Counter(r[0] for r in conn.exec_driver_sql("SELECT status FROM work_order"))
        flags = conn.exec_driver_sql(
            "SELECT sum(is_demo), sum(confidential), sum(anonymous), sum(urgent),"
            " sum(upstream_due_at IS NOT NULL), count(DISTINCT request_type),"
            " count(DISTINCT unit_id), count(DISTINCT area), min(received_at), max(received_at)"
            " FROM work_order").one()
        overdue = conn.exec_driver_sql(
            "SELECT count(*) FROM work_order WHERE status IN ('dispatched', 'signed', 'rework')"
            " AND due_at < ?", (NOW.strftime("%Y-%m-%d %H:%M:%S"),)).scalar()
        dispatched = conn.exec_driver_sql(
            "SELECT count(*) FROM work_order WHERE dispatched_at IS NOT NULL AND"
            " (due_at IS NULL OR unit_id IS NULL OR signed_at < dispatched_at"
            "  OR replied_at < dispatched_at OR closed_at < dispatched_at)").scalar()
        units = conn.exec_driver_sql("SELECT count(*) FROM unit WHERE initials = ''").scalar()
    eng.dispose()
    assert set(states) >= {s.value for s in Status}, states
    assert states["closed"] > 0.8 * 3000  # most are closed
    demo_n, confidential, anonymous, urgent, upstream, types, n_units, areas, first, last = flags
    assert demo_n == 3000
    assert 0 < confidential < 300 and 0 < anonymous < 300 and 0 < urgent < 300
    assert 0 < upstream < 3000
    assert types == 7 and n_units > 30 and areas == 15
    assert first >= "2025-11-18" and last <= "2026-05-20 10:30:00"
    assert overdue > 0
    assert dispatched == 0  # dispatched orders have a unit and a deadline, times in order
    assert units == 0


def test_history_follows_the_state_machine(made):
    path, _ = made
    eng = make_engine(path)
    with eng.connect() as conn:
        orders = {r[0]: (r[1], r[2]) for r in conn.exec_driver_sql(
            "SELECT id, status, version FROM work_order")}
        hist = defaultdict(list)
        for r in conn.exec_driver_sql(
                "SELECT order_id, event, old_status, new_status, at, changes, actor"
                " FROM order_history ORDER BY id"):
            hist[r[0]].append(r[1:])
    eng.dispose()
    assert set(hist) == set(orders)
    for oid, (status, version) in orders.items():
        rows = hist[oid]
        assert rows[0][0] == "create" and rows[0][1] is None
        assert len(rows) == version
        state = None
        for event, old, new, _at, changes, actor in rows:
            assert old == (state.value if state else None)
            state = next_status(state, Event(event))
            assert new == state.value
            json.loads(changes)
            assert actor
        assert state.value == status
        times = [r[3] for r in rows]
        assert times == sorted(times)


def test_every_search_document_is_what_the_triggers_compute():
    county = County.load()
    plan = plan_days(500, NOW, seed=5)
    maker = ChunkMaker(county, plan, "clerk", seed=5, pool_size=100)
    orders, search, _ = maker.make(0, 0, 500, 1)
    for o, (_key, doc, st, u) in zip(orders, search, strict=True):
        assert doc == search_doc(o[1], o[8], o[9], o[4], o[5], o[10], o[11], o[17])
        assert st == "s" + o[19] and u == f"u{o[20] or 0}"


def test_deleting_demo_orders_removes_exactly_their_tokens(tmp_path):
    path = tmp_path / "d.db"
    demo.generate(path, 800, seed=2, now=NOW, workers=0)
    eng = make_engine(path)
    with eng.begin() as conn:
        def fts(term: str) -> int:
            return conn.exec_driver_sql(
                "SELECT count(*) FROM order_search WHERE order_search MATCH ?",
                (f'doc : "{term}"',)).scalar()

        before = fts("反映")
        gone = conn.exec_driver_sql(
            "SELECT count(*) FROM order_search WHERE order_search MATCH ?"
            " AND (rowid & 268435455) % 3 = 0", ('doc : "反映"',)).scalar()
        # the append-only guard (migration 0008) is lifted to delete a whole order here
        conn.exec_driver_sql("DROP TRIGGER order_history_no_delete")
        conn.exec_driver_sql("DELETE FROM order_history WHERE order_id % 3 = 0")
        for table in ("reply_band", "reply", "callback"):  # the demo's replies (issue 6)
            conn.exec_driver_sql(f"DELETE FROM {table} WHERE order_id % 3 = 0")
        conn.exec_driver_sql("DELETE FROM work_order WHERE id % 3 = 0")  # the delete trigger
        assert 0 < gone < before
        assert fts("反映") == before - gone
        for status, n in conn.exec_driver_sql(
                "SELECT status, count(*) FROM work_order GROUP BY status").all():
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM order_search WHERE order_search MATCH ?",
                (f"st : s{status}",)).scalar() == n
        conn.exec_driver_sql(
            "INSERT INTO order_search(order_search, rank) VALUES ('integrity-check', 0)")
    eng.dispose()


def test_same_seed_same_data_other_seed_other_data(tmp_path, made):
    path, _ = made
    again = tmp_path / "again.db"
    demo.generate(again, 3000, seed=11, now=NOW, workers=0)
    assert _digest(again) == _digest(path)
    other = tmp_path / "other.db"
    demo.generate(other, 3000, seed=12, now=NOW, workers=0)
    assert _digest(other) != _digest(path)


def test_helper_process_and_core_path_make_the_same_rows(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 400)
    one = tmp_path / "one.db"
    demo.generate(one, 1000, seed=4, now=NOW, workers=0)
    two = tmp_path / "two.db"
    demo.generate(two, 1000, seed=4, now=NOW, workers=1)
    core = tmp_path / "core.db"
    demo.generate(core, 1000, seed=4, now=NOW, workers=0, use_core=True)
    assert _digest(one) == _digest(two) == _digest(core)
    # the replies and callbacks are made with the chunks, the same on every path
    replies = [_digest(p, ("reply", "callback"), {"reply_band": "band_key, reply_id"})
               for p in (one, two, core)]
    assert replies[0] == replies[1] == replies[2]
    # the core path filled the search index through the triggers
    from hotline_tui.store.inbox_query import InboxFilter, count_orders

    counts = []
    for p in (one, core):
        eng = make_engine(p)
        with eng.connect() as conn:
            counts.append(count_orders(conn, InboxFilter(text="小区 反映")))
        eng.dispose()
    assert counts[0] == counts[1] > 0


@pytest.mark.sqlite_only  # the demo is generated into a SQLite file
def test_refuses_a_database_with_real_orders(engine, db_path):
    from hotline_tui.services.orders import record
    from hotline_tui.store.engine import session
    from hotline_tui.store.models import WorkOrder

    with session(engine) as s:
        record(s, WorkOrder(order_no="REAL-1", received_at=NOW, title="真实工单"), Event.CREATE,
               actor="t")
        s.commit()
    with pytest.raises(UserError) as err:
        demo.generate(engine, 100, seed=1, now=NOW)
    assert err.value.key == "error.demo_into_real"
    with pytest.raises(UserError):
        demo.generate(db_path, 100, seed=1, now=NOW)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM work_order").scalar() == 1
        assert conn.exec_driver_sql("SELECT count(*) FROM unit").scalar() == 0


def test_an_order_entered_after_the_demo_gets_a_new_id(engine):
    """The demo writes orders with their ids (on PostgreSQL the id counter must move on)."""
    from hotline_tui.services.orders import record
    from hotline_tui.store.engine import session
    from hotline_tui.store.models import WorkOrder

    demo.generate(engine, 120, seed=3, now=NOW, workers=0)
    with session(engine) as s:
        order = WorkOrder(order_no="L20260520-0001", received_at=NOW, title="来访")
        record(s, order, Event.CREATE, actor="t")
        s.commit()
        assert order.id == 121


def test_a_second_run_replaces_the_demo_data(tmp_path):
    path = tmp_path / "d.db"
    demo.generate(path, 600, seed=1, now=NOW, workers=0)
    again = demo.generate(path, 400, seed=2, now=NOW, workers=0)
    assert again.replaced == 600
    eng = make_engine(path)
    with eng.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM work_order").scalar() == 400
        assert conn.exec_driver_sql(
            "SELECT count(DISTINCT order_id) FROM order_history").scalar() == 400
        assert conn.exec_driver_sql(
            "SELECT count(*) FROM order_search WHERE order_search MATCH 'st : sclosed'"
        ).scalar() == conn.exec_driver_sql(
            "SELECT count(*) FROM work_order WHERE status = 'closed'").scalar()
        names = [r[0] for r in conn.exec_driver_sql("SELECT name FROM unit")]
        # indexes and triggers are back after the load
        objects = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger')")}
    eng.dispose()
    assert len(names) == len(set(names))
    assert {"work_order_search_ai", "work_order_search_ad", "work_order_search_au",
            "ix_order_received", "ix_order_due_nulls_last", "ix_order_history_order_id"
            } <= objects


@pytest.mark.parametrize("workers", [0, 1])
def test_load_leaves_search_owners_and_metrics_cache_consistent(tmp_path, monkeypatch, workers):
    """The bulk load makes replies, callbacks and owners with the triggers off: the search
    index still has every order under its final status (reopened ones too), every signed
    order has an owner of its unit whose last use is its latest sign-for time, and a kept
    metrics cache (migration 0011) is emptied rather than left stale."""
    monkeypatch.setattr(demo, "CHUNK", 500)
    path = tmp_path / "d.db"
    demo.generate(path, 1500, seed=3, now=NOW, workers=workers)
    eng = make_engine(path)
    with eng.begin() as conn:
        tables = {r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        cache = [t for t in demo.METRICS_CACHE if t in tables]
        if "metrics_dirty" in cache:  # a stale row, as a previous run could leave
            conn.exec_driver_sql("INSERT INTO metrics_dirty (month, unit_key) VALUES "
                                 "('2000-01', 0)")
    eng.dispose()
    demo.generate(path, 1500, seed=3, now=NOW, workers=workers)
    eng = make_engine(path)
    with eng.connect() as conn:
        states = dict(conn.exec_driver_sql(
            "SELECT status, count(*) FROM work_order GROUP BY status").all())
        assert states.get("rework", 0) > 0  # callbacks reopened some
        for status, n in states.items():
            assert conn.exec_driver_sql(
                "SELECT count(*) FROM order_search WHERE order_search MATCH ?",
                (f"st : s{status}",)).scalar() == n, status
        conn.exec_driver_sql(
            "INSERT INTO order_search(order_search, rank) VALUES ('integrity-check', 0)")
        bad = conn.exec_driver_sql(
            "SELECT count(*) FROM work_order o LEFT JOIN owner w ON w.id = o.owner_id "
            "WHERE (o.signed_at IS NOT NULL) != (o.owner_id IS NOT NULL) "
            "OR (o.owner_id IS NOT NULL AND w.unit_id IS NOT o.unit_id)").scalar()
        assert bad == 0
        stale = conn.exec_driver_sql(
            "SELECT count(*) FROM owner w WHERE w.last_used_at IS NOT (SELECT "
            "max(signed_at) FROM work_order WHERE owner_id = w.id)").scalar()
        assert stale == 0
        for table in cache:
            assert conn.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar() == 0
    eng.dispose()
