"""The owner's name field of the sign-for and change-of-owner forms: the unit's owners come
back as you type (Chinese, pinyin initials, full pinyin or phone digits), most recent first,
the first one highlighted. `enter` accepts the highlighted one (the form fills phone and
post), `up`/`down` move; with nothing to accept, `enter` just moves on (`Passed`).

Lookups run in a thread worker (`services.owners.owner_suggestions`); the newest text wins.
`enter` pressed before the answer for the text typed last has come is kept and applied to
that answer."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from hotline_tui.i18n import t
from hotline_tui.tui.keys import Localized
from hotline_tui.tui.text import column_text, fit

if TYPE_CHECKING:
    from hotline_tui.services.owners import OwnerSuggestion

LIMIT = 8


def suggestion_label(s: OwnerSuggestion) -> Text:
    """'陈勇      18507364934  信访办主任  在办 12' (columns by display width)."""
    text = Text(fit(column_text(s.name), 10))
    text.append("  " + fit(s.phone, 13))
    if s.post:
        text.append("  " + fit(column_text(s.post), 10), style="dim")
    if s.open_orders:
        text.append("  " + t("owner_field.open", n=s.open_orders), style="dim")
    return text


class OwnerNameField(Localized, Vertical):
    """Name input + the unit's owners as suggestions."""

    DEFAULT_CSS = """
    OwnerNameField { height: auto; }
    OwnerNameField OptionList {
        height: auto;
        max-height: 8;
        border: none;
        padding: 0;
        background: $surface;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "move(1)", "owner_field.down", id="owner_field.down", show=False),
        Binding("up", "move(-1)", "owner_field.up", id="owner_field.up", show=False),
    ]

    class Accepted(Message):
        def __init__(self, suggestion: OwnerSuggestion) -> None:
            super().__init__()
            self.suggestion = suggestion

    class Passed(Message):
        """`enter` with no suggestion to accept: the form moves to the next field."""

    def __init__(self, engine: Any, unit_id: int | None, *, exclude: int | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.unit_id = unit_id
        self.exclude = exclude  # an owner not to offer (the current one, on a change)
        self.suggestions: list[OwnerSuggestion] = []
        self.accepted: OwnerSuggestion | None = None
        self._asked = 0
        self._shown = -1
        self._accept_when_shown = False

    def compose(self) -> ComposeResult:
        yield Input(id="owner-name", placeholder=t("owner_field.placeholder"))
        options = OptionList(id="owner-suggestions")
        options.can_focus = False
        options.display = False
        yield options

    @property
    def input(self) -> Input:
        return self.query_one("#owner-name", Input)

    @property
    def options(self) -> OptionList:
        return self.query_one("#owner-suggestions", OptionList)

    @property
    def value(self) -> str:
        return self.input.value.strip()

    @property
    def ready(self) -> bool:
        """The suggestions on screen answer the text typed last."""
        return self._shown == self._asked

    def on_mount(self) -> None:
        self._lookup_async("")

    # -- looking up ------------------------------------------------------------------------
    @on(Input.Changed, "#owner-name")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self.accepted = None
        self._lookup_async(event.value)

    def _lookup_async(self, text: str) -> None:
        self._asked += 1
        gen = self._asked
        if self.unit_id is None:
            self._show(gen, [])
            return
        self.run_worker(lambda: self._lookup(gen, text), thread=True, group="owner-suggest",
                        exclusive=True, exit_on_error=False)

    def _lookup(self, gen: int, text: str) -> None:
        from hotline_tui.services.owners import owner_suggestions

        try:
            rows = owner_suggestions(self.engine, self.unit_id, text.strip(),  # type: ignore[arg-type]
                                     limit=LIMIT + 1)
        except Exception:  # noqa: BLE001 - no suggestions; the form still works by hand
            rows = []
        rows = [r for r in rows if r.id != self.exclude][:LIMIT]
        try:
            self.app.call_from_thread(self._show, gen, rows)
        except RuntimeError:  # the app has closed meanwhile
            pass

    def _show(self, gen: int, rows: list[OwnerSuggestion]) -> None:
        if gen != self._asked:
            return  # the clerk has typed on
        self._shown = gen
        self.suggestions = rows
        ol = self.options
        ol.clear_options()
        if rows and self.accepted is None:
            ol.add_options([Option(suggestion_label(s), id=str(s.id)) for s in rows])
            ol.highlighted = 0
            ol.display = True
        else:
            ol.display = False
        if self._accept_when_shown:
            self._accept_when_shown = False
            self._enter()

    # -- accepting -------------------------------------------------------------------------
    @on(Input.Submitted, "#owner-name")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.ready:
            self._accept_when_shown = True
            return
        self._enter()

    def _enter(self) -> None:
        ol = self.options
        i = ol.highlighted
        if ol.display and self.suggestions and i is not None and i < len(self.suggestions):
            self.accept(self.suggestions[i])
        else:
            self.post_message(self.Passed())

    def accept(self, s: OwnerSuggestion) -> None:
        self.accepted = s
        with self.input.prevent(Input.Changed):
            self.input.value = s.name
        self.input.cursor_position = len(s.name)
        self.options.display = False
        self.post_message(self.Accepted(s))

    def action_move(self, step: int) -> None:
        ol = self.options
        if not ol.display or not self.suggestions:
            return
        i = ol.highlighted or 0
        ol.highlighted = max(0, min(len(self.suggestions) - 1, i + step))

    @on(OptionList.OptionSelected, "#owner-suggestions")
    def _clicked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        for s in self.suggestions:
            if str(s.id) == event.option.id:
                self.accept(s)
                return
