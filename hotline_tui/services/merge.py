"""并单: repeats of one matter become one. The other orders get Event.MERGE (-> 已并单) and
an `order_merge` row pointing to the main order; they close with it.

    merge(engine, "MAIN", ["R1", "R2"], reason="同一小区噪音")

Closing with the main order is a hook for the services that close an order: after
`record(s, main, Event.ACCEPT | Event.DIRECT_ANSWER, ...)` and before the commit, call
`close_merged_with(s, main)`; each merged order then gets Event.ACCEPT (-> 已办结, allowed
from 已并单 by the state machine) with a note naming the main order, in the same
transaction.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.states import OPEN_STATUSES, Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder
from hotline_tui.store.models_queue import OrderMerge, Sponsorship

MAX_REASON = 500


@dataclass(frozen=True)
class MergeResult:
    main_no: str
    merged: list[str]  # the orders merged now
    repointed: list[str]  # orders merged earlier into one of them, now pointing to main
    sponsorship_moved: bool  # an active sponsor of a merged order now sponsors the main
    at: datetime


def _open(order: WorkOrder) -> bool:
    return Status(order.status) in OPEN_STATUSES


def merge(engine: Engine, main_no: str, other_nos: Sequence[str] | str, *, reason: str = "",
          actor: str | None = None, at: datetime | None = None) -> MergeResult:
    """Merge `other_nos` into `main_no` in one transaction (all or nothing). The main order
    and the others must be open (not closed, not merged); the others must differ from the
    main. Orders merged earlier into one of the others are re-pointed to the main, so
    there is never a chain. An active sponsor of a merged order moves to the main order
    when it has none (else that sponsorship ends)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import apply_event, load_order

    if isinstance(other_nos, str):
        other_nos = [other_nos]
    others = list(dict.fromkeys(n.strip() for n in other_nos if n and n.strip()))
    main_no = (main_no or "").strip()
    if not others:
        raise UserError("merge.error.none")
    if main_no in others:
        raise UserError("merge.error.self", order_no=main_no)
    reason = unicodedata.normalize("NFC", reason or "").strip()
    if len(reason) > MAX_REASON:
        raise UserError("merge.error.too_long", max=MAX_REASON)
    at = (at or clock.now()).replace(microsecond=0)
    with session(engine) as s:
        try:
            lock_for_write(s)
            main = load_order(s, main_no)
            if not _open(main):
                raise UserError("merge.error.main_not_open", order_no=main.order_no,
                                status=t(f"status.{main.status}"))
            who = actor if actor is not None else clerk_name(s)
            orders = [load_order(s, no) for no in others]
            repointed: list[str] = []
            moved = False
            main_sponsor = _active_sponsor(s, main.id)
            for o in orders:
                note = t("merge.note.merged", main=main.order_no)
                if reason:
                    note += t("chase.note.sep") + reason
                apply_event(s, o, Event.MERGE, actor=who, at=at, note=note,
                            extra_changes={"merged_into": [None, main.order_no]})
                s.add(OrderMerge(order_id=o.id, main_order_id=main.id, at=at, actor=who,
                                 reason=reason))
                # orders merged into this one earlier now point to the main order
                for link in s.execute(select(OrderMerge)
                                      .where(OrderMerge.main_order_id == o.id)).scalars():
                    sub = s.get(WorkOrder, link.order_id)
                    link.main_order_id = main.id
                    s.add(link)
                    apply_event(s, sub, Event.NOTE, actor=who, at=at,
                                note=t("merge.note.repointed", old=o.order_no,
                                       main=main.order_no),
                                extra_changes={"merged_into": [o.order_no, main.order_no]})
                    repointed.append(sub.order_no)
                sp = _active_sponsor(s, o.id)
                if sp is not None:
                    if main_sponsor is None:
                        sp.order_id = main.id
                        main_sponsor, moved = sp, True
                        apply_event(s, main, Event.SPONSOR, actor=who, at=at,
                                    note=t("merge.note.sponsor_moved", order_no=o.order_no,
                                           leader=sp.leader_name),
                                    extra_changes={"leader": [None, sp.leader_name]})
                    else:
                        sp.ended_at, sp.ended_by = at, who
                        sp.end_note = t("merge.note.merged", main=main.order_no)
                    s.add(sp)
                    s.flush()
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return MergeResult(main.order_no, [o.order_no for o in orders], repointed, moved, at)


def _active_sponsor(s: Session, order_id: int) -> Sponsorship | None:
    q = select(Sponsorship).where(Sponsorship.order_id == order_id,
                                  Sponsorship.ended_at.is_(None))
    return s.execute(q).scalars().first()


def close_merged_with(s: Session, main: WorkOrder, *, actor: str | None = None,
                      at: datetime | None = None) -> list[str]:
    """Hook: close every order merged into `main` (Event.ACCEPT from 已并单 -> 已办结, with
    `closed_at`), inside the caller's transaction, when `main` has just been closed. Orders
    merged into `main` that are no longer 已并单 are left alone. Returns their numbers."""
    from hotline_tui.domain.states import next_status
    from hotline_tui.i18n import t
    from hotline_tui.services.orders import record

    if main.status != Status.CLOSED.value:
        return []
    at = at or main.closed_at or clock.now()
    q = (select(WorkOrder).join(OrderMerge, OrderMerge.order_id == WorkOrder.id)
         .where(OrderMerge.main_order_id == main.id,
                WorkOrder.status == Status.MERGED.value).order_by(WorkOrder.id))
    closed = []
    for o in s.execute(q).scalars():
        next_status(Status(o.status), Event.ACCEPT)  # the state machine must allow it
        record(s, o, Event.ACCEPT, actor=actor, at=at, changes={"closed_at": at},
               note=t("merge.note.closed_with", main=main.order_no))
        closed.append(o.order_no)
    return closed


@dataclass(frozen=True)
class MergedOrder:
    order_no: str
    status: str
    title: str
    received_at: datetime | None
    merged_at: datetime
    reason: str


def merged_into(engine: Engine, order_no: str) -> str | None:
    """The main order `order_no` was merged into, or None."""
    from hotline_tui.services.triage import load_order

    with session(engine) as s:
        o = load_order(s, order_no)
        link = s.get(OrderMerge, o.id)
        if link is None:
            return None
        main = s.get(WorkOrder, link.main_order_id)
        return main.order_no if main else None


def merged_orders(engine: Engine, main_no: str) -> list[MergedOrder]:
    """The orders merged into `main_no`, in the order they were merged."""
    from hotline_tui.services.triage import load_order

    with session(engine) as s:
        main = load_order(s, main_no)
        q = (select(WorkOrder, OrderMerge).join(OrderMerge, OrderMerge.order_id == WorkOrder.id)
             .where(OrderMerge.main_order_id == main.id)
             .order_by(OrderMerge.at, WorkOrder.id))
        return [MergedOrder(o.order_no, o.status, o.title, o.received_at, m.at, m.reason)
                for o, m in s.execute(q).all()]
