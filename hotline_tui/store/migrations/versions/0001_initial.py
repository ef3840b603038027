"""The first schema: units, work orders, order history, settings.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

from hotline_tui.store.types import LocalDateTime

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "setting",
        sa.Column("key", sa.String(), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )
    op.create_table(
        "unit",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(), nullable=False, unique=True),
        sa.Column("short_name", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("leader", sa.String(), nullable=False),
        sa.Column("pinyin", sa.String(), nullable=False),
        sa.Column("initials", sa.String(), nullable=False),
        sa.Column("retired", sa.Boolean(), nullable=False),
    )
    op.create_table(
        "work_order",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_no", sa.String(), nullable=False, unique=True),
        sa.Column("is_local", sa.Boolean(), nullable=False),
        sa.Column("received_at", LocalDateTime, nullable=False),
        sa.Column("caller_name", sa.String(), nullable=False),
        sa.Column("caller_phone", sa.String(), nullable=False),
        sa.Column("request_type", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("area", sa.String(), nullable=False),
        sa.Column("address", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("urgency", sa.String(), nullable=False),
        sa.Column("urgent", sa.Boolean(), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("upstream_unit", sa.String(), nullable=False),
        sa.Column("upstream_due_at", LocalDateTime, nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        sa.Column("tier_days", sa.Integer(), nullable=True),
        sa.Column("dispatched_at", LocalDateTime, nullable=True),
        sa.Column("due_at", LocalDateTime, nullable=True),
        sa.Column("signed_at", LocalDateTime, nullable=True),
        sa.Column("replied_at", LocalDateTime, nullable=True),
        sa.Column("closed_at", LocalDateTime, nullable=True),
        sa.Column("is_demo", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", LocalDateTime, nullable=False),
        sa.Column("updated_at", LocalDateTime, nullable=False),
    )
    op.create_index("ix_order_received", "work_order", ["received_at", "id"])
    op.create_index("ix_order_due", "work_order", ["due_at", "id"])
    op.create_index("ix_order_status_received", "work_order", ["status", "received_at"])
    op.create_index("ix_order_unit_status", "work_order", ["unit_id", "status"])
    op.create_index("ix_order_phone", "work_order", ["caller_phone"])
    op.create_table(
        "order_history",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("at", LocalDateTime, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("event", sa.String(), nullable=False),
        sa.Column("old_status", sa.String(), nullable=True),
        sa.Column("new_status", sa.String(), nullable=True),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
    )
    op.create_index("ix_order_history_order_id", "order_history", ["order_id"])


def downgrade() -> None:
    op.drop_table("order_history")
    op.drop_table("work_order")
    op.drop_table("unit")
    op.drop_table("setting")
