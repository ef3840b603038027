"""Register screen speed: two small partial indexes so the snapshot's reads stay bounded by
open orders. `ix_order_open_dispatched` answers the first dispatch date of the open owned
orders in one seek (it scanned ~50k open orders through the status index); and
`ix_order_waiting_unit` counts the orders waiting for sign-for per unit from the index alone,
already grouped (it read each waiting order's table row and sorted by unit).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

# the conditions of the partial indexes, written here as they were at this revision
OWNED_OPEN_WHERE = "status IN ('signed', 'replied', 'rework', 'meeting')"
WAITING_WHERE = "status = 'dispatched'"

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    owned_open = sa.text(OWNED_OPEN_WHERE)
    waiting = sa.text(WAITING_WHERE)
    op.create_index(
        "ix_order_open_dispatched", "work_order", ["dispatched_at"],
        sqlite_where=owned_open, postgresql_where=owned_open,
    )
    op.create_index(
        "ix_order_waiting_unit", "work_order", ["unit_id", "dispatched_at", "status"],
        sqlite_where=waiting, postgresql_where=waiting,
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).first():
        # the database was analyzed: without statistics of their own the planner keeps to
        # the analyzed status index and the new ones go unused. Each reads only its index.
        bind.exec_driver_sql("ANALYZE ix_order_open_dispatched")
        bind.exec_driver_sql("ANALYZE ix_order_waiting_unit")


def downgrade() -> None:
    op.drop_index("ix_order_waiting_unit", "work_order")
    op.drop_index("ix_order_open_dispatched", "work_order")
