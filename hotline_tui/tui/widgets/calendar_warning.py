"""The working-day calendar's warning for the shell: the sentence naming the years that
deadlines from today may reach without holiday data, and the signal published when the
office enters or imports a year (headers listen to it and drop the warning at once)."""

from __future__ import annotations

from typing import Any

from textual.signal import Signal
from textual.widgets import Static

_SIGNAL_ATTR = "_hotline_calendar_changed"


def calendar_changed_signal(app: Any) -> Signal[int]:
    """The app's signal for "the entered holiday data changed" (payload: the year)."""
    sig = getattr(app, _SIGNAL_ATTR, None)
    if sig is None:
        sig = Signal(app, "calendar-changed")
        setattr(app, _SIGNAL_ATTR, sig)
    return sig


def publish_calendar_changed(app: Any, year: int) -> None:
    calendar_changed_signal(app).publish(year)


def missing_years(engine: Any) -> list[int]:
    """Years deadlines from today may reach that have no data ([] when unknown)."""
    if engine is None:
        return []
    from hotline_tui.services.calendar import upcoming_missing_years

    try:
        return upcoming_missing_years(engine)
    except Exception:  # noqa: BLE001 - a header never fails over its warning
        return []


def warning_text(engine: Any) -> str:
    """"2027 年节假日安排未录入，按周末计算" or "" when every year ahead has data."""
    from hotline_tui.services.calendar import fallback_warning

    return fallback_warning(missing_years(engine))


class CalendarBanner(Static):
    """A line under the header on the calendar screen: the warning and how to clear it."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("", markup=False, **kwargs)

    def on_mount(self) -> None:
        calendar_changed_signal(self.app).subscribe(self, lambda _year: self.refresh_text())
        self.refresh_text()

    def refresh_text(self) -> None:
        from hotline_tui.i18n import t

        years = missing_years(getattr(self.app, "engine", None))
        if years:
            from hotline_tui.services.calendar import fallback_warning

            self.update(t("cal_screen.banner", warning=fallback_warning(years)))
        self.display = bool(years)
