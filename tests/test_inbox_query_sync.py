"""The search index follows every write (triggers), is built for a file made by the first
schema, and the portable LIKE plan gives the same lists as the indexed ones."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from hotline_tui.domain.states import Event
from hotline_tui.services.orders import find_order, record
from hotline_tui.store import inbox_query as iq
from hotline_tui.store.engine import make_engine, open_database, session
from hotline_tui.store.inbox_query import InboxFilter, count_orders, fetch_page
from hotline_tui.store.models import WorkOrder

# the SQLite search index (FTS5 tables and their triggers); PostgreSQL uses the portable plan
pytestmark = pytest.mark.sqlite_only

T0 = datetime(2026, 3, 2, 9, 0)


def _ids(engine, f: InboxFilter) -> list[int]:
    with engine.connect() as conn:
        return [r.id for r in fetch_page(conn, f, 0, 1000)]


def _integrity(engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO order_search(order_search, rank) VALUES ('integrity-check', 0)")


def _add(s, no: str, title: str, at: datetime, **kw) -> WorkOrder:
    o = WorkOrder(order_no=no, received_at=at, title=title, **kw)
    return record(s, o, Event.CREATE, actor="t")


def test_writes_keep_the_index_in_step(engine):
    with session(engine) as s:
        _add(s, "A1", "黑龙河乡路灯不亮", T0, content="村口路灯坏了", caller_phone="13800001111")
        _add(s, "A2", "小区噪音扰民", T0 + timedelta(hours=1))
        s.commit()
    assert len(_ids(engine, InboxFilter(text="路灯"))) == 1
    assert len(_ids(engine, InboxFilter(text="00001111"))) == 1
    with session(engine) as s:
        o = find_order(s, "A1")
        record(s, o, Event.UPDATE, changes={"title": "黑龙河乡积水严重"}, actor="t")
        record(s, o, Event.TRIAGE, changes={"tier_days": 3}, actor="t")
        s.commit()
    assert _ids(engine, InboxFilter(text="路灯不亮")) == []
    a1 = _ids(engine, InboxFilter(text="积水"))
    assert len(a1) == 1
    assert _ids(engine, InboxFilter(text="积水", statuses=("triaged",))) == a1
    assert _ids(engine, InboxFilter(text="积水", statuses=("new",))) == []
    # a later received time moves it to the top of the newest-first list
    with session(engine) as s:
        o = find_order(s, "A1")
        record(s, o, Event.UPDATE, changes={"received_at": T0 + timedelta(days=1)}, actor="t")
        s.commit()
    assert _ids(engine, InboxFilter(text="黑龙河乡 积水")) == a1
    assert _ids(engine, InboxFilter()) [0] == a1[0]
    with engine.begin() as conn:
        # the append-only guard (migration 0008) is lifted to delete a whole order here
        conn.exec_driver_sql("DROP TRIGGER order_history_no_delete")
        conn.exec_driver_sql("DELETE FROM order_history WHERE order_id = ?", (a1[0],))
        conn.exec_driver_sql("DELETE FROM work_order WHERE id = ?", (a1[0],))
    assert _ids(engine, InboxFilter(text="积水")) == []
    assert len(_ids(engine, InboxFilter(text="噪音"))) == 1
    _integrity(engine)


def test_unit_change_is_searchable_by_pinyin(engine):
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO unit(name, short_name, kind, phone, leader, pinyin, initials, retired) "
            "VALUES ('黑龙河乡', '黑龙河乡', 'township', '', '', 'heilonghexiang', 'hlhx', 0)")
        uid = conn.exec_driver_sql("SELECT id FROM unit").scalar()
    with session(engine) as s:
        o = _add(s, "B1", "房屋漏水", T0)
        s.commit()
        assert _ids(engine, InboxFilter(text="hlh")) == []
        record(s, o, Event.TRIAGE, changes={"unit_id": uid, "tier_days": 5}, actor="t")
        s.commit()
    assert _ids(engine, InboxFilter(text="hlh")) == [o.id]
    assert _ids(engine, InboxFilter(text="heilonghe 漏水")) == [o.id]


def test_a_connection_without_the_function_cannot_write_orders(engine, db_path):
    raw = sqlite3.connect(db_path)
    with pytest.raises(sqlite3.OperationalError, match="hotline_search_doc"):
        raw.execute(
            "INSERT INTO work_order(order_no, is_local, received_at, caller_name, caller_phone,"
            " request_type, category, title, content, area, address, source, urgency, urgent,"
            " confidential, anonymous, upstream_unit, status, is_demo, version, created_at,"
            " updated_at) VALUES ('X', 0, '2026-01-01 00:00:00', '', '', '其他', '', '', '',"
            " '', '', '', '', 0, 0, 0, '', 'new', 0, 1, '2026-01-01 00:00:00',"
            " '2026-01-01 00:00:00')")
    raw.close()


def test_the_migration_indexes_existing_orders(db_path):
    from hotline_tui.store.migrate import upgrade

    eng = make_engine(db_path)
    upgrade(eng, "0001")
    with eng.begin() as conn:
        assert conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE name = 'order_search'").first() is None
        for i in range(30):
            conn.execute(text(
                "INSERT INTO work_order(order_no, is_local, received_at, caller_name,"
                " caller_phone, request_type, category, title, content, area, address, source,"
                " urgency, urgent, confidential, anonymous, upstream_unit, status, is_demo,"
                " version, created_at, updated_at) VALUES (:no, 0, :at, '', '', '其他', '',"
                " :title, '', '', '', '', '', 0, 0, 0, '', 'new', 0, 1, :at, :at)"),
                {"no": f"OLD{i}", "at": f"2026-01-{i % 28 + 1:02d} 08:00:00",
                 "title": "旧工单水管爆裂" if i % 3 == 0 else "旧工单"})
    eng.dispose()
    eng = open_database(db_path)
    try:
        assert len(_ids(eng, InboxFilter(text="水管"))) == 10
        assert len(_ids(eng, InboxFilter(text="旧工单"))) == 30
        _integrity(eng)
    finally:
        eng.dispose()


@pytest.fixture(scope="module")
def small_demo(tmp_path_factory):
    from hotline_tui.services import demo

    path = tmp_path_factory.mktemp("sync") / "demo.db"
    demo.generate(path, 1500, seed=3, now=datetime(2026, 5, 20, 10, 30), workers=0)
    eng = make_engine(path)
    yield eng
    eng.dispose()


@pytest.mark.parametrize("f", [
    InboxFilter(text="小区"),
    InboxFilter(text="路灯", sort="due"),
    InboxFilter(text="hlh", sort="unit"),
    InboxFilter(text="反映 社区", statuses=("closed", "signed")),
    InboxFilter(text="灯", sort="due", statuses=("signed",)),
])
def test_the_portable_plan_agrees(small_demo, monkeypatch, f):
    indexed = _ids(small_demo, f)
    with small_demo.connect() as conn:
        n_indexed = count_orders(conn, f)
    monkeypatch.setattr(iq, "_has_search_index", lambda conn: False)
    iq._totals.clear()
    assert _ids(small_demo, f) == indexed
    with small_demo.connect() as conn:
        assert count_orders(conn, f) == n_indexed == len(indexed)


def test_remembered_total_is_forgotten_when_an_order_changes(engine):
    with session(engine) as s:
        for i in range(5):
            _add(s, f"C{i}", "测试", T0 + timedelta(minutes=i))
        s.commit()
    f = InboxFilter(statuses=("new",))
    with engine.connect() as conn:
        assert count_orders(conn, f) == 5
        assert iq._recall(conn, f) == 5
    with session(engine) as s:
        record(s, find_order(s, "C0"), Event.TRIAGE, changes={"tier_days": 3}, actor="t")
        s.commit()
    with engine.connect() as conn:
        assert iq._recall(conn, f) is None
        assert count_orders(conn, f) == 4
