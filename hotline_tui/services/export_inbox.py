"""Export of the inbox as shown (filter and sort) to .xlsx, the caller's data masked."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine

from hotline_tui.domain.masking import caller_for_output
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.store.inbox_query import InboxFilter, InboxRow, count_orders, fetch_page

EXCEL_MAX_ROWS = 1_048_575  # one row is the header
BATCH = 1000
COLUMNS = (
    ("col.order_no", 22), ("col.received_at", 17), ("col.type", 8), ("col.title", 40),
    ("col.area", 12), ("col.unit", 20), ("col.status", 10), ("col.due_at", 17),
    ("col.caller_name", 10), ("col.caller_phone", 15),
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


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
        c = WriteOnlyCell(ws, value)
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            c.data_type = "s"  # literal text, never a formula
            c.quotePrefix = True
        elif hasattr(value, "hour"):
            c.number_format = "yyyy-mm-dd hh:mm"
        return c

    header = []
    for key, _ in COLUMNS:
        h = WriteOnlyCell(ws, t(key))
        h.font = bold
        header.append(h)
    ws.append(header)

    written = 0
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
            written += len(rows)
            offset += len(rows)
            if progress:
                progress(written, max(total, written))
            if len(rows) < BATCH:
                break
    try:
        wb.save(part)
        os.replace(part, target)
    except OSError as exc:
        try:
            part.unlink(missing_ok=True)
        except OSError:
            pass
        raise UserError("export.cannot_write", path=target, reason=exc.strerror or exc) from exc
    return ExportResult(target, written)
