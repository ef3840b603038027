"""The overdue queue: chase log and chase summary, extension requests, leader sponsorship
with progress reports, merged repeats, the joint-meeting agenda, and the partial deadline
index of running orders.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

from hotline_tui.store.types import LocalDateTime

# the condition of the partial index, written here as it was at this revision
RUNNING_WHERE = "status IN ('dispatched', 'signed', 'rework')"

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _text(name: str) -> sa.Column:
    return sa.Column(name, sa.Text(), nullable=False)


def upgrade() -> None:
    op.create_table(
        "chase_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("at", LocalDateTime, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("method", sa.String(), nullable=False),
        sa.Column("whom", sa.String(), nullable=False),
        _text("said"),
        sa.Column("promised_on", sa.Date(), nullable=True),
        sa.Column("next_chase_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_chase_log_order_at", "chase_log", ["order_id", "at"])
    op.create_table(
        "chase_state",
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), primary_key=True),
        sa.Column("chase_count", sa.Integer(), nullable=False),
        sa.Column("last_chase_at", LocalDateTime, nullable=True),
        sa.Column("last_method", sa.String(), nullable=False),
        sa.Column("next_chase_on", sa.Date(), nullable=True),
    )
    op.create_index("ix_chase_state_next", "chase_state", ["next_chase_on"])
    op.create_table(
        "extension_request",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("asked_at", LocalDateTime, nullable=False),
        sa.Column("asked_by", sa.String(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        _text("reason"),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("decided_at", LocalDateTime, nullable=True),
        sa.Column("decided_by", sa.String(), nullable=False),
        _text("decision_note"),
        sa.Column("old_due_at", LocalDateTime, nullable=True),
        sa.Column("new_due_at", LocalDateTime, nullable=True),
    )
    op.create_index("ix_extension_order_status", "extension_request", ["order_id", "status"])
    op.create_table(
        "sponsorship",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("leader_name", sa.String(), nullable=False),
        sa.Column("leader_title", sa.String(), nullable=False),
        sa.Column("cadence_days", sa.Integer(), nullable=False),
        sa.Column("started_at", LocalDateTime, nullable=False),
        sa.Column("started_by", sa.String(), nullable=False),
        sa.Column("last_report_at", LocalDateTime, nullable=True),
        sa.Column("ended_at", LocalDateTime, nullable=True),
        sa.Column("ended_by", sa.String(), nullable=False),
        _text("end_note"),
    )
    active = sa.text("ended_at IS NULL")
    op.create_index("ix_sponsorship_active", "sponsorship", ["order_id"], unique=True,
                    sqlite_where=active, postgresql_where=active)
    op.create_index("ix_sponsorship_order", "sponsorship", ["order_id"])
    op.create_table(
        "sponsor_progress",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("sponsorship_id", sa.Integer(), sa.ForeignKey("sponsorship.id"),
                  nullable=False),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("at", LocalDateTime, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        _text("note"),
    )
    op.create_index("ix_sponsor_progress_sponsorship", "sponsor_progress",
                    ["sponsorship_id", "at"])
    op.create_table(
        "order_merge",
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), primary_key=True),
        sa.Column("main_order_id", sa.Integer(), sa.ForeignKey("work_order.id"),
                  nullable=False),
        sa.Column("at", LocalDateTime, nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        _text("reason"),
    )
    op.create_index("ix_order_merge_main", "order_merge", ["main_order_id"])
    op.create_table(
        "meeting_item",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("order_id", sa.Integer(), sa.ForeignKey("work_order.id"), nullable=False),
        sa.Column("added_at", LocalDateTime, nullable=False),
        sa.Column("added_by", sa.String(), nullable=False),
        _text("reason"),
        _text("units"),
        sa.Column("decided_at", LocalDateTime, nullable=True),
        sa.Column("decided_by", sa.String(), nullable=False),
        sa.Column("lead_unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=True),
        _text("assist"),
        sa.Column("tier_days", sa.Integer(), nullable=True),
        _text("outcome_note"),
    )
    op.create_index("ix_meeting_item_order", "meeting_item", ["order_id"])
    op.create_index("ix_meeting_item_decided", "meeting_item", ["decided_at"])
    running = sa.text(RUNNING_WHERE)
    op.create_index("ix_order_running_due", "work_order", ["due_at", "unit_id"],
                    sqlite_where=running, postgresql_where=running)


def downgrade() -> None:
    op.drop_index("ix_order_running_due", "work_order")
    for table in ("meeting_item", "order_merge", "sponsor_progress", "sponsorship",
                  "extension_request", "chase_state", "chase_log"):
        op.drop_table(table)
