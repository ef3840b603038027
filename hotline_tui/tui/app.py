"""The workbench shell: top-level screens as modes, keys with ids, keymap, help, palette."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import ClassVar

from sqlalchemy.engine import Engine
from textual.app import App
from textual.binding import Binding, BindingType
from textual.dom import DOMNode

from hotline_tui.i18n import set_lang, t
from hotline_tui.tui.keys import (
    KeymapError,
    describe,
    key_display,
    load_keymap,
    localize_bindings,
)
from hotline_tui.tui.registry import TopScreen, discover

# Seconds after start-up before the screens' warm-up reads run (after the first paint).
WARM_DELAY_S = 2.0
# Seconds after start-up before the daily backup (services/backup.py) runs in a thread.
BACKUP_DELAY_S = 3.0


@dataclass
class KeyRow:
    """One action reachable on a screen: its keys, description, action and namespace."""

    keys: list[str]
    description: str
    action: str
    node: DOMNode
    binding_id: str
    shown: bool = False  # in the footer


def _shell_commands():  # noqa: ANN202 - imported when the palette first opens
    from hotline_tui.tui.commands import ShellCommands

    return ShellCommands


class HotlineApp(App[None]):
    """The clerk's workbench on one database."""

    CSS_PATH = "app.tcss"
    TITLE = "hotline-tui"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS: ClassVar = {_shell_commands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("question_mark,f1", "show_keys", "app.help", id="app.help"),
        Binding("ctrl+p", "command_palette", "app.palette", id="app.palette", show=False, priority=True),
        Binding("ctrl+q", "quit", "app.quit", id="app.quit", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
    ]

    def __init__(self, engine: Engine, db_label: str, lang: str | None = None) -> None:
        if lang:
            set_lang(lang)
        super().__init__()
        localize_bindings(self)
        self.engine = engine
        self.db_label = db_label
        self.clerk = ""
        self.warn_hours = 48  # deadlines this close are marked (settings: warn_hours)
        self.top_screens: list[TopScreen] = discover()
        show_keys = len(self.top_screens) > 1
        for spec in self.top_screens:
            self.add_mode(spec.id, spec.factory)
            self._bindings._add_binding(  # noqa: SLF001 - BINDINGS built from the registry
                Binding(
                    spec.key,
                    f"app.switch_mode('{spec.id}')",
                    t(spec.title_key),
                    show=show_keys,
                    id=f"screen.{spec.id}",
                )
            )
        self._clash_reported: set[str] = set()

    # -- start-up ---------------------------------------------------------------------
    def on_mount(self) -> None:
        self.title = t("app.title")
        self._load_office()
        self.reload_keymap()
        if self.top_screens:
            self.switch_mode(self.top_screens[0].id)
        if any(spec.warm for spec in self.top_screens):
            self.set_timer(WARM_DELAY_S, self._warm_screens)
        self.set_timer(BACKUP_DELAY_S, self._daily_backup)

    def _daily_backup(self) -> None:
        self.run_worker(self._backup_in_thread, thread=True, group="backup", exit_on_error=False)

    def _backup_in_thread(self) -> None:
        """The first start of a working day takes a backup; only a failure is shown."""
        from hotline_tui.services.backup import daily_backup_if_due

        try:
            daily_backup_if_due(self.engine)
        except Exception as exc:  # noqa: BLE001 - the clerk's work goes on without it
            self.call_from_thread(self.notify, t("backup.daily_failed", reason=exc),
                                  severity="warning")

    def _warm_screens(self) -> None:
        self.run_worker(self._warm_in_thread, thread=True, group="warm", exit_on_error=False)

    def _warm_in_thread(self) -> None:
        """Each screen's warm-up read, off the event loop; a failure only costs speed."""
        for spec in self.top_screens:
            if spec.warm is not None:
                try:
                    spec.warm(self.engine)
                except Exception:  # noqa: BLE001 - warming is an optimisation
                    pass

    def _load_office(self) -> None:
        """The clerk's name for the header and the deadline warning window (two tiny reads)."""
        from hotline_tui.services.settings import clerk_name, get_setting

        try:
            with self.engine.connect() as conn:
                self.clerk = clerk_name(conn)
                hours = get_setting(conn, "warn_hours")
            if isinstance(hours, list) and hours:
                self.warn_hours = int(max(hours))
        except Exception:  # noqa: BLE001 - the header and colours can live without them
            pass

    def reload_keymap(self) -> bool:
        """Apply the user's keymap file; a bad file gives one line, the defaults stay."""
        from hotline_tui import config

        path = config.keymap_file()
        try:
            keymap = load_keymap(path)
        except KeymapError as exc:
            self.set_keymap({})
            self.notify(str(exc), severity="error", timeout=10)
            return False
        self.set_keymap(keymap)
        return True

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node) -> None:  # noqa: ANN001
        new = sorted(b.id or b.key for b in clashed_bindings if (b.id or b.key) not in
                     self._clash_reported)
        if new:
            self._clash_reported.update(new)
            self.notify(t("keymap.clash", ids=", ".join(new)), severity="warning", timeout=10)

    # -- actions ----------------------------------------------------------------------
    def action_show_keys(self) -> None:
        """`?`: every key active on the current screen, as bound now (rebinds included)."""
        from hotline_tui.tui.modals.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(self.key_rows(self.screen)))

    def action_command_palette(self) -> None:
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(
                CommandPalette(placeholder=t("palette.placeholder"), id="--command-palette")
            )

    def key_rows(self, screen) -> list[KeyRow]:  # noqa: ANN001
        """Every binding active on `screen` with all its keys, as bound now (for help and
        the palette); the focused widget's first, the app's last."""
        rows: dict[tuple[int, str], KeyRow] = {}
        for key, active in screen.active_bindings.items():
            b = active.binding
            if b.system:
                continue
            ident = (id(active.node), b.action)
            shown = self.get_key_display(b.with_key(key))
            if ident in rows:
                rows[ident].keys.append(shown)
            else:
                rows[ident] = KeyRow([shown], describe(b), b.action, active.node, b.id or "",
                                     b.show)
        return list(rows.values())

    def get_key_display(self, binding: Binding) -> str:
        return key_display(super().get_key_display(binding))

    # -- errors never as tracebacks on screen -------------------------------------------
    def _handle_exception(self, error: Exception) -> None:
        from hotline_tui.tui.errors import log_crash

        self._crash_log = log_crash(error)
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self._exit_renderables and not os.environ.get("HOTLINE_DEBUG"):
            path = getattr(self, "_crash_log", None)
            self._exit_renderables.clear()
            self.error_console.print(
                t("error.prefix") + t("error.internal", path=path), markup=False
            )
            return
        super()._print_error_renderables()
