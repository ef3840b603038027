"""The units directory (单位): every unit with kind, phone, leader and how often orders went
to it; `/` finds by Chinese, full pinyin or initials; add, edit, retire, import a list."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.i18n import t
from hotline_tui.services.units import UnitInfo
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import FindableDirectory, default_dir
from hotline_tui.tui.widgets.record_table import Cell, RecordTable

# (column, max width in cells; None: as wide as its cells)
COLUMNS: list[tuple[str, int | None]] = [
    ("name", 36), ("short", 16), ("kind", None), ("phone", 18), ("leader", 12),
    ("usage", None),
]


def unit_cells(u: UnitInfo) -> list[Cell]:
    from hotline_tui.tui.modals.unit_form import kind_label

    name = u.name + (t("unit.retired_mark") if u.retired else "")
    return [name, u.short_name, kind_label(u.kind), u.phone, u.leader,
            (f"{u.usage:>6,}", "")]


class UnitsScreen(FindableDirectory):
    TITLE_KEY = "screen.units"
    CSS_PATH = "units.tcss"
    AUTO_FOCUS = "#units"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "find", "units.find", id="units.find"),
        Binding("escape", "clear_find", "units.clear_find", id="units.clear_find", show=False),
        Binding("n", "add", "units.add", id="units.add"),
        Binding("e,enter", "edit", "units.edit", id="units.edit"),
        Binding("r", "retire", "units.retire", id="units.retire"),
        Binding("D,delete", "delete", "units.delete", id="units.delete"),
        Binding("i", "import_file", "units.import", id="units.import"),
        Binding("h", "toggle_retired", "units.show_retired", id="units.show_retired",
                show=False),
        Binding("ctrl+r", "reload", "units.reload", id="units.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.show_retired = True
        self.units: dict[str, UnitInfo] = {}
        self.total = 0

    def compose_body(self) -> Iterable[Widget]:
        yield Input(placeholder=t("units_screen.find_placeholder"), id="find")
        yield RecordTable(
            [(key, t(f"units_screen.col_{key}"), w) if w else (key, t(f"units_screen.col_{key}"))
             for key, w in COLUMNS], id="units")
        yield Static("", id="status", markup=False)

    @property
    def table(self) -> RecordTable:
        return self.query_one("#units", RecordTable)

    @property
    def find_box(self) -> Input:
        return self.query_one("#find", Input)

    def on_mount(self) -> None:
        self.reload()

    # -- loading ------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        text = self.find_box.value.strip()
        include = self.show_retired
        engine = self.engine

        def work() -> tuple[list[UnitInfo], int]:
            from hotline_tui.services.units import count_units, list_units, lookup_units

            total = count_units(engine, include_retired=include)
            if text:
                return [m.unit for m in lookup_units(engine, text, limit=100_000,
                                                     include_retired=include)], total
            return list_units(engine, include_retired=include), total

        self.run_db(work, lambda result: self._show(result, keep), latest=True)

    def _show(self, result: tuple[list[UnitInfo], int], keep: str | None) -> None:
        units, self.total = result
        self.units = {str(u.id): u for u in units}
        self.table.set_rows(
            ((str(u.id), unit_cells(u), "dim" if u.retired else "") for u in units), keep
        )
        self._show_status()

    def _show_status(self) -> None:
        parts = [t("units_screen.count", shown=len(self.units), total=self.total)]
        text = self.find_box.value.strip()
        if text:
            parts.append(t("units_screen.find_is", text=text))
        if not self.show_retired:
            parts.append(t("units_screen.retired_hidden"))
        self.show_status("  |  ".join(parts))

    @property
    def current(self) -> UnitInfo | None:
        key = self.table.current_key
        return self.units.get(key) if key is not None else None

    # -- changes ---------------------------------------------------------------------------
    def action_add(self) -> None:
        from hotline_tui.tui.modals.unit_form import UnitForm

        self.app.push_screen(UnitForm(), self._saved)

    def action_edit(self) -> None:
        from hotline_tui.tui.modals.unit_form import UnitForm

        unit = self.current
        if unit is not None:
            self.app.push_screen(UnitForm(unit), self._saved)

    def _saved(self, unit: UnitInfo | None) -> None:
        if unit is not None:
            self.notify(t("units_screen.saved", unit=unit.name))
            self.reload(keep=str(unit.id))

    def action_retire(self) -> None:
        unit = self.current
        if unit is None:
            return
        from hotline_tui.services.units import retire_unit

        engine = self.engine

        def done(u: UnitInfo) -> None:
            key = "unit.cli_retired" if u.retired else "unit.cli_restored"
            self.notify(t(key, unit=u.name))
            self.reload(keep=str(u.id))

        self.run_db(lambda: retire_unit(engine, unit.id, not unit.retired), done)

    def action_delete(self) -> None:
        unit = self.current
        if unit is None:
            return
        from hotline_tui.tui.modals.pick import PickScreen

        options = [("keep", t("units_screen.delete_no")),
                   ("delete", t("units_screen.delete_yes", unit=unit.name))]

        def chosen(choice: str | None) -> None:
            if choice == "delete":
                self._delete(unit)

        self.app.push_screen(
            PickScreen(t("units_screen.delete_title", unit=unit.name), options, "keep"), chosen
        )

    def _delete(self, unit: UnitInfo) -> None:
        from hotline_tui.services.units import delete_unit

        engine = self.engine

        def done(_: None) -> None:
            self.notify(t("unit.cli_deleted", unit=unit.name))
            self.reload()

        self.run_db(lambda: delete_unit(engine, unit.id), done)

    def action_import_file(self) -> None:
        from hotline_tui.tui.modals.prompt import PathPrompt

        def chosen(path: str | None) -> None:
            if path:
                from hotline_tui.tui.modals.unit_import import UnitImportScreen

                self.app.push_screen(UnitImportScreen(Path(path)), lambda _r: self.reload())

        self.app.push_screen(
            PathPrompt(t("units_screen.import_title"), t("units_screen.import_label"),
                       str(default_dir()) + "/", must_exist=True),
            chosen,
        )


TOP_SCREEN = TopScreen(
    id="units", key="f6", title_key="screen.units", factory=UnitsScreen, order=60
)
