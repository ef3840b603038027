"""The reports as .docx in the house style of the office's documents (queue_docs/
docx_common.py): title, addressee, a summary paragraph with the headline figures, numbered
sections with tables, the issuing office and date, the definitions as an annex, page
numbers. python-docx is imported only here (through docx_common)."""

from __future__ import annotations

from pathlib import Path

from hotline_tui.domain import metrics as dm
from hotline_tui.i18n import t
from hotline_tui.services.queue_docs import docx_common as dc
from hotline_tui.services.report import texts
from hotline_tui.services.report.data import (
    OVERDUE_DOCX_MAX,
    TREND_CODES,
    CircularData,
    StatementData,
    kind_label,
    year_month,
)

# the units table: the figures a circular ranks by, in a portrait page's width
DOC_CODES = ("dispatched", "sign_rate", "on_time_sign_rate", "close_rate",
             "on_time_close_rate", "return_rate", "rework_rate", "satisfaction_rate",
             "overdue", "repeats")
CN_NUM = "一二三四五六七八九十"


def _heading(doc, text: str) -> None:  # noqa: ANN001
    dc.paragraph(doc, text, bold=True, size=12, after=4)


def _closing(doc, office: str, at) -> None:  # noqa: ANN001
    dc.paragraph(doc, "", after=6)
    dc.paragraph(doc, office, right=True, after=0)
    dc.paragraph(doc, texts.date_line(at), right=True, after=8)


def _definitions(doc, heading: str, defs: list[tuple[str, str]], rules=()) -> None:  # noqa: ANN001
    _heading(doc, heading)
    for _code, sentence in defs:
        dc.paragraph(doc, sentence, size=9, after=1)
    for r in rules:
        dc.paragraph(doc, r, size=9, after=1)


def write_circular(d: CircularData, path: Path) -> None:
    doc = dc.new_document()
    title = texts.title(d)
    dc.title(doc, title)
    dc.paragraph(doc, t("report.to"), after=4)
    dc.paragraph(doc, texts.summary(d), indent_chars=2)
    dc.paragraph(doc, texts.compare(d), indent_chars=2)
    # 1. overview: the county and each kind, with numerator / denominator
    _heading(doc, t("report.h.overall"))
    kinds = d.figures.kinds
    groups = [("office", d.figures.office)] + [(k, kinds[k]) for k, _u in d.groups]
    heads = [t("metrics.col.figure")] + [t(f"metrics.kind.{k}") for k, _c in groups]
    rows = []
    for code in dm.CODES:
        vals = [dm.figure(c, code) for _k, c in groups]
        rows.append([t(dm.NAMES[code])] + [texts.full(v) if isinstance(v, dm.Ratio)
                                           else f"{v:,}" for v in vals])
    dc.table(doc, heads, [30] + [36] * len(groups), rows, size_pt=8.5)
    # 2. units, each kind ranked apart, worst first
    _heading(doc, t("report.h.ranking"))
    dc.paragraph(doc, d.rules[0], size=9, after=3)
    heads = [t("metrics.col.rank"), t("metrics.col.unit")] + [t(dm.NAMES[c]) for c in DOC_CODES]
    widths = [8, 30] + [14] * len(DOC_CODES)
    for i, (kind, units) in enumerate(d.groups):
        dc.paragraph(doc, t("report.h.kind", n=CN_NUM[i], kind=kind_label(kind)), bold=True,
                     after=2)
        rows = [[str(n), u.name] + [texts.cell(u.get(c)) for c in DOC_CODES]
                for n, u in enumerate(units, start=1)]
        dc.table(doc, heads, widths, rows, size_pt=8)
    # 3. red and black lists
    _heading(doc, t("report.h.honour"))
    dc.paragraph(doc, d.rules[1], size=9, after=3)
    rows = []
    for kind, (best, worst) in d.honour.items():
        rows.append([kind_label(kind), "、".join(u.name for u in best) or t("report.none"),
                     "、".join(u.name for u in worst) or t("report.none")])
    if rows:
        dc.table(doc, [t("report.col.kind"), t("report.red"), t("report.black")],
                 [30, 70, 70], rows, size_pt=9)
    # 4. overdue orders with their first-contact owner
    _heading(doc, t("report.h.overdue"))
    at = f"{d.as_of:%Y-%m-%d %H:%M}"
    if d.overdue_total:
        dc.paragraph(doc, t("report.overdue_intro", at=at, n=f"{d.overdue_total:,}"),
                     indent_chars=2)
        shown = d.overdue[:OVERDUE_DOCX_MAX]
        rows = [[o.order_no, o.unit, o.title, f"{o.due_at:%m-%d %H:%M}",
                 str(o.late_workdays), o.owner_name, o.owner_phone] for o in shown]
        dc.table(doc, [t("report.col.order_no"), t("metrics.col.unit"), t("report.col.title"),
                       t("report.col.due"), t("report.col.late"), t("report.col.owner"),
                       t("report.col.phone")], [26, 24, 50, 18, 12, 16, 24], rows, size_pt=8)
        if len(shown) < d.overdue_total:
            dc.paragraph(doc, t("report.overdue_more", shown=len(shown),
                                rest=f"{d.overdue_total - len(shown):,}"), size=9)
    else:
        dc.paragraph(doc, t("report.overdue_none", at=at), indent_chars=2)
    dc.paragraph(doc, t("report.closing"), indent_chars=2)
    _closing(doc, d.office_name, d.as_of)
    _definitions(doc, t("report.h.definitions"), d.definitions)
    dc.page_footer(doc, "", t("report.footer"))
    dc.save(doc, path, title)


def write_statement(d: StatementData, path: Path) -> None:
    doc = dc.new_document()
    y, m = year_month(d.label)
    title = t("statement.title", office=d.office_name, y=y, m=m)
    dc.title(doc, title)
    dc.paragraph(doc, t("statement.intro", y=y, m=m), indent_chars=2)
    _heading(doc, t("statement.h.trend"))
    heads = [t("metrics.col.month")] + [t(dm.NAMES[c]) for c in TREND_CODES]
    rows = [[p.month] + [texts.cell(p.get(c)) for c in TREND_CODES] for p in d.trend]
    dc.table(doc, heads, [18] + [16] * len(TREND_CODES), rows, size_pt=8.5)
    _heading(doc, t("statement.h.rework"))
    if d.rework_total:
        dc.paragraph(doc, t("statement.rework_intro", n=f"{d.rework_total:,}",
                            reopen=f"{d.reopen_total:,}", units=d.units_reworked),
                     indent_chars=2)
        rows = [[reason, f"{n:,}", dm.Ratio(n, d.rework_total).percent()]
                for reason, n in d.reasons]
        dc.table(doc, [t("statement.col.reason"), t("statement.col.times"),
                       t("statement.col.share")], [120, 25, 25], rows, size_pt=9)
        dc.paragraph(doc, t("statement.rework_units") + "、".join(
            f"{u}（{n}）" for u, n in d.rework_units), indent_chars=2)
    else:
        dc.paragraph(doc, t("statement.rework_none"), indent_chars=2)
    _heading(doc, t("statement.h.sponsor"))
    if d.sponsored:
        late = sum(1 for s in d.sponsored if s.report_overdue)
        dc.paragraph(doc, t("statement.sponsor_intro", n=len(d.sponsored), late=late),
                     indent_chars=2)
        rows = [[s.order_no, s.title, s.unit_name, f"{s.leader_title}{s.leader_name}",
                 f"{s.started_at:%Y-%m-%d}", s.last_progress,
                 f"{s.report_due_on:%Y-%m-%d}"
                 + ("\n" + t("statement.report_overdue") if s.report_overdue else "")]
                for s in d.sponsored]
        dc.table(doc, [t("report.col.order_no"), t("report.col.title"), t("metrics.col.unit"),
                       t("statement.col.leader"), t("statement.col.started"),
                       t("statement.col.progress"), t("statement.col.report_due")],
                 [24, 34, 20, 22, 18, 40, 18], rows, size_pt=8)
    else:
        dc.paragraph(doc, t("statement.sponsor_none"), indent_chars=2)
    _closing(doc, d.office_name, d.as_of)
    _definitions(doc, t("statement.h.definitions"), d.definitions)
    dc.page_footer(doc, "", t("report.footer"))
    dc.save(doc, path, title)
