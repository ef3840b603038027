"""The office's own calendar entries: holidays and make-up workdays of years (or single
dates) that chinesecalendar does not know or gets wrong. Entered data wins over the package's."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, Date
from sqlmodel import Field, SQLModel

from hotline_tui.store.types import LocalDateTime


class CalendarDay(SQLModel, table=True):
    """One entered date: kind 'holiday' (放假) or 'workday' (调休上班), with its name."""

    __tablename__ = "calendar_day"
    __table_args__ = (
        CheckConstraint("kind IN ('holiday', 'workday')", name="ck_calendar_day_kind"),
    )
    day: date = Field(sa_column=Column(Date, primary_key=True))
    kind: str
    name: str = ""
    entered_at: datetime | None = Field(
        default=None, sa_column=Column(LocalDateTime, nullable=False)
    )
    entered_by: str = ""
