"""交办 from the TUI: a confirmation showing what would happen (per unit counts and deadlines,
orders left out and why, years counted weekends-only), where the sheets go, their formats
and whether callers are shown in full; then the dispatch and the sheets in a worker, and a
dialog listing the files written."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Input, Static

from hotline_tui.i18n import t
from hotline_tui.tui.bound_keys import bound_keys
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals import Dialog
from hotline_tui.tui.modals.prompt import PathInput
from hotline_tui.tui.text import column_text

if TYPE_CHECKING:
    from hotline_tui.services.dispatch import DispatchResult

MAX_SKIPPED_SHOWN = 200


def _when(dt: Any) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


def _warnings(result: DispatchResult) -> list[str]:
    out = list(result.warnings())
    if out:
        out.append(t("calendar.warn.how_to_enter"))
    return out


def summary_table(result: DispatchResult) -> Table:
    """Per unit: how many orders and the span of their deadlines."""
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    table.add_column(t("dispatch_dialog.col_unit"))
    table.add_column(t("dispatch_dialog.col_count"), justify="right", no_wrap=True)
    table.add_column(t("dispatch_dialog.col_due"), no_wrap=True)
    for unit, orders in result.by_unit().items():
        dues = sorted(d.due_at for d in orders)
        span = _when(dues[0]) if dues[0] == dues[-1] else f"{_when(dues[0])} ~ {_when(dues[-1])}"
        table.add_row(Text(column_text(unit)), Text(str(len(orders))), Text(span))
    return table


class DispatchScreen(Dialog):
    """Dismissed with (DispatchResult, {unit: [Path]}) after dispatching, or None."""

    CSS_PATH = "triage_dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "dispatch_dialog.confirm", id="dispatch_dialog.confirm"),
        Binding("escape", "cancel", "dispatch_dialog.cancel", id="dispatch_dialog.cancel"),
        Binding("x", "toggle('xlsx')", "dispatch_dialog.xlsx", id="dispatch_dialog.xlsx"),
        Binding("w", "toggle('docx')", "dispatch_dialog.docx", id="dispatch_dialog.docx"),
        Binding("m", "toggle_unmask", "dispatch_dialog.unmask", id="dispatch_dialog.unmask"),
        Binding("f", "edit_folder", "dispatch_dialog.folder", id="dispatch_dialog.folder"),
        Binding("j,down", "scroll(1)", "dispatch_dialog.down", id="dispatch_dialog.down",
                show=False),
        Binding("k,up", "scroll(-1)", "dispatch_dialog.up", id="dispatch_dialog.up",
                show=False),
    ]

    def __init__(self, order_nos: Sequence[str] | None = None,
                 out_dir: str | Path | None = None) -> None:
        super().__init__()
        self.order_nos = list(order_nos) if order_nos is not None else None
        self.out_dir = str(out_dir) if out_dir is not None else ""
        self.formats = {"xlsx": True, "docx": True}
        self.unmask = False
        self.preview: DispatchResult | None = None
        self.busy = True  # the dry run is on its way

    def compose(self) -> ComposeResult:
        which = (t("dispatch_dialog.which_marked", n=len(self.order_nos))
                 if self.order_nos is not None else t("dispatch_dialog.which_all"))
        with Vertical(classes="dialog", id="dispatch-box"):
            yield Static(t("dispatch_dialog.title"), classes="dialog-title", markup=False)
            yield Static(which, classes="dialog-label", markup=False)
            with VerticalScroll(id="dispatch-scroll"):
                yield Static(t("dispatch_dialog.computing"), id="dispatch-summary")
                yield Static("", id="dispatch-warnings")
                yield Static("", id="dispatch-skipped")
            yield Static(t("dispatch_dialog.folder_label"), classes="dialog-label",
                         markup=False)
            yield PathInput(self.out_dir, id="dispatch-folder")
            yield Static("", id="dispatch-options")
            yield Static("", id="dispatch-error", classes="dialog-error", markup=False)
            yield Static("", id="dispatch-hint", classes="dialog-hint", markup=False)

    def _hint(self) -> str:
        keys = bound_keys(self, ["dispatch_dialog.confirm", "dispatch_dialog.folder",
                                 "dispatch_dialog.cancel"])
        return t("dispatch_dialog.hint", confirm=keys["dispatch_dialog.confirm"],
                 folder=keys["dispatch_dialog.folder"], cancel=keys["dispatch_dialog.cancel"])

    def on_mount(self) -> None:
        self.query_one("#dispatch-scroll").focus()
        self.query_one("#dispatch-hint", Static).update(self._hint())
        self._show_options()
        self.run_worker(self._dry_run, thread=True, group="dispatch-preview",
                        exit_on_error=False)

    # -- the preview ------------------------------------------------------------------------
    def _dry_run(self) -> None:
        from hotline_tui.services.dispatch import dispatch
        from hotline_tui.services.sheets import default_sheets_dir

        engine = self.app.engine  # type: ignore[attr-defined]
        try:
            folder = self.out_dir or str(default_sheets_dir(engine))
            result = dispatch(engine, self.order_nos, dry_run=True)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, message_for(exc))
            return
        self._from_thread(self._previewed, result, folder)

    def _from_thread(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    def _previewed(self, result: DispatchResult, folder: str) -> None:
        self.busy = False
        self.preview = result
        box = self.query_one("#dispatch-folder", Input)
        if not box.value:
            box.value = folder
        summary = self.query_one("#dispatch-summary", Static)
        if result.dispatched:
            summary.update(Group(
                Text(t("dispatch_dialog.will", n=len(result.dispatched),
                       units=len(result.by_unit()), at=_when(result.at)), style="bold"),
                summary_table(result),
            ))
        else:
            summary.update(Text(t("dispatch_dialog.nothing"), style="bold"))
        warnings = _warnings(result)
        self.query_one("#dispatch-warnings", Static).update(
            Text("\n".join(warnings), style="bold yellow") if warnings else "")
        self.query_one("#dispatch-warnings").set_class(bool(warnings), "-warn")
        skipped = result.skipped
        if skipped:
            lines = [Text(t("dispatch_dialog.skipped", n=len(skipped)), style="bold")]
            lines += [Text("  " + s.message()) for s in skipped[:MAX_SKIPPED_SHOWN]]
            if len(skipped) > MAX_SKIPPED_SHOWN:
                lines.append(Text(t("dispatch_dialog.more", n=len(skipped) - MAX_SKIPPED_SHOWN),
                                  style="dim"))
            self.query_one("#dispatch-skipped", Static).update(Group(*lines))

    def _failed(self, text: str) -> None:
        self.busy = False
        self.query_one("#dispatch-summary", Static).update("")
        self.query_one("#dispatch-error", Static).update(text)

    # -- options ----------------------------------------------------------------------------
    def _show_options(self) -> None:
        def box(on: bool) -> str:
            return "[x]" if on else "[ ]"

        keys = bound_keys(self, ["dispatch_dialog.xlsx", "dispatch_dialog.docx",
                                 "dispatch_dialog.unmask"])
        text = Text()
        text.append(t("dispatch_dialog.formats") + "  ", style="bold")
        text.append(f"{box(self.formats['xlsx'])} xlsx ({keys['dispatch_dialog.xlsx']})   "
                    f"{box(self.formats['docx'])} docx ({keys['dispatch_dialog.docx']})\n")
        text.append(f"{box(self.unmask)} " + t("dispatch_dialog.unmask")
                    + f" ({keys['dispatch_dialog.unmask']})",
                    style="bold red" if self.unmask else "")
        text.append("\n" + t("dispatch_dialog.confidential_note"), style="dim")
        self.query_one("#dispatch-options", Static).update(text)

    def action_toggle(self, fmt: str) -> None:
        self.formats[fmt] = not self.formats[fmt]
        self._show_options()

    def action_toggle_unmask(self) -> None:
        self.unmask = not self.unmask
        self._show_options()

    def action_edit_folder(self) -> None:
        box = self.query_one("#dispatch-folder", Input)
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Submitted, "#dispatch-folder")
    def _folder_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#dispatch-scroll").focus()

    def action_scroll(self, step: int) -> None:
        box = self.query_one("#dispatch-scroll", VerticalScroll)
        box.scroll_down(animate=False) if step > 0 else box.scroll_up(animate=False)

    # -- dispatching ------------------------------------------------------------------------
    def action_confirm(self) -> None:
        if self.busy or self.preview is None:
            return
        error = self.query_one("#dispatch-error", Static)
        if not self.preview.dispatched:
            error.update(t("dispatch_dialog.nothing"))
            return
        formats = [f for f, on in self.formats.items() if on]
        if not formats:
            error.update(t("dispatch_dialog.no_format"))
            return
        folder = self.query_one("#dispatch-folder", Input).value.strip()
        if not folder:
            error.update(t("dispatch_dialog.no_folder"))
            return
        error.update("")
        self.busy = True
        self.query_one("#dispatch-hint", Static).update(t("dispatch_dialog.running"))
        unmask = self.unmask
        self.run_worker(lambda: self._dispatch(folder, formats, unmask), thread=True,
                        group="dispatch-run", exit_on_error=False)

    def _dispatch(self, folder: str, formats: list[str], unmask: bool) -> None:
        from hotline_tui.services.dispatch import dispatch_and_write

        try:
            result, files = dispatch_and_write(
                self.app.engine, self.order_nos, out_dir=folder,  # type: ignore[attr-defined]
                formats=formats, unmask=unmask)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._dispatch_failed, message_for(exc))
            return
        self._from_thread(self.dismiss, (result, files, folder))

    def _dispatch_failed(self, text: str) -> None:
        self.busy = False
        self.query_one("#dispatch-hint", Static).update(self._hint())
        self.query_one("#dispatch-error", Static).update(text)

    def action_cancel(self) -> None:
        box = self.query_one("#dispatch-folder", Input)
        if box.has_focus:
            self.query_one("#dispatch-scroll").focus()
            return
        if self.busy and self.preview is not None:
            return  # dispatching: wait for it
        self.dismiss(None)


class DispatchDoneScreen(Dialog):
    """What was dispatched and the files written, by unit."""

    CSS_PATH = "triage_dialogs.tcss"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,enter", "dismiss(None)", "dispatch_dialog.close",
                id="dispatch_dialog.close"),
        Binding("j,down", "scroll(1)", "dispatch_dialog.down", id="dispatch_dialog.down",
                show=False),
        Binding("k,up", "scroll(-1)", "dispatch_dialog.up", id="dispatch_dialog.up",
                show=False),
    ]

    def __init__(self, result: DispatchResult, files: dict[str, list[Path]],
                 folder: str) -> None:
        super().__init__()
        self.result = result
        self.files = files
        self.folder = folder

    def compose(self) -> ComposeResult:
        r = self.result
        n_files = sum(len(v) for v in self.files.values())
        with Vertical(classes="dialog", id="dispatch-done-box"):
            yield Static(t("dispatch_dialog.done_title", n=len(r.dispatched), files=n_files),
                         classes="dialog-title", markup=False)
            yield Static(t("dispatch_dialog.done_folder", folder=self.folder),
                         classes="dialog-label", markup=False)
            with VerticalScroll(id="dispatch-done-scroll"):
                yield Static(self._body(), id="dispatch-done-files")
            yield Static(t("dispatch_dialog.close_hint"), classes="dialog-hint", markup=False)

    def _body(self) -> Group:
        r = self.result
        parts: list[Any] = []
        warnings = _warnings(r)
        if warnings:
            parts.append(Text("\n".join(warnings), style="bold yellow"))
        table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
        table.add_column(t("dispatch_dialog.col_unit"))
        table.add_column(t("dispatch_dialog.col_count"), justify="right", no_wrap=True)
        table.add_column(t("dispatch_dialog.col_files"))
        for unit, orders in r.by_unit().items():
            names = "\n".join(p.name for p in self.files.get(unit, []))
            table.add_row(Text(column_text(unit)), Text(str(len(orders))), Text(names))
        parts.append(table)
        if r.skipped:
            parts.append(Text(t("dispatch_dialog.skipped", n=len(r.skipped)), style="bold"))
            parts += [Text("  " + s.message()) for s in r.skipped[:MAX_SKIPPED_SHOWN]]
        return Group(*parts)

    def action_scroll(self, step: int) -> None:
        box = self.query_one("#dispatch-done-scroll", VerticalScroll)
        box.scroll_down(animate=False) if step > 0 else box.scroll_up(animate=False)
