"""The header line: app and screen title, today's date, the calendar warning (a year ahead
without holiday data), clerk, database."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.services import clock

_WEEKDAYS = "weekday.mon weekday.tue weekday.wed weekday.thu weekday.fri weekday.sat weekday.sun"


class HeaderBar(Static):
    """One line at the top of every screen of the shell."""

    COMPONENT_CLASSES = {"header--warning"}
    DEFAULT_CSS = """
    HeaderBar > .header--warning {
        background: $warning;
        color: $background;
        text-style: bold;
    }
    """

    def __init__(self, screen_title: str = "", **kwargs) -> None:  # noqa: ANN003
        super().__init__("", markup=False, **kwargs)
        self.screen_title = screen_title
        self.calendar_warning = ""  # "2027 年节假日安排未录入，按周末计算" or ""

    def on_mount(self) -> None:
        self.refresh_text()
        self.set_interval(60, self.refresh_text)
        self._watch_calendar()

    # -- the calendar warning: checked in a thread, again when the office enters a year ----
    def _watch_calendar(self) -> None:
        from hotline_tui.tui.widgets.calendar_warning import calendar_changed_signal

        calendar_changed_signal(self.app).subscribe(self, lambda _year: self.check_calendar())
        self.check_calendar()
        self.set_interval(600, self.check_calendar)

    def check_calendar(self) -> None:
        engine = getattr(self.app, "engine", None)
        if engine is None:
            return

        def run() -> None:
            from hotline_tui.tui.widgets.calendar_warning import warning_text

            text = warning_text(engine)
            try:
                self.app.call_from_thread(self._set_calendar_warning, text)
            except RuntimeError:  # the app is closing
                pass

        self.run_worker(run, thread=True, group="header-calendar", exit_on_error=False)

    def _set_calendar_warning(self, text: str) -> None:
        if text != self.calendar_warning:
            self.calendar_warning = text
            self.refresh_text()

    def refresh_text(self) -> None:
        app = self.app
        today = clock.now()
        weekday = t(_WEEKDAYS.split()[today.weekday()])
        parts = [t("app.title")]
        if self.screen_title:
            parts.append(self.screen_title)
        parts.append(f"{today:%Y-%m-%d} {weekday}")
        warn_at = len(parts) if self.calendar_warning else -1
        if self.calendar_warning:
            parts.append(self.calendar_warning)
        clerk = getattr(app, "clerk", "")
        if clerk:
            parts.append(t("header.clerk", name=clerk))
        parts.append(t("header.db", db=getattr(app, "db_label", "")))  # longest: last
        line = Text()
        for i, part in enumerate(parts):
            if i:
                line.append("  |  ")
            line.append(part, style=self.get_component_rich_style("header--warning")
                        if i == warn_at else "")
        self.update(line)
