"""A Footer that rebuilds its keys once per refresh however often the bindings change.

Textual's Footer (8.2) recomposes on every `refresh_bindings` of its screen, and a screen
that is opened for the first time refreshes its bindings four or five times (mode switch,
stack updates, focus): each recompose mounts and styles a widget per key, the dearest part
of the queue screen's first open. Here the changes of one refresh share one recompose.
Relies on Footer.bindings_changed / _bindings_ready (Textual 8.2.x)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


class CoalescingFooter(Footer):
    """Footer whose recomposes are coalesced (see the module doc)."""

    _rebuild_pending = False

    def bindings_changed(self, screen: Any) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._rebuild_pending:
            self._rebuild_pending = True
            self.call_after_refresh(self._rebuild)

    async def _rebuild(self) -> None:
        self._rebuild_pending = False
        await self.recompose()
