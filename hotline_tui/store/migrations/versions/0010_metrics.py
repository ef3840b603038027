"""Monthly figures (统计): three covering indexes on work_order, one per cohort the figures
count (dispatched / received / due in a period), unit first so that a month is one range per
unit read from the index alone; and a small partial index of the send-back / reopen events
by time (the office's statement lists what was sent back and why). At 1,000,000 orders a
month's per-unit counts take ~30-50 ms each instead of ~0.5 s with table reads
(benchmarks/bench_dashboard.py).

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

# the conditions of the partial indexes, written here as it was at this revision
DUE_WHERE = "due_at IS NOT NULL"
REWORK_WHERE = "event IN ('send_back', 'reopen')"

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_NEW = ("ix_order_metrics_dispatch", "ix_order_metrics_received", "ix_order_metrics_due")


def upgrade() -> None:
    op.create_index("ix_order_metrics_dispatch", "work_order",
                    ["unit_id", "dispatched_at", "signed_at", "status", "replied_at", "due_at",
                     "rework_count"])
    op.create_index("ix_order_metrics_received", "work_order",
                    ["unit_id", "received_at", "status", "dispatched_at", "caller_phone"])
    due = sa.text(DUE_WHERE)
    op.create_index("ix_order_metrics_due", "work_order",
                    ["unit_id", "due_at", "status", "replied_at"],
                    sqlite_where=due, postgresql_where=due)
    rework = sa.text(REWORK_WHERE)
    op.create_index("ix_history_rework_at", "order_history", ["at"],
                    sqlite_where=rework, postgresql_where=rework)
    bind = op.get_bind()
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).first():
        # an analyzed database: without statistics of their own the new indexes go unused
        for name in (*_NEW, "ix_history_rework_at"):
            bind.exec_driver_sql(f"ANALYZE {name}")


def downgrade() -> None:
    op.drop_index("ix_history_rework_at", "order_history")
    for name in reversed(_NEW):
        op.drop_index(name, "work_order")
