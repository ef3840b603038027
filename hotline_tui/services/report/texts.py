"""Sentences and cell texts the report writers share: the summary paragraph with the
headline figures, the comparison with last month, a figure's cell text."""

from __future__ import annotations

from hotline_tui.domain import metrics as dm
from hotline_tui.i18n import t
from hotline_tui.services.report.data import CircularData, year_month


def pct(r: dm.Ratio) -> str:
    return r.percent()


def full(r: dm.Ratio) -> str:
    """'97.5%（39/40）'."""
    return f"{r.percent()}（{r.numerator}/{r.denominator}）"


def cell(value: dm.Ratio | int) -> str:
    return dm.cell_text(value)


def summary(d: CircularData) -> str:
    y, m = year_month(d.label)
    f = dm.figures(d.figures.office)
    return t("report.summary", y=y, m=m, office=d.office_name, received=f"{f['received']:,}",
             direct=f"{d.figures.office.direct:,}", direct_rate=full(f["direct_rate"]),
             dispatched=f"{f['dispatched']:,}", sign_rate=full(f["sign_rate"]),
             on_time_sign_rate=full(f["on_time_sign_rate"]), close_rate=full(f["close_rate"]),
             on_time_close_rate=full(f["on_time_close_rate"]), overdue=f"{f['overdue']:,}",
             owed=f"{d.overdue_total:,}",
             repeats=f"{f['repeats']:,}")


def _pp(now: dm.Ratio, before: dm.Ratio) -> str:
    if now.value is None or before.value is None:
        return t("report.change_none")
    diff = round((now.value - before.value) * 100, 1)
    if diff > 0:
        return t("report.change_up", pp=f"{diff:.1f}")
    if diff < 0:
        return t("report.change_down", pp=f"{-diff:.1f}")
    return t("report.change_same")


def _count_change(now: int, before: int) -> str:
    if now > before:
        return t("report.count_up", n=f"{now - before:,}")
    if now < before:
        return t("report.count_down", n=f"{before - now:,}")
    return t("report.change_same")


def compare(d: CircularData) -> str:
    a, b = dm.figures(d.figures.office), dm.figures(d.last.office)
    return t("report.compare", close_change=_pp(a["close_rate"], b["close_rate"]),
             on_time_change=_pp(a["on_time_close_rate"], b["on_time_close_rate"]),
             overdue_change=_count_change(a["overdue"], b["overdue"]))


def title(d: CircularData) -> str:
    y, m = year_month(d.label)
    return t("report.title", y=y, m=m)


def date_line(at) -> str:  # noqa: ANN001 - a datetime
    from hotline_tui.i18n import lang

    return f"{at.year}年{at.month}月{at.day}日" if lang() == "zh" else f"{at:%Y-%m-%d}"
