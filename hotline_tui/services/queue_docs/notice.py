"""The written chase notice (催办通知书) of one unit: what it shows, independent of the file
format, and its .docx and .xlsx writers. Caller data masked as on the dispatch sheets
(domain/masking.caller_for_output); text made safe with the sheets' own helpers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from hotline_tui.services.sheets.layout import fmt_date, fmt_dt, safe_filename

# (catalog key of the column head, width: mm in .docx / characters in .xlsx)
COLUMNS = (
    ("no", 8, 4.5),
    ("order", 30, 17),
    ("request", 62, 40),
    ("caller", 24, 14),
    ("due", 27, 17),
    ("late", 28, 20),
    ("owner", 30, 17),
    ("chases", 14, 8),
)


@dataclass(frozen=True)
class NoticeRow:
    order_id: int
    order_no: str
    title: str
    request_type: str
    received_at: datetime | None
    dispatched_at: datetime | None
    due_at: datetime
    overdue: bool
    late_text: str
    owner: str  # "张三 13800000000", or "" before sign-for
    caller_name: str
    caller_phone: str
    caller_masked: bool  # False only when the full name and phone are on the notice
    confidential: bool
    chase_count: int

    def cells(self, index: int) -> list[str]:
        from hotline_tui.i18n import t

        order = f"{self.order_no}\n{fmt_dt(self.received_at)}"
        if self.confidential:
            order += "\n" + t("dispatch.sheet.confidential_mark")
        request = f"{self.request_type} {self.title}".strip()
        caller = "\n".join(p for p in (self.caller_name, self.caller_phone) if p)
        return [str(index), order, request, caller, fmt_dt(self.due_at), self.late_text,
                self.owner or t("notice.no_owner"), str(self.chase_count)]


@dataclass(frozen=True)
class ChaseNotice:
    title: str
    office: str
    unit_id: int
    unit_name: str
    day: date
    reply_by: date
    rows: tuple[NoticeRow, ...]

    @property
    def overdue_count(self) -> int:
        return sum(1 for r in self.rows if r.overdue)

    def file_stem(self) -> str:
        """催办通知书_2026-11-27_黑龙河乡"""
        from hotline_tui.i18n import t

        return (f"{safe_filename(t('notice.file_prefix'), 'notice')}_{self.day.isoformat()}_"
                f"{safe_filename(self.unit_name, f'unit{self.unit_id}')}")

    def intro(self) -> str:
        from hotline_tui.i18n import t

        return t("notice.intro", unit=self.unit_name, count=len(self.rows),
                 overdue=self.overdue_count, reply_by=fmt_date(self.reply_by))


def write_notice_docx(notice: ChaseNotice, path: Path) -> None:
    from hotline_tui.i18n import t
    from hotline_tui.services.queue_docs import docx_common as dc

    doc = dc.new_document(landscape=True)
    dc.title(doc, notice.title)
    dc.paragraph(doc, t("notice.to", unit=notice.unit_name), bold=True, size=12, after=6)
    dc.paragraph(doc, notice.intro(), indent_chars=2, after=8)
    dc.table(doc, [t(f"notice.col.{key}") for key, _mm, _ch in COLUMNS],
             [mm for _k, mm, _ch in COLUMNS],
             [r.cells(n) for n, r in enumerate(notice.rows, start=1)])
    dc.paragraph(doc, t("notice.request"), indent_chars=2, after=12)
    dc.paragraph(doc, notice.office, right=True, after=2)
    dc.paragraph(doc, fmt_date(notice.day), right=True)
    dc.page_footer(doc, notice.unit_name, t("dispatch.sheet.footer_docx"))
    dc.save(doc, path, notice.title)


def write_notice_xlsx(notice: ChaseNotice, path: Path) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.page import PageMargins

    from hotline_tui.i18n import t
    from hotline_tui.services.sheets.xlsx_writer import put, sheet_title

    wb = Workbook()
    ws = wb.active
    ws.title = sheet_title(notice.unit_name)
    ncol = len(COLUMNS)
    last = get_column_letter(ncol)
    thin = Side(style="thin", color="000000")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    body = Font(name="宋体", size=10)
    for i, (_key, _mm, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.merge_cells(f"A1:{last}1")
    put(ws["A1"], notice.title)
    ws["A1"].font = Font(name="黑体", size=16, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{last}2")
    put(ws["A2"], t("notice.to", unit=notice.unit_name) + "  " + notice.intro())
    ws["A2"].font = body
    ws["A2"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[2].height = 45
    head = 3
    for i, (key, _mm, _w) in enumerate(COLUMNS, start=1):
        c = ws.cell(row=head, column=i)
        put(c, t(f"notice.col.{key}"))
        c.font = Font(name="宋体", size=10, bold=True)
        c.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
        c.border = border
    for n, r in enumerate(notice.rows, start=1):
        for i, value in enumerate(r.cells(n), start=1):
            c = ws.cell(row=head + n, column=i)
            put(c, value)
            c.font = body
            c.alignment = Alignment(wrap_text=True, vertical="top")
            c.border = border
        ws.row_dimensions[head + n].height = 42
    foot = head + len(notice.rows) + 2
    ws.merge_cells(f"A{foot}:{last}{foot}")
    put(ws[f"A{foot}"], t("notice.request") + "    " + notice.office + "  " +
        fmt_date(notice.day))
    ws[f"A{foot}"].font = body
    ws[f"A{foot}"].alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[foot].height = 30
    ws.freeze_panes = ws.cell(row=head + 1, column=1)
    ws.print_title_rows = f"{head}:{head}"
    ps = ws.page_setup
    ps.paperSize = ws.PAPERSIZE_A4
    ps.orientation = ws.ORIENTATION_LANDSCAPE
    ps.fitToWidth = 1
    ps.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.55, bottom=0.55,
                                  header=0.25, footer=0.25)
    ws.oddFooter.center.text = t("dispatch.sheet.footer_xlsx")
    ws.oddFooter.center.size = 9
    wb.properties.title = notice.title
    wb.properties.creator = "hotline-tui"
    wb.save(path)
