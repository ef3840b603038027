"""First-contact owners: the owner directory, work_order.owner_id, and the indexes of the
register screen (open orders by owner, dispatched-not-signed, sign rates by unit and time).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from hotline_tui.store.types import LocalDateTime

# the conditions of the partial indexes, written here as they were at this revision
OWNED_OPEN_WHERE = "status IN ('signed', 'replied', 'rework', 'meeting')"
WAITING_WHERE = "status = 'dispatched'"

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "owner",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("unit.id"), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=False),
        sa.Column("post", sa.String(), nullable=False),
        sa.Column("pinyin", sa.String(), nullable=False),
        sa.Column("initials", sa.String(), nullable=False),
        sa.Column("created_at", LocalDateTime, nullable=False),
        sa.Column("updated_at", LocalDateTime, nullable=False),
        sa.Column("last_used_at", LocalDateTime, nullable=True),
        sa.UniqueConstraint("unit_id", "name", "phone", name="uq_owner_unit_name_phone"),
    )
    op.create_index("ix_owner_unit_used", "owner", ["unit_id", "last_used_at"])
    # a plain ADD COLUMN (nullable, REFERENCES with a NULL default): no table rebuild on
    # SQLite, so a database with a million orders upgrades in moments
    if op.get_bind().dialect.name == "sqlite":
        # Alembic would ask for batch mode (a rebuild) for the inline REFERENCES
        op.execute("ALTER TABLE work_order ADD COLUMN owner_id INTEGER REFERENCES owner (id)")
    else:
        op.add_column("work_order", sa.Column("owner_id", sa.Integer(), nullable=True))
        op.create_foreign_key("fk_work_order_owner", "work_order", "owner", ["owner_id"], ["id"])
    op.create_index("ix_order_owner", "work_order", ["owner_id"])
    # partial indexes: only open orders with an owner / only orders waiting for sign-for
    owned_open = sa.text(OWNED_OPEN_WHERE)
    waiting = sa.text(WAITING_WHERE)
    op.create_index(
        "ix_order_open_owner", "work_order",
        ["owner_id", "dispatched_at", "signed_at", "due_at", "status"],
        sqlite_where=owned_open, postgresql_where=owned_open,
    )
    op.create_index(
        "ix_order_waiting", "work_order", ["dispatched_at", "unit_id", "status"],
        sqlite_where=waiting, postgresql_where=waiting,
    )
    op.create_index(
        "ix_order_unit_dispatched", "work_order", ["unit_id", "dispatched_at", "signed_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_order_unit_dispatched", "work_order")
    op.drop_index("ix_order_waiting", "work_order")
    op.drop_index("ix_order_open_owner", "work_order")
    op.drop_index("ix_order_owner", "work_order")
    with op.batch_alter_table("work_order") as batch:
        batch.drop_column("owner_id")
    op.drop_index("ix_owner_unit_used", "owner")
    op.drop_table("owner")
