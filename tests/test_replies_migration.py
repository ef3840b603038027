"""Migration 0009 on a database made at 0008 with orders in it: the reply tables appear,
work_order.rework_count counts the rounds already in the history, and the data stays."""

from __future__ import annotations

import warnings

from sqlalchemy import inspect, text

from hotline_tui.store.engine import make_engine, open_database
from hotline_tui.store.migrate import current_revisions, file_heads, upgrade

_ORDER = (
    "INSERT INTO work_order (id, order_no, is_local, received_at, caller_name, caller_phone,"
    " request_type, category, title, content, area, address, source, urgency, urgent,"
    " confidential, anonymous, upstream_unit, status, is_demo, version, created_at,"
    " updated_at) VALUES (:id, :no, FALSE, '2026-01-05 09:00:00', '张三', '13812345678',"
    " '投诉', '', '噪音扰民', '夜间施工', '城关镇', '', '12345', '', FALSE, FALSE, FALSE, '',"
    " :st, FALSE, 1,"
    " '2026-01-05 09:00:00', '2026-01-05 09:00:00')"
)
_HIST = (
    "INSERT INTO order_history (order_id, at, actor, event, old_status, new_status, changes,"
    " note) VALUES (:id, '2026-01-06 09:00:00', 't', :ev, NULL, NULL, '{}', :note)"
)


def test_0009_on_a_0008_database_with_data(empty_db_path):
    db_path = empty_db_path
    old = make_engine(db_path)
    upgrade(old, "0008")
    with old.begin() as conn:
        conn.execute(text(_ORDER), {"id": 1, "no": "GD1", "st": "replied"})
        conn.execute(text(_ORDER), {"id": 2, "no": "GD2", "st": "rework"})
        for ev in ("reply", "send_back", "reply", "send_back"):
            conn.execute(text(_HIST), {"id": 2, "ev": ev, "note": ""})
        conn.execute(text(_HIST), {"id": 1, "ev": "reply", "note": "已收悉，正在处理。"})
    old.dispose()

    eng = open_database(db_path)
    assert current_revisions(eng) == file_heads()
    with eng.connect() as conn:
        tables = set(inspect(conn).get_table_names())
        counts = dict(conn.execute(text("SELECT order_no, rework_count FROM work_order")).all())
        with warnings.catch_warnings():  # expression indexes of other revisions
            warnings.simplefilter("ignore")
            indexes = {i["name"] for i in inspect(conn).get_indexes("work_order")}
    assert {"reply", "reply_band", "callback"} <= tables
    assert counts == {"GD1": 0, "GD2": 2}
    assert {"ix_order_replied", "ix_order_closed"} <= indexes

    # the order replied before the upgrade is on the review list, reviewed from its note
    from hotline_tui.services.review import count_pending, pending_reviews, review_order

    assert count_pending(eng) == 1
    assert [p.order_no for p in pending_reviews(eng)] == ["GD1"]
    view = review_order(eng, "GD1")
    assert view.text == "已收悉，正在处理。" and not view.acceptable
    eng.dispose()


def test_downgrade_to_0008_and_up_again(empty_db_path):
    db_path = empty_db_path
    eng = make_engine(db_path)
    upgrade(eng, "0009")
    from alembic import command

    from hotline_tui.store.migrate import _config

    cfg = _config()
    with eng.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0008")
    with eng.connect() as conn:
        assert "reply" not in inspect(conn).get_table_names()
        cols = {c["name"] for c in inspect(conn).get_columns("work_order")}
    assert "rework_count" not in cols
    upgrade(eng, "0009")
    eng.dispose()
