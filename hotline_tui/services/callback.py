"""回访: the callback to the citizen after an order was closed: reached or not, solved or
not, 满意 / 基本满意 / 不满意 and a remark. Every callback writes Event.CALLBACK; an
unsatisfied one (or "not solved" from a citizen reached) reopens the order (Event.REOPEN ->
退回重办) with a new deadline (the order's tier again, from now), rework_count + 1, the same
first-contact owner; one transaction.

    record_callback(engine, "A1", reached=True, solved=False, satisfaction="不满意")
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlalchemy.engine import Engine

from hotline_tui.domain.states import Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store.engine import session
from hotline_tui.store.models_reply import CLOSED_WHERE, Callback

SATISFIED, BASIC, UNSATISFIED = "satisfied", "basic", "unsatisfied"
SATISFACTION = (SATISFIED, BASIC, UNSATISFIED)
# words a clerk or a file uses for each level
_WORDS = {
    "满意": SATISFIED, "非常满意": SATISFIED, "satisfied": SATISFIED, "s": SATISFIED,
    "基本满意": BASIC, "一般": BASIC, "basic": BASIC, "b": BASIC,
    "不满意": UNSATISFIED, "unsatisfied": UNSATISFIED, "u": UNSATISFIED,
}
MAX_REMARK = 2000
WINDOW_DAYS = 7  # closed this many days ago or less, without a callback: waiting for one


def parse_satisfaction(value: str | None) -> str | None:
    """'satisfied' | 'basic' | 'unsatisfied' from the code or 满意 / 基本满意 / 不满意; None for
    empty; UserError otherwise."""
    if value is None:
        return None
    s = unicodedata.normalize("NFKC", str(value)).strip().lower()
    if not s:
        return None
    if s in _WORDS:
        return _WORDS[s]
    raise UserError("callback.error.bad_satisfaction", value=value)


@dataclass(frozen=True)
class CallbackResult:
    reopened: bool
    new_due_at: datetime | None
    callback_id: int = 0
    order_no: str = ""
    rework_count: int = 0


def record_callback(
    engine: Engine,
    order_no: str,
    *,
    reached: bool,
    solved: bool | None,
    satisfaction: str | None,
    remark: str = "",
    actor: str | None = None,
) -> CallbackResult:
    """Record a callback of a closed order (UserError otherwise: a clear sentence naming
    its state). A citizen not reached has neither an answer nor a satisfaction (giving one
    is a UserError); one reached must say how satisfied. 不满意, or not solved, reopens."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.review import rework_deadline
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    level = parse_satisfaction(satisfaction)
    remark = unicodedata.normalize("NFC", remark or "").replace("\r\n", "\n").strip()
    if len(remark) > MAX_REMARK:
        raise UserError("callback.error.too_long", max=MAX_REMARK)
    if not reached:
        if solved is not None or level is not None:
            raise UserError("callback.error.not_reached_answer")
    elif level is None:
        raise UserError("callback.error.satisfaction_required")
    at = clock.now().replace(microsecond=0)
    with session(engine) as s:
        try:
            lock_for_write(s)
            order = load_order(s, order_no)
            if order.status != Status.CLOSED.value:
                raise UserError("callback.error.not_closed", order_no=order.order_no,
                                status=t(f"status.{order.status}"))
            who = actor if actor is not None else clerk_name(s)
            row = Callback(order_id=order.id, at=at, by=who, reached=bool(reached),
                           solved=solved if reached else None,
                           satisfaction=level if reached else None, remark=remark)
            s.add(row)
            s.flush()
            summary = callback_summary(bool(reached), solved, level, remark)
            apply_event(s, order, Event.CALLBACK, actor=who, at=at, note=summary,
                        extra_changes={"callback_id": [None, row.id]})
            reopen = bool(reached) and (level == UNSATISFIED or solved is False)
            due = None
            count = int(order.rework_count or 0)
            if reopen:
                due, _warnings = rework_deadline(s, order, at, None)
                count += 1
                apply_event(s, order, Event.REOPEN,
                            changes={"due_at": due, "closed_at": None, "rework_count": count},
                            actor=who, at=at,
                            note=t("callback.note.reopen", summary=summary))
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return CallbackResult(reopen, due, row.id, order.order_no, count)


def callback_summary(reached: bool, solved: bool | None, level: str | None,
                     remark: str = "") -> str:
    """One line for the history: 回访：已联系上，已解决，满意。备注……"""
    from hotline_tui.i18n import t

    parts = [t("callback.reached") if reached else t("callback.not_reached")]
    if reached and solved is not None:
        parts.append(t("callback.solved") if solved else t("callback.unsolved"))
    if reached and level:
        parts.append(t(f"callback.level.{level}"))
    out = t("callback.note.prefix") + t("callback.note.sep").join(parts)
    if remark:
        out += t("callback.note.remark", remark=remark)
    return out


# ---- closed orders waiting for a callback --------------------------------------------------


@dataclass(frozen=True)
class AwaitingCallback:
    order_no: str
    unit_name: str
    title: str
    closed_at: datetime | None


def _since_param():  # noqa: ANN202
    from sqlalchemy import bindparam

    from hotline_tui.store.types import LocalDateTime

    return bindparam("since", type_=LocalDateTime)


def _since() -> datetime:
    return clock.now().replace(microsecond=0) - timedelta(days=WINDOW_DAYS)


def _await_where(conn) -> str:  # noqa: ANN001
    """FROM ... WHERE of the orders awaiting a callback. SQLite's planner, without the
    distribution of closed_at, prefers the status index (all ~900k closed orders of a
    city-sized database) to the partial index of closed orders by closed_at, which reads
    only the last WINDOW_DAYS days: it is named there (2.5 s -> a few ms at 1M orders)."""
    hint = " INDEXED BY ix_order_closed" if conn.dialect.name == "sqlite" else ""
    return (f"FROM work_order o{hint} WHERE o.{CLOSED_WHERE} AND o.closed_at >= :since "
            "AND NOT EXISTS (SELECT 1 FROM callback c WHERE c.order_id = o.id "
            "AND c.at >= o.closed_at)")


def count_awaiting_callback(engine: Engine) -> int:
    """Orders closed in the last WINDOW_DAYS days without a callback since."""
    with engine.connect() as conn:
        q = text("SELECT count(*) " + _await_where(conn)).bindparams(_since_param())
        return int(conn.execute(q, {"since": _since()}).scalar() or 0)


def awaiting_callback(engine: Engine, offset: int = 0, limit: int = 100
                      ) -> list[AwaitingCallback]:
    """One page of them, the longest closed first."""
    from hotline_tui.services.review import _dt

    with engine.connect() as conn:
        q = text("SELECT o.order_no, u.name, o.title, o.closed_at "
                 "FROM (SELECT o.id, o.order_no, o.title, o.closed_at, o.unit_id "
                 + _await_where(conn) + " ORDER BY o.closed_at, o.id LIMIT :limit OFFSET :offset) o "
                 "LEFT JOIN unit u ON u.id = o.unit_id ORDER BY o.closed_at, o.id"
                 ).bindparams(_since_param())
        rows = conn.execute(q, {"since": _since(), "limit": max(0, int(limit)),
                                "offset": max(0, int(offset))}).all()
    return [AwaitingCallback(no, unit or "", title or "", _dt(closed))
            for no, unit, title, closed in rows]
