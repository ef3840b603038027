"""The review (复核) of replies: the list of replies waiting for it, one reply against its
request with the verdict of domain.review (recomputed now against the replies of other
orders), and the clerk's decision: accept (-> 已办结, merged repeats close with it) or send
back (退回重办: a new deadline, the same owner, the rework count up). Then the accepted
reply as the upstream platform takes it, one at a time or as an .xlsx.

Order of the waiting list: replies the review would send back first, then the oldest reply
first (the longest wait), so the clerk deals with the likely rework while the unit still
has time, and nothing acceptable waits long behind it.
"""

from __future__ import annotations

import json
import os
import unicodedata
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.states import Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.reply_store import (
    FIELDS,
    ReplyFields,
    current_reply,
    history_reply_text,
    reason_codes,
    review_full,
    write_reply,
)
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_reply import REPLIED_WHERE, Reply
from hotline_tui.store.types import LocalDateTime

MAX_NOTE = 2000
MAX_WORKDAYS = 60
DEFAULT_REWORK_DAYS = 3  # an order without a tier (should not happen) gets this many


# ---- the waiting list ----------------------------------------------------------------------


@dataclass(frozen=True)
class PendingReview:
    order_no: str
    unit_name: str
    title: str
    replied_at: datetime | None
    verdict: str | None  # acceptable | send_back (None: replied before replies were kept)
    score: int | None
    reason_codes: tuple[str, ...]
    rework_count: int = 0


def count_pending(engine: Engine) -> int:
    """Replied orders waiting for the review (a count over a small partial index)."""
    with engine.connect() as conn:
        return int(conn.execute(
            text(f"SELECT count(*) FROM work_order WHERE {REPLIED_WHERE}")).scalar() or 0)


# the page walks the pending replies' partial index in its order, skipping replies of
# orders no longer waiting (merged meanwhile); then reads the page's details
_PENDING_IDS = text(
    "SELECT r.id FROM reply r WHERE r.decision = 'pending' AND EXISTS (SELECT 1 FROM "
    "work_order o WHERE o.id = r.order_id AND o.status = 'replied') "
    "ORDER BY r.verdict DESC, r.received_at, r.id LIMIT :limit OFFSET :offset"
)
_PENDING_ROWS = text(
    "SELECT r.id, o.order_no, u.name, o.title, o.replied_at, r.verdict, r.score, r.reasons, "
    "o.rework_count FROM reply r JOIN work_order o ON o.id = r.order_id "
    "LEFT JOIN unit u ON u.id = o.unit_id WHERE r.id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def pending_reviews(engine: Engine, offset: int = 0, limit: int = 100) -> list[PendingReview]:
    """One page of the replies waiting for the review: likely send-backs first, then the
    oldest reply first (replies not reviewed yet, from before replies were kept, last)."""
    with engine.connect() as conn:
        ids = [r[0] for r in conn.execute(
            _PENDING_IDS, {"limit": max(0, int(limit)), "offset": max(0, int(offset))})]
        if not ids:
            return []
        rows = {r[0]: r[1:] for r in conn.execute(_PENDING_ROWS, {"ids": ids})}
    out = []
    for rid in ids:
        no, unit, title, replied, verdict, score, reasons, rework = rows[rid]
        out.append(PendingReview(no, unit or "", title or "", _dt(replied), verdict, score,
                                 reason_codes(reasons), int(rework or 0)))
    return out


def _dt(v: Any) -> datetime | None:
    if v is None or isinstance(v, datetime):
        return v
    return datetime.fromisoformat(str(v))


# ---- one reply --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyRound:
    """An earlier (or the current) reply of the order and what became of it."""

    received_at: datetime
    decision: str
    decided_at: datetime | None
    decision_note: str
    score: int | None


@dataclass(frozen=True)
class ReviewView:
    """Everything the review screen shows of one order and its current reply."""

    order_no: str
    status: str
    title: str
    content: str
    request_type: str
    category: str
    received_at: datetime | None
    caller_name: str  # masked (保密 orders: hidden)
    caller_phone: str
    confidential: bool
    unit_name: str
    owner_name: str
    owner_phone: str
    rework_count: int
    due_at: datetime | None
    replied_at: datetime | None
    reply_id: int | None  # None: an order replied before replies were kept (text from history)
    reply_source: str
    reply_received_at: datetime | None
    reply_decision: str
    text: str
    contact_by: str
    contacted_at: str
    contact_method: str
    result: str
    policy_basis: str
    handler: str
    handler_phone: str
    verdict: Any  # domain.review.Verdict, computed now
    reasons: tuple[str, ...]  # one sentence per reason, for the clerk and the unit
    checklist: Any  # the rubric of domain.review
    copy_of: str | None
    similar_count: int  # replies of other orders the copy check compared
    rounds: tuple[ReplyRound, ...]

    @property
    def acceptable(self) -> bool:
        return bool(self.verdict.acceptable)

    @property
    def score(self) -> int:
        return int(self.verdict.score)

    @property
    def can_decide(self) -> bool:
        return self.status == Status.REPLIED.value

    def send_back_text(self) -> str:
        """The reasons as one text, to prefill the send-back note."""
        return "\n".join(f"{i}. {r}" for i, r in enumerate(self.reasons, 1))


class _Legacy:
    """A reply known only from the history note (replied before replies were kept)."""

    def __init__(self, text_: str) -> None:
        self.id = None
        self.text = text_
        self.source = "typed"
        self.received_at = None
        self.decision = "pending"
        for f in FIELDS:
            setattr(self, f, "")


def review_order(engine: Engine, order_no: str) -> ReviewView:
    """The order's request, its current reply and the review of it, recomputed now against
    the replies of other orders (so a copy taken in after this reply is caught too).
    UserError for an unknown order or one without a reply."""
    from hotline_tui.domain.masking import caller_for_output
    from hotline_tui.services.review_text import reason_text
    from hotline_tui.services.triage import load_order
    from hotline_tui.store.models_owner import Owner

    with session(engine) as s:
        order = load_order(s, order_no)
        reply: Any = current_reply(s, order.id)
        if reply is None:
            legacy = history_reply_text(s, order.id)
            if not legacy and order.status != Status.REPLIED.value:
                raise UserError("review.error.no_reply", order_no=order.order_no)
            reply = _Legacy(legacy)
        conn = s.connection()
        verdict, _fp, _keys, similar_used = review_full(conn, order, reply)
        unit = s.get(Unit, order.unit_id) if order.unit_id else None
        owner = s.get(Owner, order.owner_id) if order.owner_id else None
        name, phone = caller_for_output(order.caller_name, order.caller_phone,
                                        confidential=bool(order.confidential))
        rows = s.execute(
            text("SELECT received_at, decision, decided_at, decision_note, score FROM reply "
                 "WHERE order_id = :oid ORDER BY id"), {"oid": order.id}).all()
        rounds = tuple(ReplyRound(_dt(a), d, _dt(da), n or "", sc) for a, d, da, n, sc in rows)
        return ReviewView(
            order_no=order.order_no, status=order.status, title=order.title or "",
            content=order.content or "", request_type=order.request_type or "",
            category=order.category or "", received_at=order.received_at,
            caller_name=name, caller_phone=phone, confidential=bool(order.confidential),
            unit_name=unit.name if unit else "", owner_name=owner.name if owner else "",
            owner_phone=owner.phone if owner else "", rework_count=int(order.rework_count or 0),
            due_at=order.due_at, replied_at=order.replied_at, reply_id=reply.id,
            reply_source=reply.source, reply_received_at=reply.received_at,
            reply_decision=reply.decision, text=reply.text or "",
            **{f: getattr(reply, f) or "" for f in FIELDS},
            verdict=verdict, reasons=tuple(reason_text(r) for r in verdict.reasons),
            checklist=verdict.checklist, copy_of=verdict.copy_of, similar_count=len(similar_used),
            rounds=rounds,
        )


# ---- decisions ----------------------------------------------------------------------------------


def _note(value: str | None) -> str:
    s = unicodedata.normalize("NFC", value or "").replace("\r\n", "\n").strip()
    if len(s) > MAX_NOTE:
        raise UserError("review.error.note_too_long", max=MAX_NOTE)
    return s


def _reply_for_decision(s: Session, order: WorkOrder, at: datetime) -> Reply:
    """The current undecided reply; for an order replied before replies were kept, a row
    made now from the history note (so the decision has somewhere to live)."""
    reply = current_reply(s, order.id)
    if reply is not None and reply.decision == "pending":
        return reply
    legacy = history_reply_text(s, order.id)
    fields = ReplyFields.build(legacy or (reply.text if reply is not None else ""))
    row, _verdict = write_reply(s, order, fields, source="typed",
                                at=order.replied_at or at)
    return row


def _must_be_replied(order: WorkOrder) -> None:
    from hotline_tui.i18n import t

    if order.status != Status.REPLIED.value:
        raise UserError("review.error.not_replied", order_no=order.order_no,
                        status=t(f"status.{order.status}"))


@dataclass(frozen=True)
class AcceptResult:
    order_no: str
    closed_at: datetime
    merged_closed: tuple[str, ...]  # repeats merged into it, closed with it


def accept(engine: Engine, order_no: str, *, note: str = "", actor: str | None = None
           ) -> AcceptResult:
    """Accept the current reply: Event.ACCEPT (-> 已办结, closed_at now), the reply marked
    accepted, and every order merged into this one closed with it; one transaction."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.merge import close_merged_with
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    note = _note(note)
    at = clock.now().replace(microsecond=0)
    with session(engine) as s:
        try:
            lock_for_write(s)
            order = load_order(s, order_no)
            _must_be_replied(order)
            who = actor if actor is not None else clerk_name(s)
            reply = _reply_for_decision(s, order, at)
            reply.decision, reply.decided_at, reply.decided_by = "accepted", at, who
            reply.decision_note = note
            s.add(reply)
            apply_event(s, order, Event.ACCEPT, changes={"closed_at": at}, actor=who, at=at,
                        note=note or t("review.note.accepted", score=reply.score or 0),
                        extra_changes={"reply_id": [None, reply.id]})
            merged = close_merged_with(s, order, actor=who, at=at)
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return AcceptResult(order.order_no, at, tuple(merged))


@dataclass(frozen=True)
class SendBackResult:
    new_due_at: datetime
    rework_count: int
    order_no: str = ""
    warnings: tuple[str, ...] = ()


def rework_deadline(s: Session, order: WorkOrder, at: datetime, workdays: int | None
                    ) -> tuple[datetime, tuple[str, ...]]:
    """A new deadline from `at`: `workdays` working days, else the order's tier again, as
    dispatch counts it (services.calendar). An upstream deadline still ahead and earlier
    wins, as at dispatch; one already past is ignored (the rework has its own)."""
    from hotline_tui.services.calendar import due_calculator, fallback_warning

    if workdays is None:
        days = order.tier_days if order.tier_days is not None else DEFAULT_REWORK_DAYS
    else:
        if isinstance(workdays, bool) or not 0 <= int(workdays) <= MAX_WORKDAYS:
            raise UserError("review.error.bad_days", days=workdays, max=MAX_WORKDAYS)
        days = int(workdays)
    upstream = order.upstream_due_at if order.upstream_due_at and order.upstream_due_at > at \
        else None
    due = due_calculator(s)(at, int(days), upstream)
    w = fallback_warning(due.fallback_years)
    return due.due_at, (w,) if w else ()


def send_back(engine: Engine, order_no: str, *, reason: str, workdays: int | None = None,
              actor: str | None = None) -> SendBackResult:
    """Send the reply back (退回重办): Event.SEND_BACK (-> 退回重办) with the reasons as the
    history note and on the reply, a new deadline (`workdays`, default the order's tier,
    counted from now), the same first-contact owner, rework_count + 1; one transaction."""
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    reason = _note(reason)
    if not reason:
        raise UserError("review.error.reason_required")
    at = clock.now().replace(microsecond=0)
    with session(engine) as s:
        try:
            lock_for_write(s)
            order = load_order(s, order_no)
            _must_be_replied(order)
            who = actor if actor is not None else clerk_name(s)
            due, warnings = rework_deadline(s, order, at, workdays)
            reply = _reply_for_decision(s, order, at)
            reply.decision, reply.decided_at, reply.decided_by = "sent_back", at, who
            reply.decision_note = reason
            s.add(reply)
            count = int(order.rework_count or 0) + 1
            apply_event(s, order, Event.SEND_BACK,
                        changes={"due_at": due, "rework_count": count}, actor=who, at=at,
                        note=reason, extra_changes={"reply_id": [None, reply.id]})
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return SendBackResult(due, count, order.order_no, warnings)


# ---- back upstream ----------------------------------------------------------------------------


def _upstream_from(unit: str, r: Any) -> str:
    from hotline_tui.i18n import t

    lines = []
    if unit:
        lines.append(t("upstream.unit", unit=unit))
    contact = []
    if r.contact_by:
        contact.append(t("upstream.contact.by", who=r.contact_by))
    if r.contacted_at:
        contact.append(t("upstream.contact.at", at=r.contacted_at))
    if r.contact_method:
        contact.append(t("upstream.contact.method", method=r.contact_method))
    if contact:
        from hotline_tui.i18n import lang

        lines.append(t("upstream.contact", text=(" " if lang() == "en" else "").join(contact)))
    body = (r.text or "").strip()
    result = (r.result or "").strip()
    if result and result not in body:
        body = f"{body}\n{result}" if body else result
    lines.append(t("upstream.result", text=body))
    if r.policy_basis and r.policy_basis.strip() not in body:
        lines.append(t("upstream.policy", text=r.policy_basis.strip()))
    handler = " ".join(p for p in (r.handler, r.handler_phone) if p)
    if handler:
        lines.append(t("upstream.handler", text=handler))
    return "\n".join(lines)


def _accepted(s: Session, order: WorkOrder) -> Reply:
    from hotline_tui.i18n import t

    reply = current_reply(s, order.id)
    if order.status != Status.CLOSED.value or reply is None or reply.decision != "accepted":
        raise UserError("upstream.error.not_accepted", order_no=order.order_no,
                        status=t(f"status.{order.status}"))
    return reply


def upstream_text(engine: Engine, order_no: str) -> str:
    """The accepted reply as the upstream platform takes it: 经办单位, 联系情况 (who, when,
    how), 办理结果, 政策依据, 经办人及电话, one per line (empty parts left out). UserError
    when the order is not closed with an accepted reply (a reopened order has none)."""
    from hotline_tui.services.triage import load_order

    with session(engine) as s:
        order = load_order(s, order_no)
        reply = _accepted(s, order)
        unit = s.get(Unit, order.unit_id) if order.unit_id else None
        return _upstream_from(unit.name if unit else "", reply)


_SINCE = text(
    "SELECT r.order_id FROM reply r JOIN work_order o ON o.id = r.order_id "
    "WHERE r.decision = 'accepted' AND r.decided_at >= :since AND o.status = 'closed' "
    "ORDER BY r.decided_at, r.id"
).bindparams(bindparam("since", type_=LocalDateTime))


def export_upstream(engine: Engine, path: str | os.PathLike[str],
                    order_nos: Sequence[str] | None = None, *,
                    since: date | datetime | None = None, actor: str | None = None) -> int:
    """Write the accepted replies as an .xlsx (工单编号, 回复内容) for pasting into the
    platform: the orders named, or those accepted since `since` (default: today). Orders
    closed with an accepted reply only (a named one that is not is a UserError). Text that
    looks like a formula stays text. Each order exported gets an Event.EXPORT history row;
    the file is written under a temporary name and put in place just before the commit.
    Returns the number of orders written (0: no file)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import load_order

    out = Path(path).expanduser()
    if order_nos is None and since is None:
        since = clock.now().date()
    if isinstance(since, date) and not isinstance(since, datetime):
        since = datetime.combine(since, datetime.min.time())
    tmp = out.parent / f".{out.name}.{uuid.uuid4().hex[:8]}.tmp"
    with session(engine) as s:
        try:
            if order_nos is not None:
                orders = [load_order(s, no) for no in dict.fromkeys(
                    n.strip() for n in order_nos if n and n.strip())]
            else:
                ids = [r[0] for r in s.execute(_SINCE, {"since": since})]
                orders = _orders_by_id(s, ids)
            rows = []
            units = _unit_names(s, {o.unit_id for o in orders if o.unit_id})
            for o in orders:
                reply = _accepted(s, o)
                rows.append((o, _upstream_from(units.get(o.unit_id, ""), reply)))
            if not rows:
                return 0
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                _write_xlsx(tmp, [(o.order_no, body) for o, body in rows])
            except OSError as exc:
                raise UserError("upstream.error.write", path=str(out),
                                reason=exc.strerror or str(exc)) from exc
            who = actor if actor is not None else clerk_name(s)
            at = clock.now().replace(microsecond=0)
            from hotline_tui.services.orders import record

            for o, _body in rows:
                record(s, o, Event.EXPORT, actor=who, at=at,
                       note=t("upstream.export.note", file=out.name, folder=str(out.parent)))
            s.flush()
            os.replace(tmp, out)
            s.commit()
        except BaseException:
            s.rollback()
            try:
                tmp.unlink()
            except OSError:
                pass
            raise
    return len(rows)


def _orders_by_id(s: Session, ids: list[int]) -> list[WorkOrder]:
    from sqlmodel import col, select

    out: dict[int, WorkOrder] = {}
    for i in range(0, len(ids), 500):
        q = select(WorkOrder).where(col(WorkOrder.id).in_(ids[i : i + 500]))
        out.update({o.id: o for o in s.exec(q)})
    return [out[i] for i in dict.fromkeys(ids) if i in out]


def _unit_names(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    q = text("SELECT id, name FROM unit WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    return dict(s.execute(q, {"ids": sorted(ids)}).all())


def _write_xlsx(path: Path, rows: list[tuple[str, str]]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    from hotline_tui.i18n import t
    from hotline_tui.services.sheets.layout import printable
    from hotline_tui.services.sheets.xlsx_writer import put

    wb = Workbook()
    ws = wb.active
    ws.title = t("upstream.xlsx.sheet")
    put(ws.cell(row=1, column=1), t("upstream.xlsx.order_no"))
    put(ws.cell(row=1, column=2), t("upstream.xlsx.reply"))
    for c in (ws["A1"], ws["B1"]):
        c.font = Font(bold=True)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 100
    wrap = Alignment(wrap_text=True, vertical="top")
    for n, (no, body) in enumerate(rows, start=2):
        put(ws.cell(row=n, column=1), printable(no))
        c = ws.cell(row=n, column=2)
        put(c, printable(body))
        c.alignment = wrap
    ws.freeze_panes = "A2"
    wb.properties.creator = "hotline-tui"
    wb.save(path)


def reasons_of(raw: str) -> list[dict[str, Any]]:
    """The stored reasons of a reply ([{code, params}])."""
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return []
    return [i for i in items if isinstance(i, dict)]
