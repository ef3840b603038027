"""Triage: assisting units, knowledge base, unit returns, suggestion statistics, and the
work_order indexes for the repeat hint (address + time; area + category + time).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from hotline_tui.store.types import LocalDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "order_assist",
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), primary_key=True),
    )
    op.create_index("ix_order_assist_unit_id", "order_assist", ["unit_id"])
    op.create_table(
        "knowledge_answer",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("keywords", sa.String(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("updated_at", LocalDateTime, nullable=False),
    )
    op.create_table(
        "unit_return",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        sa.Column("at", LocalDateTime, nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("basis", sa.Text(), nullable=False),
    )
    op.create_index("ix_unit_return_order_id", "unit_return", ["order_id"])
    op.create_index("ix_unit_return_at", "unit_return", ["at"])
    op.create_index("ix_unit_return_unit_at", "unit_return", ["unit_id", "at"])
    op.create_table(
        "triage_stat",
        sa.Column("feature", sa.String(), primary_key=True),
        sa.Column("area", sa.String(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_index("ix_order_address_received", "work_order", ["address", "received_at"])
    op.create_index("ix_order_area_category_received", "work_order",
                    ["area", "category", "received_at"])


def downgrade() -> None:
    op.drop_index("ix_order_area_category_received", table_name="work_order")
    op.drop_index("ix_order_address_received", table_name="work_order")
    op.drop_table("triage_stat")
    op.drop_table("unit_return")
    op.drop_table("knowledge_answer")
    op.drop_table("order_assist")
