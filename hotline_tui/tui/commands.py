"""The command palette (ctrl+p): every action of the current screen, found by its name."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from hotline_tui.i18n import t

_NOT_COMMANDS = frozenset({"app.palette", "app.focus_next", "app.focus_previous", "app.copy"})


class ShellCommands(Provider):
    """Commands from the bindings active on the screen the palette was opened on, so a
    rebound key shows its new key and screens add commands just by declaring BINDINGS."""

    def _rows(self):  # noqa: ANN202
        """The screen's commands first (footer keys), then moves, then the app's."""
        rows = [r for r in self.app.key_rows(self.screen)  # type: ignore[attr-defined]
                if r.binding_id not in _NOT_COMMANDS]
        return sorted(rows, key=lambda r: (not r.shown, r.node is self.app))

    def _command(self, row):  # noqa: ANN001, ANN202
        return partial(self.app.run_action, row.action, row.node)

    def _help(self, row) -> str:  # noqa: ANN001
        return t("palette.keys", keys=" / ".join(row.keys))

    async def discover(self) -> Hits:
        for row in self._rows():
            yield DiscoveryHit(row.description, self._command(row), help=self._help(row))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for row in self._rows():
            text = f"{row.description} {row.binding_id}"
            score = max(matcher.match(row.description), matcher.match(text) * 0.9)
            if score > 0:
                yield Hit(score, matcher.highlight(row.description), self._command(row),
                          help=self._help(row))
