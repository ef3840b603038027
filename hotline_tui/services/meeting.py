"""联席会议: orders with unclear or shared responsibility go onto the next joint meeting's
agenda (Event.TO_MEETING -> 待联席); the agenda lists each matter with the units concerned
and its history so far; the outcome (lead unit, assisting units, tier or deadline) sends the
order back to dispatch (Event.MEETING_OUTCOME -> 已分拣 with the unit and tier set, so
`hotline dispatch` / the dispatch screen hands it over as usual).

    add_to_meeting(engine, "A1", reason="供水与住建职责不清", units=["县水利局", "县住建局"])
    agenda(engine) -> [AgendaItem, ...]
    record_outcome(engine, "A1", lead_unit="县水利局", assist=["县住建局"], tier=5)
"""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.states import Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store.engine import session
from hotline_tui.store.models import OrderHistory, Unit, WorkOrder
from hotline_tui.store.models_queue import MeetingItem
from hotline_tui.store.models_triage import OrderAssist, UnitReturn

MAX_REASON = 2000
HISTORY_LINES = 12
# events that tell the story of a matter on the agenda (exports and views do not)
_STORY = {Event.CREATE, Event.TRIAGE, Event.RETRIAGE, Event.DISPATCH, Event.UNIT_RETURN,
          Event.SIGN, Event.CHANGE_OWNER, Event.REPLY, Event.SEND_BACK, Event.REOPEN,
          Event.CHASE, Event.EXTEND, Event.SPONSOR, Event.MERGE, Event.TO_MEETING,
          Event.MEETING_OUTCOME, Event.NOTE}


@dataclass(frozen=True)
class HistoryLine:
    at: datetime
    event: str
    text: str  # the event in words, with the unit or the note's first line


@dataclass(frozen=True)
class AgendaItem:
    order_id: int
    order_no: str
    title: str
    content: str
    request_type: str
    area: str
    address: str
    received_at: datetime | None
    status: str
    confidential: bool
    reason: str
    units: tuple[str, ...]  # the units concerned: named, current, assisting, returned it
    added_at: datetime | None
    added_by: str
    history: tuple[HistoryLine, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "order_no": self.order_no, "title": self.title, "request_type": self.request_type,
            "area": self.area, "received_at": self.received_at, "status": self.status,
            "reason": self.reason, "units": list(self.units), "added_at": self.added_at,
            "history": [{"at": h.at, "event": h.event, "text": h.text} for h in self.history],
        }


@dataclass(frozen=True)
class MeetingOutcome:
    order_no: str
    status: str
    lead_unit: str
    assist: tuple[str, ...]
    tier_days: int
    due_date: date | None
    note: str
    at: datetime


def _text(value: str | None) -> str:
    s = unicodedata.normalize("NFC", value or "").strip()
    if len(s) > MAX_REASON:
        raise UserError("meeting.error.too_long", max=MAX_REASON)
    return s


def _split(refs: Iterable[Any] | str | None) -> list[Any]:
    from hotline_tui.services.triage import _split_refs

    if refs is None:
        return []
    return _split_refs(refs)


def _pending_item(s: Session, order_id: int) -> MeetingItem | None:
    q = (select(MeetingItem).where(MeetingItem.order_id == order_id,
                                   MeetingItem.decided_at.is_(None))
         .order_by(MeetingItem.id.desc()))
    return s.execute(q).scalars().first()


def add_to_meeting(engine: Engine, order_no: str, *, reason: str,
                   units: Sequence[str] | str | None = None, actor: str | None = None,
                   at: datetime | None = None) -> AgendaItem:
    """Put an order on the next meeting's agenda (new, triaged, dispatched, signed-for or
    sent-back orders). `reason` (why responsibility is unclear) is required; `units` are
    the units concerned, named as the units directory understands them."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order
    from hotline_tui.services.units import resolve_unit

    reason = _text(reason)
    if not reason:
        raise UserError("meeting.error.reason_required")
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        lock_for_write(s)
        named = [resolve_unit(s, u, allow_retired=True).name for u in _split(units)]
        named = list(dict.fromkeys(named))
        order = load_order(s, order_no)
        who = actor if actor is not None else clerk_name(s)
        note = t("meeting.note.added", reason=reason)
        if named:
            note += t("chase.note.sep") + t("meeting.note.units", units="、".join(named))
        apply_event(s, order, Event.TO_MEETING, actor=who, at=at, note=note)
        s.add(MeetingItem(order_id=order.id, added_at=at, added_by=who, reason=reason,
                          units=json.dumps(named, ensure_ascii=False)))
        s.commit()
        return _items(s, [order.id])[0]


def _history(s: Session, order_ids: Sequence[int]) -> dict[int, list[HistoryLine]]:
    from hotline_tui.i18n import t

    out: dict[int, list[HistoryLine]] = {i: [] for i in order_ids}
    if not order_ids:
        return out
    h = OrderHistory
    q = (select(h.order_id, h.at, h.event, h.note, h.changes)
         .where(h.order_id.in_(list(order_ids)), h.event.in_([e.value for e in _STORY]))
         .order_by(h.order_id, h.at, h.id))
    for oid, at, event, note, changes in s.execute(q).all():
        words = t(f"event.{event}")
        try:
            diff = json.loads(changes or "{}")
        except ValueError:
            diff = {}
        unit = diff.get("unit")
        if isinstance(unit, list) and len(unit) == 2 and unit[1]:
            words += t("meeting.history.unit", unit=unit[1])
        first = (note or "").strip().splitlines()[0] if (note or "").strip() else ""
        if first.startswith(t(f"event.{event}")):
            words = first[:80]  # the note names the event itself
        elif first:
            words += t("meeting.history.note", note=first[:80])
        out[oid].append(HistoryLine(at, event, words))
    return {k: v[-HISTORY_LINES:] for k, v in out.items()}


def _items(s: Session, order_ids: Sequence[int]) -> list[AgendaItem]:
    """Agenda items of these orders (their pending meeting entry, if any), in that order."""
    from hotline_tui.services.sheets.layout import printable

    if not order_ids:
        return []
    orders = {o.id: o for o in s.execute(
        select(WorkOrder).where(WorkOrder.id.in_(list(order_ids)))).scalars()}
    items = {}
    for it in s.execute(select(MeetingItem).where(MeetingItem.order_id.in_(list(order_ids)),
                                                  MeetingItem.decided_at.is_(None))
                        .order_by(MeetingItem.id)).scalars():
        items[it.order_id] = it  # the newest pending entry wins
    assists: dict[int, list[int]] = {}
    for oid, uid in s.execute(select(OrderAssist.order_id, OrderAssist.unit_id)
                              .where(OrderAssist.order_id.in_(list(order_ids)))).all():
        assists.setdefault(oid, []).append(uid)
    returned: dict[int, list[int]] = {}
    for oid, uid in s.execute(select(UnitReturn.order_id, UnitReturn.unit_id)
                              .where(UnitReturn.order_id.in_(list(order_ids)))
                              .order_by(UnitReturn.at)).all():
        if uid is not None:
            returned.setdefault(oid, []).append(uid)
    unit_ids = {o.unit_id for o in orders.values() if o.unit_id}
    unit_ids |= {u for v in assists.values() for u in v} | {u for v in returned.values()
                                                            for u in v}
    names = {}
    if unit_ids:
        names = dict(s.execute(select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
    history = _history(s, list(order_ids))
    out = []
    for oid in order_ids:
        o = orders.get(oid)
        if o is None:
            continue
        it = items.get(oid)
        concerned: list[str] = []
        if it is not None:
            try:
                concerned += [str(x) for x in json.loads(it.units or "[]")]
            except ValueError:
                pass
        for uid in [o.unit_id, *assists.get(oid, []), *returned.get(oid, [])]:
            if uid and names.get(uid):
                concerned.append(names[uid])
        out.append(AgendaItem(
            order_id=o.id, order_no=o.order_no, title=printable(o.title),
            content=printable(o.content), request_type=o.request_type or "",
            area=printable(o.area), address=printable(o.address), received_at=o.received_at,
            status=o.status, confidential=bool(o.confidential),
            reason=it.reason if it else "", units=tuple(dict.fromkeys(concerned)),
            added_at=it.added_at if it else None, added_by=it.added_by if it else "",
            history=tuple(history.get(oid, [])),
        ))
    return out


def agenda(engine: Engine) -> list[AgendaItem]:
    """The next meeting's agenda: every order waiting for the joint meeting (待联席), in the
    order they were put on it (orders without an agenda entry, e.g. imported in that state,
    come last by receipt)."""
    with session(engine) as s:
        q = (select(WorkOrder.id, MeetingItem.added_at, WorkOrder.received_at)
             .outerjoin(MeetingItem, (MeetingItem.order_id == WorkOrder.id)
                        & MeetingItem.decided_at.is_(None))
             .where(WorkOrder.status == Status.MEETING.value))
        rows = s.execute(q).all()
        order: dict[int, tuple] = {}
        for oid, added, received in rows:
            key = (added is None, added or received or datetime.min, oid)
            order[oid] = min(order.get(oid, key), key)
        ids = [oid for oid, _ in sorted(order.items(), key=lambda kv: kv[1])]
        return _items(s, ids)


def record_outcome(
    engine: Engine,
    order_no: str,
    *,
    lead_unit: str | int,
    assist: Sequence[str | int] | str | None = None,
    tier: int | str | None = None,
    due_date: date | None = None,
    note: str = "",
    actor: str | None = None,
    at: datetime | None = None,
) -> MeetingOutcome:
    """The meeting decided: lead unit (主办), assisting units (协办), and a tier (working
    days, or a tier's name) or a deadline date. The order goes back to 已分拣 ready for
    dispatch; a date is turned into the working days from today to it (dispatched the same
    day, the deadline is that date). The first-contact owner and sign-for time of an
    earlier hand-over are cleared (the new hand-over is signed for anew)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import calendar_for
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import (
        apply_event,
        bump_stats,
        list_tiers,
        load_order,
        resolve_tier,
    )
    from hotline_tui.services.units import resolve_unit

    note = _text(note)
    if (tier is None or tier == "") and due_date is None:
        raise UserError("meeting.error.tier_required")
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        lock_for_write(s)
        lead = resolve_unit(s, lead_unit)
        helpers = [resolve_unit(s, a) for a in _split(assist)]
        helper_ids = sorted({u.id for u in helpers if u.id != lead.id})
        if tier is not None and tier != "":
            tier_days = resolve_tier(list_tiers(s), tier).days
        else:
            if due_date < at.date():
                raise UserError("meeting.error.due_past", day=due_date.isoformat())
            tier_days = max(0, calendar_for(s).workdays_between(at.date(), due_date))
        order = load_order(s, order_no)
        if order.status != Status.MEETING.value:
            raise UserError("meeting.error.not_on_agenda", order_no=order.order_no,
                            status=t(f"status.{order.status}"))
        a = OrderAssist.__table__
        old_helpers = sorted(s.execute(select(a.c.unit_id).where(a.c.order_id == order.id))
                             .scalars())
        ids = {*old_helpers, *helper_ids, lead.id, *([order.unit_id] if order.unit_id else [])}
        names = dict(s.execute(select(Unit.id, Unit.name).where(Unit.id.in_(ids))).all())
        who = actor if actor is not None else clerk_name(s)
        old_unit = order.unit_id
        helper_names = tuple(names[i] for i in helper_ids)
        text = t("meeting.note.outcome", unit=lead.name,
                 assist="、".join(helper_names) or t("meeting.none"),
                 tier=(t("meeting.note.due", day=due_date.isoformat()) if due_date and
                       (tier is None or tier == "") else t("meeting.note.tier", days=tier_days)))
        if note:
            text += t("chase.note.sep") + note
        extra: dict[str, list[Any]] = {}
        if old_unit != lead.id:
            extra["unit"] = [names.get(old_unit) if old_unit else None, lead.name]
        if old_helpers != helper_ids:
            extra["assist"] = [[names[i] for i in old_helpers], list(helper_names)]
        if due_date and (tier is None or tier == ""):
            extra["meeting_due"] = [None, due_date.isoformat()]
        changes: dict[str, Any] = {"unit_id": lead.id, "tier_days": tier_days,
                                   "owner_id": None, "signed_at": None}
        apply_event(s, order, Event.MEETING_OUTCOME, actor=who, at=at, note=text,
                    changes=changes, extra_changes=extra or None)
        if old_unit != lead.id:
            bump_stats(s, order, old_unit, -1)
            bump_stats(s, order, lead.id, +1)
        if old_helpers != helper_ids:
            s.execute(delete(a).where(a.c.order_id == order.id))
            if helper_ids:
                s.execute(insert(a), [{"order_id": order.id, "unit_id": u} for u in helper_ids])
        item = _pending_item(s, order.id)
        if item is None:
            item = MeetingItem(order_id=order.id, added_at=at, added_by=who, reason="",
                               units="[]")
        item.decided_at, item.decided_by = at, who
        item.lead_unit_id = lead.id
        item.assist = json.dumps(list(helper_names), ensure_ascii=False)
        item.tier_days = tier_days
        item.outcome_note = note
        s.add(item)
        s.commit()
        return MeetingOutcome(order.order_no, order.status, lead.name, helper_names, tier_days,
                              due_date if (tier is None or tier == "") else None, note, at)
