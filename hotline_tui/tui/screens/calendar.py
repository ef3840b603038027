"""The working-day calendar (节假日): one year's holidays and make-up workdays, marked by
where they come from (the package or the office), the year's status, a form to enter a
year's arrangement and the import of a holiday file."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.domain.workdays import HOLIDAY, SOURCE_ENTERED, SpecialDay, YearCoverage
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.calendar import YEAR_RANGE, DayEntry, YearView
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import DirectoryScreen, default_dir
from hotline_tui.tui.widgets.calendar_warning import CalendarBanner, publish_calendar_changed
from hotline_tui.tui.widgets.record_table import Cell, RecordTable

COLUMNS = ("date", "weekday", "days", "kind", "name", "source")
KIND_STYLE = {HOLIDAY: "green"}
WORKDAY_STYLE = "yellow"


@dataclass(frozen=True)
class YearData:
    view: YearView
    version: str
    holidays: list[DayEntry]  # the office's entries, what the form edits
    workdays: list[DayEntry]


@dataclass(frozen=True)
class DayRange:
    """Consecutive special days with the same kind, name and source: one line."""

    first: date
    last: date
    kind: str
    name: str
    source: str
    package_kind: str | None

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1


def day_ranges(days: Iterable[SpecialDay]) -> list[DayRange]:
    out: list[DayRange] = []
    for d in days:
        prev = out[-1] if out else None
        if (prev is not None and prev.last + timedelta(days=1) == d.day
                and (prev.kind, prev.name, prev.source, prev.package_kind)
                == (d.kind, d.name, d.source, d.package_kind)):
            out[-1] = DayRange(prev.first, d.day, d.kind, d.name, d.source, d.package_kind)
        else:
            out.append(DayRange(d.day, d.day, d.kind, d.name, d.source, d.package_kind))
    return out


def _weekday(d: date) -> str:
    return t(f"calendar.weekday.{d.weekday()}")


def range_cells(r: DayRange) -> list[Cell]:
    if r.first == r.last:
        when, weekday = r.first.isoformat(), _weekday(r.first)
    else:
        when = f"{r.first.isoformat()}..{r.last:%m-%d}"
        weekday = f"{_weekday(r.first)}..{_weekday(r.last)}"
    if r.source == SOURCE_ENTERED:
        source = t("calendar.source.entered_over" if r.package_kind else
                   "calendar.source.entered")
    else:
        source = t("calendar.source.package")
    source_style = "bold cyan" if r.source == SOURCE_ENTERED else "dim"
    kind_style = KIND_STYLE.get(r.kind, WORKDAY_STYLE)
    return [when, weekday, (f"{r.days:>3}", ""), (t(f"calendar.kind.{r.kind}"), kind_style),
            r.name, (source, source_style)]


def status_sentence(cov: YearCoverage, version: str) -> str:
    if cov.status == "package":
        key = "calendar.status.package_entered" if cov.entered else "calendar.status.package"
    else:
        key = f"calendar.status.{cov.status}"
    return t(key, year=cov.year, version=version, holidays=cov.entered_holidays,
             workdays=cov.entered_workdays)


def parse_year(text: str) -> str:
    """The year typed in the prompt, checked against the range the office may enter."""
    s = text.strip().removesuffix("年").strip()
    if not s.isdigit():
        raise UserError("cal_screen.bad_year_text", text=text)
    if not YEAR_RANGE[0] <= int(s) <= YEAR_RANGE[1]:
        raise UserError("calendar.error.bad_year", year=s)
    return s


class CalendarScreen(DirectoryScreen):
    TITLE_KEY = "screen.calendar"
    CSS_PATH = "calendar.tcss"
    AUTO_FOCUS = "#days"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,left_square_bracket", "change_year(-1)", "calendar.prev_year",
                id="calendar.prev_year"),
        Binding("right,right_square_bracket", "change_year(1)", "calendar.next_year",
                id="calendar.next_year"),
        Binding("y", "goto_year", "calendar.goto_year", id="calendar.goto_year"),
        Binding("t", "this_year", "calendar.this_year", id="calendar.this_year", show=False),
        Binding("e", "enter_year", "calendar.enter", id="calendar.enter"),
        Binding("i", "import_file", "calendar.import", id="calendar.import"),
        Binding("ctrl+r", "reload", "calendar.reload", id="calendar.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.year = clock.now().year
        self.data: YearData | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield CalendarBanner(id="cal-banner")
        yield Static("", id="cal-status", markup=False)
        yield RecordTable([(key, t(f"cal_screen.col_{key}")) for key in COLUMNS], id="days")
        yield Static("", id="status", markup=False)

    @property
    def table(self) -> RecordTable:
        return self.query_one("#days", RecordTable)

    def on_mount(self) -> None:
        self.reload()

    # -- loading -------------------------------------------------------------------------
    def reload(self) -> None:
        year = self.year
        engine = self.engine

        def work() -> YearData:
            from hotline_tui.services.calendar import calendar_for, entered_days, year_view

            view = year_view(engine, year)
            holidays, workdays = entered_days(engine, year)
            return YearData(view, calendar_for(engine).package_version, holidays, workdays)

        self.run_db(work, self._show, latest=True)

    def _show(self, data: YearData) -> None:
        self.data = data
        view = data.view
        ranges = day_ranges(view.days)
        self.table.set_rows(
            (f"{r.first.isoformat()}:{r.kind}", range_cells(r), "") for r in ranges
        )
        status = self.query_one("#cal-status", Static)
        text = status_sentence(view.coverage, data.version)
        if view.status == "missing":
            text += t("cal_screen.missing_hint")
        status.update(text)
        status.set_class(view.status == "missing", "-missing")
        holidays = sum(1 for d in view.days if d.kind == HOLIDAY)
        workdays = len(view.days) - holidays
        entered = sum(1 for d in view.days if d.source == SOURCE_ENTERED)
        self.show_status(t("cal_screen.summary", year=view.year, holidays=holidays,
                           workdays=workdays, entered=entered))
        header = self.query_one("#header")
        if hasattr(header, "screen_title"):
            header.screen_title = t("cal_screen.title_year", title=t(self.TITLE_KEY),
                                    year=view.year)
            refresh = getattr(header, "refresh_text", None)
            if refresh is not None:
                refresh()

    def action_reload(self) -> None:
        self.reload()

    # -- years -----------------------------------------------------------------------------
    def show_year(self, year: int) -> None:
        year = max(YEAR_RANGE[0], min(YEAR_RANGE[1], year))
        if year != self.year or self.data is None:
            self.year = year
            self.reload()

    def action_change_year(self, step: int) -> None:
        self.show_year(self.year + step)

    def action_this_year(self) -> None:
        self.show_year(clock.now().year)

    def action_goto_year(self) -> None:
        from hotline_tui.tui.modals.prompt import TextPrompt

        def chosen(value: str | None) -> None:
            if value:
                self.show_year(int(value))

        self.app.push_screen(
            TextPrompt(t("cal_screen.goto_title"), t("cal_screen.goto_label"),
                       str(self.year), check=parse_year),
            chosen,
        )

    # -- entering and importing ------------------------------------------------------------
    def action_enter_year(self) -> None:
        from hotline_tui.tui.modals.year_form import YearForm

        data = self.data
        if data is None or data.view.year != self.year:
            return
        year = self.year

        def saved(cov: YearCoverage | None) -> None:
            if cov is None:
                return
            if cov.entered:
                self.notify(t("calendar.set.done", year=year, holidays=cov.entered_holidays,
                              workdays=cov.entered_workdays))
            else:
                self.notify(t("calendar.set.cleared", year=year))
            self._changed(year)

        self.app.push_screen(YearForm(year, data.holidays, data.workdays), saved)

    def _changed(self, year: int) -> None:
        publish_calendar_changed(self.app, year)
        self.reload()

    def action_import_file(self) -> None:
        from hotline_tui.tui.modals.prompt import PathPrompt

        def chosen(path: str | None) -> None:
            if path:
                self._import(Path(path))

        self.app.push_screen(
            PathPrompt(t("cal_screen.import_title"), t("cal_screen.import_label"),
                       str(default_dir()) + "/", must_exist=True),
            chosen,
        )

    def _import(self, path: Path) -> None:
        from hotline_tui.services.calendar import import_year_file

        engine = self.engine

        def done(covs: list[YearCoverage]) -> None:
            self.notify("\n".join(
                t("calendar.import.done", year=c.year, holidays=c.entered_holidays,
                  workdays=c.entered_workdays) for c in covs), timeout=8)
            if covs and all(c.year != self.year for c in covs):
                self.year = covs[0].year
            self._changed(covs[0].year if covs else self.year)

        self.run_db(lambda: import_year_file(engine, path), done)


TOP_SCREEN = TopScreen(
    id="calendar", key="f8", title_key="screen.calendar", factory=CalendarScreen, order=80
)
