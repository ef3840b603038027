"""退回重办: send a reply back to its first-contact owner with the reasons (prefilled from
the review's sentences, editable) and the working days for the new deadline (prefilled).
Saved through `services.review.send_back`: the owner stays, the rework count goes up.
Dismissed with the service's SendBackResult (new deadline, rework count), or None."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area

MAX_WORKDAYS = 60


def reasons_prefill(sentences: list[str]) -> str:
    """The review's sentences as the text sent to the unit, one numbered line each."""
    if len(sentences) == 1:
        return sentences[0]
    return "\n".join(t("send_back_form.item", n=i, text=s)
                     for i, s in enumerate(sentences, start=1))


def parse_workdays(text: str) -> int | None:
    """'' -> None (the service's default); a whole number 1..60; else one sentence."""
    text = text.strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) <= MAX_WORKDAYS:
        raise UserError("send_back_form.bad_workdays", value=text, most=MAX_WORKDAYS)
    return int(text)


class SendBackForm(FormDialog):
    CSS_PATH = "reply_forms.tcss"
    HINT_KEY = "send_back_form.hint"

    def __init__(self, order_no: str, sentences: list[str], workdays: int | None, *,
                 owner: str = "", rework_count: int = 0) -> None:
        super().__init__(t("send_back_form.title", order_no=order_no))
        self.order_no = order_no
        self.sentences = sentences
        self.workdays = workdays
        self.owner = owner
        self.rework_count = rework_count

    def compose_fields(self) -> Iterable[Widget]:
        note = t("send_back_form.owner_stays", owner=self.owner or "-",
                 n=self.rework_count + 1)
        yield Static(note, classes="form-note", markup=False)
        yield field_label(t("send_back_form.reasons"), "send-back-reasons")
        yield text_area(reasons_prefill(self.sentences), "send-back-reasons")
        yield field_label(t("send_back_form.workdays"), "send-back-days")
        yield Input("" if self.workdays is None else str(self.workdays), id="send-back-days",
                    placeholder=t("send_back_form.workdays_placeholder"))

    def on_mount(self) -> None:
        self.query_one("#send-back-reasons").focus()

    def values(self) -> dict[str, Any]:
        return {"reason": self.area_value("send-back-reasons"),
                "workdays": self.input_value("send-back-days")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["reason"]:
            raise UserError("send_back_form.no_reason")
        return {"reason": values["reason"], "workdays": parse_workdays(values["workdays"])}

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.review import send_back

        return send_back(self.app.engine, self.order_no, reason=values["reason"],  # type: ignore[attr-defined]
                         workdays=values["workdays"])
