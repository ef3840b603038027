"""The repeat hint: earlier orders (last 90 days) from the same phone, at the same address or
with nearly the same text, with their state; one aligned line each."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group
from rich.text import Text
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.text import cell_len, column_text, fit

if TYPE_CHECKING:
    from hotline_tui.services.repeats import RepeatHint

MAX_LINES = 6


class RepeatHintsPanel(Static):
    """`loading()`, then `show(hints)`."""

    def loading(self) -> None:
        self.remove_class("-found")
        self.update(Text(t("triage_screen.repeats_loading"), style="dim"))

    def clear(self) -> None:
        self.remove_class("-found")
        self.update("")

    def show(self, hints: Sequence[RepeatHint]) -> None:
        if not hints:
            self.remove_class("-found")
            self.update(Text(t("triage_screen.repeats_none"), style="dim"))
            return
        self.add_class("-found")
        lines = [Text(t("triage_screen.repeats_title", n=len(hints)), style="bold")]
        width = max(cell_len(h.order_no) for h in hints[:MAX_LINES])
        for h in hints[:MAX_LINES]:
            why = "/".join(t(f"repeat.why_{w}") for w in h.why)
            status = fit(t(f"status.{h.status}"), 8)
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(fit(h.order_no, width) + "  ")
            line.append(f"{h.received_at:%Y-%m-%d}  ")
            line.append(status + "  ", style="bold")
            line.append(fit(why, 18) + "  ")
            line.append(column_text(h.title))
            lines.append(line)
        if len(hints) > MAX_LINES:
            lines.append(Text(t("triage_screen.repeats_more", n=len(hints) - MAX_LINES),
                              style="dim"))
        self.update(Group(*lines))
