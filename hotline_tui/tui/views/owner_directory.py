"""The owner directory (首接负责人通讯录): every owner with unit, post, phone, open and
overdue orders; `/` finds by name, pinyin initials, phone digits, unit or post; `e` fixes a
wrong number for all open orders at once; `enter` shows the owner's orders; `x` exports."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.i18n import t
from hotline_tui.tui.screens.directory_base import DirectoryScreen
from hotline_tui.tui.text import cell_len
from hotline_tui.tui.widgets.line_table import Col, KeepsTableFocus, Line, LineTable

DEBOUNCE = 0.05


def directory_columns(unit_width: int) -> list[Col]:
    return [
        Col("unit", t("register.col.unit"), unit_width),
        Col("name", t("register.col.owner"), 8),
        Col("phone", t("register.col.phone"), 13),
        Col("post", t("register.col.post"), 10, keep=4),
        Col("open", t("register.col.open"), 6, right=True),
        Col("overdue", t("register.col.overdue"), 6, right=True, keep=5),
        Col("last_used", t("register.col.last_used"), 10, keep=3),
    ]


def directory_line(r: Any) -> Line:
    return Line(str(r.owner_id), {
        "unit": r.unit_name, "name": r.name, "phone": r.phone, "post": r.post,
        "open": f"{r.open:,}" if r.open else "-", "overdue": f"{r.overdue:,}" if r.overdue else "-",
        "last_used": f"{r.last_used_at:%Y-%m-%d}" if r.last_used_at else "",
    }, tone="dim" if not r.open else "", data=r)


def matches(r: Any, words: list[str], spell: dict[int, str]) -> bool:
    """Every word is in the unit, name, phone or post, or starts the name's pinyin."""
    hay = f"{r.unit_name} {r.name} {r.phone} {r.post}".lower()
    keys = spell.get(r.owner_id, "")
    for w in words:
        if w in hay:
            continue
        if w.isascii() and any(k.startswith(w) for k in keys.split()):
            continue
        return False
    return True


class OwnerDirectoryScreen(KeepsTableFocus, DirectoryScreen):
    """Dismissed with True when a number was changed here."""

    TITLE_KEY = "screen.owner_directory"
    CSS_PATH = "owner_views.tcss"
    AUTO_FOCUS = "#directory"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", "owner_dir.find", id="owner_dir.find"),
        Binding("escape", "back", "owner_dir.back", id="owner_dir.back"),
        Binding("e", "edit_phone", "owner_dir.edit_phone", id="owner_dir.edit_phone"),
        Binding("x", "export", "owner_dir.export", id="owner_dir.export"),
        Binding("r,f5", "reload", "owner_dir.reload", id="owner_dir.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Any] = []
        self.spell: dict[int, str] = {}  # owner id -> "fullpinyin initials"
        self.changed = False
        self._debounce: Timer | None = None

    def compose_body(self) -> Iterable[Widget]:
        yield Input(placeholder=t("owner_dir.find_placeholder"), id="find")
        yield LineTable(directory_columns(12), note=t("register.loading"), id="directory")
        yield Static("", id="status", markup=False)

    @property
    def table(self) -> LineTable:
        return self.query_one("#directory", LineTable)

    @property
    def find_box(self) -> Input:
        return self.query_one("#find", Input)

    def on_screen_resume(self) -> None:
        self.restore_focus()

    def on_screen_suspend(self) -> None:
        self.remember_focus()

    def on_mount(self) -> None:
        self._last_table = self.table
        self.reload()

    def reload(self) -> None:
        engine = self.engine

        def work() -> tuple[list, dict[int, str]]:
            from hotline_tui.domain.pinyin import pinyin_of
            from hotline_tui.services.owners import roster

            rows = roster(engine)
            spell = {}
            for r in rows:
                full, initials = pinyin_of(r.name)
                spell[r.owner_id] = f"{full} {initials}"
            return rows, spell

        self.run_db(work, self._loaded, latest=True)

    def action_reload(self) -> None:
        self.reload()

    def _loaded(self, result: tuple[list, dict[int, str]]) -> None:
        self.rows, self.spell = result
        widest = max([cell_len(r.unit_name) for r in self.rows]
                     + [cell_len(t("register.col.unit"))])
        self.table.columns = directory_columns(min(widest, 24))
        self._apply()

    def _apply(self) -> None:
        self._debounce = None
        words = self.find_box.value.lower().split()
        rows = [r for r in self.rows if matches(r, words, self.spell)] if words else self.rows
        self.table.set_lines([directory_line(r) for r in rows], note=t("owner_dir.none"))
        self.show_status(t("owner_dir.count", n=len(rows), total=len(self.rows)))

    @on(Input.Changed, "#find")
    def _typed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(DEBOUNCE, self._apply)

    @on(Input.Submitted, "#find")
    def _found(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._apply()
        self.table.focus()

    def action_find(self) -> None:
        self.find_box.focus()

    def action_back(self) -> None:
        box = self.find_box
        if box.has_focus or box.value:
            box.value = ""
            if self._debounce is not None:
                self._debounce.stop()
            self._apply()
            self.table.focus()
            return
        self.dismiss(self.changed)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_phone":
            return self.table.current is not None
        return True

    @on(LineTable.Highlighted, "#directory")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(LineTable.Selected, "#directory")
    def _open(self, event: LineTable.Selected) -> None:
        from hotline_tui.tui.views.owner_orders import OwnerOrdersScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.changed = True
                self.reload()

        self.app.push_screen(OwnerOrdersScreen(event.line.data), back)

    def action_edit_phone(self) -> None:
        from hotline_tui.tui.screens.register import edit_phone

        line = self.table.current
        if line is None:
            return

        def done(_update: Any) -> None:
            self.changed = True
            self.reload()

        edit_phone(self, line.data, done)

    def action_export(self) -> None:
        from hotline_tui.tui.modals.returned_sheets import ask_export_roster

        ask_export_roster(self)
