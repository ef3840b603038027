"""A form to enter an order by hand (a call, a letter, a visit), numbered locally."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Checkbox, Input, Label, Select, Static, TextArea

from hotline_tui.domain.kinds import RequestType
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.screens.base import ShellScreen

# Stored values stay Chinese (they are data); the labels follow the UI language.
SOURCES = ("来电", "来信", "来访", "其他")
_SOURCE_KEYS = {"来电": "entry.source_call", "来信": "entry.source_letter",
                "来访": "entry.source_visit", "其他": "entry.source_other"}
class Tick(Checkbox):
    """A checkbox drawn as [x] / [ ] (the default half-block glyphs are ambiguous-width)."""

    @property
    def _button(self) -> Content:
        return Content(f"[{'x' if self.value else ' '}]")


class EntryScreen(ShellScreen):
    """Dismissed with the new local order number, or None when cancelled."""

    TITLE_KEY = "screen.entry"
    CSS_PATH = "manual_entry.tcss"
    AUTO_FOCUS = "#entry-title"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "entry.save", id="entry.save", priority=True),
        Binding("escape", "cancel", "entry.cancel", id="entry.cancel"),
    ]

    def compose_body(self) -> Iterable[Widget]:
        type_options = [(rt.value, rt.value) for rt in RequestType]
        source_options = [(t(_SOURCE_KEYS[s]), s) for s in SOURCES]
        with VerticalScroll(id="entry-form"):
            yield Label(t("field.title"))
            yield Input(id="entry-title")
            yield Label(t("field.content"))
            yield TextArea(id="entry-content", soft_wrap=True, tab_behavior="focus", compact=True)
            with Horizontal(classes="entry-row"):
                with Vertical(classes="entry-cell"):
                    yield Label(t("field.caller_name"))
                    yield Input(id="entry-caller-name")
                with Vertical(classes="entry-cell"):
                    yield Label(t("field.caller_phone"))
                    yield Input(id="entry-caller-phone")
            with Horizontal(classes="entry-row"):
                with Vertical(classes="entry-cell"):
                    yield Label(t("field.request_type"))
                    yield Select(type_options, value=RequestType.CONSULT.value,
                                 allow_blank=False, compact=True, id="entry-type")
                with Vertical(classes="entry-cell"):
                    yield Label(t("field.source"))
                    yield Select(source_options, value=SOURCES[0], allow_blank=False,
                                 compact=True, id="entry-source")
            with Horizontal(classes="entry-row"):
                with Vertical(classes="entry-cell"):
                    yield Label(t("field.area"))
                    yield Input(id="entry-area")
                with Vertical(classes="entry-cell"):
                    yield Label(t("field.address"))
                    yield Input(id="entry-address")
            with Horizontal(classes="entry-row"):
                with Vertical(classes="entry-cell"):
                    yield Label(t("field.received_at"))
                    yield Input(clock.now().strftime("%Y-%m-%d %H:%M"), id="entry-received")
                with Vertical(classes="entry-cell entry-flags"):
                    yield Tick(t("field.confidential"), compact=True, id="entry-confidential")
                    yield Tick(t("field.anonymous"), compact=True, id="entry-anonymous")
            yield Static("", id="entry-error", classes="dialog-error", markup=False)
            yield Static(t("entry.hint"), classes="dialog-hint", markup=False)

    def __init__(self) -> None:
        super().__init__()
        self.saving = False

    def on_mount(self) -> None:
        self.query_one("#entry-title", Input).focus()

    def _text(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def action_save(self) -> None:
        """Save in a worker (the database may be busy with an import elsewhere)."""
        if self.saving:
            return
        fields = dict(
            title=self._text("entry-title"),
            content=self.query_one("#entry-content", TextArea).text.strip(),
            caller_name=self._text("entry-caller-name"),
            caller_phone=self._text("entry-caller-phone"),
            request_type=str(self.query_one("#entry-type", Select).value),
            area=self._text("entry-area"),
            address=self._text("entry-address"),
            source=str(self.query_one("#entry-source", Select).value),
            received_at=self._text("entry-received") or None,
            confidential=self.query_one("#entry-confidential", Checkbox).value,
            anonymous=self.query_one("#entry-anonymous", Checkbox).value,
        )
        self.saving = True
        self.run_worker(lambda: self._save(fields), thread=True, exit_on_error=False)

    def _save(self, fields: dict) -> None:
        try:
            from hotline_tui.services.manual_entry import create_local_order

            order_no = create_local_order(self.app.engine, **fields)  # type: ignore[attr-defined]
        except Exception as exc:  # noqa: BLE001 - shown as a sentence in the form
            self.app.call_from_thread(self._saved, None, message_for(exc))
            return
        self.app.call_from_thread(self._saved, order_no, "")

    def _saved(self, order_no: str | None, error: str) -> None:
        self.saving = False
        if order_no:
            self.dismiss(order_no)
        else:
            self.query_one("#entry-error", Static).update(error)

    def action_cancel(self) -> None:
        self.dismiss(None)
