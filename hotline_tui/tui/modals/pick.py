"""A small keyboard picker: one option per line, j/k or arrows, enter picks, esc cancels."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.tui.modals import Dialog


class PickScreen(Dialog):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(None)", "pick.cancel", id="pick.cancel"),
        Binding("j", "move('down')", "pick.down", id="pick.down", show=False),
        Binding("k", "move('up')", "pick.up", id="pick.up", show=False),
    ]

    def __init__(self, title: str, options: list[tuple[str, str]], current: str | None) -> None:
        super().__init__()
        self.title_text = title
        self.options = options
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="pick-box", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield OptionList(*[Option(label, id=value) for value, label in self.options],
                             id="pick-list")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ids = [value for value, _ in self.options]
        if self.current in ids:
            ol.highlighted = ids.index(self.current)
        ol.focus()

    def action_move(self, direction: str) -> None:
        ol = self.query_one(OptionList)
        ol.action_cursor_down() if direction == "down" else ol.action_cursor_up()

    @on(OptionList.OptionSelected)
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
