"""Import of the office's unit list (.xlsx / .csv) from the units screen: the counts of
added, updated and unchanged units, and the rejected rows with their row numbers."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.services.units import UnitImportReport
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog
from hotline_tui.tui.text import column_text

MAX_SHOWN = 500


class UnitImportScreen(Dialog):
    """Runs `services.units.import_units` in a worker; dismissed with the report or None."""

    CSS_PATH = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "unit_import.close", id="unit_import.close"),
        Binding("j,down", "scroll('down')", "unit_import.down", id="unit_import.down",
                show=False),
        Binding("k,up", "scroll('up')", "unit_import.up", id="unit_import.up", show=False),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.report: UnitImportReport | None = None
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="unit-import-box"):
            yield Static(t("units_screen.import_running"), classes="dialog-title",
                         id="unit-import-title", markup=False)
            yield Static(str(self.path), classes="dialog-label", markup=False)
            yield Static("", id="unit-import-summary", markup=False)
            with VerticalScroll(id="unit-import-rejected"):
                yield Static("", id="unit-import-table")
            yield Static(t("units_screen.import_wait"), classes="dialog-hint",
                         id="unit-import-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#unit-import-rejected").display = False
        self.run_worker(self._run, thread=True, exit_on_error=False)

    def _run(self) -> None:
        from hotline_tui.services.units import import_units

        try:
            report = import_units(self.app.engine, self.path)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - one sentence for the clerk
            self.app.call_from_thread(self._failed, message_for(exc))
            return
        self.app.call_from_thread(self._show, report)

    def _failed(self, text: str) -> None:
        self.done = True
        self.query_one("#unit-import-title", Static).update(t("units_screen.import_failed"))
        summary = self.query_one("#unit-import-summary", Static)
        summary.add_class("dialog-error")
        summary.update(text)
        self.query_one("#unit-import-hint", Static).update(t("units_screen.import_close"))

    def _show(self, report: UnitImportReport) -> None:
        self.done = True
        self.report = report
        self.query_one("#unit-import-title", Static).update(t("units_screen.import_done"))
        self.query_one("#unit-import-summary", Static).update(
            t("unit.cli_imported", added=len(report.added), updated=len(report.updated),
              unchanged=len(report.unchanged), errors=len(report.errors))
        )
        if report.errors:
            table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
            table.add_column(t("units_screen.col_row"), justify="right", no_wrap=True)
            table.add_column(t("units_screen.col_reason"))
            for row, reason in report.errors[:MAX_SHOWN]:
                table.add_row(Text(str(row)), Text(column_text(reason)))
            if len(report.errors) > MAX_SHOWN:
                table.add_row(Text(""), Text(t("units_screen.import_more",
                                               n=len(report.errors) - MAX_SHOWN)))
            self.query_one("#unit-import-table", Static).update(table)
            self.query_one("#unit-import-rejected").display = True
        self.query_one("#unit-import-hint", Static).update(t("units_screen.import_close"))

    def action_close(self) -> None:
        if self.done:
            self.dismiss(self.report)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#unit-import-rejected", VerticalScroll)
        box.scroll_down(animate=False) if direction == "down" else box.scroll_up(animate=False)
