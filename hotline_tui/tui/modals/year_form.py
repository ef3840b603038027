"""The form to enter a year's holiday arrangement: day-off ranges and make-up workdays, one
per line as `2027-02-06..2027-02-12:春节` or `2027-02-20:春节`, saved with set_year."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services.calendar import DayEntry
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area


def day_ranges(entries: Sequence[DayEntry]) -> list[tuple[date, date, str]]:
    """Consecutive days with the same name as (first, last, name), in date order."""
    out: list[tuple[date, date, str]] = []
    for d, name in sorted(entries):
        if out and out[-1][2] == name and out[-1][1] + timedelta(days=1) == d:
            out[-1] = (out[-1][0], d, name)
        else:
            out.append((d, d, name))
    return out


def day_lines(entries: Sequence[DayEntry]) -> str:
    """The form's text for entries: one line per range, `FIRST..LAST:NAME`."""
    lines = []
    for first, last, name in day_ranges(entries):
        spec = first.isoformat() if first == last else f"{first}..{last}"
        lines.append(f"{spec}:{name}" if name else spec)
    return "\n".join(lines)


def parse_lines(text: str, part: str) -> list[DayEntry]:
    """Every line of a field (blank lines and # comments skipped) through parse_day_spec;
    a bad line is a UserError naming the field and the line."""
    from hotline_tui.services.calendar import parse_day_spec

    out: list[DayEntry] = []
    for n, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        try:
            out.extend(parse_day_spec(line))
        except UserError as exc:
            raise UserError("cal_screen.bad_line", part=part, line=n, text=line) from exc
    return out


class YearForm(FormDialog):
    """Dismissed with the year's YearCoverage after saving, or None when cancelled."""

    HINT_KEY = "cal_screen.form_hint"

    def __init__(self, year: int, holidays: Sequence[DayEntry],
                 workdays: Sequence[DayEntry]) -> None:
        super().__init__(t("cal_screen.form_title", year=year))
        self.year = year
        self.holidays = list(holidays)
        self.workdays = list(workdays)

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(t("cal_screen.form_note", year=self.year), classes="form-note",
                     markup=False)
        yield field_label(t("cal_screen.field_holidays"), "year-holidays")
        yield text_area(day_lines(self.holidays), "year-holidays")
        yield field_label(t("cal_screen.field_workdays"), "year-workdays")
        yield text_area(day_lines(self.workdays), "year-workdays")

    def on_mount(self) -> None:
        self.query_one("#year-holidays").focus()

    def values(self) -> dict[str, Any]:
        return dict(holidays=self.area_value("year-holidays"),
                    workdays=self.area_value("year-workdays"))

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        return dict(
            holidays=parse_lines(values["holidays"], t("cal_screen.field_holidays_short")),
            workdays=parse_lines(values["workdays"], t("cal_screen.field_workdays_short")),
        )

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.calendar import set_year

        return set_year(self.app.engine, self.year,  # type: ignore[attr-defined]
                        values["holidays"], values["workdays"])
