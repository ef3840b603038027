"""The dispatch sheet as .xlsx: one row per order, landscape A4, fit to one page wide, the
column heads repeated on every printed page. openpyxl is imported only here."""

from __future__ import annotations

import math
from pathlib import Path

from rich.cells import cell_len

from hotline_tui.services.safe_cells import put
from hotline_tui.services.sheets.layout import UnitSheet, fmt_dt

FONT = "宋体"
# (catalog key of the head, width in characters)
COLUMNS = (
    ("no", 4.5),
    ("order", 15),
    ("type", 9),
    ("request", 42),
    ("caller", 13),
    ("deadline", 17),
    ("assist", 11),
    ("owner", 9),
    ("owner_phone", 12),
    ("signed_at", 11),
    ("reply", 30),
)
HEAD_ROW = 3
LINE_PT = 13.5  # one line of 10 pt text
MIN_ROW_PT = 72.0  # room to write a name, a phone number, a time and a short reply
MAX_ROW_PT = 409.0  # Excel's limit


def _lines(value: str, width: float) -> int:
    per_line = max(1.0, width - 1.0)
    return sum(max(1, math.ceil(cell_len(part) / per_line)) for part in value.split("\n"))


__all__ = ["put", "sheet_title", "write_xlsx"]  # put: services/safe_cells.py


def sheet_title(name: str) -> str:
    """A worksheet name: at most 31 characters, none of []:*?/\\ ."""
    bad = set('[]:*?/\\')
    s = "".join("_" if c in bad else c for c in name).strip("'")
    return s[:31] or "Sheet1"


def write_xlsx(sheet: UnitSheet, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    from hotline_tui.i18n import t

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(sheet.unit_name)
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    center_top = Alignment(horizontal="center", vertical="top")
    body_font = Font(name=FONT, size=10)

    for i, (_key, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width

    ws.merge_cells(f"A1:{last}1")
    put(ws["A1"], sheet.title)
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30

    ws.merge_cells(f"A2:{last}2")
    info = t("dispatch.sheet.heading", unit=sheet.unit_name, date=sheet.dispatch_date_text,
             count=len(sheet.orders))
    info += "    " + t("dispatch.sheet.instructions", days=sheet.sign_limit_workdays)
    put(ws["A2"], info)
    ws["A2"].font = Font(name=FONT, size=10)
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[2].height = 30

    for i, (key, _w) in enumerate(COLUMNS, start=1):
        c = ws.cell(row=HEAD_ROW, column=i)
        put(c, t(f"dispatch.sheet.col.{key}"))
        c.font = Font(name=FONT, size=10, bold=True)
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        c.border = border
    ws.row_dimensions[HEAD_ROW].height = 30

    for n, o in enumerate(sheet.orders, start=1):
        order_cell = o.order_no + "\n" + fmt_dt(o.received_at)
        if o.confidential:
            order_cell += "\n" + t("dispatch.sheet.confidential_mark")
        request = "\n".join(
            p for p in (
                o.title and f"{t('dispatch.sheet.title_prefix')}{o.title}",
                o.content,
                o.place and f"{t('dispatch.sheet.place_prefix')}{o.place}",
            ) if p
        )
        kind = o.request_type + (("\n" + t("dispatch.sheet.urgent")) if o.urgent else "")
        caller = "\n".join(p for p in (o.caller_name, o.caller_phone) if p)
        deadline = o.tier_name + "\n" + t("dispatch.sheet.due_before", due=fmt_dt(o.due_at))
        values = [n, order_cell, kind, request, caller, deadline, "、".join(o.assist_units),
                  "", "", "", ""]
        row = HEAD_ROW + n
        height = MIN_ROW_PT
        for i, v in enumerate(values, start=1):
            c = ws.cell(row=row, column=i)
            put(c, v)
            c.font = body_font
            c.alignment = center_top if i == 1 else wrap_top
            c.border = border
            if isinstance(v, str) and v:
                height = max(height, _lines(v, COLUMNS[i - 1][1]) * LINE_PT + 6)
        ws.row_dimensions[row].height = min(height, MAX_ROW_PT)

    ws.freeze_panes = ws.cell(row=HEAD_ROW + 1, column=1)
    ws.print_title_rows = f"{HEAD_ROW}:{HEAD_ROW}"
    ws.print_area = f"A1:{last}{HEAD_ROW + max(1, len(sheet.orders))}"
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = ws.ORIENTATION_LANDSCAPE
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.55, bottom=0.55,
                                  header=0.25, footer=0.25)
    ws.oddFooter.center.text = t("dispatch.sheet.footer_xlsx")
    ws.oddFooter.center.size = 9
    wb.properties.title = sheet.title
    wb.properties.creator = "hotline-tui"
    wb.save(path)
