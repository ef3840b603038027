"""The monthly report from the dashboard: month, kind (circular / statement), format, folder;
written in a worker (services.report.write_report), the path or the one-sentence error as a
notification."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog
from hotline_tui.tui.modals.prompt import PathInput
from hotline_tui.tui.widgets.choice_row import ChoiceRow


class ReportScreen(Dialog):
    """Dismissed with the path written (None when cancelled or failed)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "dash.report_cancel", id="dash.report_cancel"),
        Binding("ctrl+s", "go", "dash.report_go", id="dash.report_go"),
    ]

    def __init__(self, month: str | None) -> None:
        super().__init__()
        from hotline_tui.services import clock
        from hotline_tui.services.metrics import resolve_month

        self.month = month or resolve_month(None, clock.now())[0]
        self.busy = False

    def compose(self) -> ComposeResult:
        from hotline_tui.tui.screens.directory_base import default_dir

        with Vertical(classes="dialog", id="report-box"):
            yield Static(t("dash.report_title"), classes="dialog-title", markup=False)
            yield Static(t("dash.report_month"), classes="dialog-label", markup=False)
            yield Input(self.month, id="report-month")
            yield Static(t("dash.report_kind"), classes="dialog-label", markup=False)
            yield ChoiceRow([(t("report.kind.circular"), "circular"),
                             (t("report.kind.statement"), "statement")], "circular",
                            id="report-kind")
            yield Static(t("dash.report_format"), classes="dialog-label", markup=False)
            yield ChoiceRow([("docx", "docx"), ("xlsx", "xlsx"), ("json", "json")], "docx",
                            id="report-format")
            yield Static(t("dash.report_folder"), classes="dialog-label", markup=False)
            yield PathInput(str(default_dir()) + "/", id="report-folder")
            yield Static("", id="report-error", classes="dialog-error", markup=False)
            yield Static(t("dash.report_hint"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#report-month", Input).focus()

    def show_error(self, text: str) -> None:
        self.query_one("#report-error", Static).update(text)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_go()

    def choices(self) -> tuple[str, str, str, Path]:
        """(month, kind, format, target file) as typed; raises UserError when wrong."""
        from hotline_tui.errors import UserError
        from hotline_tui.services.metrics import resolve_month
        from hotline_tui.services.report import default_name, out_path

        month = resolve_month(self.query_one("#report-month", Input).value)[0]
        kind = self.query_one("#report-kind", ChoiceRow).value
        fmt = self.query_one("#report-format", ChoiceRow).value
        folder = Path(self.query_one("#report-folder", Input).value.strip() or ".").expanduser()
        if not folder.is_dir():
            raise UserError("metrics.error.no_folder", path=folder)
        return month, kind, fmt, out_path(folder / default_name(month, kind, fmt), fmt)

    def action_go(self) -> None:
        if self.busy:
            return
        try:
            month, kind, fmt, path = self.choices()
        except Exception as exc:  # noqa: BLE001 - shown in the dialog
            self.show_error(message_for(exc))
            return
        self.busy = True
        self.show_error(t("dash.report_running"))
        engine = self.app.engine  # type: ignore[attr-defined]

        def work() -> None:
            from hotline_tui.services.report import write_report

            try:
                out = write_report(engine, month, fmt, path, kind=kind)
            except Exception as exc:  # noqa: BLE001 - one sentence
                self.app.call_from_thread(self._done, None, message_for(exc))
                return
            self.app.call_from_thread(self._done, out, "")

        self.run_worker(work, thread=True, group="report", exit_on_error=False)

    def _done(self, path: Path | None, error: str) -> None:
        self.busy = False
        if error:
            self.show_error(error)
            return
        self.app.notify(t("report.written", path=path), timeout=10)
        self.dismiss(path)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
