"""Correct an owner's wrong phone number once for all their open orders: type the number,
`enter` shows how many open orders change, `enter` again writes it
(`services.owners.update_owner_phone`, one transaction, a history row per open order)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Input, Static

from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog


@dataclass(frozen=True)
class PhoneOwner:
    """Who is edited: enough to say it in the form."""

    owner_id: int
    name: str
    unit_name: str
    phone: str
    open_orders: int


class PhoneEditScreen(Dialog):
    """Dismissed with the PhoneUpdate, or None when cancelled."""

    CSS_PATH = "owner_forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "phone_edit.cancel", id="phone_edit.cancel"),
    ]

    def __init__(self, owner: PhoneOwner) -> None:
        super().__init__()
        self.owner = owner
        self.confirming: str | None = None  # the checked new number awaiting the second enter
        self.saving = False

    def compose(self) -> ComposeResult:
        o = self.owner
        with Vertical(classes="dialog", id="owner-form"):
            yield Static(t("phone_edit.title", name=o.name, unit=o.unit_name),
                         classes="dialog-title", markup=False)
            yield Static(t("phone_edit.current", phone=o.phone, n=o.open_orders),
                         classes="dialog-label", markup=False)
            yield Input(o.phone, id="phone-new")
            yield Static("", id="phone-confirm", markup=False)
            yield Static("", id="form-error", classes="dialog-error", markup=False)
            yield Static(t("phone_edit.hint"), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        box = self.query_one("#phone-new", Input)
        box.focus()
        box.cursor_position = len(box.value)

    @property
    def error(self) -> str:
        return str(self.query_one("#form-error", Static).render())

    @property
    def confirm_text(self) -> str:
        return str(self.query_one("#phone-confirm", Static).render())

    def _say(self, error: str = "", confirm: str = "") -> None:
        self.query_one("#form-error", Static).update(error)
        self.query_one("#phone-confirm", Static).update(confirm)

    @on(Input.Changed, "#phone-new")
    def _edited(self) -> None:
        self.confirming = None
        self._say()

    @on(Input.Submitted, "#phone-new")
    def _submitted(self, event: Input.Submitted) -> None:
        if self.saving:
            return
        from hotline_tui.services.owners import check_phone

        try:
            phone = check_phone(event.value)
        except Exception as exc:  # noqa: BLE001 - the service's sentence, in the form
            self._say(error=message_for(exc))
            return
        if phone == self.owner.phone:
            self._say(error=t("phone_edit.same"))
            return
        if self.confirming != phone:
            self.confirming = phone
            self._say(confirm=t("phone_edit.confirm", name=self.owner.name, old=self.owner.phone,
                                new=phone, n=self.owner.open_orders))
            return
        self.saving = True
        self.run_worker(lambda: self._save(phone), thread=True, group="phone-edit",
                        exit_on_error=False)

    def _save(self, phone: str) -> None:
        from hotline_tui.services.owners import update_owner_phone

        try:
            result = update_owner_phone(self.app.engine, self.owner.owner_id, phone)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._saved, None, message_for(exc))
            return
        self.app.call_from_thread(self._saved, result, "")

    def _saved(self, result: Any, error: str) -> None:
        self.saving = False
        if error:
            self.confirming = None
            self._say(error=error)
        else:
            self.dismiss(result)

    def action_cancel(self) -> None:
        self.dismiss(None)


def phone_message(update: Any) -> str:
    if not update.changed:
        return t("phone_edit.unchanged", name=update.owner.name)
    key = "phone_edit.done_merged" if update.merged_from is not None else "phone_edit.done"
    return t(key, name=update.owner.name, old=update.old_phone, new=update.owner.phone,
             n=len(update.open_orders))
