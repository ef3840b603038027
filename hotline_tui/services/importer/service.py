"""The upsert of one file in one transaction: new orders by SQLAlchemy Core inserts (with
their history rows), changed ones through services.orders.record()."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session

from hotline_tui.domain.states import Event, next_status
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.importer.columns import (
    BUILTIN_ALIASES,
    HEADER_SCAN_ROWS,
    HeaderMatch,
    match_header,
    user_alias_table,
)
from hotline_tui.services.importer.mapping import (
    RowRejected,
    imported_fields,
    map_row,
    same_value,
)
from hotline_tui.services.importer.reading import RawSheet, open_sheets
from hotline_tui.services.orders import record
from hotline_tui.services.settings import clerk_name
from hotline_tui.store.engine import session
from hotline_tui.store.models import OrderHistory, WorkOrder

CHUNK = 500  # rows looked up / inserted together
PROGRESS_EVERY = 250  # progress(done, total) after this many rows
OPTIMIZE_AFTER = 1000  # PRAGMA optimize when at least this many orders were written

Progress = Callable[[int, int], None]
_O = WorkOrder.__table__
_H = OrderHistory.__table__


@dataclass
class ImportResult:
    """What one file did. `to_json()` is the shape scripts rely on."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)
    file: str = ""
    rows: int = 0  # rows read below the header (including blank and footer rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"row": row, "reason": reason} for row, reason in self.rejected],
        }


# Fields the clerk confirms at triage; a re-import changes them only while the order is new.
CLERK_CONFIRMED = ("request_type",)


def find_header(
    sheets: list[RawSheet], aliases: dict[str, str]
) -> tuple[RawSheet, HeaderMatch] | None:
    """The first sheet (or CSV delimiter) whose first rows contain a header row."""
    for sheet in sheets:
        for scanned, (rownum, values) in enumerate(sheet.rows, 1):
            found = match_header(values, aliases, rownum)
            if found is not None:
                return sheet, found
            if scanned >= HEADER_SCAN_ROWS:
                break
    return None


def import_file(
    engine: Engine,
    path: str | Path,
    *,
    progress: Progress | None = None,
    actor: str | None = None,
) -> ImportResult:
    """Import one upstream export (.xlsx or .csv) as one transaction.

    Unreadable rows are listed in `rejected` and do not stop the rest; a file that cannot
    be read at all raises UserError and writes nothing.
    """
    path = Path(path)
    aliases = user_alias_table()
    with open_sheets(path) as sheets:
        found = find_header(sheets, aliases)
        if found is None:
            raise UserError("import.no_header", file=path.name, rows=HEADER_SCAN_ROWS,
                            names="/".join(BUILTIN_ALIASES["order_no"]))
        sheet, header = found
        if "received_at" not in header.columns:
            raise UserError("import.no_received_column", file=path.name, row=header.row,
                            names="/".join(BUILTIN_ALIASES["received_at"]))
        hint = (sheet.size_hint or 0) - header.row
        try:
            with session(engine) as s:
                job = _Import(s, path, header, actor, progress, hint)
                result = job.run(sheet.rows)
                if result.created + result.updated >= OPTIMIZE_AFTER:
                    _optimize(s)
                s.commit()
        except (OperationalError, IntegrityError) as exc:
            raise UserError("import.db_failed", file=path.name, reason=str(exc.orig)) from exc
    return result


def _optimize(s: Session) -> None:
    """Refresh the planner's statistics after a large import (SQLite only)."""
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        # optimize alone skips work_order here (unique-key lookups need no statistics), yet
        # the inbox's planner does: analyse it explicitly, sampled so it stays cheap.
        conn.exec_driver_sql("PRAGMA analysis_limit=1000")
        conn.exec_driver_sql("ANALYZE work_order")
        conn.exec_driver_sql("PRAGMA optimize")


class _Import:
    def __init__(
        self,
        s: Session,
        path: Path,
        header: HeaderMatch,
        actor: str | None,
        progress: Progress | None,
        total_hint: int,
    ) -> None:
        self.s = s
        self.path = path
        self.header = header
        self.fields = imported_fields(header.columns)
        self.actor = actor if actor is not None else clerk_name(s)
        self.progress = progress
        self.total_hint = max(total_hint, 0)
        self.now: datetime = clock.now()
        self.create_status = next_status(None, Event.CREATE).value
        self.result = ImportResult(file=str(path))
        self.seen: dict[str, int] = {}

    def _report(self, done: int, final: bool = False) -> None:
        if self.progress is not None:
            total = done if final else max(self.total_hint, done)
            self.progress(done, total)

    def _note(self, rownum: int) -> str:
        return t("import.history_note", file=self.path.name, row=rownum)

    def run(self, rows: Iterator[tuple[int, list[Any]]]) -> ImportResult:
        result = self.result
        columns, labels = self.header.columns, self.header.labels
        batch: list[tuple[int, dict[str, Any]]] = []
        done = 0
        self._report(0)
        for rownum, values in rows:
            done += 1
            if done % PROGRESS_EVERY == 0:
                self._report(done)
            try:
                fields = map_row(values, columns, labels)
            except RowRejected as exc:
                result.rejected.append((rownum, exc.reason))
                continue
            if fields is None:
                continue
            no = fields["order_no"]
            first = self.seen.get(no)
            if first is not None:
                result.rejected.append(
                    (rownum, t("import.reason.duplicate", order_no=no, row=first))
                )
                continue
            self.seen[no] = rownum
            batch.append((rownum, fields))
            if len(batch) >= CHUNK:
                self._flush(batch)
                batch = []
        self._flush(batch)
        result.rows = done
        self._report(done, final=True)
        return result

    def _flush(self, batch: list[tuple[int, dict[str, Any]]]) -> None:
        if not batch:
            return
        conn = self.s.connection()
        cols = [_O.c.id, _O.c.order_no, _O.c.status] + [_O.c[f] for f in self.fields]
        nos = [f["order_no"] for _, f in batch]
        existing = {r.order_no: r for r in conn.execute(select(*cols).where(_O.c.order_no.in_(nos)))}
        new: list[tuple[int, dict[str, Any]]] = []
        changed: list[tuple[int, int, dict[str, Any]]] = []
        for rownum, f in batch:
            row = existing.get(f["order_no"])
            if row is None:
                new.append((rownum, f))
                continue
            diff = {k: f[k] for k in self.fields if not same_value(getattr(row, k), f[k])}
            if row.status != self.create_status:
                # the clerk confirmed these at triage: the upstream value no longer wins
                for k in CLERK_CONFIRMED:
                    diff.pop(k, None)
            if diff:
                changed.append((rownum, row.id, diff))
            else:
                self.result.unchanged += 1
        if new:
            self._create(conn, new)
        if changed:
            self._update(changed)

    def _create(self, conn: Any, new: list[tuple[int, dict[str, Any]]]) -> None:
        base = {
            "is_local": False, "is_demo": False, "status": self.create_status, "version": 1,
            "created_at": self.now, "updated_at": self.now,
        }
        params = [{**f, **base} for _, f in new]
        # RETURNING keeps the insert batched; ids are matched back by order number
        id_of = dict(
            (no, oid)
            for oid, no in conn.execute(insert(_O).returning(_O.c.id, _O.c.order_no), params)
        )
        conn.execute(
            insert(_H),
            [
                {
                    "order_id": oid, "at": self.now, "actor": self.actor,
                    "event": Event.CREATE.value, "old_status": None,
                    "new_status": self.create_status, "changes": json.dumps({}),
                    "note": self._note(rownum),
                }
                for rownum, f in new
                for oid in (id_of[f["order_no"]],)
            ],
        )
        self.result.created += len(new)

    def _update(self, changed: list[tuple[int, int, dict[str, Any]]]) -> None:
        s = self.s
        ids = [oid for _, oid, _ in changed]
        orders = {o.id: o for o in s.scalars(select(WorkOrder).where(WorkOrder.id.in_(ids)))}
        for rownum, oid, diff in changed:
            record(s, orders[oid], Event.UPDATE, changes=diff, actor=self.actor, at=self.now,
                   note=self._note(rownum))
        s.flush()
        s.expunge_all()  # keep the identity map (and each flush) small
        self.result.updated += len(changed)
