"""What the directory screens (units, knowledge base, calendar) share: database work in
thread workers with its result or its one-sentence error back on the screen, and a list
reloaded without stale results overtaking newer ones."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.widgets import Static

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


def default_dir() -> Path:
    """Where files are looked for by default: the current folder, or home."""
    import os

    cwd = Path.cwd()
    return cwd if os.access(cwd, os.W_OK) else Path.home()
