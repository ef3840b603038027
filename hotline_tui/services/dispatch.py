"""交办: triaged orders go to their units with a working-day deadline, in one transaction.

`dispatch()` moves orders to 已交办; `dispatch_and_write()` does that and prints the
dispatch sheets (services/sheets) for the orders just dispatched. The CLI and the TUI call
these two. A unit is named as services.units.resolve_unit understands it (id, name, short
name, pinyin or initials when unambiguous).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hotline_tui.domain.states import Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.orders import record
from hotline_tui.services.settings import clerk_name
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder

if TYPE_CHECKING:
    from hotline_tui.services.units import UnitInfo

# Reasons an order named for dispatch was left alone (keys of DispatchResult.skipped).
SKIP_NOT_FOUND = "not_found"
SKIP_NOT_TRIAGED = "not_triaged"
SKIP_OTHER_UNIT = "other_unit"
SKIP_INCOMPLETE = "incomplete"  # triaged without a unit or a tier (should not happen)

_CHUNK = 500  # order numbers per IN (...) query


@dataclass(frozen=True)
class DispatchedOrder:
    order_id: int
    order_no: str
    unit_id: int
    unit_name: str
    tier_days: int
    dispatched_at: datetime
    due_at: datetime
    upstream_won: bool = False  # the upstream deadline was earlier than the tier's


@dataclass(frozen=True)
class SkippedOrder:
    order_no: str
    reason: str  # one of the SKIP_* codes
    status: str | None = None  # the order's state when it was not triaged

    def message(self) -> str:
        """One sentence for the clerk, in the UI language."""
        from hotline_tui.i18n import t

        status = t(f"status.{self.status}") if self.status else ""
        return t(f"dispatch.skip.{self.reason}", order_no=self.order_no, status=status)


@dataclass
class DispatchResult:
    """What `dispatch()` did: the orders dispatched (by unit), the ones skipped and why, and
    the years counted weekends-only for want of holiday data (show `warnings()`)."""

    at: datetime
    dispatched: list[DispatchedOrder] = field(default_factory=list)
    skipped: list[SkippedOrder] = field(default_factory=list)
    fallback_years: set[int] = field(default_factory=set)
    dry_run: bool = False
    explicit: bool = False  # order numbers were named (a skip is then worth an exit code)

    @property
    def order_nos(self) -> list[str]:
        return [d.order_no for d in self.dispatched]

    def by_unit(self) -> dict[str, list[DispatchedOrder]]:
        """Dispatched orders grouped by unit name, units in name order."""
        out: dict[str, list[DispatchedOrder]] = {}
        for d in sorted(self.dispatched, key=lambda d: (d.unit_name, d.unit_id)):
            out.setdefault(d.unit_name, []).append(d)
        return out

    def warnings(self) -> list[str]:
        from hotline_tui.services.calendar import fallback_warning

        w = fallback_warning(self.fallback_years)
        return [w] if w else []


# ---- dispatch --------------------------------------------------------------------------------


def lock_for_write(s: Session) -> None:
    """Take the database's write lock now, so what is read next cannot change before commit
    (another window or a script dispatching the same orders). SQLite: a write that touches
    nothing; other databases: SELECT ... FOR UPDATE is used by the callers' queries."""
    if s.get_bind().dialect.name == "sqlite":
        s.execute(text("UPDATE setting SET key = key WHERE 0"))


def _clean_numbers(order_nos: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out: list[str] = []
    for no in order_nos:
        n = str(no).strip()
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


def _orders_by_number(s: Session, numbers: Sequence[str]) -> dict[str, WorkOrder]:
    found: dict[str, WorkOrder] = {}
    for i in range(0, len(numbers), _CHUNK):
        chunk = numbers[i : i + _CHUNK]
        q = select(WorkOrder).where(col(WorkOrder.order_no).in_(chunk)).with_for_update()
        for o in s.exec(q):
            found[o.order_no] = o
    return found


def _candidates(
    s: Session, order_nos: list[str] | None, unit: UnitInfo | None
) -> tuple[list[WorkOrder], list[SkippedOrder]]:
    skipped: list[SkippedOrder] = []
    if order_nos is None:
        q = select(WorkOrder).where(WorkOrder.status == Status.TRIAGED.value)
        if unit is not None:
            q = q.where(WorkOrder.unit_id == unit.id)
        q = q.order_by(WorkOrder.unit_id, WorkOrder.received_at, WorkOrder.id).with_for_update()
        orders = list(s.exec(q))
    else:
        numbers = _clean_numbers(order_nos)
        found = _orders_by_number(s, numbers)
        orders = []
        for no in numbers:
            o = found.get(no)
            if o is None:
                skipped.append(SkippedOrder(no, SKIP_NOT_FOUND))
            elif o.status != Status.TRIAGED.value:
                skipped.append(SkippedOrder(no, SKIP_NOT_TRIAGED, o.status))
            elif unit is not None and o.unit_id != unit.id:
                skipped.append(SkippedOrder(no, SKIP_OTHER_UNIT, o.status))
            else:
                orders.append(o)
    ready = []
    for o in orders:
        if o.unit_id is None or o.tier_days is None:
            skipped.append(SkippedOrder(o.order_no, SKIP_INCOMPLETE, o.status))
        else:
            ready.append(o)
    return ready, skipped


def dispatch(
    engine: Engine,
    order_nos: Sequence[str] | None = None,
    *,
    unit: str | int | None = None,
    at: datetime | None = None,
    actor: str | None = None,
    dry_run: bool = False,
) -> DispatchResult:
    """Dispatch the named triaged orders, or all triaged ones (of `unit` when given).

    Each gets `dispatched_at` (`at`, default the office clock), `due_at` from its tier in
    working days (an earlier upstream deadline wins), the DISPATCH event (-> 已交办) and its
    history row, all in one transaction: on any error nothing is written. Orders that are
    unknown, not triaged or of another unit are listed in `skipped`. `dry_run` computes the
    same result and writes nothing (a preview for a confirmation dialog).
    """
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import due_calculator
    from hotline_tui.services.units import resolve_unit

    at = (at or clock.now()).replace(microsecond=0)
    result = DispatchResult(at=at, dry_run=dry_run, explicit=order_nos is not None)
    with session(engine) as s:
        try:
            lock_for_write(s)
            unit_row = (resolve_unit(s, unit, allow_retired=True)
                        if unit is not None else None)
            orders, result.skipped = _candidates(
                s, list(order_nos) if order_nos is not None else None, unit_row
            )
            if orders:
                calc = due_calculator(s)
                actor = actor if actor is not None else clerk_name(s)
                names = _unit_names(s, {o.unit_id for o in orders})
            for o in orders:
                due = calc(at, int(o.tier_days), o.upstream_due_at)
                years = set(due.fallback_years)
                result.fallback_years |= years
                note = ""
                if years:
                    note = t("dispatch.note.fallback", years="、".join(map(str, sorted(years))))
                record(
                    s, o, Event.DISPATCH,
                    changes={"dispatched_at": at, "due_at": due.due_at},
                    note=note, actor=actor, at=at,
                )
                result.dispatched.append(
                    DispatchedOrder(
                        order_id=o.id, order_no=o.order_no, unit_id=o.unit_id,
                        unit_name=names.get(o.unit_id, ""), tier_days=int(o.tier_days),
                        dispatched_at=at, due_at=due.due_at,
                        upstream_won=bool(getattr(due, "upstream_won", False)),
                    )
                )
            if dry_run:
                s.rollback()
            else:
                s.commit()
        except BaseException:
            s.rollback()
            raise
    return result


def _unit_names(s: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = s.exec(select(Unit.id, Unit.name).where(col(Unit.id).in_(sorted(ids))))
    return {i: n for i, n in rows}


def dispatch_and_write(
    engine: Engine,
    order_nos: Sequence[str] | None = None,
    *,
    unit: str | int | None = None,
    out_dir: str | Path,
    formats: Sequence[str] = ("xlsx", "docx"),
    unmask: bool = False,
    at: datetime | None = None,
    actor: str | None = None,
) -> tuple[DispatchResult, dict[str, list[Path]]]:
    """Dispatch (as `dispatch`) and write the sheets of the orders just dispatched into
    `out_dir`: returns the result and the files by unit name. The folder is checked before
    anything is dispatched; if the sheets then fail, the orders stay dispatched and the
    UserError says how to print them again."""
    from hotline_tui.services.sheets import check_formats, prepare_out_dir, write_sheets_by_unit

    check_formats(formats)
    out = prepare_out_dir(out_dir)
    result = dispatch(engine, order_nos, unit=unit, at=at, actor=actor)
    if not result.dispatched:
        return result, {}
    try:
        files = write_sheets_by_unit(
            engine, result.order_nos, out, formats=formats, unmask=unmask, actor=actor
        )
    except (OSError, UserError) as exc:
        raise UserError(
            "dispatch.error.sheets_failed", count=len(result.dispatched), reason=str(exc),
            day=result.at.date().isoformat(),
        ) from exc
    return result, files
