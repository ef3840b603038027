"""Export of the filtered list to .xlsx in a worker, with a progress bar; esc stops it."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import ProgressBar, Static

from hotline_tui.i18n import t
from hotline_tui.store.inbox_query import InboxFilter
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog


class ExportScreen(Dialog):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "stop", "export.stop", id="export.stop"),
    ]

    def __init__(self, f: InboxFilter, path: Path, total: int | None) -> None:
        super().__init__()
        self.filter = f
        self.path = path
        self.total = total
        self._stop = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export-box"):
            yield Static(t("export.running_title"), classes="dialog-title", markup=False)
            yield Static(str(self.path), classes="dialog-label", markup=False)
            yield ProgressBar(total=self.total, show_eta=False, id="export-progress")
            yield Static(t("export.hint"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.run_worker(self._run, thread=True, group="export", exit_on_error=False)

    def _run(self) -> None:
        from hotline_tui.services.export_inbox import ExportCancelled, export_inbox

        try:
            result = export_inbox(
                self.app.engine, self.filter, self.path,  # type: ignore[attr-defined]
                progress=lambda done, total: self.app.call_from_thread(self._progress, done,
                                                                       total),
                should_stop=lambda: self._stop,
            )
        except ExportCancelled:
            self.app.call_from_thread(self._finish, None, t("export.cancelled"), "warning")
            return
        except Exception as exc:  # noqa: BLE001 - one sentence for the clerk
            self.app.call_from_thread(self._finish, None, message_for(exc), "error")
            return
        text = t("export.done", rows=f"{result.rows:,}", path=result.path)
        self.app.call_from_thread(self._finish, result.path, text, "information")

    def _progress(self, done: int, total: int) -> None:
        self.query_one(ProgressBar).update(total=total, progress=done)

    def _finish(self, path: Path | None, text: str, severity: str) -> None:
        self.app.notify(text, severity=severity, timeout=10)  # type: ignore[arg-type]
        self.dismiss(path)

    def action_stop(self) -> None:
        self._stop = True
        self.query_one("#export-box").query(".dialog-hint").first().update(t("export.stopping"))
