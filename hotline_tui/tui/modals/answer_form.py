"""The form to add or edit a knowledge-base answer: topic, keywords, answer, policy basis."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widget import Widget
from textual.widgets import Input

from hotline_tui.i18n import t
from hotline_tui.services.knowledge import Answer
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area


class AnswerForm(FormDialog):
    """Dismissed with the saved Answer, or None when cancelled."""

    def __init__(self, answer: Answer | None = None) -> None:
        title = (t("kb_screen.edit_title", id=answer.id) if answer
                 else t("kb_screen.add_title"))
        super().__init__(title)
        self.answer = answer

    def compose_fields(self) -> Iterable[Widget]:
        a = self.answer
        yield field_label(t("kb_screen.field_topic"), "answer-topic")
        yield Input(a.topic if a else "", id="answer-topic")
        yield field_label(t("kb_screen.field_keywords"), "answer-keywords")
        yield Input(" ".join(a.keywords) if a else "", id="answer-keywords")
        yield field_label(t("kb_screen.field_answer"), "answer-text")
        yield text_area(a.answer if a else "", "answer-text")
        yield field_label(t("kb_screen.field_basis"), "basis-text")
        yield text_area(a.basis if a else "", "basis-text")

    def on_mount(self) -> None:
        self.query_one("#answer-topic", Input).focus()

    def values(self) -> dict[str, Any]:
        return dict(
            topic=self.input_value("answer-topic"),
            keywords=self.input_value("answer-keywords"),
            answer=self.area_value("answer-text"),
            basis=self.area_value("basis-text"),
        )

    def save(self, values: dict[str, Any]) -> Answer:
        from hotline_tui.services.knowledge import add_answer, edit_answer

        engine = self.app.engine  # type: ignore[attr-defined]
        if self.answer is None:
            return add_answer(engine, values["topic"], values["answer"],
                              keywords=values["keywords"], basis=values["basis"])
        return edit_answer(engine, self.answer.id, **values)
