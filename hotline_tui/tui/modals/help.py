"""`?`: the keys active on the screen beneath, as bound now (a keymap rebind shows)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.modals import Dialog


class HelpScreen(Dialog):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q", "dismiss", "help.close", id="help.close"),
        Binding("j,down", "scroll('down')", "help.down", id="help.down", show=False),
        Binding("k,up", "scroll('up')", "help.up", id="help.up", show=False),
    ]

    def __init__(self, rows) -> None:  # noqa: ANN001 - list of app.KeyRow
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=True, header_style="bold", pad_edge=False)
        table.add_column(t("help.col_keys"), no_wrap=True, style="bold")
        table.add_column(t("help.col_action"))
        for row in self.rows:
            table.add_row(Text(" / ".join(row.keys)), Text(row.description))
        with Vertical(id="help-box", classes="dialog"):
            yield Static(t("help.title"), id="help-title", markup=False)
            with VerticalScroll(id="help-scroll"):
                yield Static(table, id="help-table")
            yield Static(t("help.hint"), id="help-hint", markup=False)

    def action_scroll(self, direction: str) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if direction == "down":
            scroll.scroll_down(animate=False)
        else:
            scroll.scroll_up(animate=False)
