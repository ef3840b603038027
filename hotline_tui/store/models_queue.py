"""Tables of the overdue queue: chase log (催办) and each order's chase summary, extension
requests (延期), leader sponsorship (包联督办) with progress reports, merged repeats (并单)
and the joint-meeting agenda (联席会议); plus the partial deadline index of running orders
the queue walks."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Date, Index, Text, text
from sqlmodel import Field, SQLModel

from hotline_tui.store.models import WorkOrder
from hotline_tui.store.types import LocalDateTime

# The queue reads running orders only (a unit owes a reply: the deadline runs), through a
# partial index on the deadline. A query uses it when its WHERE repeats this condition word
# for word (store/queue_query.py writes it as the same literal SQL).
RUNNING_WHERE = "status IN ('dispatched', 'signed', 'rework')"


def _dt(nullable: bool = True) -> object:
    return Field(default=None, sa_column=Column(LocalDateTime, nullable=nullable))


def _text() -> object:
    return Field(default="", sa_column=Column(Text, nullable=False, default=""))


class ChaseLog(SQLModel, table=True):
    """One chase (催办): when, how, whom, what was said, the date promised, the next chase."""

    __tablename__ = "chase_log"
    __table_args__ = (Index("ix_chase_log_order_at", "order_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    at: datetime | None = _dt(nullable=False)
    actor: str = ""
    method: str  # 电话 | 短信 | 上门 | 书面催办单
    whom: str = ""
    said: str = _text()
    promised_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    next_chase_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))


class ChaseState(SQLModel, table=True):
    """Per order: how often it was chased, the last chase and the next chase date (kept with
    every chase so the queue reads one row per order, never the whole log)."""

    __tablename__ = "chase_state"
    __table_args__ = (Index("ix_chase_state_next", "next_chase_on"),)
    order_id: int = Field(foreign_key="work_order.id", primary_key=True)
    chase_count: int = 0
    last_chase_at: datetime | None = _dt()
    last_method: str = ""
    next_chase_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))


class ExtensionRequest(SQLModel, table=True):
    """A request for more time (延期), pending until the clerk approves or refuses it."""

    __tablename__ = "extension_request"
    __table_args__ = (Index("ix_extension_order_status", "order_id", "status"),)
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    asked_at: datetime | None = _dt(nullable=False)
    asked_by: str = ""  # who entered it
    days: int  # working days asked for
    reason: str = _text()
    status: str = "pending"  # pending | approved | refused
    decided_at: datetime | None = _dt()
    decided_by: str = ""
    decision_note: str = _text()
    old_due_at: datetime | None = _dt()
    new_due_at: datetime | None = _dt()


class Sponsorship(SQLModel, table=True):
    """A leader sponsoring a matter (包联督办): name, title, how often progress is reported."""

    __tablename__ = "sponsorship"
    __table_args__ = (
        # at most one active sponsorship per order
        Index("ix_sponsorship_active", "order_id", unique=True,
              sqlite_where=text("ended_at IS NULL"), postgresql_where=text("ended_at IS NULL")),
        Index("ix_sponsorship_order", "order_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    leader_name: str
    leader_title: str = ""
    cadence_days: int = 7
    started_at: datetime | None = _dt(nullable=False)
    started_by: str = ""
    last_report_at: datetime | None = _dt()
    ended_at: datetime | None = _dt()
    ended_by: str = ""
    end_note: str = _text()


class SponsorProgress(SQLModel, table=True):
    """One progress report of a sponsored matter."""

    __tablename__ = "sponsor_progress"
    __table_args__ = (Index("ix_sponsor_progress_sponsorship", "sponsorship_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    sponsorship_id: int = Field(foreign_key="sponsorship.id")
    order_id: int = Field(foreign_key="work_order.id")
    at: datetime | None = _dt(nullable=False)
    actor: str = ""
    note: str = _text()


class OrderMerge(SQLModel, table=True):
    """A merged repeat (并单): `order_id` joined `main_order_id` and closes with it."""

    __tablename__ = "order_merge"
    __table_args__ = (Index("ix_order_merge_main", "main_order_id"),)
    order_id: int = Field(foreign_key="work_order.id", primary_key=True)
    main_order_id: int = Field(foreign_key="work_order.id")
    at: datetime | None = _dt(nullable=False)
    actor: str = ""
    reason: str = _text()


class MeetingItem(SQLModel, table=True):
    """A matter on the joint meeting's agenda (联席会议) and, once decided, its outcome."""

    __tablename__ = "meeting_item"
    __table_args__ = (
        Index("ix_meeting_item_order", "order_id"),
        Index("ix_meeting_item_decided", "decided_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    added_at: datetime | None = _dt(nullable=False)
    added_by: str = ""
    reason: str = _text()
    units: str = _text()  # JSON list of the unit names concerned, as put on the agenda
    decided_at: datetime | None = _dt()
    decided_by: str = ""
    lead_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    assist: str = _text()  # JSON list of assisting unit names decided
    tier_days: int | None = None
    outcome_note: str = _text()


_o = WorkOrder.__table__.c
# running orders by deadline (the queue: overdue first, then today, then the warning window);
# the unit rides along so counts and grouping by unit never read the table (owner_id is not
# in it: it is added by another migration branch, 0005, which may run after this one)
Index("ix_order_running_due", _o.due_at, _o.unit_id,
      sqlite_where=text(RUNNING_WHERE), postgresql_where=text(RUNNING_WHERE))
