"""回访: record the callback of a closed order: reached or not, solved or not, 满意 /
基本满意 / 不满意 and a remark. An unsatisfied callback reopens the order (重办) with a new
deadline (`services.callback.record_callback`). Dismissed with its CallbackResult, or None."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input

from hotline_tui.i18n import t
from hotline_tui.tui.modals.record_form import FormDialog, field_label
from hotline_tui.tui.widgets.choice_row import ChoiceRow

SATISFACTION = ("satisfied", "basic", "unsatisfied")  # 满意 / 基本满意 / 不满意


class CallbackForm(FormDialog):
    CSS_PATH = "reply_forms.tcss"
    HINT_KEY = "callback_form.hint"

    def __init__(self, order_no: str, title: str = "") -> None:
        super().__init__(t("callback_form.title", order_no=order_no))
        self.order_no = order_no
        self.order_title = title

    def compose_fields(self) -> Iterable[Widget]:
        yes_no = [(t("callback_form.yes"), "yes"), (t("callback_form.no"), "no")]
        if self.order_title:
            yield field_label(self.order_title, "callback-order-title")
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield field_label(t("callback_form.reached"), "callback-reached")
                yield ChoiceRow(yes_no, "yes", id="callback-reached")
            with Vertical(classes="form-cell", id="callback-solved-cell"):
                yield field_label(t("callback_form.solved"), "callback-solved")
                yield ChoiceRow(yes_no, "yes", id="callback-solved")
        with Vertical(classes="form-cell", id="callback-satisfaction-cell"):
            yield field_label(t("callback_form.satisfaction"), "callback-satisfaction")
            yield ChoiceRow([(t(f"callback_form.sat.{s}"), s) for s in SATISFACTION],
                            "satisfied", id="callback-satisfaction")
        yield field_label(t("callback_form.remark"), "callback-remark")
        yield Input("", id="callback-remark", placeholder=t("callback_form.remark_placeholder"))

    def on_mount(self) -> None:
        reached = self.query_one("#callback-reached", ChoiceRow)
        reached.focus()
        self.watch(reached, "value", self._reached_changed, init=False)

    def _reached_changed(self, value: str) -> None:
        """A citizen not reached gives no answer: those fields go away."""
        for cell in ("#callback-solved-cell", "#callback-satisfaction-cell"):
            self.query_one(cell).display = value == "yes"
        self.show_error("")

    def choice(self, name: str) -> str:
        return self.query_one(f"#callback-{name}", ChoiceRow).value

    def values(self) -> dict[str, Any]:
        reached = self.choice("reached") == "yes"
        sat = self.choice("satisfaction")
        return {"reached": reached,
                "solved": (self.choice("solved") == "yes") if reached else None,
                "satisfaction": sat if reached else None,
                "remark": self.input_value("callback-remark")}

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.callback import record_callback

        return record_callback(self.app.engine, self.order_no, **values)  # type: ignore[attr-defined]
