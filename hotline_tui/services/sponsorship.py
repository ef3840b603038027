"""包联督办: a named leader (name, title) sponsors a matter, reports progress at a cadence
(weekly by default); the key-supervision list (重点督办事项) shows each sponsored matter, its
leader, the last progress and whether a report is overdue.

    sponsor(engine, "A1", leader="王建国", title="副县长", cadence_days=7)
    add_progress(engine, "A1", "已召开现场协调会")
    supervision_list(engine) -> [SupervisionRow, ...]

Candidates for sponsorship are in services/sponsor_candidates.py.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.escalation import report_due
from hotline_tui.domain.states import OPEN_STATUSES, RUNNING_STATUSES, Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_queue import SponsorProgress, Sponsorship

MAX_NAME = 30
MAX_TITLE = 40
MAX_NOTE = 2000
MAX_CADENCE = 90


@dataclass(frozen=True)
class SponsorInfo:
    order_no: str
    leader_name: str
    leader_title: str
    cadence_days: int
    started_at: datetime
    report_due_on: date


@dataclass(frozen=True)
class ProgressEntry:
    at: datetime
    actor: str
    note: str


@dataclass(frozen=True)
class SupervisionRow:
    """One line of the key-supervision list (重点督办事项)."""

    order_id: int
    order_no: str
    title: str
    status: str
    unit_name: str
    due_at: datetime | None
    overdue: bool  # the order's deadline has passed while a unit owes the reply
    late_workdays: int
    leader_name: str
    leader_title: str
    cadence_days: int
    started_at: datetime
    progress_count: int
    last_progress_at: datetime | None
    last_progress: str
    report_due_on: date
    report_overdue: bool
    report_days_over: int
    ended_at: datetime | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "order_no": self.order_no, "title": self.title, "status": self.status,
            "unit": self.unit_name, "due_at": self.due_at, "overdue": self.overdue,
            "late_workdays": self.late_workdays, "leader": self.leader_name,
            "leader_title": self.leader_title, "cadence_days": self.cadence_days,
            "started_at": self.started_at, "progress_count": self.progress_count,
            "last_progress_at": self.last_progress_at, "last_progress": self.last_progress,
            "report_due_on": self.report_due_on, "report_overdue": self.report_overdue,
            "report_days_over": self.report_days_over, "ended_at": self.ended_at,
        }


def _clean(value: str | None, limit: int, key: str) -> str:
    if limit <= MAX_TITLE:  # a name or a title: one line, single spaces
        s = " ".join(unicodedata.normalize("NFKC", value or "").split())
    else:
        s = unicodedata.normalize("NFC", value or "").strip()
    if len(s) > limit:
        raise UserError(key, max=limit)
    return s


def _active(s: Session, order_id: int) -> Sponsorship | None:
    q = select(Sponsorship).where(Sponsorship.order_id == order_id,
                                  Sponsorship.ended_at.is_(None))
    return s.execute(q).scalars().first()


def default_cadence(db: Engine | Session) -> int:
    from hotline_tui.services.queue import escalation_rules

    return escalation_rules(db).report_days


def sponsor(engine: Engine, order_no: str, *, leader: str, title: str,
            cadence_days: int | None = None, note: str = "", actor: str | None = None,
            at: datetime | None = None) -> SponsorInfo:
    """Put an open order under a leader's sponsorship (Event.SPONSOR). The leader's name is
    required; `cadence_days` defaults to the setting (7: weekly). An order already
    sponsored gets the new leader/cadence (the history keeps the old one)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    leader = _clean(leader, MAX_NAME, "sponsor.error.name_too_long")
    title = _clean(title, MAX_TITLE, "sponsor.error.title_too_long")
    note = _clean(note, MAX_NOTE, "sponsor.error.note_too_long")
    if not leader:
        raise UserError("sponsor.error.leader_required")
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        lock_for_write(s)
        cadence = default_cadence(s) if cadence_days is None else cadence_days
        if isinstance(cadence, bool) or not isinstance(cadence, int) or \
                not 1 <= cadence <= MAX_CADENCE:
            raise UserError("sponsor.error.bad_cadence", days=cadence, max=MAX_CADENCE)
        order = load_order(s, order_no)
        who = actor if actor is not None else clerk_name(s)
        current = _active(s, order.id)
        old_leader = current.leader_name if current else None
        text = t("sponsor.note.start", leader=leader, title=title or "-", days=cadence)
        if note:
            text += t("chase.note.sep") + note
        apply_event(s, order, Event.SPONSOR, actor=who, at=at, note=text,
                    extra_changes={"leader": [old_leader, leader],
                                   "leader_title": [current.leader_title if current else None,
                                                    title],
                                   "report_every_days": [current.cadence_days if current
                                                         else None, cadence]})
        if current is not None:
            current.leader_name, current.leader_title = leader, title
            current.cadence_days = cadence
            sp = current
        else:
            sp = Sponsorship(order_id=order.id, leader_name=leader, leader_title=title,
                             cadence_days=cadence, started_at=at, started_by=who)
        s.add(sp)
        s.commit()
        due = report_due(sp.started_at, sp.last_report_at, sp.cadence_days, at)
        return SponsorInfo(order.order_no, leader, title, cadence, sp.started_at, due.due_on)


def _event_for(order: WorkOrder) -> Event:
    # progress of a matter still open is a sponsorship event; after closing, a note
    return Event.SPONSOR if Status(order.status) in OPEN_STATUSES else Event.NOTE


def add_progress(engine: Engine, order_no: str, note: str, *, actor: str | None = None,
                 at: datetime | None = None) -> ProgressEntry:
    """Record a progress report of a sponsored matter; the next report falls due
    `cadence_days` after it."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    note = _clean(note, MAX_NOTE, "sponsor.error.note_too_long")
    if not note:
        raise UserError("sponsor.error.progress_required")
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        lock_for_write(s)
        order = load_order(s, order_no)
        sp = _active(s, order.id)
        if sp is None:
            raise UserError("sponsor.error.not_sponsored", order_no=order.order_no)
        who = actor if actor is not None else clerk_name(s)
        apply_event(s, order, _event_for(order), actor=who, at=at,
                    note=t("sponsor.note.progress", leader=sp.leader_name, note=note))
        s.add(SponsorProgress(sponsorship_id=sp.id, order_id=order.id, at=at, actor=who,
                              note=note))
        sp.last_report_at = at
        s.add(sp)
        s.commit()
        return ProgressEntry(at, who, note)


def end_sponsorship(engine: Engine, order_no: str, note: str = "", *,
                    actor: str | None = None, at: datetime | None = None) -> None:
    """End the active sponsorship of an order (it leaves the key-supervision list)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    note = _clean(note, MAX_NOTE, "sponsor.error.note_too_long")
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        lock_for_write(s)
        order = load_order(s, order_no)
        sp = _active(s, order.id)
        if sp is None:
            raise UserError("sponsor.error.not_sponsored", order_no=order.order_no)
        who = actor if actor is not None else clerk_name(s)
        text = t("sponsor.note.end", leader=sp.leader_name)
        if note:
            text += t("chase.note.sep") + note
        apply_event(s, order, _event_for(order), actor=who, at=at, note=text,
                    extra_changes={"leader": [sp.leader_name, None]})
        sp.ended_at, sp.ended_by, sp.end_note = at, who, note
        s.add(sp)
        s.commit()


def progress_of(engine: Engine, order_no: str) -> list[ProgressEntry]:
    """The progress reports of an order's sponsorships, oldest first."""
    from hotline_tui.services.triage import load_order

    with session(engine) as s:
        order = load_order(s, order_no)
        q = (select(SponsorProgress).where(SponsorProgress.order_id == order.id)
             .order_by(SponsorProgress.at, SponsorProgress.id))
        return [ProgressEntry(p.at, p.actor, p.note) for p in s.execute(q).scalars()]


def supervision_list(engine: Engine, *, now: datetime | None = None,
                     include_ended: bool = False) -> list[SupervisionRow]:
    """The key-supervision list: every active sponsorship (and ended ones when asked), the
    matters with an overdue report first, then by when they were taken on."""
    from hotline_tui.domain.escalation import lateness
    from hotline_tui.services.calendar import calendar_for

    now = now or clock.now()
    sp, o, u, p = Sponsorship, WorkOrder, Unit, SponsorProgress
    counts = (select(p.sponsorship_id, func.count().label("n"), func.max(p.id).label("last"))
              .group_by(p.sponsorship_id).subquery())
    q = (select(sp, o.order_no, o.title, o.status, o.due_at, o.id, u.name,
                counts.c.n, SponsorProgress.note, SponsorProgress.at)
         .join(o, o.id == sp.order_id)
         .outerjoin(u, u.id == o.unit_id)
         .outerjoin(counts, counts.c.sponsorship_id == sp.id)
         .outerjoin(SponsorProgress, SponsorProgress.id == counts.c.last))
    if not include_ended:
        q = q.where(sp.ended_at.is_(None))
    running = {st.value for st in RUNNING_STATUSES}
    with session(engine) as s:
        cal = calendar_for(s)
        rows = []
        for r in s.execute(q).all():
            spr = r[0]
            due = report_due(spr.started_at, spr.last_report_at, spr.cadence_days, now)
            active = spr.ended_at is None and r.status in {x.value for x in OPEN_STATUSES}
            late = (lateness(cal, r.due_at, now) if r.due_at is not None and r.status in running
                    else None)
            rows.append(SupervisionRow(
                order_id=r.id, order_no=r.order_no, title=r.title or "", status=r.status,
                unit_name=r.name or "", due_at=r.due_at,
                overdue=bool(late and late.overdue), late_workdays=late.late_workdays if late
                else 0, leader_name=spr.leader_name, leader_title=spr.leader_title,
                cadence_days=spr.cadence_days, started_at=spr.started_at,
                progress_count=int(r.n or 0), last_progress_at=r.at,
                last_progress=r.note or "", report_due_on=due.due_on,
                report_overdue=active and due.overdue,
                report_days_over=due.days_over if active else 0, ended_at=spr.ended_at,
            ))
    rows.sort(key=lambda x: (not x.report_overdue, x.ended_at is not None, x.started_at,
                             x.order_no))
    return rows
