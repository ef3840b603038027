"""催办: log a chase of one or several orders (method, whom, what was said, the date
promised, the next chase date — suggested when not given) in one transaction: a chase_log
row, the order's chase summary (chase_state) and an Event.CHASE history row per order.

    chase(engine, ["A1", "A2"], method="电话", whom="张三", said="...", next_chase=None)
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.escalation import EscalationRules, next_chase_day
from hotline_tui.domain.workdays import WorkCalendar
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder
from hotline_tui.store.models_owner import Owner
from hotline_tui.store.models_queue import ChaseLog, ChaseState

METHODS = ("phone", "sms", "visit", "notice")  # 电话 短信 上门 书面催办单
_METHOD_WORDS = {
    "phone": "phone", "电话": "phone", "打电话": "phone", "tel": "phone", "call": "phone",
    "sms": "sms", "短信": "sms", "text": "sms", "message": "sms",
    "visit": "visit", "上门": "visit", "上门催办": "visit", "当面": "visit",
    "notice": "notice", "书面催办单": "notice", "书面": "notice", "催办单": "notice",
    "催办通知书": "notice", "书面催办": "notice", "letter": "notice", "written": "notice",
}
MAX_SAID = 2000
MAX_WHOM = 100


def parse_method(value: str) -> str:
    """电话 / 短信 / 上门 / 书面催办单 (or phone / sms / visit / notice) -> the stored code."""
    key = unicodedata.normalize("NFKC", value or "").strip().lower()
    code = _METHOD_WORDS.get(key)
    if code is None:
        raise UserError("chase.error.bad_method", method=value, choices=method_choices())
    return code


def method_label(code: str) -> str:
    from hotline_tui.i18n import t

    return t(f"chase.method.{code}") if code in METHODS else code


def method_choices() -> str:
    return " / ".join(method_label(m) for m in METHODS)


@dataclass(frozen=True)
class ChaseDone:
    """One order chased."""

    order_no: str
    order_id: int
    at: datetime
    method: str
    whom: str
    promised_on: date | None
    next_chase_on: date
    next_suggested: bool
    chase_count: int


@dataclass(frozen=True)
class ChaseEntry:
    """One line of an order's chase log."""

    at: datetime
    actor: str
    method: str
    whom: str
    said: str
    promised_on: date | None
    next_chase_on: date | None


def _clean(text: str | None, limit: int, key: str) -> str:
    s = unicodedata.normalize("NFC", (text or "")).strip()
    if len(s) > limit:
        raise UserError(key, max=limit)
    return s


def _numbers(order_nos: Sequence[str] | str) -> list[str]:
    if isinstance(order_nos, str):
        order_nos = [order_nos]
    return list(dict.fromkeys(str(n).strip() for n in order_nos if str(n).strip()))


def _check_day(value: date | None, today: date, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        value = value.date()
    if value < today:
        raise UserError(key, day=value.isoformat(), today=today.isoformat())
    return value


def suggest_next(cal: WorkCalendar, rules: EscalationRules, now: datetime,
                 due_at: datetime | None, promised: date | None = None) -> date:
    return next_chase_day(cal, now, due_at, promised=promised, rules=rules)


def suggest_next_chase(engine: Engine, order_no: str, promised: date | None = None,
                       now: datetime | None = None) -> date:
    """The next chase date the form proposes for a chase of `order_no` now."""
    from hotline_tui.services.calendar import calendar_for
    from hotline_tui.services.queue import escalation_rules
    from hotline_tui.services.triage import load_order

    now = now or clock.now()
    with session(engine) as s:
        order = load_order(s, order_no)
        return suggest_next(calendar_for(s), escalation_rules(s), now, order.due_at, promised)


def chase_in_session(
    s: Session,
    orders: Sequence[WorkOrder],
    *,
    method: str,
    whom: str = "",
    said: str = "",
    promised_date: date | None = None,
    next_chase: date | None = None,
    actor: str | None = None,
    at: datetime | None = None,
) -> list[ChaseDone]:
    """Chase `orders` inside the caller's transaction (the caller commits)."""
    from hotline_tui.domain.states import Event
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import calendar_for
    from hotline_tui.services.queue import escalation_rules
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event

    code = parse_method(method)
    at = (at or clock.now()).replace(microsecond=0)
    today = at.date()
    whom = _clean(whom, MAX_WHOM, "chase.error.whom_too_long")
    said = _clean(said, MAX_SAID, "chase.error.said_too_long")
    promised = _check_day(promised_date, today, "chase.error.promised_past")
    fixed_next = _check_day(next_chase, today, "chase.error.next_past")
    cal = calendar_for(s)
    rules = escalation_rules(s)
    who = actor if actor is not None else clerk_name(s)
    owner_ids = {o.owner_id for o in orders if o.owner_id is not None}
    owners = {}
    if owner_ids:
        owners = {w.id: w for w in s.execute(
            select(Owner).where(Owner.id.in_(owner_ids))).scalars()}
    done: list[ChaseDone] = []
    for order in orders:
        target = whom
        if not target and order.owner_id in owners:
            w = owners[order.owner_id]
            target = f"{w.name} {w.phone}"
        nxt = fixed_next or suggest_next(cal, rules, at, order.due_at, promised)
        state = s.get(ChaseState, order.id)
        old_count = state.chase_count if state else 0
        old_next = state.next_chase_on if state else None
        parts = [t("chase.note.head", method=method_label(code), whom=target or "-")]
        if said:
            parts.append(t("chase.note.said", said=said))
        if promised:
            parts.append(t("chase.note.promised", day=promised.isoformat()))
        parts.append(t("chase.note.next", day=nxt.isoformat()))
        apply_event(
            s, order, Event.CHASE, actor=who, at=at, note=t("chase.note.sep").join(parts),
            extra_changes={"chase_count": [old_count, old_count + 1],
                           "next_chase_on": [old_next.isoformat() if old_next else None,
                                             nxt.isoformat()]},
        )
        s.add(ChaseLog(order_id=order.id, at=at, actor=who, method=code, whom=target,
                       said=said, promised_on=promised, next_chase_on=nxt))
        if state is None:
            state = ChaseState(order_id=order.id)
        state.chase_count = old_count + 1
        state.last_chase_at = at
        state.last_method = code
        state.next_chase_on = nxt
        s.add(state)
        done.append(ChaseDone(order.order_no, order.id, at, code, target, promised, nxt,
                              fixed_next is None, old_count + 1))
    return done


def chase(
    engine: Engine,
    order_nos: Sequence[str] | str,
    *,
    method: str,
    whom: str = "",
    said: str = "",
    promised_date: date | None = None,
    next_chase: date | None = None,
    actor: str | None = None,
    at: datetime | None = None,
) -> list[ChaseDone]:
    """Log one chase of every order named (marked orders chased together), all in one
    transaction: all or nothing. `whom` defaults to each order's first-contact owner;
    `next_chase` (None: suggested per order, see domain.escalation.next_chase_day).
    UserError: unknown order, an order that cannot be chased in its state (only running,
    replied and joint-meeting orders can), a bad method, a date in the past."""
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.triage import load_order

    numbers = _numbers(order_nos)
    if not numbers:
        raise UserError("chase.error.none")
    parse_method(method)  # a bad method is reported before anything is read
    with session(engine) as s:
        try:
            lock_for_write(s)
            orders = [load_order(s, no) for no in numbers]
            done = chase_in_session(s, orders, method=method, whom=whom, said=said,
                                    promised_date=promised_date, next_chase=next_chase,
                                    actor=actor, at=at)
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return done


def chase_log(engine: Engine, order_no: str) -> list[ChaseEntry]:
    """The chases of one order, oldest first."""
    from hotline_tui.services.triage import load_order

    with session(engine) as s:
        order = load_order(s, order_no)
        rows = s.execute(select(ChaseLog).where(ChaseLog.order_id == order.id)
                      .order_by(ChaseLog.at, ChaseLog.id)).scalars()
        return [ChaseEntry(r.at, r.actor, r.method, r.whom, r.said, r.promised_on,
                           r.next_chase_on) for r in rows]
