"""Import of an upstream export from inside the TUI: progress, then counts and rejected rows."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ProgressBar, Static

from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog

MAX_SHOWN = 1000


class ImportScreen(Dialog):
    """Runs `services.importer.import_file` in a worker; dismissed with its result or None."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "import.close", id="import.close"),
        Binding("j,down", "scroll('down')", "import.down", id="import.down", show=False),
        Binding("k,up", "scroll('up')", "import.up", id="import.up", show=False),
    ]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.result: Any = None
        self.done = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="import-box"):
            yield Static(t("import.running_title"), classes="dialog-title", markup=False)
            yield Static(str(self.path), classes="dialog-label", markup=False)
            yield ProgressBar(total=None, show_eta=False, id="import-progress")
            yield Static("", id="import-summary", markup=False)
            with VerticalScroll(id="import-rejected"):
                yield Static("", id="import-rejected-table")
            yield Static(t("import.wait"), classes="dialog-hint", id="import-hint",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one("#import-rejected").display = False
        self.run_worker(self._run, thread=True, group="import", exit_on_error=False)

    def _run(self) -> None:
        try:
            from hotline_tui.services.importer import import_file

            result = import_file(self.app.engine, self.path,  # type: ignore[attr-defined]
                                 progress=self._progress_from_thread)
        except Exception as exc:  # noqa: BLE001 - one sentence for the clerk
            self.app.call_from_thread(self._failed, message_for(exc))
            return
        self.app.call_from_thread(self._show, result)

    def _progress_from_thread(self, *args: Any, **_kw: Any) -> None:
        numbers = [a for a in args if isinstance(a, int | float)]
        if not numbers:
            return
        done = numbers[0]
        total = numbers[1] if len(numbers) > 1 else None
        try:
            self.app.call_from_thread(self._progress, done, total)
        except RuntimeError:
            pass

    def _progress(self, done: float, total: float | None) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=total if total else bar.total, progress=done)

    def _failed(self, text: str) -> None:
        self.done = True
        self.query_one(ProgressBar).display = False
        self.query_one(".dialog-title", Static).update(t("import.failed_title"))
        summary = self.query_one("#import-summary", Static)
        summary.add_class("dialog-error")
        summary.update(text)
        self.query_one("#import-hint", Static).update(t("import.close_hint"))

    def _show(self, result: Any) -> None:
        self.done = True
        self.result = result
        bar = self.query_one(ProgressBar)
        bar.update(total=bar.total or 1, progress=bar.total or 1)
        rejected = list(getattr(result, "rejected", []) or [])
        self.query_one(".dialog-title", Static).update(t("import.done_title"))
        self.query_one("#import-summary", Static).update(
            t("import.summary", created=result.created, updated=result.updated,
              unchanged=result.unchanged, rejected=len(rejected))
        )
        if rejected:
            table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
            table.add_column(t("import.col_row"), justify="right", no_wrap=True)
            table.add_column(t("import.col_reason"))
            for item in rejected[:MAX_SHOWN]:
                row, reason = _row_reason(item)
                table.add_row(Text(str(row)), Text(str(reason)))
            if len(rejected) > MAX_SHOWN:
                table.add_row(Text(""), Text(t("import.more", n=len(rejected) - MAX_SHOWN)))
            self.query_one("#import-rejected-table", Static).update(table)
            self.query_one("#import-rejected").display = True
        self.query_one("#import-hint", Static).update(t("import.close_hint"))

    def action_close(self) -> None:
        if self.done:
            self.dismiss(self.result)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one("#import-rejected", VerticalScroll)
        box.scroll_down(animate=False) if direction == "down" else box.scroll_up(animate=False)


def _row_reason(item: Any) -> tuple[Any, Any]:
    if isinstance(item, tuple | list) and len(item) >= 2:
        return item[0], item[1]
    return getattr(item, "row", ""), getattr(item, "reason", item)
