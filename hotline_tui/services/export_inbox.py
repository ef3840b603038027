"""Export of the inbox as shown (filter and sort) to .xlsx, the caller's data masked."""

from __future__ import annotations

import os
from array import array
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from hotline_tui.domain.masking import caller_for_output
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services.safe_cells import put
from hotline_tui.store.inbox_query import InboxFilter, InboxRow, count_orders, fetch_page

EXCEL_MAX_ROWS = 1_048_575  # one row is the header
BATCH = 1000
COLUMNS = (
    ("col.order_no", 22), ("col.received_at", 17), ("col.type", 8), ("col.title", 40),
    ("col.area", 12), ("col.unit", 20), ("col.status", 10), ("col.due_at", 17),
    ("col.caller_name", 10), ("col.caller_phone", 15),
)


class ExportCancelled(Exception):
    """The clerk stopped the export; nothing was written."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int


def _values(row: InboxRow) -> list[object]:
    name, phone = caller_for_output(row.caller_name, row.caller_phone,
                                    confidential=row.confidential)
    return [
        row.order_no, row.received_at, row.request_type, row.title, row.area, row.unit_name,
        t(f"status.{row.status}"), row.due_at, name, phone,
    ]


def export_inbox(
    engine: Engine,
    f: InboxFilter,
    path: str | os.PathLike[str],
    *,
    progress: Callable[[int, int], None] | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> ExportResult:
    """Write every order matching `f`, in its sort order, to the .xlsx file `path`.

    Caller name and phone are masked (a confidential order shows neither). Text that a
    spreadsheet would read as a formula (= + - @ first) is stored as literal text. The file
    appears complete or not at all. Raises UserError for a path that cannot be written.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    target = Path(path).expanduser()
    if not target.parent.is_dir():
        raise UserError("prompt.no_folder", path=target.parent)
    part = target.with_name(f".{target.name}.part")

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(t("export.sheet_name"))
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)

    def cell(value: object) -> object:
        c = WriteOnlyCell(ws)
        put(c, value)  # text stays text, never a formula (services/safe_cells.py)
        if hasattr(value, "hour"):
            c.number_format = "yyyy-mm-dd hh:mm"
        return c

    header = []
    for key, _ in COLUMNS:
        h = WriteOnlyCell(ws, t(key))
        h.font = bold
        header.append(h)
    ws.append(header)

    written = 0
    carried = array("q")  # orders whose (masked) caller data is in the file: recorded below
    with engine.connect() as conn, conn.begin():  # one read snapshot for the whole file
        total = count_orders(conn, f)
        if total > EXCEL_MAX_ROWS:
            raise UserError("export.too_many", count=f"{total:,}", limit=f"{EXCEL_MAX_ROWS:,}")
        if progress:
            progress(0, total)
        offset = 0
        while True:
            if should_stop and should_stop():
                raise ExportCancelled()
            rows = fetch_page(conn, f, offset, BATCH, total=total)
            for row in rows:
                ws.append([cell(v) for v in _values(row)])
                if not row.confidential and (row.caller_name or row.caller_phone):
                    carried.append(row.id)
            written += len(rows)
            offset += len(rows)
            if progress:
                progress(written, max(total, written))
            if len(rows) < BATCH:
                break
    try:
        wb.save(part)
        with engine.connect() as conn:  # the file is in place exactly when it is recorded
            trans = conn.begin()
            placed = False
            try:
                _record_export(conn, carried, target)
                os.replace(part, target)
                placed = True
                trans.commit()
            except BaseException:
                trans.rollback()
                if placed:
                    target.unlink(missing_ok=True)
                raise
    except OSError as exc:
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass
        raise UserError("export.cannot_write", path=target, reason=exc.strerror or exc) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return ExportResult(target, written)


def _record_export(conn, order_ids: array, target: Path) -> None:  # noqa: ANN001
    """One EXPORT history row per order whose caller data (masked) went into the file, the
    order itself unchanged (an export changes nothing an open window could clash with)."""
    if not order_ids:
        return
    from sqlalchemy import bindparam, text

    from hotline_tui.domain.states import Event
    from hotline_tui.services import clock
    from hotline_tui.services.settings import clerk_name

    stmt = text(
        "INSERT INTO order_history (order_id, at, actor, event, old_status, new_status, "
        "changes, note) SELECT id, :at, :actor, :event, status, status, '{}', :note "
        "FROM work_order WHERE id IN :ids"
    ).bindparams(bindparam("ids", expanding=True))
    params = {"at": clock.now().strftime("%Y-%m-%d %H:%M:%S"), "actor": clerk_name(conn),
              "event": Event.EXPORT.value,
              "note": t("hygiene.export_inbox.note", file=target.name,
                        folder=target.parent.resolve())}
    for i in range(0, len(order_ids), 500):
        conn.execute(stmt, {**params, "ids": list(order_ids[i:i + 500])})
