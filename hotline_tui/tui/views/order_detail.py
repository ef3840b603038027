"""One order, read-only: every field, the full request text and its history."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.domain.masking import mask_name, mask_phone
from hotline_tui.i18n import t
from hotline_tui.services.order_detail import OrderDetail
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals.sign_for import OrderOwnerKeys  # sign-for / change of owner
from hotline_tui.tui.screens.base import ShellScreen

# States in which a reply can be typed in (the state machine's REPLY event).
REPLY_STATUSES = ("dispatched", "signed", "rework", "replied")


def label(key: str) -> str:
    """t(key) or, for a field the catalogue does not know, the last part of the key."""
    text = t(key)
    return key.rsplit(".", 1)[-1] if text == key else text


def when(dt: datetime | None) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


def _value(v: Any) -> str:
    if v is None or v == "":
        return t("detail.empty")
    if isinstance(v, bool):
        return t("detail.yes") if v else t("detail.no")
    return str(v)


class OrderDetailScreen(OrderOwnerKeys, ShellScreen):
    """Dismissed with True when the order changed here (the list then reloads)."""

    TITLE_KEY = "screen.detail"
    CSS_PATH = "order_detail.tcss"
    AUTO_FOCUS = "#detail-scroll"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "back", "detail.back", id="detail.back"),
        Binding("v", "reveal", "detail.reveal", id="detail.reveal"),
        Binding("p", "platform_no", "detail.platform_no", id="detail.platform_no"),
        Binding("j,down", "scroll('down')", "detail.down", id="detail.down", show=False),
        Binding("k,up", "scroll('up')", "detail.up", id="detail.up", show=False),
        Binding("pagedown,space", "scroll('page_down')", "detail.page_down", id="detail.page_down", show=False),
        Binding("pageup", "scroll('page_up')", "detail.page_up", id="detail.page_up", show=False),
        Binding("t", "unit_return", "detail.unit_return", id="detail.unit_return"),
        Binding("s", "sign_for", "detail.sign_for", id="detail.sign_for"),
        Binding("c", "change_owner", "detail.change_owner", id="detail.change_owner"),
        Binding("r", "reply", "detail.reply", id="detail.reply"),  # issue 6: 反馈
        Binding("h", "callback", "detail.callback", id="detail.callback"),  # issue 6: 回访
    ]

    def __init__(self, order_id: int) -> None:
        super().__init__()
        self.order_id = order_id
        self.detail: OrderDetail | None = None
        self.revealed: tuple[str, str] | None = None
        self.changed = False

    def compose_body(self) -> Iterable[Widget]:
        with VerticalScroll(id="detail-scroll"):
            yield Static(t("detail.loading"), id="detail-head", markup=False)
            yield Static("", id="detail-fields")
            yield Static(t("detail.content"), classes="detail-section", markup=False)
            yield Static("", id="detail-content")
            yield Static(t("detail.history"), classes="detail-section", markup=False)
            yield Static("", id="detail-history")

    def on_mount(self) -> None:
        self.query_one("#detail-scroll").focus()
        self.load()

    def load(self) -> None:
        self.run_worker(self._load, thread=True, group="detail", exclusive=True,
                        exit_on_error=False)

    def _load(self) -> None:
        from hotline_tui.services.order_detail import load_order_detail

        try:
            detail = load_order_detail(self.app.engine, self.order_id)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self._failed, exc)
            return
        self.app.call_from_thread(self._show, detail)

    def _failed(self, exc: BaseException) -> None:
        self.query_one("#detail-head", Static).update(message_for(exc))

    # -- rendering ----------------------------------------------------------------------
    def _caller(self, d: OrderDetail) -> tuple[str, str]:
        if self.revealed is not None:
            return self.revealed
        if d.confidential:
            hidden = t("detail.confidential_hidden")
            return (hidden if d.caller_name else "", hidden if d.caller_phone else "")
        return mask_name(d.caller_name), mask_phone(d.caller_phone)

    def _show(self, d: OrderDetail) -> None:
        self.detail = d
        self.refresh_bindings()
        head = Text()
        head.append(d.order_no, style="bold")
        if d.is_local:
            head.append("  " + t("detail.local_no"))
        head.append("  " + t(f"status.{d.status}"))
        flags = [t(k) for k, on in (("detail.flag_confidential", d.confidential),
                                      ("detail.flag_anonymous", d.anonymous),
                                      ("detail.flag_urgent", d.urgent)) if on]
        if flags:
            head.append("  " + "  ".join(flags), style="bold")
        self.query_one("#detail-head", Static).update(head)

        name, phone = self._caller(d)
        pairs = [
            ("field.received_at", when(d.received_at)), ("field.request_type", d.request_type),
            ("field.caller_name", name), ("field.caller_phone", phone),
            ("field.title", d.title), ("field.category", d.category),
            ("field.area", d.area), ("field.address", d.address),
            ("field.unit", d.unit_name), ("field.upstream_unit", d.upstream_unit),
            ("field.source", d.source), ("field.urgency", d.urgency),
            ("field.tier_days", d.tier_days), ("field.due_at", when(d.due_at)),
            ("field.upstream_due_at", when(d.upstream_due_at)),
            ("field.dispatched_at", when(d.dispatched_at)),
            ("field.signed_at", when(d.signed_at)), ("field.replied_at", when(d.replied_at)),
            ("field.closed_at", when(d.closed_at)), ("field.owner", d.owner),
        ]
        fields = Table(box=None, show_header=False, pad_edge=False, expand=True)
        for _ in range(2):
            fields.add_column(style="bold", no_wrap=True)
            fields.add_column(ratio=1)
        for i in range(0, len(pairs), 2):
            cells: list[Text] = []
            for key, value in pairs[i:i + 2]:
                cells += [Text(label(key)), Text(_value(value))]
            fields.add_row(*cells)
        self.query_one("#detail-fields", Static).update(fields)
        self.query_one("#detail-content", Static).update(Text(d.content or t("detail.empty")))
        self.query_one("#detail-history", Static).update(self._history(d))

    def _history(self, d: OrderDetail) -> Group | Text:
        if not d.history:
            return Text(t("detail.no_history"))
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold",
                      expand=True)
        table.add_column(t("detail.h_at"), no_wrap=True)
        table.add_column(t("detail.h_actor"), no_wrap=True)
        table.add_column(t("detail.h_event"), no_wrap=True)
        table.add_column(t("detail.h_status"), no_wrap=True)
        table.add_column(t("detail.h_changes"), ratio=2)
        table.add_column(t("detail.h_note"), ratio=1)
        for h in d.history:
            status = ""
            if h.old_status != h.new_status:
                old = t(f"status.{h.old_status}") if h.old_status else ""
                status = f"{old} -> {t(f'status.{h.new_status}')}" if old else t(
                    f"status.{h.new_status}")
            changes = "\n".join(self._change(k, v) for k, v in h.changes.items())
            table.add_row(Text(when(h.at)), Text(h.actor), Text(label(f"event.{h.event}")),
                          Text(status), Text(changes), Text(h.note))
        return table

    def _change(self, field: str, change: Any) -> str:
        old, new = (change + [None, None])[:2] if isinstance(change, list) else (None, change)
        if field in ("caller_name", "caller_phone") and self.revealed is None:
            masker = mask_name if field == "caller_name" else mask_phone
            old, new = masker(str(old or "")), masker(str(new or ""))
        if field == "status":
            old = t(f"status.{old}") if old else old
            new = t(f"status.{new}") if new else new
        return f"{label('field.' + field)}: {_value(old)} -> {_value(new)}"

    # -- actions --------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in self.OWNER_ACTIONS:
            return self.owner_action_allowed(action)
        if action == "platform_no":
            return bool(self.detail and self.detail.is_local)
        if action == "reveal":
            return self.detail is not None
        if action == "unit_return":  # 退单: only while a unit holds the order
            return bool(self.detail and self.detail.status in ("dispatched", "signed"))
        if action == "reply":  # 反馈: while a unit owes (or gave) a reply
            return bool(self.detail and self.detail.status in REPLY_STATUSES)
        if action == "callback":  # 回访: a closed order
            return bool(self.detail and self.detail.status == "closed")
        return True

    def action_back(self) -> None:
        self.dismiss(self.changed)

    def action_scroll(self, how: str) -> None:
        box = self.query_one("#detail-scroll", VerticalScroll)
        getattr(box, f"scroll_{how}")(animate=False)

    def action_reveal(self) -> None:
        d = self.detail
        if d is None:
            return
        if self.revealed is not None:
            self.revealed = None
            self._show(d)
            return
        self.run_worker(lambda: self._reveal(d.id), thread=True, group="detail-reveal",
                        exclusive=True, exit_on_error=False)

    def _reveal(self, order_id: int) -> None:
        from hotline_tui.services.order_detail import reveal_caller

        try:
            caller = reveal_caller(self.app.engine, order_id)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001
            self.app.call_from_thread(self.notify_error, exc)
            return
        self.app.call_from_thread(self._revealed, caller)

    def _revealed(self, caller: tuple[str, str]) -> None:
        d = self.detail
        if d is None:
            return
        self.revealed = caller
        if d.confidential:
            self.notify(t("detail.view_recorded"))
            self.load()  # the history now shows the viewing
        else:
            self._show(d)

    def action_platform_no(self) -> None:
        d = self.detail
        if d is None or not d.is_local:
            return
        from hotline_tui.tui.modals.prompt import TextPrompt

        def assign(value: str) -> str:
            from hotline_tui.errors import UserError
            from hotline_tui.services.manual_entry import assign_platform_number

            if not value:
                raise UserError("detail.platform_no_empty")
            assign_platform_number(self.app.engine, d.order_no, value)  # type: ignore[attr-defined]
            return value

        def done(value: str | None) -> None:
            if value:
                self.changed = True
                self.notify(t("detail.platform_no_done", order_no=value))
                self.load()

        self.app.push_screen(
            TextPrompt(t("detail.platform_no_title"),
                       t("detail.platform_no_label", local_no=d.order_no), "", work=assign),
            done,
        )

    def action_unit_return(self) -> None:
        """退单: the unit says "not ours" (reason + basis); the order goes back to triage."""
        d = self.detail
        if d is None or d.status not in ("dispatched", "signed"):
            return
        from hotline_tui.tui.modals.unit_return import ReturnScreen

        def done(result: object) -> None:
            if result is not None:
                self.changed = True
                self.notify(t("unit_return.done", order_no=d.order_no))
            self.load()  # also after a refusal (changed elsewhere): show what is there now

        self.app.push_screen(ReturnScreen(d.order_no, d.unit_name, d.version), done)

    def action_reply(self) -> None:
        """反馈: type or paste the unit's reply (tui/modals/reply_form.py)."""
        d = self.detail
        if d is None or d.status not in REPLY_STATUSES:
            return
        from hotline_tui.tui.modals.reply_form import ReplyForm

        def done(result: object) -> None:
            if result is not None:
                self.changed = True
                self.notify(t("review_screen.reply_taken", order_no=d.order_no))
                self.load()

        self.app.push_screen(ReplyForm(d.order_no, title=d.title), done)

    def action_callback(self) -> None:
        """回访 of a closed order (tui/modals/callback_form.py); unsatisfied reopens it."""
        d = self.detail
        if d is None or d.status != "closed":
            return
        from hotline_tui.tui.screens.review import open_callback

        def done(_result: object) -> None:
            self.changed = True
            self.load()

        open_callback(self, d.order_no, d.title, done)
