"""A database made by the first schema opens with the current app and keeps its data."""

from sqlalchemy import inspect, text

from hotline_tui.store.engine import make_engine, open_database
from hotline_tui.store.migrate import current_revisions, file_heads, upgrade


def test_first_schema_upgrades_without_loss(empty_db_path):
    db_path = empty_db_path
    old = make_engine(db_path)
    upgrade(old, "0001")
    with old.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO work_order (order_no, is_local, received_at, caller_name, caller_phone,"
                " request_type, category, title, content, area, address, source, urgency, urgent,"
                " confidential, anonymous, upstream_unit, status, is_demo, version, created_at,"
                " updated_at) VALUES ('GD001', FALSE, '2026-01-05 09:00:00', '张三', '13812345678',"
                " '投诉', '', '噪音扰民', '夜间施工', '城关镇', '', '12345', '', FALSE, FALSE, FALSE,"
                " '', 'new', FALSE, 1, '2026-01-05 09:00:00', '2026-01-05 09:00:00')"
            )
        )
    old.dispose()
    assert current_revisions(make_engine(db_path)) == {"0001"}

    eng = open_database(db_path)
    assert current_revisions(eng) == file_heads()
    with eng.connect() as conn:
        row = conn.execute(text("SELECT order_no, title, caller_phone FROM work_order")).one()
        tables = set(inspect(conn).get_table_names())
    assert tuple(row) == ("GD001", "噪音扰民", "13812345678")
    assert {"work_order", "order_history", "unit", "setting"} <= tables


def test_not_a_database_is_one_clear_error(tmp_path):
    import pytest

    from hotline_tui.store.engine import DatabaseError

    bad = tmp_path / "junk.db"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseError):
        open_database(bad)
