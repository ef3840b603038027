"""The knowledge base (知识库): approved answers searched as you type over topic, keywords
and answer text; the selected answer and its policy basis in full; add, edit, retire."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import DataTable, Input, Static

from hotline_tui.i18n import t
from hotline_tui.services.knowledge import Answer
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import FindableDirectory
from hotline_tui.tui.widgets.answer_view import AnswerView
from hotline_tui.tui.widgets.record_table import Cell, RecordTable

LIMIT = 1000


def answer_cells(a: Answer) -> list[Cell]:
    topic = a.topic + (t("kb.retired_mark") if not a.active else "")
    return [(f"{a.id:>4}", ""), topic, " ".join(a.keywords)]


class KnowledgeScreen(FindableDirectory):
    TITLE_KEY = "screen.kb"
    CSS_PATH = "knowledge.tcss"
    AUTO_FOCUS = "#answers"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", "kb.find", id="kb.find"),
        Binding("escape", "clear_find", "kb.clear_find", id="kb.clear_find", show=False),
        Binding("n", "add", "kb.add", id="kb.add"),
        Binding("e,enter", "edit", "kb.edit", id="kb.edit"),
        Binding("r", "retire", "kb.retire", id="kb.retire"),
        Binding("h", "toggle_retired", "kb.show_retired", id="kb.show_retired", show=False),
        Binding("J,shift+down", "view('down')", "kb.view_down", id="kb.view_down",
                show=False),
        Binding("K,shift+up", "view('up')", "kb.view_up", id="kb.view_up", show=False),
        Binding("ctrl+r", "reload", "kb.reload", id="kb.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_retired = False
        self.answers: dict[str, Answer] = {}

    def compose_body(self) -> Iterable[Widget]:
        yield Input(placeholder=t("kb_screen.find_placeholder"), id="find")
        with Horizontal(id="kb-panes"):
            yield RecordTable([("id", t("kb_screen.col_id"), 4), ("topic", t("kb_screen.col_topic"), 24),
                               ("keywords", t("kb_screen.col_keywords"), 20)], id="answers")
            yield AnswerView(id="answer-view")
        yield Static("", id="status", markup=False)

    @property
    def table(self) -> RecordTable:
        return self.query_one("#answers", RecordTable)

    @property
    def find_box(self) -> Input:
        return self.query_one("#find", Input)

    @property
    def view(self) -> AnswerView:
        return self.query_one("#answer-view", AnswerView)

    def on_mount(self) -> None:
        self.reload()

    # -- loading ------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        words = self.find_box.value.strip()
        include = self.show_retired
        engine = self.engine

        def work() -> list[Answer]:
            from hotline_tui.services.knowledge import list_answers, search_answers

            if words:
                return [h.answer for h in search_answers(engine, words, limit=LIMIT,
                                                         include_retired=include)]
            return list_answers(engine, include_retired=include)

        self.run_db(work, lambda answers: self._show(answers, keep), latest=True)

    def _show(self, answers: list[Answer], keep: str | None) -> None:
        self.answers = {str(a.id): a for a in answers}
        self.table.set_rows(
            ((str(a.id), answer_cells(a), "" if a.active else "dim") for a in answers), keep
        )
        self.view.show(self.current)
        self._show_status()

    def _show_status(self) -> None:
        words = self.find_box.value.strip()
        parts = [t("kb_screen.count_found", n=len(self.answers), text=words) if words
                 else t("kb_screen.count", n=len(self.answers))]
        if self.show_retired:
            parts.append(t("kb_screen.retired_shown"))
        self.show_status("  |  ".join(parts))

    @property
    def current(self) -> Answer | None:
        key = self.table.current_key
        return self.answers.get(key) if key is not None else None

    @on(DataTable.RowHighlighted, "#answers")
    def _moved(self) -> None:
        self.view.show(self.current)

    # -- the answer pane --------------------------------------------------------------------
    def action_view(self, direction: str) -> None:
        if direction == "down":
            self.view.scroll_down(animate=False)
        else:
            self.view.scroll_up(animate=False)

    # -- changes -------------------------------------------------------------------------------
    def action_add(self) -> None:
        from hotline_tui.tui.modals.answer_form import AnswerForm

        self.app.push_screen(AnswerForm(), self._saved)

    def action_edit(self) -> None:
        from hotline_tui.tui.modals.answer_form import AnswerForm

        answer = self.current
        if answer is not None:
            self.app.push_screen(AnswerForm(answer), self._saved)

    def _saved(self, answer: Answer | None) -> None:
        if answer is not None:
            self.notify(t("kb_screen.saved", id=answer.id, topic=answer.topic))
            self.reload(keep=str(answer.id))

    def action_retire(self) -> None:
        answer = self.current
        if answer is None:
            return
        from hotline_tui.services.knowledge import retire_answer

        engine = self.engine

        def done(a: Answer) -> None:
            key = "kb.cli_restored" if a.active else "kb.cli_retired"
            self.notify(t(key, id=a.id, topic=a.topic))
            self.reload(keep=str(a.id))

        self.run_db(lambda: retire_answer(engine, answer.id, answer.active), done)


TOP_SCREEN = TopScreen(
    id="kb", key="f7", title_key="screen.kb", factory=KnowledgeScreen, order=70
)
