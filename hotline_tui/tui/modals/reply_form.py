"""Type (or paste) a unit's reply to an order: the text, who contacted the citizen, when and
how, the result, the policy basis, the handler and phone. Saved through
`services.replies.take_reply`; a refused reply shows the service's sentence in the form and
nothing is saved. Dismissed with (order_no, result), or None."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, TextArea

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area

# The one-line fields, two a row: (name, placeholder key or "").
FIELD_ROWS = (
    ("contact_by", "contacted_at"),
    ("contact_method", "result"),
    ("handler", "handler_phone"),
)


class ReplyForm(FormDialog):
    """`order_no` given: the reply to that order; None: the form asks for the number."""

    CSS_PATH = "reply_forms.tcss"
    HINT_KEY = "reply_form.hint"

    def __init__(self, order_no: str | None = None, *, title: str = "") -> None:
        super().__init__(t("reply_form.title", order_no=order_no) if order_no
                         else t("reply_form.title_any"))
        self.order_no = order_no
        self.subtitle = title

    def compose_fields(self) -> Iterable[Widget]:
        if self.order_no is None:
            yield field_label(t("reply_form.order_no"), "reply-order-no")
            yield Input("", id="reply-order-no")
        elif self.subtitle:
            yield field_label(self.subtitle, "reply-subtitle")
        yield field_label(t("reply_form.text"), "reply-text")
        yield text_area("", "reply-text")
        for row in FIELD_ROWS:
            with Horizontal(classes="form-row"):
                for name in row:
                    with Vertical(classes="form-cell"):
                        yield field_label(t(f"review_screen.field.{name}"), f"reply-{name}")
                        yield Input("", id=f"reply-{name}",
                                    placeholder=t(f"reply_form.placeholder.{name}"))
        yield field_label(t("review_screen.field.policy_basis"), "reply-policy_basis")
        yield Input("", id="reply-policy_basis",
                    placeholder=t("reply_form.placeholder.policy_basis"))

    def on_mount(self) -> None:
        first = "#reply-order-no" if self.order_no is None else "#reply-text"
        self.query_one(first).focus()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "order_no": self.order_no or self.input_value("reply-order-no"),
            "text": self.query_one("#reply-text", TextArea).text.strip(),
        }
        for row in (*FIELD_ROWS, ("policy_basis",)):
            for name in row:
                out[name] = self.input_value(f"reply-{name}")
        return out

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["order_no"]:
            raise UserError("reply_form.no_order")
        if not values["text"]:
            raise UserError("reply_form.no_text")
        return values

    def save(self, values: dict[str, Any]) -> tuple[str, Any]:
        from hotline_tui.services.replies import take_reply

        fields = dict(values)
        order_no = fields.pop("order_no")
        result = take_reply(self.app.engine, order_no, source="typed",  # type: ignore[attr-defined]
                            **fields)
        return order_no, result
