"""The order history is append-only in the database itself (migration 0008): UPDATE and
DELETE raise whoever sends them; the app never sends them; the demo's bulk load leaves the
guards in place; viewing a confidential caller and every export of personal data are
recorded in the history."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import delete, event, text, update
from triage_helpers import add_order, add_units, dispatch, events

from hotline_tui.domain.states import Event
from hotline_tui.store.engine import session
from hotline_tui.store.models import OrderHistory, WorkOrder

GUARDS = {"order_history_no_update", "order_history_no_delete"}
sqlite_only = pytest.mark.sqlite_only


def _triggers(path) -> set[str]:
    con = sqlite3.connect(path)
    try:
        return {r[0] for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'order_history'")}
    finally:
        con.close()


def _history_count(engine) -> int:
    with engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM order_history")).scalar()


@pytest.fixture
def one_order(engine):
    add_order(engine, "H1", caller_name="张三", caller_phone="13812345678")
    return engine


@sqlite_only
def test_raw_sqlite_update_and_delete_raise(one_order, db_path):
    con = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("UPDATE order_history SET note = 'rewritten'")
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("DELETE FROM order_history")
        con.rollback()
        assert con.execute("SELECT count(*), max(note) FROM order_history").fetchone() == (1, "")
    finally:
        con.close()


def test_sqlalchemy_core_and_orm_update_and_delete_raise(one_order):
    engine = one_order
    for stmt in (update(OrderHistory).values(note="rewritten"), delete(OrderHistory)):
        with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
            conn.execute(stmt)
    with session(engine) as s:
        row = s.exec(OrderHistory.__table__.select()).first()
        h = s.get(OrderHistory, row.id)
        h.note = "rewritten"
        s.add(h)
        with pytest.raises(Exception, match="append-only"):
            s.commit()
        s.rollback()
        s.delete(s.get(OrderHistory, row.id))
        with pytest.raises(Exception, match="append-only"):
            s.commit()
    assert _history_count(engine) == 1


def test_the_app_never_rewrites_history(engine, tmp_path):
    """A working day through the services, every statement watched: history is only
    inserted, and each change added its row."""
    from hotline_tui.services import chase as chase_svc
    from hotline_tui.services import dispatch as dispatch_svc
    from hotline_tui.services import owners, triage
    from hotline_tui.services.export_inbox import export_inbox
    from hotline_tui.services.order_detail import reveal_caller
    from hotline_tui.store.inbox_query import InboxFilter

    seen: list[str] = []

    def watch(conn, cursor, statement, params, context, executemany):  # noqa: ANN001
        seen.append(" ".join(statement.split()).lower())

    event.listen(engine, "before_cursor_execute", watch)
    units = add_units(engine)
    for i in range(3):
        add_order(engine, f"D{i}", caller_name="李四", caller_phone="13900000000",
                  confidential=(i == 2))
    uid = units["黑龙河乡"]
    for i in range(3):
        triage.triage(engine, f"D{i}", uid, 3, actor="t")
    at = datetime.now().replace(microsecond=0) - timedelta(days=1)
    dispatch_svc.dispatch(engine, ["D0", "D1", "D2"], at=at, actor="t")
    owners.sign(engine, "D0", name="王五", phone="13700000000", at=at + timedelta(hours=1))
    chase_svc.chase(engine, ["D1"], method="phone", said="在办")
    with session(engine) as s:
        oid = s.exec(WorkOrder.__table__.select().where(WorkOrder.order_no == "D2")).first().id
    reveal_caller(engine, oid, actor="t")
    export_inbox(engine, InboxFilter(), tmp_path / "inbox.xlsx")
    event.remove(engine, "before_cursor_execute", watch)

    touching = [s for s in seen if "order_history" in s]
    assert any(s.startswith("insert into order_history") for s in touching)
    assert not [s for s in touching if s.startswith(("update order_history",
                                                      "delete from order_history"))]
    # every change left its row (create, triage, dispatch, + sign / chase / view / export)
    kinds = {no: [e for e, _c, _n in events(engine, no)] for no in ("D0", "D1", "D2")}
    assert kinds["D0"][:3] == ["create", "triage", "dispatch"] and "sign" in kinds["D0"]
    assert "chase" in kinds["D1"]
    assert Event.VIEW_CONFIDENTIAL.value in kinds["D2"]


@sqlite_only
def test_demo_load_keeps_the_guards(tmp_path):
    from hotline_tui.services import demo

    path = tmp_path / "demo.db"
    now = datetime(2026, 5, 20, 10, 30)
    demo.generate(path, 300, seed=3, now=now, workers=0)
    assert GUARDS <= _triggers(path)
    demo.generate(path, 200, seed=4, now=now, workers=0)  # replaces its own data
    assert GUARDS <= _triggers(path)
    con = sqlite3.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            con.execute("DELETE FROM order_history")
    finally:
        con.close()


@sqlite_only
def test_failed_demo_load_keeps_the_guards(tmp_path, monkeypatch):
    from hotline_tui.services import demo

    path = tmp_path / "demo.db"
    now = datetime(2026, 5, 20, 10, 30)
    demo.generate(path, 100, seed=3, now=now, workers=0)

    def boom(*_a, **_k):
        raise RuntimeError("power cut")

    monkeypatch.setattr(demo, "_upsert_units", boom)
    with pytest.raises(RuntimeError):
        demo.generate(path, 100, seed=5, now=now, workers=0)
    assert GUARDS <= _triggers(path)


# ---- what is recorded ---------------------------------------------------------------------


def test_viewing_a_confidential_caller_is_recorded(engine):
    from hotline_tui.services.order_detail import reveal_caller

    add_order(engine, "C1", caller_name="赵六", caller_phone="13811112222", confidential=True)
    add_order(engine, "P1", caller_name="钱七", caller_phone="13833334444")
    with session(engine) as s:
        ids = {o.order_no: o.id for o in s.exec(WorkOrder.__table__.select())}
    assert reveal_caller(engine, ids["C1"], actor="clerk") == ("赵六", "13811112222")
    assert reveal_caller(engine, ids["P1"], actor="clerk") == ("钱七", "13833334444")
    assert [e for e, _c, _n in events(engine, "C1")] == ["create", "view_confidential"]
    assert [e for e, _c, _n in events(engine, "P1")] == ["create"]  # nothing confidential


def test_inbox_export_is_recorded_for_orders_with_caller_data(engine, tmp_path):
    from openpyxl import load_workbook

    from hotline_tui.services.export_inbox import export_inbox
    from hotline_tui.store.inbox_query import InboxFilter

    add_order(engine, "E1", caller_name="孙八", caller_phone="13855556666")
    add_order(engine, "E2", caller_name="", caller_phone="")  # nothing personal to carry
    add_order(engine, "E3", caller_name="周九", caller_phone="13877778888", confidential=True)
    before = {no: _version(engine, no) for no in ("E1", "E2", "E3")}
    path = tmp_path / "收件箱.xlsx"
    result = export_inbox(engine, InboxFilter(), path)
    assert result.rows == 3 and path.is_file()
    rows = list(load_workbook(path).active.iter_rows(min_row=2, values_only=True))
    assert {r[0] for r in rows} == {"E1", "E2", "E3"}
    e1 = events(engine, "E1")
    assert e1[-1][0] == "export" and path.name in e1[-1][2]
    assert [e for e, _c, _n in events(engine, "E2")] == ["create"]
    assert [e for e, _c, _n in events(engine, "E3")] == ["create"]  # shows "(保密)" only
    # an export changes nothing an open window could clash with
    assert {no: _version(engine, no) for no in before} == before


def test_failed_inbox_export_records_nothing(engine, tmp_path, monkeypatch):
    from hotline_tui.errors import UserError
    from hotline_tui.services import export_inbox as mod
    from hotline_tui.store.inbox_query import InboxFilter

    add_order(engine, "F1", caller_name="吴十", caller_phone="13800001111")

    def fail(*_a, **_k):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(mod.os, "replace", fail)
    with pytest.raises(UserError):
        mod.export_inbox(engine, InboxFilter(), tmp_path / "x.xlsx")
    assert [e for e, _c, _n in events(engine, "F1")] == ["create"]
    assert not list(tmp_path.glob("*x.xlsx*"))


def _version(engine, no: str) -> int:
    with session(engine) as s:
        return s.exec(WorkOrder.__table__.select().where(WorkOrder.order_no == no)).first().version


def test_dispatch_sheets_and_queue_docs_are_recorded(engine, tmp_path):
    """The other export paths that carry caller data: dispatch sheets (masked and in
    full) and the chase notices of the overdue queue."""
    from hotline_tui.services.queue_docs import write_chase_notices
    from hotline_tui.services.sheets import write_sheets

    units = add_units(engine)
    from hotline_tui.services import triage

    add_order(engine, "S1", caller_name="郑一", caller_phone="13812340000")
    triage.triage(engine, "S1", units["黑山镇"], 3, actor="t")
    dispatch(engine, "S1", at=datetime(2026, 3, 3, 9, 0))
    write_sheets(engine, ["S1"], tmp_path / "a", formats=("xlsx",), actor="clerk")
    write_sheets(engine, ["S1"], tmp_path / "b", formats=("xlsx",), unmask=True, actor="clerk")
    notes = [n for e, _c, n in events(engine, "S1") if e == "export"]
    assert len(notes) == 2 and notes[0] != notes[1]  # masked / in full told apart
    n_before = len(events(engine, "S1"))
    written = write_chase_notices(engine, tmp_path / "c", order_nos=["S1"], formats=("xlsx",))
    assert written
    assert len(events(engine, "S1")) == n_before + 1
    assert events(engine, "S1")[-1][0] == "export"


def test_portable_demo_load_replaces_its_history_and_keeps_the_guards(db_path):
    """The SQLAlchemy path of the demo (the one PostgreSQL takes) clears its own history
    inside its transaction with the guards lifted, and puts them back."""
    from hotline_tui.services import demo

    now = datetime(2026, 5, 20, 10, 30)
    demo.generate(db_path, 60, seed=1, now=now, workers=0, use_core=True)
    result = demo.generate(db_path, 40, seed=2, now=now, workers=0, use_core=True)
    from hotline_tui.store.engine import open_database

    eng = open_database(db_path)
    try:
        with eng.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM work_order")).scalar() == 40
            assert conn.execute(text("SELECT count(*) FROM order_history")).scalar() >= \
                result.history
            assert conn.execute(text(  # none of the replaced demo's history is left over
                "SELECT count(*) FROM order_history WHERE order_id NOT IN "
                "(SELECT id FROM work_order)")).scalar() == 0
        with pytest.raises(Exception, match="append-only"), eng.begin() as conn:
            conn.execute(delete(OrderHistory))
    finally:
        eng.dispose()
