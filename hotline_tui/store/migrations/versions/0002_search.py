"""The inbox search index: FTS5 over character bigrams, kept in sync by triggers (SQLite).

Revision ID: 0002
Revises: 0001

See hotline_tui/store/search.py for the design. On other databases this revision only adds
the sort indexes; the inbox falls back to LIKE there.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_FIELDS = ("order_no", "title", "content", "caller_name", "caller_phone", "area", "address",
           "upstream_unit")


def _doc(row: str) -> str:
    return "hotline_search_doc(" + ", ".join(f"{row}.{f}" for f in _FIELDS) + ")"


def _key(row: str) -> str:
    return f"CAST(strftime('%s', {row}.received_at) AS INTEGER) * 268435456 + {row}.id"


def _insert(row: str) -> str:
    return (f"INSERT INTO order_search(rowid, doc, st, u) VALUES ({_key(row)}, {_doc(row)}, "
            f"'s' || {row}.status, 'u' || coalesce({row}.unit_id, 0));")


def _delete(row: str) -> str:
    return (f"INSERT INTO order_search(order_search, rowid, doc, st, u) VALUES ('delete', "
            f"{_key(row)}, {_doc(row)}, 's' || {row}.status, "
            f"'u' || coalesce({row}.unit_id, 0));")


_WATCHED = (*_FIELDS, "status", "unit_id", "received_at")

TRIGGERS = {
    "work_order_search_ai": f"""CREATE TRIGGER work_order_search_ai AFTER INSERT ON work_order
BEGIN
  {_insert("NEW")}
END""",
    "work_order_search_ad": f"""CREATE TRIGGER work_order_search_ad AFTER DELETE ON work_order
BEGIN
  {_delete("OLD")}
END""",
    "work_order_search_au": f"""CREATE TRIGGER work_order_search_au
AFTER UPDATE OF {", ".join(_WATCHED)} ON work_order
WHEN {" OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in _WATCHED)}
BEGIN
  {_delete("OLD")}
  {_insert("NEW")}
END""",
}


# Sort indexes of the inbox (store/inbox_query.py orders by these same expressions):
# deadline with the orders that have none last, unit with the unassigned last (newest first
# within a unit), each also behind a status for the merged per-state plans.
SORT_INDEXES = {
    "ix_order_due_nulls_last": ("(due_at IS NULL)", "due_at", "id"),
    "ix_order_status_due_nulls_last": ("status", "(due_at IS NULL)", "due_at", "id"),
    "ix_order_unit_received": ("(unit_id IS NULL)", "unit_id", "received_at DESC", "id DESC"),
    "ix_order_status_unit_received": (
        "status", "(unit_id IS NULL)", "unit_id", "received_at DESC", "id DESC"),
}


def upgrade() -> None:
    bind = op.get_bind()
    for name, cols in SORT_INDEXES.items():
        op.create_index(name, "work_order", [sa.text(c) for c in cols])
    if bind.dialect.name != "sqlite":
        return
    from hotline_tui.store.search import register_functions

    raw = bind.connection.driver_connection
    register_functions(raw)  # the triggers and the build below call it
    op.execute(
        "CREATE VIRTUAL TABLE order_search USING fts5("
        "doc, st, u, content='', columnsize=0, tokenize='ascii')"
    )
    for sql in TRIGGERS.values():
        op.execute(sql)
    op.execute(
        "INSERT INTO order_search(rowid, doc, st, u) SELECT "
        f"{_key('w')}, {_doc('w')}, 's' || w.status, 'u' || coalesce(w.unit_id, 0) "
        "FROM work_order AS w"
    )
    op.execute("INSERT INTO order_search(order_search) VALUES ('optimize')")


def downgrade() -> None:
    bind = op.get_bind()
    for name in SORT_INDEXES:
        op.drop_index(name, table_name="work_order")
    if bind.dialect.name != "sqlite":
        return
    for name in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute("DROP TABLE IF EXISTS order_search")
