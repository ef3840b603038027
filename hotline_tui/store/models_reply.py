"""Replies (反馈) with their review, the near-copy keys of their text, and callbacks (回访).

Every reply is kept (one row per round of rework); an order's current reply is its latest.
`reply_band` holds the locality-sensitive keys of each reply's text (domain.review.band_keys)
so the review finds near-copies on other orders by index seeks, never by reading all texts.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Index, Integer, Text, text
from sqlmodel import Field, SQLModel

from hotline_tui.store.models import WorkOrder
from hotline_tui.store.types import LocalDateTime

# the pending-review list walks replied orders oldest first through this partial index; a
# query uses it when its WHERE repeats the condition word for word (services/review.py)
REPLIED_WHERE = "status = 'replied'"
CLOSED_WHERE = "status = 'closed'"
ACCEPTED_WHERE = "decision = 'accepted'"
PENDING_WHERE = "decision = 'pending'"

SOURCES = ("typed", "import", "sheet")
VERDICTS = ("acceptable", "send_back")
# superseded: a newer reply came in for the same round before this one was decided
DECISIONS = ("pending", "accepted", "sent_back", "superseded")
SATISFACTION = ("satisfied", "basic", "unsatisfied")


def _dt(nullable: bool = True) -> object:
    return Field(default=None, sa_column=Column(LocalDateTime, nullable=nullable))


def _text() -> object:
    return Field(default="", sa_column=Column(Text, nullable=False, default=""))


class Reply(SQLModel, table=True):
    """One reply of a unit to an order, as taken in, with the review's verdict at intake
    and the clerk's decision."""

    __tablename__ = "reply"
    __table_args__ = (
        Index("ix_reply_order", "order_id", "id"),
        Index("ix_reply_fingerprint", "fingerprint"),
        Index("ix_reply_accepted", "decided_at",
              sqlite_where=text(ACCEPTED_WHERE), postgresql_where=text(ACCEPTED_WHERE)),
        # the waiting list in its order (likely send-backs first, then oldest), covering
        Index("ix_reply_pending", text("verdict DESC"), "received_at", "id", "order_id",
              sqlite_where=text(PENDING_WHERE), postgresql_where=text(PENDING_WHERE)),
    )
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    received_at: datetime | None = _dt(nullable=False)
    source: str = "typed"  # typed | import | sheet
    text: str = _text()
    contact_by: str = ""  # who contacted the citizen
    contacted_at: str = ""  # when, as the unit wrote it
    contact_method: str = ""  # 电话 / 上门 / 短信 ...
    result: str = _text()  # 办理结果
    policy_basis: str = _text()  # 政策依据
    handler: str = ""  # 经办人
    handler_phone: str = ""
    fingerprint: str = ""  # domain.review.fingerprint(text): exact-copy key
    verdict: str | None = None  # acceptable | send_back (the review at intake)
    score: int | None = None  # 0..100
    reasons: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    reviewed_at: datetime | None = _dt()
    decision: str = "pending"  # pending | accepted | sent_back | superseded
    decided_at: datetime | None = _dt()
    decided_by: str = ""
    decision_note: str = _text()


class ReplyBand(SQLModel, table=True):
    """One near-copy key of a reply's text. The primary key (band_key first) is the lookup
    index; the order is kept beside it so replies of the same order are skipped unread."""

    __tablename__ = "reply_band"
    __table_args__ = ({"sqlite_with_rowid": False},)
    band_key: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    reply_id: int = Field(sa_column=Column(Integer, primary_key=True, autoincrement=False))
    order_id: int = Field(foreign_key="work_order.id")


class Callback(SQLModel, table=True):
    """A callback to the citizen (回访) after the order was closed."""

    __tablename__ = "callback"
    __table_args__ = (
        Index("ix_callback_order", "order_id", "at"),
        Index("ix_callback_at", "at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    order_id: int = Field(foreign_key="work_order.id")
    at: datetime | None = _dt(nullable=False)
    by: str = ""
    reached: bool = True
    solved: bool | None = None
    satisfaction: str | None = None  # satisfied | basic | unsatisfied (None: not reached)
    remark: str = _text()


_o = WorkOrder.__table__.c
# replied orders waiting for the review, oldest reply first (count and list)
Index("ix_order_replied", _o.replied_at, _o.id,
      sqlite_where=text(REPLIED_WHERE), postgresql_where=text(REPLIED_WHERE))
# closed orders by closing time: the ones waiting for a callback (回访)
Index("ix_order_closed", _o.closed_at, _o.id,
      sqlite_where=text(CLOSED_WHERE), postgresql_where=text(CLOSED_WHERE))
