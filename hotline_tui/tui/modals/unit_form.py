"""The form to add a unit or edit one: name, short name, kind, phone, leader."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input

from hotline_tui.domain.kinds import UnitKind
from hotline_tui.i18n import t
from hotline_tui.services.units import UnitInfo
from hotline_tui.tui.modals.record_form import FormDialog, field_label
from hotline_tui.tui.widgets.choice_row import ChoiceRow


def kind_label(kind: str) -> str:
    """乡镇 / 县直部门 / 其他 for a stored kind."""
    return t(f"unit.kind_{kind}") if kind in {k.value for k in UnitKind} else kind


class UnitForm(FormDialog):
    """Dismissed with the saved UnitInfo, or None when cancelled."""

    def __init__(self, unit: UnitInfo | None = None) -> None:
        title = t("units_screen.edit_title", unit=unit.name) if unit else t(
            "units_screen.add_title")
        super().__init__(title)
        self.unit = unit

    def compose_fields(self) -> Iterable[Widget]:
        u = self.unit
        kinds = [(kind_label(k.value), k.value) for k in UnitKind]
        yield field_label(t("unit.col_name"), "unit-name")
        yield Input(u.name if u else "", id="unit-name")
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield field_label(t("unit.col_short"), "unit-short")
                yield Input(u.short_name if u else "", id="unit-short")
            with Vertical(classes="form-cell"):
                yield field_label(t("unit.col_kind"), "unit-kind")
                yield ChoiceRow(kinds, u.kind if u else UnitKind.DEPARTMENT.value,
                                id="unit-kind")
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield field_label(t("unit.col_phone"), "unit-phone")
                yield Input(u.phone if u else "", id="unit-phone")
            with Vertical(classes="form-cell"):
                yield field_label(t("unit.col_leader"), "unit-leader")
                yield Input(u.leader if u else "", id="unit-leader")

    def on_mount(self) -> None:
        self.query_one("#unit-name", Input).focus()

    def values(self) -> dict[str, Any]:
        return dict(
            name=self.input_value("unit-name"),
            short_name=self.input_value("unit-short"),
            kind=self.query_one("#unit-kind", ChoiceRow).value,
            phone=self.input_value("unit-phone"),
            leader=self.input_value("unit-leader"),
        )

    def save(self, values: dict[str, Any]) -> UnitInfo:
        from hotline_tui.services.units import add_unit, edit_unit

        engine = self.app.engine  # type: ignore[attr-defined]
        if self.unit is None:
            return add_unit(engine, **values)
        return edit_unit(engine, self.unit.id, **values)
