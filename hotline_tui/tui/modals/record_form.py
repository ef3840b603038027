"""The base of the directory forms (unit, knowledge-base answer, a year's holidays): ctrl+s
saves in a worker, esc cancels; a refused save shows the service's sentence in the form and
keeps what was typed; enter in a one-line field moves to the next field."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, Static, TextArea

from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog


def field_label(text: str, widget_id: str) -> Label:
    return Label(text, classes="form-label", id=f"{widget_id}-label", markup=False)


def text_area(text: str, widget_id: str) -> TextArea:
    return TextArea(text, id=widget_id, soft_wrap=True, tab_behavior="focus", compact=True,
                    show_line_numbers=False)


class FormDialog(Dialog):
    """Subclasses yield their fields, read them (`values`), may check them on the event
    loop (`check`, quick, may raise UserError) and save them in a thread (`save`)."""

    CSS_PATH = "forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "form.save", id="form.save", priority=True),
        Binding("escape", "cancel", "form.cancel", id="form.cancel"),
    ]
    HINT_KEY = "form.hint"

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        self.saving = False

    # -- subclasses ----------------------------------------------------------------------
    def compose_fields(self) -> Iterable[Widget]:
        return ()

    def values(self) -> dict[str, Any]:
        return {}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        return values

    def save(self, values: dict[str, Any]) -> Any:  # runs in a thread
        raise NotImplementedError

    # -- the frame ----------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="form-box"):
            yield Static(self.title_text, classes="dialog-title", markup=False)
            yield from self.compose_fields()
            yield Static("", id="form-error", classes="dialog-error", markup=False)
            yield Static(t(self.HINT_KEY), classes="dialog-hint", markup=False)

    def input_value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def area_value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", TextArea).text.strip()

    @property
    def error(self) -> str:
        return str(self.query_one("#form-error", Static).render())

    def show_error(self, text: str) -> None:
        self.query_one("#form-error", Static).update(text)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_next()

    def action_save(self) -> None:
        if self.saving:
            return
        try:
            values = self.check(self.values())
        except Exception as exc:  # noqa: BLE001 - shown in the form
            self.show_error(message_for(exc))
            return
        self.saving = True
        self.show_error("")
        self.run_worker(lambda: self._save(values), thread=True, exit_on_error=False)

    def _save(self, values: dict[str, Any]) -> None:
        try:
            result = self.save(values)
        except Exception as exc:  # noqa: BLE001 - shown in the form
            self.app.call_from_thread(self._saved, None, message_for(exc))
            return
        self.app.call_from_thread(self._saved, result, "")

    def _saved(self, result: Any, error: str) -> None:
        self.saving = False
        if error:
            self.show_error(error)
        else:
            self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)
