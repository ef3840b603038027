"""退单: record that the unit sent a dispatched or signed-for order back as not its business
(reason required, basis optional); the order goes back to 待分拣. Dismissed with the
`ReturnResult`, or None."""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog


class ReturnScreen(Dialog):
    CSS_PATH = "triage_dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "unit_return.cancel", id="unit_return.cancel"),
    ]

    def __init__(self, order_no: str, unit_name: str, version: int | None = None) -> None:
        super().__init__()
        self.order_no = order_no
        self.unit_name = unit_name
        self.version = version
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="return-box"):
            yield Static(t("unit_return.title", order_no=self.order_no),
                         classes="dialog-title", markup=False)
            yield Static(t("unit_return.unit", unit=self.unit_name or "-"),
                         classes="dialog-label", markup=False)
            yield Static(t("unit_return.reason_label"), classes="dialog-label", markup=False)
            yield Input(id="return-reason", placeholder=t("unit_return.reason_placeholder"))
            yield Static(t("unit_return.basis_label"), classes="dialog-label", markup=False)
            yield Input(id="return-basis", placeholder=t("unit_return.basis_placeholder"))
            yield Static("", id="return-error", classes="dialog-error", markup=False)
            yield Static(t("unit_return.hint"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#return-reason", Input).focus()

    @on(Input.Changed)
    def _edited(self) -> None:
        self.query_one("#return-error", Static).update("")

    @on(Input.Submitted, "#return-reason")
    def _reason_done(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.query_one("#return-error", Static).update(t("return.reason_required"))
            return
        self.query_one("#return-basis", Input).focus()

    @on(Input.Submitted, "#return-basis")
    def _basis_done(self, event: Input.Submitted) -> None:
        event.stop()
        if self.busy:
            return
        reason = self.query_one("#return-reason", Input).value
        basis = event.value
        if not reason.strip():
            self.query_one("#return-error", Static).update(t("return.reason_required"))
            self.query_one("#return-reason", Input).focus()
            return
        self.busy = True
        self.run_worker(lambda: self._save(reason, basis), thread=True, group="unit-return",
                        exit_on_error=False)

    def _save(self, reason: str, basis: str) -> None:
        from hotline_tui.services.unit_return import return_order

        try:
            result = return_order(self.app.engine, self.order_no, reason, basis,  # type: ignore[attr-defined]
                                  expected_version=self.version)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, message_for(exc))
            return
        self._from_thread(self.dismiss, result)

    def _from_thread(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    def _failed(self, text: str) -> None:
        self.busy = False
        self.query_one("#return-error", Static).update(text)

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
