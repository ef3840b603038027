"""The order history is append-only in the database itself: triggers refuse UPDATE and
DELETE on `order_history`, whatever program writes to the file.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

MESSAGE = "order_history is append-only"

SQLITE_UP = [
    f"""CREATE TRIGGER order_history_no_update BEFORE UPDATE ON order_history
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER order_history_no_delete BEFORE DELETE ON order_history
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]

POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION order_history_refuse() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION '{MESSAGE}'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER order_history_no_update BEFORE UPDATE ON order_history
    FOR EACH ROW EXECUTE FUNCTION order_history_refuse()""",
    """CREATE TRIGGER order_history_no_delete BEFORE DELETE ON order_history
    FOR EACH ROW EXECUTE FUNCTION order_history_refuse()""",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for sql in POSTGRES_UP if dialect == "postgresql" else SQLITE_UP:
        op.execute(sql)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS order_history_no_update ON order_history")
        op.execute("DROP TRIGGER IF EXISTS order_history_no_delete ON order_history")
        op.execute("DROP FUNCTION IF EXISTS order_history_refuse()")
    else:
        op.execute("DROP TRIGGER IF EXISTS order_history_no_update")
        op.execute("DROP TRIGGER IF EXISTS order_history_no_delete")
