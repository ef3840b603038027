"""直办: pick an approved answer from the knowledge base (suggestions from the order's words
first, or search by typing), confirm, and the order is closed with it. Dismissed with the
`DirectAnswerResult`, or None."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog
from hotline_tui.tui.text import column_text

if TYPE_CHECKING:
    from hotline_tui.services.knowledge import AnswerHit
    from hotline_tui.services.triage import TriageItem


class AnswerPickScreen(Dialog):
    CSS_PATH = "triage_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "answer_pick.back", id="answer_pick.back"),
        Binding("down", "move(1)", "answer_pick.down", id="answer_pick.down", show=False),
        Binding("up", "move(-1)", "answer_pick.up", id="answer_pick.up", show=False),
    ]

    def __init__(self, item: TriageItem) -> None:
        super().__init__()
        self.item = item
        self.hits: list[AnswerHit] = []
        self.suggested: list[AnswerHit] = []
        self.chosen: AnswerHit | None = None  # waiting for the confirmation
        self.busy = False
        self._asked = 0
        self._shown = -1
        self._enter_when_shown = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="answer-box"):
            yield Static(t("answer_pick.title", order_no=self.item.order_no),
                         classes="dialog-title", markup=False)
            yield Static(column_text(self.item.title), classes="dialog-label", markup=False)
            yield Input(placeholder=t("answer_pick.placeholder"), id="answer-input")
            options = OptionList(id="answer-options")
            options.can_focus = False
            yield options
            with VerticalScroll(id="answer-preview-box"):
                yield Static("", id="answer-preview")
            yield Static("", id="answer-error", classes="dialog-error", markup=False)
            yield Static(t("answer_pick.hint"), id="answer-hint", classes="dialog-hint",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one("#answer-input", Input).focus()
        self._ask("")

    # -- suggestions and search (thread workers; the newest question wins) -------------------
    def _ask(self, words: str) -> None:
        self._asked += 1
        gen = self._asked
        self.run_worker(lambda: self._search(gen, words), thread=True, group="answer-search",
                        exclusive=True, exit_on_error=False)

    def _search(self, gen: int, words: str) -> None:
        from hotline_tui.services.knowledge import search_answers, suggest_answers

        engine = self.app.engine  # type: ignore[attr-defined]
        try:
            if words.strip():
                hits, suggested = search_answers(engine, words, limit=30), None
            else:
                suggested = suggest_answers(engine, self.item, limit=8)
                hits = list(suggested)
                seen = {h.answer.id for h in hits}
                hits += [h for h in search_answers(engine, "", limit=40)
                         if h.answer.id not in seen]
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._error, message_for(exc))
            return
        self._from_thread(self._show, gen, hits, suggested)

    def _from_thread(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    def _show(self, gen: int, hits: list[AnswerHit], suggested: list[AnswerHit] | None) -> None:
        if gen != self._asked:
            return
        self._shown = gen
        if suggested is not None:
            self.suggested = suggested
        self.hits = hits
        ids = {h.answer.id for h in self.suggested} if suggested is not None else set()
        ol = self.query_one("#answer-options", OptionList)
        ol.clear_options()
        for h in hits:
            label = Text()
            if h.answer.id in ids:
                label.append(t("answer_pick.suggested") + " ", style="bold")
            label.append(f"#{h.answer.id} {column_text(h.answer.topic)}")
            if h.matched:
                label.append("  " + "、".join(h.matched[:4]), style="dim")
            ol.add_option(Option(label, id=str(h.answer.id)))
        if not hits:
            ol.add_option(Option(Text(t("answer_pick.none"), style="dim"), disabled=True))
        else:
            ol.highlighted = 0
        self._preview()
        if self._enter_when_shown:
            self._enter_when_shown = False
            self._choose()

    @on(Input.Changed, "#answer-input")
    def _typed(self, event: Input.Changed) -> None:
        if self.chosen is not None:
            self._unchoose()
        self._error("")
        self._ask(event.value)

    @on(OptionList.OptionHighlighted, "#answer-options")
    def _highlighted(self) -> None:
        if self.chosen is None:
            self._preview()

    def _current(self) -> AnswerHit | None:
        i = self.query_one("#answer-options", OptionList).highlighted
        return self.hits[i] if i is not None and i < len(self.hits) else None

    def _preview(self) -> None:
        hit = self._current()
        box = self.query_one("#answer-preview", Static)
        if hit is None:
            box.update("")
            return
        text = Text()
        text.append(column_text(hit.answer.topic) + "\n", style="bold")
        text.append(hit.answer.answer)
        if hit.answer.basis:
            text.append("\n" + t("answer_pick.basis", basis=hit.answer.basis), style="dim")
        box.update(text)

    # -- choose, then confirm -------------------------------------------------------------
    @on(Input.Submitted, "#answer-input")
    def _submitted(self) -> None:
        if self.busy:
            return
        if self.chosen is not None:
            self._confirm()
        elif self._shown != self._asked:
            self._enter_when_shown = True
        else:
            self._choose()

    def _choose(self) -> None:
        hit = self._current()
        if hit is None:
            self._error(t("answer_pick.nothing"))
            return
        self.chosen = hit
        self.query_one("#answer-box").add_class("-confirm")
        self.query_one("#answer-hint", Static).update(
            t("answer_pick.confirm", order_no=self.item.order_no, id=hit.answer.id,
              topic=hit.answer.topic))

    def _unchoose(self) -> None:
        self.chosen = None
        self.query_one("#answer-box").remove_class("-confirm")
        self.query_one("#answer-hint", Static).update(t("answer_pick.hint"))

    def _confirm(self) -> None:
        hit = self.chosen
        if hit is None:
            return
        self.busy = True
        self.query_one("#answer-hint", Static).update(t("answer_pick.saving"))
        order_no, version = self.item.order_no, self.item.version
        self.run_worker(lambda: self._direct(order_no, hit.answer.id, version), thread=True,
                        group="answer-direct", exit_on_error=False)

    def _direct(self, order_no: str, answer_id: int, version: int) -> None:
        from hotline_tui.services.knowledge import direct_answer

        try:
            result = direct_answer(self.app.engine, order_no, answer_id,  # type: ignore[attr-defined]
                                   expected_version=version)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, message_for(exc))
            return
        self._from_thread(self.dismiss, result)

    def _failed(self, text: str) -> None:
        self.busy = False
        self._unchoose()
        self._error(text)

    def _error(self, text: str) -> None:
        self.query_one("#answer-error", Static).update(text)

    # -- keys -----------------------------------------------------------------------------
    def action_move(self, step: int) -> None:
        if self.chosen is not None or not self.hits:
            return
        ol = self.query_one("#answer-options", OptionList)
        i = ol.highlighted or 0
        ol.highlighted = max(0, min(len(self.hits) - 1, i + step))

    def action_back(self) -> None:
        if self.busy:
            return
        if self.chosen is not None:
            self._unchoose()
        else:
            self.dismiss(None)
