"""SQLModel tables: units, work orders, the append-only order history, settings."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Index, Integer, Text
from sqlmodel import Field, SQLModel

from hotline_tui.store.types import LocalDateTime


def _dt(nullable: bool = True, index: bool = False) -> object:
    return Field(default=None, sa_column=Column(LocalDateTime, nullable=nullable, index=index))


class Unit(SQLModel, table=True):
    """A responsible unit: township (乡镇), county department (县直部门) or other."""

    __tablename__ = "unit"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    short_name: str = ""
    kind: str = "department"
    phone: str = ""
    leader: str = ""
    pinyin: str = ""  # full pinyin, no spaces: heilonghexiang
    initials: str = ""  # pinyin initials: hlhx
    retired: bool = False


class WorkOrder(SQLModel, table=True):
    """One citizen request (工单). `order_no` is its identity across imports."""

    __tablename__ = "work_order"
    __table_args__ = (
        Index("ix_order_received", "received_at", "id"),
        Index("ix_order_due", "due_at", "id"),
        Index("ix_order_status_received", "status", "received_at"),
        Index("ix_order_unit_status", "unit_id", "status"),
        Index("ix_order_phone_received", "caller_phone", "received_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    order_no: str = Field(unique=True)
    is_local: bool = False  # numbered locally until the platform gives a number
    received_at: datetime | None = _dt(nullable=False)
    caller_name: str = ""
    caller_phone: str = ""
    request_type: str = "其他"
    category: str = ""  # 问题分类
    title: str = ""
    content: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    area: str = ""  # 所属区域 / 被反映街乡镇
    address: str = ""  # 事发地址
    source: str = ""  # 工单来源 / 渠道
    urgency: str = ""  # 紧急程度 as given upstream
    urgent: bool = False
    confidential: bool = False
    anonymous: bool = False
    upstream_unit: str = ""  # 承办单位 as named upstream
    upstream_due_at: datetime | None = _dt()
    status: str = "new"
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    tier_days: int | None = None
    dispatched_at: datetime | None = _dt()
    due_at: datetime | None = _dt()
    signed_at: datetime | None = _dt()
    owner_id: int | None = Field(default=None, foreign_key="owner.id")  # models_owner
    replied_at: datetime | None = _dt()
    closed_at: datetime | None = _dt()
    is_demo: bool = False
    # rounds sent back to the unit (退回重办 or an unsatisfied callback); migration 0009
    rework_count: int = Field(
        default=0, sa_column=Column(Integer, nullable=False, default=0, server_default="0")
    )
    version: int = 1
    created_at: datetime | None = _dt(nullable=False)
    updated_at: datetime | None = _dt(nullable=False)


class OrderHistory(SQLModel, table=True):
    """Append-only history: one row for every change of an order."""

    __tablename__ = "order_history"
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id", index=True)
    at: datetime | None = _dt(nullable=False)
    actor: str = ""
    event: str
    old_status: str | None = None
    new_status: str | None = None
    changes: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Setting(SQLModel, table=True):
    """Office settings as JSON values (clerk name, tiers, warning windows, ...)."""

    __tablename__ = "setting"
    key: str = Field(primary_key=True)
    value: str = Field(default="null", sa_column=Column(Text, nullable=False, default="null"))


# The other areas' tables join the metadata when this module is imported.
from hotline_tui.store import (  # noqa: E402
    models_calendar,  # noqa: F401
    models_metrics,  # noqa: F401
    models_owner,  # noqa: F401
    models_queue,  # noqa: F401
    models_reply,  # noqa: F401
    models_triage,  # noqa: F401
)
