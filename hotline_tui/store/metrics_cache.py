"""A calendar month's per-unit counts kept in the database between reads (migration 0011).

What is kept: the counts that do not depend on the time of reading (the dispatch cohort,
the intake cohort, repeat complaints, callbacks) and, once the month has ended, its deadline
cohort (due / overdue). Sign-for counts, unit returns and the deadline cohort of a month
still running are read live by the caller (each ~50 ms at 1,000,000 orders).

Why it is never stale: triggers on work_order, order_merge and callback add the (month,
unit) cells that a changed row counted in, before and after the change, to `metrics_dirty`
in the same transaction as the change, whatever program made it. A read recounts the dirty
cells of its month (one unit's range of a covering index each, a few ms) and clears them,
inside one write transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: a lock on
metrics_dirty that holds writers' triggers back until the recount commits), so a change
made meanwhile is either counted or stays marked.

If the cache cannot be written (read-only file, the database busy), `month_cells` returns
None and the caller counts directly: the figures are the same, only slower.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    Boolean,
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from hotline_tui.domain.signing import SignLimits
from hotline_tui.store import metrics_query as mq
from hotline_tui.store.types import LocalDateTime

# not in SQLModel's metadata: a cache is derived data (migrate-to does not copy it)
_meta = MetaData()
KEPT = ("dispatched", "closed", "closed_on_time", "replied", "reworked", "signed_any",
        "received", "direct", "repeats", "callbacks", "satisfied", "due", "overdue",
        "signed", "signed_on_time")
cell_t = Table("metrics_cell", _meta, Column("month", String(7), primary_key=True),
               Column("unit_key", Integer, primary_key=True),
               *[Column(c, Integer, nullable=False, default=0) for c in KEPT])
month_t = Table("metrics_month", _meta, Column("month", String(7), primary_key=True),
                Column("due_final", Boolean, nullable=False, default=False),
                Column("repeats_done", Boolean, nullable=False, default=False),
                Column("sign_key", String(64)), Column("sign_as_of", LocalDateTime))
dirty_t = Table("metrics_dirty", _meta, Column("month", String(7), primary_key=True),
                Column("unit_key", Integer, primary_key=True),
                Column("what", Integer, nullable=False, default=0))

READING_TIME = ("due", "overdue", "signed", "signed_on_time")  # kept only in some months
REP, CB = 1, 2  # metrics_dirty.what: the dearer counts a change can alter (migration 0011)
DIRTY_MAX = 200  # more changed cells than this (a bulk load): the whole month is recounted
NO_UNIT = 0  # the key of orders without a unit (ids start at 1)


@dataclass(frozen=True)
class MonthCells:
    """unit_id (None: no unit) -> the kept counts; `due` says whether due / overdue are in
    them (the month had ended when they were counted), `repeats` and `sign` (signed,
    signed_on_time) likewise."""

    units: dict[int | None, dict[str, int]]
    due: bool
    repeats: bool
    sign: bool = False


def sign_key(limits: SignLimits, start: datetime, end: datetime) -> str:
    """A digest of the month's sign-for limits, day by day (the calendar and the settings
    they come from): kept sign-for counts are used only with the same limits."""
    table = limits.day_table(start.date(), (end - timedelta(seconds=1)).date())
    return hashlib.sha1(repr(table).encode()).hexdigest()


def sign_final(limits: SignLimits, end: datetime, as_of: datetime) -> bool:
    """Every order dispatched before `end` is past its sign-for limit at `as_of`: the counts
    no longer change with the time of reading."""
    return as_of >= end and limits.unsigned_late_cutoff(as_of) >= end


def _key(uid: int | None) -> int:
    return NO_UNIT if uid is None else uid


def _uid(key: int) -> int | None:
    return None if key == NO_UNIT else key


@contextmanager
def _locked(engine: Engine) -> Iterator[Connection]:
    """A connection in a transaction that no trigger's dirty mark can slip past."""
    with engine.connect() as w:
        if w.dialect.name == "sqlite":
            w.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            w.exec_driver_sql("LOCK TABLE metrics_dirty IN SHARE ROW EXCLUSIVE MODE")
        try:
            yield w
        except BaseException:
            w.rollback()
            raise
        w.commit()


def count_units(conn: Connection, start: datetime, end: datetime, *, units: mq.Units,
                repeats: bool, due: bool, callbacks: bool = True
                ) -> dict[int | None, dict[str, int]]:
    """The kept counts of [start, end) for `units` (None: all), straight from the orders.
    Due / overdue are those of a reading after the period's end (deadlines in the period
    that have passed: all of them), the only ones kept."""
    acc: dict[int | None, dict[str, int]] = {}

    def put(uid: int | None, **kw: int) -> None:
        row = acc.setdefault(uid, dict.fromkeys(KEPT, 0))
        for k, v in kw.items():
            row[k] += v

    for uid, (n, closed, on_time, replied, reworked, signed) in mq.dispatch_counts(
            conn, start, end, units).items():
        put(uid, dispatched=n, closed=closed, closed_on_time=on_time, replied=replied,
            reworked=reworked, signed_any=signed)
    for uid, (n, direct) in mq.intake_counts(conn, start, end, units).items():
        put(uid, received=n, direct=direct)
    if repeats:
        for uid, n in mq.repeat_counts(conn, start, end, units).items():
            put(uid, repeats=n)
    if callbacks:
        for uid, (valid, ok) in mq.callback_counts(conn, start, end, units).items():
            put(uid, callbacks=valid, satisfied=ok)
    if due:
        for uid, (n, late) in mq.due_counts(conn, start, end, end, units).items():
            put(uid, due=n, overdue=late)
    return acc


def _store(w: Connection, label: str, counted: dict[int | None, dict[str, int]],
           keys: list[int] | None) -> None:
    """Replace the month's cells (all, or those of `keys`) by `counted`."""
    q = delete(cell_t).where(cell_t.c.month == label)
    if keys is not None:
        q = q.where(cell_t.c.unit_key.in_(keys))
    w.execute(q)
    rows = [{"month": label, "unit_key": _key(uid), **row} for uid, row in counted.items()]
    if rows:
        w.execute(insert(cell_t), rows)


def _recount_dear(w: Connection, label: str, start: datetime, end: datetime,
                  dirty: dict[int, int], counted: dict[int | None, dict[str, int]],
                  repeats: bool) -> None:
    """Repeat complaints and callbacks of the dirty cells: recounted where the change could
    alter them (the cell's `what` bits), else the kept figures carried over."""
    groups = [(CB, ("callbacks", "satisfied"), lambda units: {
        uid: {"callbacks": v, "satisfied": ok}
        for uid, (v, ok) in mq.callback_counts(w, start, end, units).items()})]
    if repeats:
        groups.append((REP, ("repeats",), lambda units: {
            uid: {"repeats": n} for uid, n in mq.repeat_counts(w, start, end, units).items()}))
    cols = [cell_t.c[c] for c in ("callbacks", "satisfied", "repeats")]
    kept = {r[0]: dict(zip(("callbacks", "satisfied", "repeats"), r[1:], strict=True))
            for r in w.execute(select(cell_t.c.unit_key, *cols).where(
                cell_t.c.month == label, cell_t.c.unit_key.in_(list(dirty))))}
    for bit, names, recount in groups:
        again = [k for k, what in dirty.items() if what & bit]
        fresh = recount([_uid(k) for k in again]) if again else {}
        for k in dirty:
            got = fresh.get(_uid(k), {}) if k in again else kept.get(k, {})
            values = {n: int(got.get(n, 0)) for n in names}
            if any(values.values()):
                counted.setdefault(_uid(k), dict.fromkeys(KEPT, 0)).update(values)


def month_cells(engine: Engine, label: str, start: datetime, end: datetime, as_of: datetime,
                *, repeats: bool, limits: SignLimits | None = None) -> MonthCells | None:
    """The month's kept counts, recounting what changed since the last read (module doc).
    With `limits`, the sign-for counts are kept too once the month is past every limit."""
    ended = as_of >= end
    try:
        with _locked(engine) as w:
            state = w.execute(select(month_t).where(month_t.c.month == label)).first()
            dirty = dict(w.execute(select(dirty_t.c.unit_key, dirty_t.c.what)
                                   .where(dirty_t.c.month == label)).all())
            want_due = ended or bool(state and state.due_final)
            want_repeats = repeats or bool(state and state.repeats_done)
            whole = (state is None or len(dirty) > DIRTY_MAX
                     or want_due != bool(state.due_final)
                     or want_repeats != bool(state.repeats_done))
            if whole:
                counted = count_units(w, start, end, units=None,
                                      repeats=want_repeats, due=want_due)
                _store(w, label, counted, None)
                w.execute(delete(month_t).where(month_t.c.month == label))
                w.execute(insert(month_t), [{"month": label, "due_final": want_due,
                                             "repeats_done": want_repeats}])
            elif dirty:
                counted = count_units(w, start, end, units=[_uid(k) for k in dirty],
                                      repeats=False, due=want_due, callbacks=False)
                _recount_dear(w, label, start, end, dirty, counted, want_repeats)
                _store(w, label, counted, list(dirty))
            if whole or dirty:
                w.execute(delete(dirty_t).where(dirty_t.c.month == label))
            sign = _keep_sign(w, label, start, end, as_of, limits,
                              None if whole else state, changed=whole or bool(dirty))
            units = {_uid(r[0]): dict(zip(KEPT, r[1:], strict=True)) for r in w.execute(
                select(cell_t.c.unit_key, *[cell_t.c[c] for c in KEPT])
                .where(cell_t.c.month == label))}
    except DBAPIError:
        return None  # read-only, busy or locked: the caller counts directly
    return MonthCells(units, due=want_due and ended, repeats=want_repeats, sign=sign)


def _keep_sign(w: Connection, label: str, start: datetime, end: datetime, as_of: datetime,
               limits: SignLimits | None, state, *, changed: bool) -> bool:  # noqa: ANN001
    """Bring the kept sign-for counts up to date; True when the cells' signed /
    signed_on_time are this reading's. Kept only once every limit of the month has passed,
    with the digest of the limits, and never for a count that saw a signing later than its
    own time (a signing is then still to come for an earlier reading)."""
    old_key = state.sign_key if state is not None else None
    old_at = state.sign_as_of if state is not None else None
    key = sign_key(limits, start, end) if limits is not None else None
    if not changed and old_key is not None and old_key == key and old_at is not None:
        return as_of >= old_at
    if limits is None and not changed:
        return False  # a reader without limits (the trend) leaves the kept counts alone
    if limits is None or not sign_final(limits, end, as_of):
        if changed or old_key is not None:
            w.execute(update(month_t).where(month_t.c.month == label)
                      .values(sign_key=None, sign_as_of=None))
        return False
    got = mq.sign_counts(w, start, end, as_of, limits)
    any_signed = dict(w.execute(select(cell_t.c.unit_key, cell_t.c.signed_any)
                                .where(cell_t.c.month == label)).all())
    future = any(any_signed.get(_key(uid), 0) != c.signed for uid, c in got.items())
    w.execute(update(cell_t).where(cell_t.c.month == label)
              .values(signed=0, signed_on_time=0))
    rows = [{"k": _key(uid), "s": c.signed, "o": c.signed_on_time} for uid, c in got.items()]
    if rows:
        w.execute(update(cell_t).where(cell_t.c.month == label,
                                       cell_t.c.unit_key == bindparam("k"))
                  .values(signed=bindparam("s"), signed_on_time=bindparam("o")), rows)
    w.execute(update(month_t).where(month_t.c.month == label).values(
        sign_key=None if future else key, sign_as_of=None if future else as_of))
    return not future


def clear(conn: Connection) -> None:
    """Forget every kept count (after a bulk load that bypassed the triggers)."""
    for t in (cell_t, month_t, dirty_t):
        conn.execute(delete(t))
