"""Change of first-contact owner on a signed-for order: the new person (suggested from the
unit's owners, the current one left out) and a reason, which is required; the history keeps
the old and the new owner with the reason (`services.owners.change_owner`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals.sign_for import OwnerForm, checked_owner, label
from hotline_tui.tui.widgets.owner_suggest import OwnerNameField


class ChangeOwnerScreen(OwnerForm):
    """Dismissed with the OwnerChange, or None when cancelled. `target`: an
    services.owner_targets.OrderTarget of a signed-for order."""

    LAST_FIELD = "change-reason"

    def __init__(self, target: Any) -> None:
        super().__init__(t("change_owner.title", order_no=target.order_no,
                           unit=target.unit_name))
        self.target = target

    def compose_fields(self) -> Iterable[Widget]:
        o = self.target.owner
        current = o.label() if o is not None else t("change_owner.nobody")
        yield Static(t("change_owner.current", owner=current), id="change-current",
                     classes="dialog-label", markup=False)
        yield label(t("change_owner.name"), "owner-name")
        yield OwnerNameField(self.engine, self.target.unit_id,
                             exclude=o.id if o is not None else None, id="owner-field")
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield label(t("sign_for.phone"), "owner-phone")
                yield Input(id="owner-phone")
            with Vertical(classes="form-cell"):
                yield label(t("sign_for.post"), "owner-post")
                yield Input(id="owner-post")
        yield label(t("change_owner.reason"), "change-reason")
        yield Input(id="change-reason", placeholder=t("change_owner.reason_placeholder"))

    def check(self) -> dict[str, Any]:
        name, phone, post = checked_owner(self.value("owner-name"), self.value("owner-phone"),
                                          self.value("owner-post"))
        reason = self.value("change-reason")
        if not reason:
            self.focus_field("change-reason")
            raise UserError("owners.error.reason_required")
        return dict(name=name, phone=phone, post=post, reason=reason)

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.owners import change_owner

        return change_owner(self.engine, self.target.order_no,
                            expected_version=self.target.version, **values)


def changed_message(change: Any) -> str:
    old = change.old.label() if change.old is not None else t("change_owner.nobody")
    return t("change_owner.done", order_no=change.order_no, old=old, new=change.new.label())


def open_change_owner(screen: Screen, order_no: str,
                      done: Callable[[Any], None] | None = None) -> None:
    """Read the order (a worker), then open the form; an order without an owner to change
    (not signed for yet, closed) is one sentence, no form."""
    engine = screen.app.engine  # type: ignore[attr-defined]

    def read() -> None:
        from hotline_tui.services.owner_targets import order_targets

        try:
            target = order_targets(engine, [order_no])[0]
            if target.owner is None or target.status not in ("signed", "replied", "rework",
                                                             "meeting"):
                raise UserError("change_owner.not_owned", order_no=target.order_no,
                                status=t(f"status.{target.status}"))
        except Exception as exc:  # noqa: BLE001 - one sentence
            screen.app.call_from_thread(screen.app.notify, message_for(exc), severity="error",
                                        timeout=8)
            return
        screen.app.call_from_thread(_push, target)

    def _push(target: Any) -> None:
        def back(change: Any) -> None:
            if change is not None:
                screen.app.notify(changed_message(change))
            if done is not None:
                done(change)

        screen.app.push_screen(ChangeOwnerScreen(target), back)

    screen.run_worker(read, thread=True, group="change-owner-open", exclusive=True,
                      exit_on_error=False)
