"""Top-level screens of the workbench, found in tui/screens/ and switched with one key each.

A module in `hotline_tui/tui/screens/` becomes a top-level screen by defining, at module level:

    TOP_SCREEN = TopScreen(id="inbox", key="f2", title_key="screen.inbox",
                           factory=InboxScreen, order=10)

The app adds a Textual mode per entry (its own screen stack, kept while the clerk works on
another screen) and an app-level key bound to `switch_mode`, with the binding id
`screen.<id>` so a keymap file can rebind it. Nothing else needs editing.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from textual.screen import Screen


@dataclass(frozen=True)
class TopScreen:
    id: str
    """Mode name; also the binding id `screen.<id>`."""
    key: str
    """Default key that switches to the screen (rebindable)."""
    title_key: str
    """i18n key of the screen's title (header, footer, palette, help)."""
    factory: Callable[[], Screen]
    """Builds the screen, called once on the first switch to it."""
    order: int = 100
    """Position among the top-level screens; the lowest is shown at start."""
    warm: Callable[[Engine], object] | None = None
    """Optional read run once in a background thread soon after start-up, so that the
    screen's first open finds SQLite's pages and a pooled connection warm."""


def discover() -> list[TopScreen]:
    """Every `TOP_SCREEN` declared by a module of hotline_tui.tui.screens, in `order`."""
    from hotline_tui.tui import screens

    found: list[TopScreen] = []
    for info in pkgutil.iter_modules(screens.__path__):
        mod = importlib.import_module(f"{screens.__name__}.{info.name}")
        spec = getattr(mod, "TOP_SCREEN", None)
        if isinstance(spec, TopScreen):
            found.append(spec)
    found.sort(key=lambda s: (s.order, s.id))
    return found
