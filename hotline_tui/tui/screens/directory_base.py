"""What the directory screens (units, knowledge base, calendar) share: database work in
thread workers with its result or its one-sentence error back on the screen, and a list
reloaded without stale results overtaking newer ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual import on
from textual.timer import Timer
from textual.widgets import Input, Static

from hotline_tui.tui.errors import message_for
from hotline_tui.tui.screens.base import ShellScreen


class DirectoryScreen(ShellScreen):
    """A shell screen whose data comes from services called in thread workers."""

    def __init__(self) -> None:
        super().__init__()
        self._load_gen = 0

    @property
    def engine(self) -> Any:
        return self.app.engine  # type: ignore[attr-defined]

    def run_db(
        self, work: Callable[[], Any], done: Callable[[Any], None] | None = None, *,
        failed: Callable[[str], None] | None = None, latest: bool = False,
    ) -> None:
        """Run `work()` in a thread; `done(result)` on the screen afterwards, or the error as
        one sentence (`failed(text)`, else a notification). With `latest`, a result is
        dropped when a newer `latest` call was made meanwhile (search as you type)."""
        if latest:
            self._load_gen += 1
        gen = self._load_gen

        def back(result: Any, error: BaseException | None) -> None:
            if latest and gen != self._load_gen:
                return
            if error is not None:
                text = message_for(error)
                if failed is not None:
                    failed(text)
                else:
                    self.app.notify(text, severity="error", timeout=8)
            elif done is not None:
                done(result)

        def run() -> None:
            try:
                result = work()
            except Exception as exc:  # noqa: BLE001 - one sentence for the clerk
                self.app.call_from_thread(back, None, exc)
                return
            self.app.call_from_thread(back, result, None)

        self.run_worker(run, thread=True, group="db", exit_on_error=False)

    def show_status(self, text: str) -> None:
        self.query_one("#status", Static).update(text)


class FindableDirectory(DirectoryScreen):
    """A directory list with a find box (#find) filtering as you type, and retired entries
    shown or hidden. Subclasses provide `table`, `find_box`, `reload()` and `show_retired`."""

    DEBOUNCE = 0.05

    def __init__(self) -> None:
        super().__init__()
        self._debounce: Timer | None = None

    def action_find(self) -> None:
        box = self.find_box
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Changed, "#find")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(self.DEBOUNCE, self._apply_find)

    def _apply_find(self) -> None:
        self._debounce = None
        self.reload()

    @on(Input.Submitted, "#find")
    def _find_done(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._apply_find()
        self.table.focus()

    def action_clear_find(self) -> None:
        box = self.find_box
        if box.value:
            box.value = ""
            if self._debounce is not None:
                self._debounce.stop()
            self._apply_find()
        self.table.focus()

    def action_toggle_retired(self) -> None:
        self.show_retired = not self.show_retired
        self.reload()

    def action_reload(self) -> None:
        self.reload()


def default_dir() -> Path:
    """Where files are looked for by default: the current folder, or home."""
    import os

    cwd = Path.cwd()
    return cwd if os.access(cwd, os.W_OK) else Path.home()
