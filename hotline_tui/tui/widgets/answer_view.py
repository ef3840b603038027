"""The full text of one knowledge-base answer: topic, keywords, the answer and its policy
basis, wrapped to the pane's width (prose, not columns)."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.services.knowledge import Answer


def answer_parts(a: Answer | None) -> list[Text]:
    """The lines of the pane: title, keywords, update time, the answer, the basis."""
    if a is None:
        return [Text(t("kb_screen.none_selected"), style="dim")]
    title = Text(f"#{a.id}  {a.topic}", style="bold")
    if not a.active:
        title.append(t("kb.retired_mark"), style="bold red")
    meta = Text(t("kb_screen.keywords_is", keywords="、".join(a.keywords) or "-"),
                style="dim")
    updated = Text(t("kb_screen.updated_is", at=f"{a.updated_at:%Y-%m-%d %H:%M}"
                     if a.updated_at else "-"), style="dim")
    parts = [title, meta, updated, Text(""), Text(t("kb_screen.field_answer"), style="bold"),
             Text(a.answer), Text(""), Text(t("kb_screen.field_basis"), style="bold"),
             Text(a.basis or t("kb_screen.no_basis"), style="" if a.basis else "dim")]
    return parts


class AnswerView(VerticalScroll, can_focus=False):
    """Scrolls with the screen's keys; shows the answer under the list's cursor."""

    text = ""
    """What the pane shows, as plain text."""

    def compose(self):  # noqa: ANN201
        yield Static(id="answer-body")

    def on_mount(self) -> None:
        self.show(None)

    def show(self, answer: Answer | None) -> None:
        parts = answer_parts(answer)
        self.text = "\n".join(p.plain for p in parts)
        self.query_one("#answer-body", Static).update(Group(*parts))
        self.scroll_home(animate=False)
