"""The frame shared by the shell's screens: header line on top, footer with keys below."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from hotline_tui.tui.keys import SCREEN_BINDINGS, Localized
from hotline_tui.tui.widgets.header import HeaderBar


class ShellScreen(Localized, Screen, inherit_bindings=False):
    """A screen with the header line and the footer; subclasses yield their body."""

    BINDINGS: ClassVar[list[BindingType]] = list(SCREEN_BINDINGS)

    #: i18n key of the title shown in the header line
    TITLE_KEY = ""

    def compose(self) -> ComposeResult:
        from hotline_tui.i18n import t

        yield HeaderBar(t(self.TITLE_KEY) if self.TITLE_KEY else "", id="header")
        yield from self.compose_body()
        yield Footer()

    def compose_body(self) -> Iterable[Widget]:
        return ()

    def notify_error(self, exc: BaseException) -> None:
        """Show an error as one sentence (UserError) or a logged internal error."""
        from hotline_tui.tui.errors import message_for

        self.app.notify(message_for(exc), severity="error", timeout=8)
