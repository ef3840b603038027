"""One-line prompts: a text (with a check that may refuse it) and a file path (tab completes)."""

from __future__ import annotations

import os
from collections.abc import Callable
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


class TextPrompt(Dialog):
    """Asks for one value. `check(value)` (on the event loop, quick) or `work(value)` (in a
    thread: database writes) may raise (its sentence is shown and the prompt stays open),
    return None (stay open) or return the value to hand back."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "prompt.cancel", id="prompt.cancel"),
    ]

    def __init__(
        self, title: str, label: str, default: str = "",
        check: Callable[[str], str | None] | None = None,
        work: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.label = label
        self.default = default
        self.check = check
        self.work = work
        self.busy = False

    def make_input(self) -> Input:
        return Input(self.default, id="prompt-input")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="prompt-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield Static(self.label, classes="dialog-label", markup=False)
            yield self.make_input()
            yield Static("", id="prompt-error", classes="dialog-error", markup=False)
            yield Static(t("prompt.hint"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#prompt-input", Input)
        box.focus()
        box.cursor_position = len(box.value)

    def show_error(self, text: str) -> None:
        self.query_one("#prompt-error", Static).update(text)

    @on(Input.Changed, "#prompt-input")
    def _edited(self) -> None:
        self.show_error("")

    @on(Input.Submitted, "#prompt-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.busy:
            return
        value = event.value.strip()
        try:
            result = self.check(value) if self.check else value
        except Exception as exc:  # noqa: BLE001 - shown in the prompt
            self.show_error(message_for(exc))
            return
        if result is None:
            return
        if self.work is None:
            self.dismiss(result)
            return
        self.busy = True
        self.run_worker(lambda: self._work(result), thread=True, exit_on_error=False)

    def _work(self, value: str) -> None:
        try:
            result = self.work(value)  # type: ignore[misc]
        except Exception as exc:  # noqa: BLE001 - shown in the prompt
            self.app.call_from_thread(self._worked, None, message_for(exc))
            return
        self.app.call_from_thread(self._worked, result, "")

    def _worked(self, result: str | None, error: str) -> None:
        self.busy = False
        if error:
            self.show_error(error)
        elif result is not None:
            self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def complete_path(text: str) -> tuple[str, list[str]]:
    """Complete a typed path to the longest common prefix; also the candidates' names."""
    expanded = os.path.expanduser(text) if text else ""
    folder, _, stem = expanded.rpartition(os.sep)
    base = Path(folder or ".") if (folder or not expanded.startswith(os.sep)) else Path(os.sep)
    try:
        names = sorted(
            e.name + (os.sep if e.is_dir() else "")
            for e in base.iterdir()
            if e.name.startswith(stem) and not (e.name.startswith(".") and not stem)
        )
    except OSError:
        return text, []
    if not names:
        return text, []
    common = os.path.commonprefix(names)
    if len(common) > len(stem):
        prefix = text[: len(text) - len(stem)] if stem else text
        return prefix + common, names
    return text, names


class PathInput(Input):
    """An Input whose tab completes file and folder names."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "complete", "prompt.complete", id="prompt.complete", show=False),
    ]

    def action_complete(self) -> None:
        value, names = complete_path(self.value)
        if value != self.value:
            self.value = value
            self.cursor_position = len(value)
        screen = self.screen
        if isinstance(screen, PathPrompt):
            if len(names) > 1:
                shown = "  ".join(names[:12]) + ("  ..." if len(names) > 12 else "")
                screen.show_error(shown)
            elif not names:
                screen.show_error(t("prompt.no_match"))


class PathPrompt(TextPrompt):
    """Asks for a file: an existing one to read, or where to write (overwrite asks twice)."""

    def __init__(
        self, title: str, label: str, default: str = "", *, must_exist: bool,
        suffix: str = "",
    ) -> None:
        super().__init__(title, label, default, check=self._check)
        self.must_exist = must_exist
        self.suffix = suffix
        self._confirmed_overwrite: str | None = None

    def make_input(self) -> Input:
        return PathInput(self.default, id="prompt-input")

    def _check(self, value: str) -> str | None:
        from hotline_tui.errors import UserError

        if not value:
            raise UserError("prompt.empty_path")
        path = Path(value).expanduser()
        if self.must_exist:
            if not path.is_file():
                raise UserError("prompt.no_file", path=path)
            return str(path)
        if self.suffix and path.suffix.lower() != self.suffix:
            path = path.with_name(path.name + self.suffix)
        if path.is_dir():
            raise UserError("prompt.is_folder", path=path)
        if not path.parent.is_dir():
            raise UserError("prompt.no_folder", path=path.parent)
        if path.exists() and self._confirmed_overwrite != str(path):
            self._confirmed_overwrite = str(path)
            self.show_error(t("prompt.overwrite", path=path))
            return None
        return str(path)
