"""Replies and their review: the `reply` table (every reply kept, with the verdict at intake
and the clerk's decision), `reply_band` (near-copy keys, looked up by key), `callback` (回访),
work_order.rework_count, and the partial index of replied orders waiting for the review.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

from hotline_tui.store.types import LocalDateTime

# the conditions of the partial indexes, written here as they were at this revision
REPLIED_WHERE = "status = 'replied'"
CLOSED_WHERE = "status = 'closed'"
ACCEPTED_WHERE = "decision = 'accepted'"
PENDING_WHERE = "decision = 'pending'"

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False, server_default="")


def _str(name: str) -> sa.Column:
    return sa.Column(name, sa.String(), nullable=False, server_default="")


def upgrade() -> None:
    op.create_table(
        "reply",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("received_at", LocalDateTime, nullable=False),
        _str("source"),
        _text("text"),
        _str("contact_by"),
        _str("contacted_at"),
        _str("contact_method"),
        _text("result"),
        _text("policy_basis"),
        _str("handler"),
        _str("handler_phone"),
        _str("fingerprint"),
        sa.Column("verdict", sa.String(), nullable=True),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("reasons", sa.Text(), nullable=False, server_default="[]"),
        sa.Column("reviewed_at", LocalDateTime, nullable=True),
        sa.Column("decision", sa.String(), nullable=False, server_default="pending"),
        sa.Column("decided_at", LocalDateTime, nullable=True),
        _str("decided_by"),
        _text("decision_note"),
    )
    op.create_index("ix_reply_order", "reply", ["order_id", "id"])
    op.create_index("ix_reply_fingerprint", "reply", ["fingerprint"])
    accepted = sa.text(ACCEPTED_WHERE)
    op.create_index("ix_reply_accepted", "reply", ["decided_at"],
                    sqlite_where=accepted, postgresql_where=accepted)
    pending = sa.text(PENDING_WHERE)
    op.create_index("ix_reply_pending", "reply",
                    [sa.text("verdict DESC"), "received_at", "id", "order_id"],
                    sqlite_where=pending, postgresql_where=pending)
    op.create_table(
        "reply_band",
        sa.Column("band_key", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("reply_id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "callback",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("at", LocalDateTime, nullable=False),
        _str("by"),
        sa.Column("reached", sa.Boolean(), nullable=False),
        sa.Column("solved", sa.Boolean(), nullable=True),
        sa.Column("satisfaction", sa.String(), nullable=True),
        _text("remark"),
    )
    op.create_index("ix_callback_order", "callback", ["order_id", "at"])
    op.create_index("ix_callback_at", "callback", ["at"])
    # a plain ALTER TABLE ... ADD COLUMN (no copy of the table, whatever its size)
    op.add_column("work_order", sa.Column("rework_count", sa.Integer(), nullable=False,
                                          server_default="0"))
    replied = sa.text(REPLIED_WHERE)
    op.create_index("ix_order_replied", "work_order", ["replied_at", "id"],
                    sqlite_where=replied, postgresql_where=replied)
    closed = sa.text(CLOSED_WHERE)
    op.create_index("ix_order_closed", "work_order", ["closed_at", "id"],
                    sqlite_where=closed, postgresql_where=closed)
    bind = op.get_bind()
    # orders waiting for the review: their reply from the last REPLY history note (not yet
    # reviewed: no verdict, no copy keys; the review computes them when it is opened)
    bind.exec_driver_sql(
        "INSERT INTO reply (order_id, received_at, source, text, decision) "
        "SELECT o.id, coalesce(o.replied_at, o.updated_at), 'typed', coalesce((SELECT h.note "
        "FROM order_history h WHERE h.order_id = o.id AND h.event = 'reply' "
        "ORDER BY h.id DESC LIMIT 1), ''), 'pending' FROM work_order o "
        f"WHERE o.{REPLIED_WHERE} ORDER BY o.id"
    )
    # orders sent back (or reopened) before this revision: count their rounds from history
    bind.exec_driver_sql(
        "UPDATE work_order SET rework_count = (SELECT count(*) FROM order_history h "
        "WHERE h.order_id = work_order.id AND h.event IN ('send_back', 'reopen')) "
        "WHERE id IN (SELECT order_id FROM order_history "
        "WHERE event IN ('send_back', 'reopen'))"
    )
    if bind.dialect.name == "sqlite" and bind.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    ).first():
        bind.exec_driver_sql("ANALYZE ix_order_replied")
        bind.exec_driver_sql("ANALYZE ix_order_closed")


def downgrade() -> None:
    op.drop_index("ix_order_closed", "work_order")
    op.drop_index("ix_order_replied", "work_order")
    op.drop_column("work_order", "rework_count")  # ALTER TABLE ... DROP COLUMN, no copy
    op.drop_index("ix_callback_at", "callback")
    op.drop_index("ix_callback_order", "callback")
    op.drop_table("callback")
    op.drop_table("reply_band")
    op.drop_index("ix_reply_pending", "reply")
    op.drop_index("ix_reply_accepted", "reply")
    op.drop_index("ix_reply_fingerprint", "reply")
    op.drop_index("ix_reply_order", "reply")
    op.drop_table("reply")
