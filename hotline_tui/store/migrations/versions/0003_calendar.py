"""The office's calendar entries (holidays and make-up workdays it entered itself).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from hotline_tui.store.types import LocalDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "calendar_day",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("entered_at", LocalDateTime, nullable=False),
        sa.Column("entered_by", sa.String(), nullable=False),
        sa.CheckConstraint("kind IN ('holiday', 'workday')", name="ck_calendar_day_kind"),
    )


def downgrade() -> None:
    op.drop_table("calendar_day")
