"""What the monthly circular (通报) and the office's statement (情况说明) say, gathered once
as plain data; the writers (xlsx, docx, json) only lay it out.

The circular carries no caller data: units, figures, order numbers and titles (a
confidential order's title is withheld), the first-contact owners' names and office phones.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine

from hotline_tui.domain import metrics as dm
from hotline_tui.domain.kinds import UnitKind
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.metrics import (
    PeriodFigures,
    TrendPoint,
    count_period,
    previous_month,
    resolve_month,
    trend,
)

# the kinds ranked apart, in the circular's order (other units only when there are any)
KIND_ORDER = (UnitKind.DEPARTMENT.value, UnitKind.TOWNSHIP.value, UnitKind.OTHER.value)
OVERDUE_LIST_MAX = 5000  # rows in the spreadsheet and the JSON (the count is always whole)
OVERDUE_DOCX_MAX = 100  # rows in the Word document
STATEMENT_MONTHS = 6  # this month and the five before
TOP_REASONS = 15
TOP_UNITS = 10
# figures the trend has for every month (one grouped read per cohort)
TREND_CODES = ("received", "dispatched", "sign_rate", "close_rate", "on_time_close_rate",
               "direct_rate", "rework_rate", "overdue")
UNIT_CODES = tuple(c for c in dm.CODES if c not in dm.OFFICE_ONLY)


@dataclass(frozen=True)
class OverdueItem:
    order_no: str
    unit: str
    unit_kind: str
    title: str
    request_type: str
    status: str
    due_at: datetime
    late_workdays: int
    owner_name: str
    owner_phone: str


@dataclass
class CircularData:
    office_name: str
    figures: PeriodFigures
    last: PeriodFigures
    groups: list[tuple[str, list[dm.UnitFigures]]]  # (kind, units worst first)
    honour: dict[str, tuple[list[dm.UnitFigures], list[dm.UnitFigures]]]
    overdue_total: int
    overdue: list[OverdueItem]
    definitions: list[tuple[str, str]]  # (code, sentence)
    rules: list[str]

    @property
    def label(self) -> str:
        return self.figures.label

    @property
    def as_of(self) -> datetime:
        return self.figures.as_of


@dataclass
class StatementData:
    office_name: str
    label: str
    as_of: datetime
    trend: list[TrendPoint]
    rework_total: int
    reopen_total: int
    reasons: list[tuple[str, int]]
    rework_units: list[tuple[str, int]]
    sponsored: list[Any]  # services.sponsorship.SupervisionRow
    definitions: list[tuple[str, str]]
    units_reworked: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def year_month(label: str) -> tuple[str, str]:
    """'2026-11' -> ('2026', '11'); the month without a leading zero."""
    return label[:4], str(int(label[5:7]))


def definitions(codes: tuple[str, ...], sign_days: int) -> list[tuple[str, str]]:
    return [(c, t(dm.DEFINITIONS[c], days=sign_days)) for c in codes]


def _office_name(engine: Engine) -> str:
    from hotline_tui.services.settings import get_setting

    with engine.connect() as conn:
        return str(get_setting(conn, "office_name") or "")


def kind_label(kind: str) -> str:
    return t(f"metrics.kind.{kind}") if kind in KIND_ORDER else kind


def circular_data(engine: Engine, month: str | None = None, *, now: datetime | None = None,
                  overdue_max: int = OVERDUE_LIST_MAX) -> CircularData:
    """The circular of `month` (default this month) as of now."""
    from hotline_tui.domain.escalation import lateness
    from hotline_tui.services.calendar import calendar_for
    from hotline_tui.store import metrics_query as mq

    at = (now or clock.now()).replace(microsecond=0)
    label, start, end = resolve_month(month, at)
    p_label, p_start, p_end = previous_month(label)
    with engine.connect() as conn:
        figs = count_period(conn, label, start, end, at, cache=True)
        last = count_period(conn, p_label, p_start, p_end, at, repeats=False, cache=True)
        total, rows = mq.overdue_orders(conn, start, end, at, limit=overdue_max)
        cal = calendar_for(conn)
    groups = [(k, dm.rank(figs.of_kind(k))) for k in KIND_ORDER if figs.of_kind(k)]
    honour = {k: dm.honour_lists(units) for k, units in groups if k != UnitKind.OTHER.value}
    items = [OverdueItem(
        r.order_no, r.unit_name, r.unit_kind,
        t("report.confidential") if r.confidential else r.title, r.request_type, r.status,
        r.due_at, lateness(cal, r.due_at, at).late_workdays, r.owner_name, r.owner_phone,
    ) for r in rows]
    rules = [t(dm.RANK_RULE), t(dm.HONOUR_RULE, min=dm.HONOUR_MIN_DISPATCHED,
                                n=dm.HONOUR_SIZE)]
    return CircularData(_office_name(engine), figs, last, groups, honour, total, items,
                        definitions(dm.CODES, figs.sign_limit_workdays), rules)


_SPACE = re.compile(r"\s+")


def reason_of(note: str) -> str:
    """The reason of a send-back as counted: the note's first line, spaces folded, without
    a trailing 退回重办 phrase (the same reason typed twice counts once)."""
    first = (note or "").strip().splitlines()[0] if (note or "").strip() else ""
    first = _SPACE.sub(" ", first).strip(" 。.;；")
    first = re.sub(r"[，,]?\s*(请|予以)?退回重办$", "", first).strip(" 。.;；，,")
    return first or t("statement.reason_blank")


def statement_data(engine: Engine, month: str | None = None, *,
                   now: datetime | None = None) -> StatementData:
    """The office's statement of `month`: the figures of it and the five months before,
    what was sent back (by reason and by unit), the matters leaders sponsor."""
    from hotline_tui.services.owners import sign_limits
    from hotline_tui.services.sponsorship import supervision_list
    from hotline_tui.store import metrics_query as mq

    at = (now or clock.now()).replace(microsecond=0)
    label, start, end = resolve_month(month, at)
    points = trend(engine, months=STATEMENT_MONTHS, until=label, now=at)
    with engine.connect() as conn:
        events = mq.rework_events(conn, start, end)
        names = mq.units(conn, [e.unit_id for e in events if e.unit_id is not None])
        days = sign_limits(conn).workdays
    reasons = Counter(reason_of(e.note) for e in events)
    by_unit = Counter(names[e.unit_id].label if e.unit_id in names else
                      t("metrics.kind.unassigned") for e in events)
    sponsored = supervision_list(engine, now=at)
    return StatementData(
        _office_name(engine), label, at, points, len(events),
        sum(1 for e in events if e.event == "reopen"),
        reasons.most_common(TOP_REASONS), by_unit.most_common(TOP_UNITS), sponsored,
        definitions(TREND_CODES, days), units_reworked=len(by_unit),
    )
