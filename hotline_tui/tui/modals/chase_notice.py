"""The written chase notice (催办通知书) from the queue screen: for the unit of the order under
the cursor, or the units of the marked orders, one .docx and one .xlsx per unit written by
services.queue_docs.write_chase_notices into a folder (editable), optionally logging a chase
by written notice on every order listed; then where the files went. Dismissed with the
files by unit name ({} when nothing was written), or None when closed before writing."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, ClassVar

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


def default_notice_dir(engine: Any) -> Path:
    """A folder 催办通知书 beside the dispatch sheets (the office's paper folder)."""
    from hotline_tui.services.sheets import default_sheets_dir

    return default_sheets_dir(engine) / t("queue_tui.notice.subfolder")


class ChaseNoticeDialog(Dialog):
    """`units`: (unit id, unit name) pairs."""

    AUTO_FOCUS = ""  # nothing: the keys act at once; `f` goes into the folder field
    DEFAULT_CSS = """
    ChaseNoticeDialog #notice-files {
        height: auto;
        max-height: 12;
        margin-top: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "write", "notice_dialog.write", id="notice_dialog.write"),
        Binding("escape", "cancel", "notice_dialog.cancel", id="notice_dialog.cancel"),
        Binding("f", "edit_folder", "notice_dialog.folder", id="notice_dialog.folder"),
        Binding("l", "toggle_log", "notice_dialog.log", id="notice_dialog.log"),
    ]

    def __init__(self, units: Sequence[tuple[int, str]], folder: str | Path | None = None
                 ) -> None:
        super().__init__()
        self.units = list(units)
        self.folder = str(folder) if folder is not None else ""
        self.log_chase = False
        self.busy = False
        self.result: dict[str, list[Path]] | None = None

    def compose(self) -> ComposeResult:
        names = "、".join(name for _uid, name in self.units)
        with Vertical(classes="dialog", id="notice-box"):
            yield Static(t("queue_tui.notice.title"), classes="dialog-title", id="notice-title",
                         markup=False)
            yield Static(t("queue_tui.notice.units", units=names), id="notice-units",
                         markup=False)
            yield Static(t("queue_tui.notice.folder"), classes="dialog-label",
                         id="notice-folder-label", markup=False)
            yield PathInput(self.folder, id="notice-folder")
            yield Static("", id="notice-options")
            with VerticalScroll(id="notice-files"):
                yield Static("", id="notice-files-text")
            yield Static("", id="notice-error", classes="dialog-error", markup=False)
            yield Static("", id="notice-hint", classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#notice-files").display = False
        self.set_focus(None)
        self._show_options()
        self.query_one("#notice-hint", Static).update(self._hint())
        if not self.folder:
            engine = self.app.engine  # type: ignore[attr-defined]

            def work() -> None:
                try:
                    folder = str(default_notice_dir(engine))
                except Exception:  # noqa: BLE001 - the clerk types one
                    folder = ""
                try:
                    self.app.call_from_thread(self._set_folder, folder)
                except RuntimeError:
                    pass

            self.run_worker(work, thread=True, group="notice-folder", exit_on_error=False)

    def _set_folder(self, folder: str) -> None:
        box = self.query_one("#notice-folder", Input)
        if not box.value:
            box.value = folder

    def _hint(self) -> str:
        keys = bound_keys(self, ["notice_dialog.write", "notice_dialog.folder",
                                 "notice_dialog.cancel"])
        return t("queue_tui.notice.hint", write=keys["notice_dialog.write"],
                 folder=keys["notice_dialog.folder"], cancel=keys["notice_dialog.cancel"])

    def _show_options(self) -> None:
        key = bound_keys(self, ["notice_dialog.log"])["notice_dialog.log"]
        text = Text()
        text.append(("[x] " if self.log_chase else "[ ] ") + t("queue_tui.notice.log", hotkey=key))
        text.append("\n" + t("queue_tui.notice.masked"), style="dim")
        self.query_one("#notice-options", Static).update(text)

    def action_toggle_log(self) -> None:
        if self.result is None and not self.busy:
            self.log_chase = not self.log_chase
            self._show_options()

    def action_edit_folder(self) -> None:
        if self.result is not None:
            return
        box = self.query_one("#notice-folder", Input)
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Submitted, "#notice-folder")
    def _folder_done(self, event: Input.Submitted) -> None:
        """Enter in the folder field writes, as it does anywhere in the dialog."""
        event.stop()
        self.set_focus(None)
        self.action_write()

    @on(Input.Changed, "#notice-folder")
    def _folder_edited(self) -> None:
        self.query_one("#notice-error", Static).update("")

    # -- writing -----------------------------------------------------------------------------
    def action_write(self) -> None:
        if self.result is not None:
            self.dismiss(self.result)
            return
        if self.busy:
            return
        folder = self.query_one("#notice-folder", Input).value.strip()
        if not folder:
            self.query_one("#notice-error", Static).update(t("queue_tui.notice.no_folder"))
            return
        self.busy = True
        self.query_one("#notice-hint", Static).update(t("queue_tui.notice.running"))
        log = self.log_chase
        units = list(self.units)
        engine = self.app.engine  # type: ignore[attr-defined]

        def work() -> None:
            from hotline_tui.services.queue_docs import write_chase_notices

            files: dict[str, list[Path]] = {}
            errors: list[str] = []
            for uid, name in units:  # one transaction per unit: a unit's files and history
                try:
                    files.update(write_chase_notices(engine, folder, unit=uid, log_chase=log))
                except Exception as exc:  # noqa: BLE001 - one sentence per unit
                    errors.append(t("queue_tui.notice.failed_unit", unit=name,
                                    error=message_for(exc)))
            try:
                self.app.call_from_thread(self._written, folder, files, errors)
            except RuntimeError:
                pass

        self.run_worker(work, thread=True, group="notice-write", exit_on_error=False)

    def _written(self, folder: str, files: dict[str, list[Path]], errors: list[str]) -> None:
        self.busy = False
        if not files:
            self.query_one("#notice-hint", Static).update(self._hint())
            self.query_one("#notice-error", Static).update("\n".join(errors))
            return
        self.result = files
        where = str(Path(folder).expanduser().resolve())
        self.query_one("#notice-title", Static).update(
            t("queue_tui.notice.done_title", folder=where))
        lines = [t("queue_tui.notice.done_unit", unit=unit, files="  ".join(p.name for p in ps))
                 for unit, ps in files.items()]
        self.query_one("#notice-files-text", Static).update(Text("\n".join(lines)))
        self.query_one("#notice-files").display = True
        self.query_one("#notice-options").display = False
        self.query_one("#notice-folder").display = False
        self.query_one("#notice-folder-label").display = False
        self.query_one("#notice-error", Static).update("\n".join(errors))
        self.query_one("#notice-hint", Static).update(t("queue_tui.notice.close_hint"))
        self.set_focus(None)

    def action_cancel(self) -> None:
        box = self.query_one("#notice-folder", Input)
        if box.has_focus:
            self.set_focus(None)
            return
        if self.busy:
            return
        self.dismiss(self.result)
