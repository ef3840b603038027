"""A unit input with a live list of matches: Chinese, full pinyin or initials (`hlh`).

Each keystroke looks the units up in a thread worker (`services.units.lookup_units`); the
newest text wins and older answers are dropped. `enter` picks the highlighted unit (when
the answer for the text typed last has not arrived yet, it is picked as soon as it does),
`up`/`down` move, `esc` gives up. Posts `Picked` or `Cancelled`; the parent hides it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.i18n import t
from hotline_tui.tui.keys import Localized
from hotline_tui.tui.text import column_text

if TYPE_CHECKING:
    from hotline_tui.services.units import UnitInfo

LIMIT = 8


class UnitPicker(Localized, Vertical):
    """Input + matches. `open(target, initial)` shows and focuses it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "unit_picker.down", id="unit_picker.down", show=False),
        Binding("up", "move(-1)", "unit_picker.up", id="unit_picker.up", show=False),
        Binding("escape", "cancel", "unit_picker.cancel", id="unit_picker.cancel"),
    ]

    class Picked(Message):
        def __init__(self, unit: UnitInfo, target: str) -> None:
            super().__init__()
            self.unit = unit
            self.target = target

    class Cancelled(Message):
        def __init__(self, target: str) -> None:
            super().__init__()
            self.target = target

    def __init__(self, engine: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.target = "lead"  # lead | assist
        self.units: list[UnitInfo] = []
        self._asked = 0  # generation of the text typed last
        self._shown = 0  # generation of the matches on screen
        self._submit_when_shown = False
        self._initial: list[tuple[UnitInfo, str]] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="unit-picker-label", markup=False)
        yield Input(placeholder=t("unit_picker.placeholder"), id="unit-picker-input")
        options = OptionList(id="unit-picker-options")
        options.can_focus = False
        yield options

    @property
    def input(self) -> Input:
        return self.query_one("#unit-picker-input", Input)

    @property
    def options(self) -> OptionList:
        return self.query_one("#unit-picker-options", OptionList)

    # -- opening ------------------------------------------------------------------------
    def open(self, target: str, initial: Sequence[tuple[UnitInfo, str]] = ()) -> None:
        """Show the picker for the lead unit or an assisting unit; `initial` (unit, note)
        are listed before anything is typed (the suggestions)."""
        self.target = target
        self._initial = list(initial)
        self.query_one("#unit-picker-label", Static).update(t(f"unit_picker.label_{target}"))
        self.display = True
        self._asked += 1
        self._submit_when_shown = False
        with self.input.prevent(Input.Changed):
            self.input.value = ""
        self._show(self._asked, [(u, note) for u, note in self._initial])
        self.input.focus()

    def close(self) -> None:
        self.display = False
        self._submit_when_shown = False

    # -- looking up ---------------------------------------------------------------------
    @on(Input.Changed, "#unit-picker-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._asked += 1
        gen, text = self._asked, event.value
        if not text.strip():
            self._show(gen, list(self._initial))
            return
        self.run_worker(lambda: self._lookup(gen, text), thread=True, group="unit-lookup",
                        exclusive=True, exit_on_error=False)

    def _lookup(self, gen: int, text: str) -> None:
        from hotline_tui.services.units import lookup_units

        try:
            matches = lookup_units(self.engine, text, limit=LIMIT)
        except Exception as exc:  # noqa: BLE001 - one sentence on screen
            self._from_thread(self._failed, exc)
            return
        rows = [(m.unit, m.matched if m.matched != m.unit.name else "") for m in matches]
        self._from_thread(self._show, gen, rows)

    def _from_thread(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed meanwhile
            pass

    def _failed(self, exc: BaseException) -> None:
        from hotline_tui.tui.errors import message_for

        self.app.notify(message_for(exc), severity="error", timeout=8)

    def _show(self, gen: int, rows: list[tuple[UnitInfo, str]]) -> None:
        if gen != self._asked:
            return  # the clerk has typed on
        self._shown = gen
        self.units = [u for u, _ in rows]
        ol = self.options
        ol.clear_options()
        if rows:
            ol.add_options([Option(self._label(u, note), id=str(u.id)) for u, note in rows])
            ol.highlighted = 0
        else:
            ol.add_option(Option(Text(t("unit_picker.none"), style="dim"), disabled=True))
        if self._submit_when_shown:
            self._submit_when_shown = False
            self._pick()

    @staticmethod
    def _label(unit: UnitInfo, note: str) -> Text:
        text = Text(column_text(unit.name))
        if unit.short_name and unit.short_name != unit.name:
            text.append(f"  {column_text(unit.short_name)}", style="dim")
        if note:
            text.append(f"  {column_text(note)}", style="dim italic")
        return text

    # -- picking ------------------------------------------------------------------------
    @on(Input.Submitted, "#unit-picker-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self._shown != self._asked:
            self._submit_when_shown = True  # picked when the matches for the text arrive
            return
        self._pick()

    def _pick(self) -> None:
        i = self.options.highlighted
        if i is None or i >= len(self.units):
            self.app.notify(t("unit_picker.nothing"), severity="warning", timeout=4)
            return
        self.post_message(self.Picked(self.units[i], self.target))

    def action_move(self, step: int) -> None:
        ol = self.options
        if not self.units:
            return
        i = ol.highlighted or 0
        ol.highlighted = max(0, min(len(self.units) - 1, i + step))

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled(self.target))
