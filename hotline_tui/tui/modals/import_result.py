"""The dialog of a file import run from the TUI: the path, a loading line while the import
runs in a worker, then the title, the summary sentence and the rows worth reading (rejected,
unmatched ...), or the one-sentence error. Subclasses name their i18n prefix (`KEY`: .running,
.wait, .close_hint, .failed, .done_title), their widget-id prefix (`PREFIX`), the import to run
and how its result reads; their BINDINGS keep their own ids (keymap)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from rich.console import RenderableType
from textual.app import ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import LoadingIndicator, Static

from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog


class ImportResultDialog(Dialog):
    """Dismissed with the import's result, or None when the file could not be read."""

    KEY: ClassVar[str]
    PREFIX: ClassVar[str]

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        self.result: Any = None
        self.done = False

    # ---- what a subclass says ---------------------------------------------------------------

    def run_import(self, engine: Any, path: Path) -> Any:
        """The import itself (in a worker thread)."""
        raise NotImplementedError

    def show_result(self, result: Any) -> tuple[str, RenderableType | None]:
        """The summary sentence and the rows to list (None: nothing to list)."""
        raise NotImplementedError

    # ---- the dialog ---------------------------------------------------------------------------

    def _wid(self, part: str) -> str:
        return f"{self.PREFIX}-{part}"

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id=self._wid("box")):
            yield Static(t(f"{self.KEY}.running"), classes="dialog-title", id=self._wid("title"),
                         markup=False)
            yield Static(str(self.path), classes="dialog-label", markup=False)
            yield LoadingIndicator(id=self._wid("wait"))
            yield Static("", id=self._wid("summary"), markup=False)
            with VerticalScroll(id=self._wid("rows")):
                yield Static("", id=self._wid("table"))
            yield Static(t(f"{self.KEY}.wait"), classes="dialog-hint", id=self._wid("hint"),
                         markup=False)

    def on_mount(self) -> None:
        self.query_one(f"#{self._wid('rows')}").display = False
        self.run_worker(self._run, thread=True, group=self.PREFIX, exit_on_error=False)

    def _run(self) -> None:
        try:
            result = self.run_import(self.app.engine, self.path)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - one sentence
            self.app.call_from_thread(self._failed, message_for(exc))
            return
        self.app.call_from_thread(self._show, result)

    def _finish(self, title_key: str) -> None:
        self.done = True
        self.query_one(f"#{self._wid('wait')}").display = False
        self.query_one(f"#{self._wid('hint')}", Static).update(t(f"{self.KEY}.close_hint"))
        self.query_one(f"#{self._wid('title')}", Static).update(t(f"{self.KEY}.{title_key}"))

    def _failed(self, text: str) -> None:
        self._finish("failed")
        summary = self.query_one(f"#{self._wid('summary')}", Static)
        summary.add_class("dialog-error")
        summary.update(text)

    def _show(self, result: Any) -> None:
        self._finish("done_title")
        self.result = result
        summary, rows = self.show_result(result)
        self.query_one(f"#{self._wid('summary')}", Static).update(summary)
        if rows is not None:
            self.query_one(f"#{self._wid('table')}", Static).update(rows)
            self.query_one(f"#{self._wid('rows')}").display = True

    def action_close(self) -> None:
        if self.done:
            self.dismiss(self.result)

    def action_scroll(self, direction: str) -> None:
        box = self.query_one(f"#{self._wid('rows')}", VerticalScroll)
        box.scroll_down(animate=False) if direction == "down" else box.scroll_up(animate=False)
