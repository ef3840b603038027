"""Replies in bulk from inside the TUI: the path prompt, `services.replies.import_replies` in
a worker, then the counts (taken, unchanged) and every unmatched row with its reason.
Upstream export of accepted replies (.xlsx: 工单编号 + 回复内容) the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.screen import Screen

from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals.import_result import ImportResultDialog
from hotline_tui.tui.text import column_text

MAX_SHOWN = 500


class ReplyImportScreen(ImportResultDialog):
    """Dismissed with the ReplyImportResult, or None when the file could not be read."""

    CSS_PATH = "reply_forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "reply_import_tui.close", id="reply_import_tui.close"),
        Binding("j,down", "scroll('down')", "reply_import_tui.down", id="reply_import_tui.down",
                show=False),
        Binding("k,up", "scroll('up')", "reply_import_tui.up", id="reply_import_tui.up", show=False),
    ]

    KEY = "reply_import_tui"
    PREFIX = "reply-import"

    def run_import(self, engine: Any, path: Path) -> Any:
        from hotline_tui.services.replies import import_replies

        return import_replies(engine, path)

    def show_result(self, r: Any) -> tuple[str, Group | None]:
        unmatched = list(r.unmatched)
        summary = t("reply_import_tui.summary", taken=_count(r.taken),
                    unchanged=_count(r.unchanged), unmatched=len(unmatched))
        if not unmatched:
            return summary, None
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        table.add_column(t("reply_import_tui.col_row"), justify="right", no_wrap=True)
        table.add_column(t("reply_import_tui.col_order"), no_wrap=True)
        table.add_column(t("reply_import_tui.col_reason"))
        for u in unmatched[:MAX_SHOWN]:
            table.add_row(Text(str(u.row_no)), Text(column_text(u.order_no or "-")),
                          Text(str(u.reason_text)))
        if len(unmatched) > MAX_SHOWN:
            table.add_row(Text(""), Text(""),
                          Text(t("reply_import_tui.more", n=len(unmatched) - MAX_SHOWN)))
        head = Text(t("reply_import_tui.unmatched_head", n=len(unmatched)), style="bold red")
        return summary, Group(head, table)


def _count(value: Any) -> int:
    """The service may give a number or the list of orders."""
    return value if isinstance(value, int) else len(value)


def ask_import_replies(screen: Screen, done: Callable[[Any], None] | None = None) -> None:
    """Path prompt (an existing .xlsx/.csv), then the import and its result."""
    from hotline_tui.tui.modals.prompt import PathPrompt
    from hotline_tui.tui.screens.directory_base import default_dir

    def chosen(path: str | None) -> None:
        if path:
            screen.app.push_screen(ReplyImportScreen(Path(path)),
                                   lambda r: done(r) if done is not None else None)

    screen.app.push_screen(
        PathPrompt(t("reply_import_tui.prompt_title"), t("reply_import_tui.prompt_label"),
                   str(default_dir()) + "/", must_exist=True),
        chosen,
    )


def ask_export_upstream(screen: Screen, order_nos: list[str] | None = None) -> None:
    """Path prompt (a new .xlsx; overwriting asks twice), then the accepted replies written
    in a worker (`services.review.export_upstream`); the count and path, or the one-sentence
    error, as a notification."""
    from hotline_tui.tui.modals.prompt import PathPrompt
    from hotline_tui.tui.screens.directory_base import default_dir

    app = screen.app
    engine = app.engine  # type: ignore[attr-defined]
    name = t("upstream_tui.default_name", stamp=clock.now().strftime("%Y%m%d_%H%M"))

    def write(path: str) -> None:
        from hotline_tui.services.review import export_upstream

        try:
            n = export_upstream(engine, path, order_nos)
        except Exception as exc:  # noqa: BLE001
            app.call_from_thread(app.notify, message_for(exc), severity="error", timeout=8)
            return
        text = t("upstream_tui.written", n=n, path=path) if n else t("upstream_tui.nothing")
        app.call_from_thread(app.notify, text, severity="information" if n else "warning",
                             timeout=10)

    def chosen(path: str | None) -> None:
        if path:
            app.notify(t("upstream_tui.writing", path=path))
            screen.run_worker(lambda: write(path), thread=True, group="upstream-export",
                              exit_on_error=False)

    app.push_screen(
        PathPrompt(t("upstream_tui.prompt_title"), t("upstream_tui.prompt_label"),
                   str(default_dir() / name), must_exist=False, suffix=".xlsx"),
        chosen,
    )
