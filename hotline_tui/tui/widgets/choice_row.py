"""A one-line choice among a few values (a unit's kind): every option shown, the chosen one
highlighted, left/right to change it. No drop-down and no arrow glyph of ambiguous width."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.widget import Widget

from hotline_tui.tui.keys import Localized


class ChoiceRow(Localized, Widget, can_focus=True):
    """`options`: (label, value) pairs; `value` is the chosen value."""

    DEFAULT_CSS = """
    ChoiceRow {
        height: 1;
        width: 1fr;
        background: $boost;
        padding: 0 1;
    }
    ChoiceRow:focus {
        background: $primary 30%;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "step(-1)", "choice.prev", id="choice.prev", show=False),
        Binding("right,l,space", "step(1)", "choice.next", id="choice.next", show=False),
    ]

    value: reactive[str] = reactive("")

    def __init__(self, options: Sequence[tuple[str, str]], value: str, **kwargs) -> None:  # noqa: ANN003
        super().__init__(**kwargs)
        self.options = list(options)
        values = [v for _, v in self.options]
        self.set_reactive(ChoiceRow.value, value if value in values else values[0])

    def render(self) -> Text:
        line = Text(no_wrap=True)
        for i, (label, value) in enumerate(self.options):
            if i:
                line.append("  ")
            chosen = value == self.value
            line.append(f"[{label}]" if chosen else f" {label} ",
                        style="bold reverse" if chosen else "dim")
        return line

    def action_step(self, step: int) -> None:
        values = [v for _, v in self.options]
        self.value = values[(values.index(self.value) + step) % len(values)]
