"""Returned dispatch sheets (the units' filled-in 交办单) and the owner roster from inside
the TUI: the path prompts, the import in a worker and its result (signed, unchanged and
rejected rows with the reason), the roster written as .xlsx."""

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


class ReturnedSheetScreen(ImportResultDialog):
    """Runs `import_returned_sheets` in a worker; dismissed with its result (None on failure)."""

    CSS_PATH = "owner_forms.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "close", "sheets.close", id="sheets.close"),
        Binding("j,down", "scroll('down')", "sheets.down", id="sheets.down", show=False),
        Binding("k,up", "scroll('up')", "sheets.up", id="sheets.up", show=False),
    ]

    KEY = "sheets"
    PREFIX = "sheets"

    def run_import(self, engine: Any, path: Path) -> Any:
        from hotline_tui.services.owners_import import import_returned_sheets

        return import_returned_sheets(engine, path)

    def show_result(self, r: Any) -> tuple[str, Group | None]:
        parts: list[Any] = []
        if r.rejected:
            parts += [Text(t("sheets.rejected_head", n=len(r.rejected)), style="bold red"),
                      _rejected_table(r.rejected)]
        if r.signed:
            parts += [Text(t("sheets.signed_head", n=len(r.signed)), style="bold"),
                      _signed_table(r.signed)]
        if r.unchanged:
            parts += [Text(t("sheets.unchanged_head", n=len(r.unchanged)), style="bold"),
                      _unchanged_table(r.unchanged)]
        return summary_text(r), Group(*parts) if parts else None


def summary_text(r: Any) -> str:
    return t("sheets.summary", signed=len(r.signed), late=r.late, unchanged=len(r.unchanged),
             rejected=len(r.rejected), created=r.owners_created)


def _table(*heads: str) -> Table:
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    for i, h in enumerate(heads):
        table.add_column(h, no_wrap=i < len(heads) - 1, justify="right" if i == 0 else "left")
    return table


def _more(table: Table, rows: list, cols: int) -> None:
    if len(rows) > MAX_SHOWN:
        table.add_row(*([Text("")] * (cols - 1)), Text(t("sheets.more", n=len(rows) - MAX_SHOWN)))


def _rejected_table(rows: list) -> Table:
    table = _table(t("sheets.col_row"), t("sheets.col_sheet"), t("sheets.col_reason"))
    for r in rows[:MAX_SHOWN]:
        table.add_row(Text(str(r.row)), Text(column_text(r.sheet)), Text(r.message()))
    _more(table, rows, 3)
    return table


def _signed_table(rows: list) -> Table:
    table = _table(t("sheets.col_row"), t("sheets.col_order"), t("sheets.col_owner"),
                   t("sheets.col_at"))
    for r in rows[:MAX_SHOWN]:
        at = f"{r.signed_at:%Y-%m-%d %H:%M}"
        if not r.time_given:
            at += " " + t("sheets.time_now")
        if r.late:
            at += " " + t("sheets.late")
        table.add_row(Text(str(r.row)), Text(r.order_no), Text(f"{r.name} {r.phone}"),
                      Text(at, style="red" if r.late else ""))
    _more(table, rows, 4)
    return table


def _unchanged_table(rows: list) -> Table:
    table = _table(t("sheets.col_row"), t("sheets.col_order"))
    for _sheet, row, order_no in rows[:MAX_SHOWN]:
        table.add_row(Text(str(row)), Text(order_no))
    _more(table, rows, 2)
    return table


# ---- the prompts -----------------------------------------------------------------------------


def ask_import_sheets(screen: Screen, done: Callable[[Any], None] | None = None) -> None:
    """Path prompt (an existing .xlsx/.csv), then the import and its result."""
    from hotline_tui.tui.modals.prompt import PathPrompt
    from hotline_tui.tui.screens.directory_base import default_dir

    def chosen(path: str | None) -> None:
        if path:
            screen.app.push_screen(ReturnedSheetScreen(Path(path)),
                                   lambda r: done(r) if done is not None else None)

    screen.app.push_screen(
        PathPrompt(t("sheets.prompt_title"), t("sheets.prompt_label"),
                   str(default_dir()) + "/", must_exist=True),
        chosen,
    )


def ask_export_roster(screen: Screen, unit: int | None = None) -> None:
    """Path prompt (a new .xlsx; overwriting asks twice), then the roster written in a
    worker; the path or the one-sentence error as a notification."""
    from hotline_tui.tui.modals.prompt import PathPrompt
    from hotline_tui.tui.screens.directory_base import default_dir

    engine = screen.app.engine  # type: ignore[attr-defined]
    name = t("roster.default_name", stamp=clock.now().strftime("%Y%m%d"))

    def write(path: str) -> None:
        from hotline_tui.services.owners import export_roster

        try:
            out = export_roster(engine, path, unit=unit)
        except Exception as exc:  # noqa: BLE001
            screen.app.call_from_thread(screen.app.notify, message_for(exc), severity="error",
                                        timeout=8)
            return
        screen.app.call_from_thread(screen.app.notify, t("roster.written", path=out))

    def chosen(path: str | None) -> None:
        if path:
            screen.run_worker(lambda: write(path), thread=True, group="roster-export",
                              exit_on_error=False)

    screen.app.push_screen(
        PathPrompt(t("roster.prompt_title"), t("roster.prompt_label"),
                   str(default_dir() / name), must_exist=False, suffix=".xlsx"),
        chosen,
    )
