"""Dialogs shown over a screen: help, prompts, pickers, progress and results."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import BindingType
from textual.screen import ModalScreen

from hotline_tui.tui.keys import SCREEN_BINDINGS, Localized


class Dialog(Localized, ModalScreen, inherit_bindings=False):
    """Base of the shell's dialogs: translated, rebindable keys only."""

    BINDINGS: ClassVar[list[BindingType]] = list(SCREEN_BINDINGS)
