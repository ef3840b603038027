"""Tables of triage: assisting units (协办), the knowledge base, unit returns (退单) and the
small statistics table behind unit suggestions; plus the indexes the repeat hint needs."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from hotline_tui.store.models import WorkOrder
from hotline_tui.store.types import LocalDateTime


class OrderAssist(SQLModel, table=True):
    """An assisting unit (协办单位) of an order; the lead unit (主办) is work_order.unit_id."""

    __tablename__ = "order_assist"
    order_id: int = Field(foreign_key="work_order.id", primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)


class KnowledgeAnswer(SQLModel, table=True):
    """An approved answer for direct answers (直办): topic, keywords, text, policy basis."""

    __tablename__ = "knowledge_answer"
    id: int | None = Field(default=None, primary_key=True)
    topic: str
    keywords: str = ""  # separated by spaces or 、，,
    answer: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    basis: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    active: bool = True
    updated_at: datetime | None = Field(
        default=None, sa_column=Column(LocalDateTime, nullable=False)
    )


class UnitReturn(SQLModel, table=True):
    """One 退单: a unit sent an order back as not its business, with reason and basis."""

    __tablename__ = "unit_return"
    __table_args__ = (
        Index("ix_unit_return_at", "at"),
        Index("ix_unit_return_unit_at", "unit_id", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    at: datetime | None = Field(default=None, sa_column=Column(LocalDateTime, nullable=False))
    reason: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    basis: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class TriageStat(SQLModel, table=True):
    """How often a unit was chosen for orders with a feature (category, title word, area).

    `area` is '' for features counted county-wide. Maintained by services.triage on every
    triage / re-triage / return; rebuilt from the orders by `rebuild_triage_stats`.
    """

    __tablename__ = "triage_stat"
    feature: str = Field(primary_key=True)  # c:<category> | w:<word> | *
    area: str = Field(default="", primary_key=True)
    unit_id: int = Field(primary_key=True)
    n: int = 0


# Indexes on work_order for the repeat hint (same address; near-same text in the same area
# and category).
_o = WorkOrder.__table__.c
Index("ix_order_address_received", _o.address, _o.received_at)
Index("ix_order_area_category_received", _o.area, _o.category, _o.received_at)
