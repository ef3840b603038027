"""延期: a unit asks for more time before its deadline (reason, working days asked); the
clerk approves (new deadline: that many working days after the old deadline's day, at the
office's end of day) or refuses. Request and decision each write an Event.EXTEND history
row; the request row keeps both. A request after the deadline is refused with one sentence.

    request_extension(engine, "A1", days=5, reason="...")
    approve_extension(engine, "A1")  /  refuse_extension(engine, "A1", note="...")
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.states import RUNNING_STATUSES, Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder
from hotline_tui.store.models_queue import ExtensionRequest

PENDING, APPROVED, REFUSED = "pending", "approved", "refused"
MAX_DAYS = 60
MAX_REASON = 2000


@dataclass(frozen=True)
class ExtensionInfo:
    id: int
    order_no: str
    status: str  # pending | approved | refused
    days: int
    reason: str
    asked_at: datetime
    asked_by: str
    old_due_at: datetime | None
    new_due_at: datetime | None  # the approved deadline (or, while pending, the proposal)
    decided_at: datetime | None = None
    decided_by: str = ""
    decision_note: str = ""
    warnings: tuple[str, ...] = ()


def _info(r: ExtensionRequest, order_no: str, warnings: tuple[str, ...] = ()) -> ExtensionInfo:
    return ExtensionInfo(r.id, order_no, r.status, r.days, r.reason, r.asked_at, r.asked_by,
                         r.old_due_at, r.new_due_at, r.decided_at, r.decided_by,
                         r.decision_note, warnings)


def _text(value: str | None) -> str:
    s = unicodedata.normalize("NFC", value or "").strip()
    if len(s) > MAX_REASON:
        raise UserError("extension.error.too_long", max=MAX_REASON)
    return s


def new_deadline(s: Session, old_due: datetime, days: int) -> tuple[datetime, set[int]]:
    """`days` working days after the old deadline's day, at the office's end of day; and
    the years counted weekends-only on the way."""
    from hotline_tui.services.calendar import calendar_for, due_rule

    cal = calendar_for(s)
    rule = due_rule(s)
    day = cal.add_workdays(old_due.date(), days)
    return datetime.combine(day, rule.end_of_day), cal.fallback_years(old_due, day)


def _pending(s: Session, order_id: int) -> ExtensionRequest | None:
    q = (select(ExtensionRequest)
         .where(ExtensionRequest.order_id == order_id, ExtensionRequest.status == PENDING)
         .order_by(ExtensionRequest.id.desc()))
    return s.execute(q).scalars().first()


def _running(order: WorkOrder) -> None:
    from hotline_tui.i18n import t

    if Status(order.status) not in RUNNING_STATUSES:
        raise UserError("extension.error.not_running", order_no=order.order_no,
                        status=t(f"status.{order.status}"))


def _warnings(order: WorkOrder, new_due: datetime, years: set[int]) -> tuple[str, ...]:
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import fallback_warning

    out = []
    if order.upstream_due_at is not None and order.upstream_due_at < new_due:
        out.append(t("extension.warn.upstream", due=f"{order.upstream_due_at:%Y-%m-%d %H:%M}"))
    w = fallback_warning(years)
    if w:
        out.append(w)
    return tuple(out)


def request_extension(engine: Engine, order_no: str, *, days: int, reason: str,
                      actor: str | None = None, at: datetime | None = None) -> ExtensionInfo:
    """Record a unit's request (pending). UserError when the deadline has passed, when the
    order is not running (dispatched / signed for / sent back), when a request is already
    pending, or for a missing reason or a day count outside 1..60."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    reason = _text(reason)
    if not reason:
        raise UserError("extension.error.reason_required")
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
        raise UserError("extension.error.bad_days", days=days, max=MAX_DAYS)
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        lock_for_write(s)
        order = load_order(s, order_no)
        _running(order)
        if order.due_at is None:
            raise UserError("extension.error.no_deadline", order_no=order.order_no)
        if at >= order.due_at:
            raise UserError("extension.error.after_deadline", order_no=order.order_no,
                            due=f"{order.due_at:%Y-%m-%d %H:%M}")
        if _pending(s, order.id) is not None:
            raise UserError("extension.error.already_pending", order_no=order.order_no)
        proposed, years = new_deadline(s, order.due_at, days)
        who = actor if actor is not None else clerk_name(s)
        apply_event(s, order, Event.EXTEND, actor=who, at=at,
                    note=t("extension.note.request", days=days, reason=reason),
                    extra_changes={"extension": [None, PENDING],
                                   "extension_days": [None, days]})
        req = ExtensionRequest(order_id=order.id, asked_at=at, asked_by=who, days=days,
                               reason=reason, status=PENDING, old_due_at=order.due_at,
                               new_due_at=proposed)
        s.add(req)
        s.commit()
        return _info(req, order.order_no, _warnings(order, proposed, years))


def _decide(engine: Engine, order_no: str, approve: bool, note: str, actor: str | None,
            at: datetime | None) -> ExtensionInfo:
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    note = _text(note)
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        lock_for_write(s)
        order = load_order(s, order_no)
        req = _pending(s, order.id)
        if req is None:
            raise UserError("extension.error.none_pending", order_no=order.order_no)
        _running(order)
        who = actor if actor is not None else clerk_name(s)
        warnings: tuple[str, ...] = ()
        if approve:
            old_due = order.due_at or req.old_due_at
            new_due, years = new_deadline(s, old_due, req.days)
            warnings = _warnings(order, new_due, years)
            text = t("extension.note.approved", days=req.days,
                     old=f"{old_due:%Y-%m-%d %H:%M}", new=f"{new_due:%Y-%m-%d %H:%M}")
            apply_event(s, order, Event.EXTEND, actor=who, at=at,
                        changes={"due_at": new_due},
                        note=text + (t("chase.note.sep") + note if note else ""),
                        extra_changes={"extension": [PENDING, APPROVED]})
            req.old_due_at, req.new_due_at = old_due, new_due
            req.status = APPROVED
        else:
            text = t("extension.note.refused", days=req.days)
            apply_event(s, order, Event.EXTEND, actor=who, at=at,
                        note=text + (t("chase.note.sep") + note if note else ""),
                        extra_changes={"extension": [PENDING, REFUSED]})
            req.status = REFUSED
            req.new_due_at = None
        req.decided_at, req.decided_by, req.decision_note = at, who, note
        s.add(req)
        s.commit()
        return _info(req, order.order_no, warnings)


def approve_extension(engine: Engine, order_no: str, *, note: str = "",
                      actor: str | None = None, at: datetime | None = None) -> ExtensionInfo:
    """Approve the pending request: the deadline moves by the working days asked, counted
    from the old deadline's day (holidays and make-up workdays as the calendar says), to the
    office's end of day. Warns when the upstream platform's deadline is earlier."""
    return _decide(engine, order_no, True, note, actor, at)


def refuse_extension(engine: Engine, order_no: str, *, note: str = "",
                     actor: str | None = None, at: datetime | None = None) -> ExtensionInfo:
    """Refuse the pending request; the deadline stays."""
    return _decide(engine, order_no, False, note, actor, at)


def extensions_of(engine: Engine, order_no: str) -> list[ExtensionInfo]:
    """Every request of one order, oldest first."""
    from hotline_tui.services.triage import load_order

    with session(engine) as s:
        order = load_order(s, order_no)
        q = (select(ExtensionRequest).where(ExtensionRequest.order_id == order.id)
             .order_by(ExtensionRequest.id))
        return [_info(r, order.order_no) for r in s.execute(q).scalars()]


def pending_extensions(engine: Engine) -> list[ExtensionInfo]:
    """Pending requests of running orders, oldest deadline first (the clerk's to decide)."""
    running = [st.value for st in RUNNING_STATUSES]
    q = (select(ExtensionRequest, WorkOrder.order_no)
         .join(WorkOrder, WorkOrder.id == ExtensionRequest.order_id)
         .where(ExtensionRequest.status == PENDING, WorkOrder.status.in_(running))
         .order_by(WorkOrder.due_at, ExtensionRequest.id))
    with session(engine) as s:
        return [_info(r, no) for r, no in s.execute(q).all()]
