"""The dashboard (统计): today's counters, each a key away from its list; this month against
last month (rates with numerator / denominator); the units ranked worst first, sortable by
any column, county departments and townships apart; the trend of the last months as bars
(orders dispatched, overdue) and a line (办结率). `x` writes the monthly circular or the
office's statement.

The frame is drawn at once; three thread workers fill it, quickest first: today's counters
(index counts), the two months per unit (covering indexes, migration 0010), the trend."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.domain import metrics as dm
from hotline_tui.i18n import t
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import DirectoryScreen
from hotline_tui.tui.text import cell_len, column_text
from hotline_tui.tui.widgets.line_table import Col, KeepsTableFocus, Line, LineTable

STALE_AFTER = 60.0  # seconds: coming back later counts again
TREND_MONTHS = 6  # the trend (bars and a line); the statement shows the same six months
# the ranking's columns (repeats need a phone lookup per order: in the reports only)
RANK_CODES = ("dispatched", "sign_rate", "on_time_sign_rate", "close_rate",
              "on_time_close_rate", "return_rate", "rework_rate", "satisfaction_rate",
              "overdue")
COMPARE_CODES = ("received", "dispatched", "sign_rate", "on_time_sign_rate", "close_rate",
                 "on_time_close_rate", "direct_rate", "return_rate", "rework_rate",
                 "satisfaction_rate", "overdue")
GROUPS = ("all", "department", "township", "other")
SORTS = ("rank", *RANK_CODES)  # 'rank': the circular's ranking rule
# today's counters: (field, key, binding id, mode to switch to, queue view)
COUNTERS = (
    ("new_today", "n", "inbox", None),
    ("to_triage", "t", "triage", None),
    ("due_today", "d", "queue", "all"),
    ("overdue", "o", "queue", "all"),
    ("chase_today", "c", "queue", "today"),
    ("to_review", "v", "review", None),
)


def month_short(label: str) -> str:
    """'2026-11' -> '11月' (zh) / '2026-11' (en)."""
    from hotline_tui.i18n import lang

    return f"{int(label[5:7])}月" if lang() == "zh" else label


def ranking_columns(unit_w: int) -> list[Col]:
    cols = [Col("unit", t("metrics.col.unit"), unit_w), Col("kind", t("report.col.kind"), 6,
                                                            keep=2)]
    for code in RANK_CODES:
        cols.append(Col(code, t(dm.NAMES[code]), 7, right=True,
                        keep=3 if code in ("return_rate", "satisfaction_rate") else 9))
    return cols


def ranking_line(u: dm.UnitFigures) -> Line:
    cells = {"unit": u.name, "kind": t(f"metrics.kind_short.{u.kind}")}
    for code in RANK_CODES:
        cells[code] = dm.cell_text(u.get(code))  # "—" becomes a definite-width glyph in cells
    late = u.counts.overdue > 0 and (u.get("close_rate").value or 0) < 0.5
    return Line(str(u.unit_id), cells, tone="late" if late else "", data=u)


def change_text(now: dm.Ratio | int, before: dm.Ratio | int) -> Text:
    """'+2.5' points for a rate, '+12' for a count; green when better, red when worse."""
    if isinstance(now, dm.Ratio):
        if now.value is None or not isinstance(before, dm.Ratio) or before.value is None:
            return Text("")
        diff = (now.value - before.value) * 100
        text = f"{diff:+.1f}"
    else:
        diff = now - int(before)  # type: ignore[arg-type]
        text = f"{diff:+,}"
    return Text(text, style="" if not diff else ("green" if diff > 0 else "red"))


class DashboardScreen(KeepsTableFocus, DirectoryScreen):
    """Counters on top, the comparison and the trend side by side, the ranking below."""

    TITLE_KEY = "screen.dashboard"
    CSS_PATH = "dashboard.tcss"
    AUTO_FOCUS = "#ranking"
    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(key, f"jump('{field}')", f"dash.{field}", id=f"dash.{field}", show=False)
          for field, key, _m, _v in COUNTERS),
        Binding("s", "sort", "dash.sort", id="dash.sort"),
        Binding("r", "reverse", "dash.reverse", id="dash.reverse", show=False),
        Binding("b", "group", "dash.group", id="dash.group"),
        Binding("m", "month", "dash.month", id="dash.month", show=False),
        Binding("left_square_bracket", "shift_month(-1)", "dash.prev_month",
                id="dash.prev_month", show=False),
        Binding("right_square_bracket", "shift_month(1)", "dash.next_month",
                id="dash.next_month", show=False),
        Binding("x", "report", "dash.report", id="dash.report"),
        Binding("R", "reload", "dash.reload", id="dash.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.month: str | None = None  # None: this month
        self.today: Any = None
        self.compare: Any = None
        self.points: list[Any] = []
        self.sort = "rank"
        self.worst_first = True
        self.group = "all"
        self.loaded_at = 0.0
        self.first_paint_at = 0.0  # perf_counter of the counters on screen (benchmark)
        self.figures_at = 0.0  # ... of the month's figures
        self.trend_at = 0.0  # ... of the trend
        self.opened_at = time.perf_counter()

    # -- layout ------------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        yield Static(t("dash.loading"), id="dash-today", markup=False)
        with Horizontal(id="dash-middle"):
            with Vertical(id="dash-compare-pane"):
                yield Static("", id="dash-compare-title", classes="pane-title", markup=False)
                yield Static(t("dash.loading"), id="dash-compare", markup=False)
            with Vertical(id="dash-trend-pane"):
                yield Static(t("dash.trend_title", n=TREND_MONTHS), id="dash-trend-title",
                             classes="pane-title", markup=False)
                yield Static(t("dash.loading"), id="dash-trend", markup=False)
        yield Static("", id="dash-ranking-title", classes="pane-title", markup=False)
        yield LineTable(ranking_columns(12), note=t("dash.loading"), id="ranking")
        yield Static("", id="status", markup=False)

    @property
    def ranking(self) -> LineTable:
        return self.query_one("#ranking", LineTable)

    def on_mount(self) -> None:
        self.ranking.focus()
        self.reload()

    def on_screen_resume(self) -> None:
        self.restore_focus()
        if self.loaded_at and time.perf_counter() - self.loaded_at > STALE_AFTER:
            self.reload()

    def on_screen_suspend(self) -> None:
        self.remember_focus()

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        engine, month = self.engine, self.month
        self._status(reading=True)

        def today() -> Any:
            from hotline_tui.services.metrics import today_counters

            return today_counters(engine)

        def months() -> Any:
            from hotline_tui.services.metrics import compare_months

            return compare_months(engine, month)

        def trend() -> Any:
            from hotline_tui.services.metrics import trend as read_trend

            return read_trend(engine, months=TREND_MONTHS, until=month)

        # one after the other, quickest first: the counters, the months, the trend (threads
        # side by side were slower: the counts hold the GIL between SQLite steps)
        def figures_then_trend(comparison: Any) -> None:
            self._months_loaded(comparison)
            self.run_db(trend, self._trend_loaded)

        def today_then_months(counters: Any) -> None:
            self._today_loaded(counters)
            self.run_db(months, figures_then_trend, failed=self._failed, latest=True)

        self.run_db(today, today_then_months, failed=self._failed)

    def action_reload(self) -> None:
        self.reload()

    def _failed(self, text: str) -> None:
        self.app.notify(text, severity="error", timeout=8)
        self._status()

    def _today_loaded(self, counters: Any) -> None:
        self.today = counters
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(t("dash.today") + "  ", style="bold")
        for i, (field, key, _mode, _view) in enumerate(COUNTERS):
            if i:
                line.append("   ")
            n = getattr(counters, field)
            line.append(t(f"dash.{field}") + " ")
            style = "bold red" if field == "overdue" and n else "bold"
            line.append(f"{n:,}", style=style)
            line.append(f" [{key}]", style="dim")
        self.query_one("#dash-today", Static).update(line)
        self.first_paint_at = self.first_paint_at or time.perf_counter()

    def _months_loaded(self, comparison: Any) -> None:
        self.compare = comparison
        self.loaded_at = time.perf_counter()
        self.figures_at = self.figures_at or self.loaded_at
        self._paint_compare()
        self._paint_ranking()
        self._status()

    def _trend_loaded(self, points: list[Any]) -> None:
        self.points = points
        self.trend_at = self.trend_at or time.perf_counter()
        self._paint_trend()

    # -- painting ------------------------------------------------------------------------------
    def _paint_compare(self) -> None:
        c = self.compare
        this, last = c.this, c.last
        self.query_one("#dash-compare-title", Static).update(t(
            "dash.compare_title", this=this.label, last=last.label,
            at=f"{this.as_of:%m-%d %H:%M}"))
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold",
                      expand=False)
        table.add_column(t("metrics.col.figure"), no_wrap=True)
        table.add_column(t("metrics.col.this"), justify="right", no_wrap=True)
        table.add_column(t("metrics.col.last"), justify="right", no_wrap=True)
        table.add_column(t("metrics.col.change"), justify="right", no_wrap=True)
        a, b = dm.figures(this.office), dm.figures(last.office)
        for code in COMPARE_CODES:
            table.add_row(t(dm.NAMES[code]),
                          column_text(dm.cell_text(a[code], full=True)),
                          column_text(dm.cell_text(b[code], full=True)),
                          change_text(a[code], b[code]))
        self.query_one("#dash-compare", Static).update(table)

    def _paint_trend(self) -> None:
        from hotline_tui.tui.widgets.charts import BAR_STYLE, LATE_STYLE, line, paired_bars

        pts = self.points
        box = self.query_one("#dash-trend", Static)
        if not pts or not any(p.counts.dispatched or p.counts.received for p in pts):
            box.update(t("dash.no_data"))
            return
        width = max(30, box.size.width or 60)
        labels = [month_short(p.month) for p in pts]
        out = Text(no_wrap=True, overflow="crop")
        out.append(t("dash.trend_line") + "\n", style="bold")
        out.append_text(line(labels, [p.get("close_rate").value for p in pts], width - 1,
                             height=5))
        out.append("\n")
        out.append(t("dash.trend_bars") + " ", style="bold")
        out.append("  ", style=BAR_STYLE)
        out.append("   " + t("dash.trend_overdue") + " ", style="bold")
        out.append("  ", style=LATE_STYLE)
        out.append("\n")
        out.append_text(paired_bars(labels, [p.counts.dispatched for p in pts],
                                    [p.counts.overdue for p in pts], width - 1,
                                    styles=(BAR_STYLE, LATE_STYLE)))
        box.update(out)

    def on_resize(self) -> None:
        if self.points:
            self.call_after_refresh(self._paint_trend)

    def visible_units(self) -> list[dm.UnitFigures]:
        """The units of the chosen group in the chosen order."""
        if self.compare is None:
            return []
        units = self.compare.this.units
        if self.group != "all":
            units = [u for u in units if u.kind == self.group]
        code = None if self.sort == "rank" else self.sort
        return dm.rank(units, code, worst_first=self.worst_first)

    def _paint_ranking(self) -> None:
        units = self.visible_units()
        widest = max([cell_len(u.name) for u in units] + [cell_len(t("metrics.col.unit"))])
        table = self.ranking
        table.columns = ranking_columns(min(widest, 16))
        table.set_lines([ranking_line(u) for u in units], note=t("dash.no_data"))
        group = t("dash.group.all") if self.group == "all" else t(f"metrics.kind.{self.group}")
        by = t("dash.rank_rule") if self.sort == "rank" else t(dm.NAMES[self.sort])
        order = t("dash.worst_first") if self.worst_first else t("dash.best_first")
        self.query_one("#dash-ranking-title", Static).update(t(
            "dash.ranking_title", month=self.compare.this.label, group=group, by=by,
            order=order))

    def _status(self, reading: bool = False) -> None:
        parts = []
        if self.compare is not None:
            parts.append(t("dash.as_of", at=f"{self.compare.this.as_of:%Y-%m-%d %H:%M}"))
        if reading:
            parts.append(t("dash.reading"))
        parts.append(t("dash.status_hint"))
        self.show_status("  |  ".join(parts))

    # -- keys ------------------------------------------------------------------------------------
    def action_jump(self, field: str) -> None:
        """Open the list behind a counter: the inbox, triage, the overdue queue (its chase-
        today view for 'to chase today'), the reply review."""
        spec = next((c for c in COUNTERS if c[0] == field), None)
        if spec is None:
            return
        _f, _key, mode, view = spec
        try:
            self.app.switch_mode(mode)
        except Exception:  # noqa: BLE001 - a screen that is not part of this build
            self.app.notify(t("dash.no_data"), severity="warning")
            return
        if view is not None:
            self.app.call_after_refresh(self._set_queue_view, view)

    def _set_queue_view(self, view: str) -> None:
        screen = self.app.screen
        queue = getattr(screen, "queue", None)
        current = getattr(queue, "view", None)
        if current is not None and current != view and hasattr(screen, "action_toggle_today"):
            screen.action_toggle_today()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        if self.compare is not None:
            self._paint_ranking()

    def action_reverse(self) -> None:
        self.worst_first = not self.worst_first
        if self.compare is not None:
            self._paint_ranking()

    def action_group(self) -> None:
        self.group = GROUPS[(GROUPS.index(self.group) + 1) % len(GROUPS)]
        if self.compare is not None:
            self._paint_ranking()

    def action_shift_month(self, step: int) -> None:
        from hotline_tui.services import clock

        base = self.month or dm.month_label(clock.now())
        _label, start, _end = dm.month_range(base)
        self.month = dm.month_label(dm.shift_month(start, step))
        self.reload()

    def action_month(self) -> None:
        from hotline_tui.tui.modals.prompt import TextPrompt

        def check(text: str) -> str:
            from hotline_tui.services.metrics import resolve_month

            return resolve_month(text)[0]

        def chosen(month: str | None) -> None:
            if month:
                self.month = month
                self.reload()

        current = self.compare.this.label if self.compare is not None else ""
        self.app.push_screen(TextPrompt(t("dash.month_title"), t("dash.month_prompt"), current,
                                        check=check), chosen)

    def action_report(self) -> None:
        from hotline_tui.tui.modals.report import ReportScreen

        month = self.compare.this.label if self.compare is not None else self.month
        self.app.push_screen(ReportScreen(month))


def _warm(engine: Any) -> None:
    """Count this month, the last and the trend once soon after start-up: what is counted is
    kept in the database (store/metrics_cache.py), so F12 then reads kept cells and
    recounts only what changed."""
    from hotline_tui.services.metrics import compare_months, period_figures, trend

    period_figures(engine)  # with repeat complaints: the circular's month is then kept too
    compare_months(engine)
    trend(engine, months=TREND_MONTHS)


TOP_SCREEN = TopScreen(
    id="dashboard", key="f12", title_key="screen.dashboard", factory=DashboardScreen,
    order=90, warm=_warm,
)
