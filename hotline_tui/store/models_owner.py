"""The first-contact owner directory (首接负责人): one row per person of a unit, and the
work_order indexes the register screen reads through (work_order.owner_id points here)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from hotline_tui.store.models import WorkOrder
from hotline_tui.store.types import LocalDateTime


class Owner(SQLModel, table=True):
    """A person at a unit who took orders. Identity: unit + name + phone, so two people of
    the same name at one unit stay apart and a changed number never re-points old orders
    by itself (that is `update_owner_phone`)."""

    __tablename__ = "owner"
    __table_args__ = (
        UniqueConstraint("unit_id", "name", "phone", name="uq_owner_unit_name_phone"),
        Index("ix_owner_unit_used", "unit_id", "last_used_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id")
    name: str
    phone: str
    post: str = ""  # 职务 / 岗位
    pinyin: str = ""  # full pinyin, no spaces: zhangsan
    initials: str = ""  # zs
    created_at: datetime | None = Field(
        default=None, sa_column=Column(LocalDateTime, nullable=False)
    )
    updated_at: datetime | None = Field(
        default=None, sa_column=Column(LocalDateTime, nullable=False)
    )
    # the last sign-for registered with this person: suggestions come most recent first
    last_used_at: datetime | None = Field(default=None, sa_column=Column(LocalDateTime))


# The register reads open orders only, through small partial indexes (SQLite and PostgreSQL
# both have them): a query uses one when its WHERE repeats the index's condition word for word,
# so register_query writes these conditions as the same literal SQL.
OWNED_OPEN_WHERE = "status IN ('signed', 'replied', 'rework', 'meeting')"
WAITING_WHERE = "status = 'dispatched'"

_o = WorkOrder.__table__.c
# all of an owner's orders (history drill-in, merge, the foreign key check on delete)
Index("ix_order_owner", _o.owner_id)
# per-owner counts over open orders with an owner (owner first: the owner list drives the
# count, and an owner's open orders are one seek), also the drill-in and suggestion counts
Index("ix_order_open_owner", _o.owner_id, _o.dispatched_at, _o.signed_at, _o.due_at, _o.status,
      sqlite_where=text(OWNED_OPEN_WHERE), postgresql_where=text(OWNED_OPEN_WHERE))
# dispatched-not-signed: counts per unit, and the list longest waiting first
Index("ix_order_waiting", _o.dispatched_at, _o.unit_id, _o.status,
      sqlite_where=text(WAITING_WHERE), postgresql_where=text(WAITING_WHERE))
# the first dispatch date of the open owned orders (the sign-for limit table starts there):
# one seek instead of a scan of every open order (migration 0007)
Index("ix_order_open_dispatched", _o.dispatched_at,
      sqlite_where=text(OWNED_OPEN_WHERE), postgresql_where=text(OWNED_OPEN_WHERE))
# dispatched-not-signed counts per unit: covering, rows arrive grouped by unit (migration 0007)
Index("ix_order_waiting_unit", _o.unit_id, _o.dispatched_at, _o.status,
      sqlite_where=text(WAITING_WHERE), postgresql_where=text(WAITING_WHERE))
# 签收率 / 按时签收率 of a period (per unit, a range of dispatch times) read the covering index
# ix_order_metrics_dispatch (store/models_metrics.py), whose first three columns were
# ix_order_unit_dispatched's (dropped by migration 0011)
