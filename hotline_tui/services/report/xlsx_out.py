"""The reports as .xlsx: one sheet per part (overview, units per kind ranked, red/black
lists, overdue orders, definitions; for the statement the months, the sends-back and the
sponsored matters). Rates are numbers formatted as percentages ("—" when nothing was
counted) beside the counts they come from; text that looks like a formula stays text.
openpyxl is imported here only, write-only mode (the overdue list can be long)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from hotline_tui.domain import metrics as dm
from hotline_tui.i18n import t
from hotline_tui.services.report import texts
from hotline_tui.services.report.data import (
    TREND_CODES,
    UNIT_CODES,
    CircularData,
    StatementData,
    kind_label,
)
from hotline_tui.services.safe_cells import FORMULA_START, put


def _plain(value: Any) -> bool:
    """A value openpyxl stores as it is: a number, a date, or text that cannot be read as
    a formula (those, and ratios, go through `put` and a cell of their own)."""
    if isinstance(value, str):
        return not value.startswith(FORMULA_START)
    return isinstance(value, int | float) and not isinstance(value, bool) or value is None

FONT = "宋体"
COUNT_FIELDS = ("dispatched", "signed", "signed_on_time", "closed", "closed_on_time",
                "replies", "sent_back", "returned", "callbacks", "satisfied", "due",
                "overdue", "received", "repeats")


class _Book:
    def __init__(self) -> None:
        from openpyxl import Workbook
        from openpyxl.styles import Font

        self.wb = Workbook(write_only=True)
        self.bold = Font(name=FONT, bold=True)
        self.big = Font(name=FONT, bold=True, size=14)

    def sheet(self, title: str, widths: Sequence[float]):  # noqa: ANN201
        from openpyxl.utils import get_column_letter

        from hotline_tui.services.sheets.xlsx_writer import sheet_title

        ws = self.wb.create_sheet(sheet_title(title))
        for i, w in enumerate(widths, start=1):
            ws.column_dimensions[get_column_letter(i)].width = w
        return ws

    def cell(self, ws, value: Any, *, font: Any = None, percent: bool = False):  # noqa: ANN001, ANN201
        from openpyxl.cell import WriteOnlyCell

        c = WriteOnlyCell(ws)
        if isinstance(value, dm.Ratio):
            v = value.value
            if v is None:
                put(c, dm.EMPTY)
            else:
                c.value = v
                c.number_format = "0.0%"
        else:
            put(c, value)
            if percent and isinstance(value, float):
                c.number_format = "0.0%"
        if font is not None:
            c.font = font
        return c

    def row(self, ws, values: Sequence[Any], *, font: Any = None) -> None:  # noqa: ANN001
        if font is None:  # plain text, numbers and dates go in as they are (a long list)
            ws.append([v if _plain(v) else self.cell(ws, v) for v in values])
            return
        ws.append([self.cell(ws, v, font=font) for v in values])

    def save(self, path: Path, title: str) -> None:
        self.wb.properties.title = title
        self.wb.properties.creator = "hotline-tui"
        self.wb.save(str(path))


def write_circular(d: CircularData, path: Path) -> None:
    b = _Book()
    title = texts.title(d)
    # overview
    ws = b.sheet(t("report.sheet.summary"), [22, 16, 16, 16, 16])
    b.row(ws, [title], font=b.big)
    b.row(ws, [t("metrics.as_of", at=f"{d.as_of:%Y-%m-%d %H:%M}")])
    b.row(ws, [texts.summary(d)])
    b.row(ws, [texts.compare(d)])
    b.row(ws, [t("report.no_caller_data")])
    b.row(ws, [])
    kinds = d.figures.kinds
    groups = [("office", d.figures.office)] + [(k, kinds[k]) for k, _u in d.groups]
    b.row(ws, [t("metrics.col.figure")] + [t(f"metrics.kind.{k}") for k, _c in groups]
          + [t("metrics.col.last")], font=b.bold)
    last = dm.figures(d.last.office)
    for code in dm.CODES:
        vals = [dm.figure(c, code) for _k, c in groups]
        b.row(ws, [t(dm.NAMES[code])] + vals + [last[code]])
    # units, each kind ranked apart
    ws = b.sheet(t("report.sheet.units"), [6, 22, 12] + [10] * len(UNIT_CODES)
                 + [9] * len(COUNT_FIELDS))
    heads = ([t("metrics.col.rank"), t("metrics.col.unit"), t("report.col.kind")]
             + [t(dm.NAMES[c]) for c in UNIT_CODES]
             + [t(f"report.count.{f}") for f in COUNT_FIELDS])
    for kind, units in d.groups:
        b.row(ws, [kind_label(kind)], font=b.bold)
        b.row(ws, heads, font=b.bold)
        for i, u in enumerate(units, start=1):
            counts = u.counts.as_dict()
            b.row(ws, [i, u.name, kind_label(u.kind)] + [u.get(c) for c in UNIT_CODES]
                  + [counts[f] for f in COUNT_FIELDS])
        b.row(ws, [])
    # red and black lists
    ws = b.sheet(t("report.sheet.honour"), [16, 10, 6, 24, 12, 12, 10])
    b.row(ws, [d.rules[1]])
    b.row(ws, [t("report.col.kind"), "", t("metrics.col.rank"), t("metrics.col.unit"),
               t(dm.NAMES["close_rate"]), t(dm.NAMES["on_time_close_rate"]),
               t(dm.NAMES["overdue"])], font=b.bold)
    for kind, (best, worst) in d.honour.items():
        for label, units in ((t("report.red"), best), (t("report.black"), worst)):
            for i, u in enumerate(units, start=1):
                b.row(ws, [kind_label(kind), label, i, u.name, u.get("close_rate"),
                           u.get("on_time_close_rate"), u.get("overdue")])
    # overdue orders
    ws = b.sheet(t("report.sheet.overdue"), [20, 20, 36, 8, 17, 10, 10, 14])
    b.row(ws, [t("report.overdue_intro", at=f"{d.as_of:%Y-%m-%d %H:%M}", n=d.overdue_total)])
    if len(d.overdue) < d.overdue_total:
        b.row(ws, [t("report.overdue_more", shown=len(d.overdue),
                     rest=d.overdue_total - len(d.overdue))])
    b.row(ws, [t("report.col.order_no"), t("metrics.col.unit"), t("report.col.title"),
               t("report.col.type"), t("report.col.due"), t("report.col.late"),
               t("report.col.owner"), t("report.col.phone")], font=b.bold)
    for o in d.overdue:
        b.row(ws, [o.order_no, o.unit, o.title, o.request_type, f"{o.due_at:%Y-%m-%d %H:%M}",
                   o.late_workdays, o.owner_name, o.owner_phone])
    _definitions(b, d.definitions, d.rules)
    b.save(path, title)


def _definitions(b: _Book, defs: list[tuple[str, str]], rules: Sequence[str] = ()) -> None:
    ws = b.sheet(t("report.sheet.definitions"), [18, 100])
    b.row(ws, [t("metrics.col.figure"), t("metrics.col.definition")], font=b.bold)
    for code, sentence in defs:
        b.row(ws, [t(dm.NAMES[code]), sentence])
    for r in rules:
        b.row(ws, ["", r])


def write_statement(d: StatementData, path: Path) -> None:
    from hotline_tui.services.report.data import year_month

    b = _Book()
    y, m = year_month(d.label)
    title = t("statement.title", office=d.office_name, y=y, m=m)
    ws = b.sheet(t("report.sheet.trend"), [12] + [12] * len(TREND_CODES))
    b.row(ws, [title], font=b.big)
    b.row(ws, [t("metrics.as_of", at=f"{d.as_of:%Y-%m-%d %H:%M}")])
    b.row(ws, [t("metrics.col.month")] + [t(dm.NAMES[c]) for c in TREND_CODES], font=b.bold)
    for p in d.trend:
        b.row(ws, [p.month] + [p.get(c) for c in TREND_CODES])
    ws = b.sheet(t("report.sheet.rework"), [60, 10, 10])
    b.row(ws, [t("statement.rework_intro", n=d.rework_total, reopen=d.reopen_total,
                 units=d.units_reworked) if d.rework_total else t("statement.rework_none")])
    b.row(ws, [t("statement.col.reason"), t("statement.col.times"), t("statement.col.share")],
          font=b.bold)
    for reason, n in d.reasons:
        b.row(ws, [reason, n, dm.Ratio(n, d.rework_total)])
    b.row(ws, [])
    b.row(ws, [t("metrics.col.unit"), t("statement.col.times")], font=b.bold)
    for unit, n in d.rework_units:
        b.row(ws, [unit, n])
    ws = b.sheet(t("report.sheet.sponsor"), [20, 30, 18, 14, 12, 40, 12])
    b.row(ws, [t("report.col.order_no"), t("report.col.title"), t("metrics.col.unit"),
               t("statement.col.leader"), t("statement.col.started"),
               t("statement.col.progress"), t("statement.col.report_due")], font=b.bold)
    for s in d.sponsored:
        due = f"{s.report_due_on:%Y-%m-%d}" + (
            " " + t("statement.report_overdue") if s.report_overdue else "")
        b.row(ws, [s.order_no, s.title, s.unit_name,
                   f"{s.leader_title}{s.leader_name}", f"{s.started_at:%Y-%m-%d}",
                   s.last_progress, due])
    _definitions(b, d.definitions)
    b.save(path, title)
