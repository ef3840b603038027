"""The order being triaged: its fields (caller masked) and the request text in full,
wrapped and scrollable."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.keys import Localized

if TYPE_CHECKING:
    from hotline_tui.services.triage import TriageItem


def _when(dt: Any) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


def caller_shown(item: TriageItem) -> tuple[str, str]:
    """Caller name and phone as the triage screen shows them: masked; a confidential
    order shows neither (the order view can reveal them, recorded)."""
    from hotline_tui.domain.masking import mask_name, mask_phone

    if item.confidential:
        hidden = t("triage_screen.confidential_hidden")
        return (hidden if item.caller_name else "", hidden if item.caller_phone else "")
    return mask_name(item.caller_name), mask_phone(item.caller_phone)


class RequestText(Localized, VerticalScroll, can_focus=True, inherit_bindings=False):
    """The request text; focused while the clerk reads, so the screen's keys stay live."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down", "scroll_down", "triage.text_down", id="triage.text_down", show=False),
        Binding("up", "scroll_up", "triage.text_up", id="triage.text_up", show=False),
        Binding("pagedown", "page_down", "triage.text_page_down", id="triage.text_page_down",
                show=False),
        Binding("pageup", "page_up", "triage.text_page_up", id="triage.text_page_up",
                show=False),
    ]

    def action_scroll_down(self) -> None:
        self.scroll_down(animate=False)

    def action_scroll_up(self) -> None:
        self.scroll_up(animate=False)

    def action_page_down(self) -> None:
        self.scroll_page_down(animate=False)

    def action_page_up(self) -> None:
        self.scroll_page_up(animate=False)


class TriageOrderView(Vertical):
    """Fields on top, the request text below (takes the rest of the height)."""

    def compose(self) -> ComposeResult:
        yield Static("", id="order-head")
        yield Static("", id="order-fields")
        with RequestText(id="order-text"):
            yield Static("", id="order-content")

    def show(self, item: TriageItem | None, empty_text: str = "") -> None:
        head = self.query_one("#order-head", Static)
        fields = self.query_one("#order-fields", Static)
        content = self.query_one("#order-content", Static)
        if item is None:
            head.update(Text(empty_text, style="bold"))
            fields.update("")
            content.update("")
            return
        title = Text()
        if item.status != "new":  # shown again after a change elsewhere, or opened from a list
            title.append(f"[{t(f'status.{item.status}')}] ", style="bold reverse")
        title.append(item.title or t("triage_screen.no_title"), style="bold")
        flags = [t(k) for k, on in (("detail.flag_urgent", item.urgent),
                                      ("detail.flag_confidential", item.confidential),
                                      ("detail.flag_anonymous", item.anonymous)) if on]
        if flags:
            title.append("  " + " ".join(flags), style="bold")
        head.update(title)
        name, phone = caller_shown(item)
        pairs = [
            ("field.order_no", item.order_no), ("field.received_at", _when(item.received_at)),
            ("field.request_type", item.request_type), ("field.category", item.category),
            ("field.area", item.area), ("field.address", item.address),
            ("field.caller_name", name), ("field.caller_phone", phone),
            ("field.upstream_unit", item.upstream_unit),
            ("field.upstream_due_at", _when(item.upstream_due_at)),
            ("field.source", item.source), ("field.urgency", item.urgency),
        ]
        table = Table(box=None, show_header=False, pad_edge=False, expand=True)
        for _ in range(2):
            table.add_column(style="bold", no_wrap=True)
            table.add_column(ratio=1, overflow="fold")
        for i in range(0, len(pairs), 2):
            cells: list[Text] = []
            for key, value in pairs[i:i + 2]:
                cells += [Text(t(key)), Text(str(value) if value else "-")]
            table.add_row(*cells)
        fields.update(table)
        content.update(Text(item.content or t("triage_screen.no_content")))
        self.query_one("#order-text", RequestText).scroll_home(animate=False)
