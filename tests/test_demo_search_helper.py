"""Large demo loads build the search index in a helper process and copy its tables in: the
index must be the very one the main process would have built, and work with the triggers."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime

from hotline_tui.services import demo
from hotline_tui.store.engine import make_engine
from hotline_tui.store.inbox_query import InboxFilter, count_orders

NOW = datetime(2026, 5, 20, 10, 30)


def _index_digest(path) -> str:
    eng = make_engine(path)
    h = hashlib.sha256()
    with eng.connect() as conn:
        for table in ("order_search_data", "order_search_idx", "order_search_config"):
            for row in conn.exec_driver_sql(f"SELECT * FROM {table} ORDER BY 1, 2"):
                h.update(repr(tuple(row)).encode())
    eng.dispose()
    return h.hexdigest()


def test_helper_built_index_is_the_main_process_one(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 500)
    main_made = tmp_path / "main.db"
    demo.generate(main_made, 1500, seed=3, now=NOW, workers=0)
    helper_made = tmp_path / "helper.db"
    demo.generate(helper_made, 1500, seed=3, now=NOW, workers=1)
    assert _index_digest(main_made) == _index_digest(helper_made)
    assert not [n for n in os.listdir(tmp_path) if "demo-" in n]  # staging files removed
    import sqlite3

    from hotline_tui.store.search import register_functions

    eng = make_engine(helper_made)
    try:
        with eng.connect() as conn:
            before = count_orders(conn, InboxFilter(text="反映"))
        assert before > 0
        # the triggers keep the copied index in step: delete a third of the orders (raw
        # connection without foreign keys: rows of other tables point at them)
        db = sqlite3.connect(helper_made, isolation_level=None)
        register_functions(db)
        db.execute("BEGIN")
        db.execute("DROP TRIGGER order_history_no_delete")
        db.execute("DELETE FROM order_history WHERE order_id % 3 = 0")
        gone = db.execute(
            "SELECT count(*) FROM work_order WHERE id % 3 = 0 AND (title LIKE '%反映%' "
            "OR content LIKE '%反映%' OR address LIKE '%反映%')").fetchone()[0]
        db.execute("DELETE FROM work_order WHERE id % 3 = 0")
        db.execute("INSERT INTO order_search(order_search, rank) VALUES ('integrity-check', 0)")
        db.execute("COMMIT")
        db.close()
        eng.dispose()
        from hotline_tui.store import inbox_query as iq

        iq._totals.clear()
        with eng.connect() as conn:
            assert count_orders(conn, InboxFilter(text="反映")) == before - gone > 0
    finally:
        eng.dispose()

def test_a_second_helper_run_replaces_the_index(tmp_path, monkeypatch):
    monkeypatch.setattr(demo, "CHUNK", 500)
    path = tmp_path / "again.db"
    demo.generate(path, 1200, seed=7, now=NOW, workers=1)
    demo.generate(path, 1000, seed=8, now=NOW, workers=1)
    fresh = tmp_path / "fresh.db"
    demo.generate(fresh, 1000, seed=8, now=NOW, workers=1)
    assert _index_digest(path) == _index_digest(fresh)
