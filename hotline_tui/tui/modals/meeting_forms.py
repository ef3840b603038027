"""The joint meeting's forms (联席会议): put an order on the next agenda by its number (with
the reason and the units concerned), and record the meeting's outcome (lead unit picked
from the units directory, assisting units, a deadline in working days or as a date), which
sends the order back to dispatch. A refusal is one sentence in the form; nothing is saved."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area
from hotline_tui.tui.modals.sponsor_forms import CSS
from hotline_tui.tui.text import clip, column_text
from hotline_tui.tui.widgets.unit_picker import UnitPicker

_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


class MeetingAddForm(FormDialog):
    """Order number (any order: it must exist), reason, units concerned. Dismissed with the
    service's AgendaItem."""

    CSS_PATH = CSS
    HINT_KEY = "sup.form.hint"

    def __init__(self, order_no: str = "", units: str = "") -> None:
        super().__init__(t("sup.meeting.title"))
        self.order_no = order_no
        self.units = units

    def compose_fields(self) -> Iterable[Widget]:
        yield field_label(t("sup.meeting.order_no"), "meeting-order")
        yield Input(self.order_no, id="meeting-order")
        yield field_label(t("sup.meeting.reason"), "meeting-reason")
        yield text_area("", "meeting-reason")
        yield field_label(t("sup.meeting.units"), "meeting-units")
        yield Input(self.units, id="meeting-units")

    def on_mount(self) -> None:
        self.query_one("#meeting-reason" if self.order_no else "#meeting-order").focus()

    def values(self) -> dict[str, Any]:
        return {"order_no": self.input_value("meeting-order"),
                "reason": self.area_value("meeting-reason"),
                "units": self.input_value("meeting-units")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["order_no"]:
            raise UserError("sup.meeting.no_order")
        if not values["reason"]:
            raise UserError("meeting.error.reason_required")
        return values

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.meeting import add_to_meeting

        return add_to_meeting(self.app.engine, values["order_no"],  # type: ignore[attr-defined]
                              reason=values["reason"], units=values["units"] or None)


def parse_due(text: str) -> tuple[str | None, date | None]:
    """(tier, None) for a number of working days or a tier's name, (None, day) for a date;
    UserError when empty or an impossible date."""
    s = unicodedata.normalize("NFKC", text or "").strip()
    if not s:
        raise UserError("sup.outcome.need_due")
    m = _DATE.match(s)
    if m:
        try:
            return None, date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise UserError("sup.outcome.bad_due", text=s) from None
    if re.match(r"^\d{4}\D", s):
        raise UserError("sup.outcome.bad_due", text=s)
    return s, None


class OutcomeForm(FormDialog):
    """The meeting's decision on one agenda item. Dismissed with the MeetingOutcome."""

    CSS_PATH = CSS
    HINT_KEY = "sup.outcome.hint"
    BINDINGS: ClassVar[list[BindingType]] = [
        *FormDialog.BINDINGS,
        Binding("ctrl+l", "pick('lead')", "sup_outcome.lead", id="sup_outcome.lead",
                priority=True),
        Binding("ctrl+t", "pick('assist')", "sup_outcome.assist", id="sup_outcome.assist",
                priority=True),
        Binding("ctrl+r", "clear_assist", "sup_outcome.clear_assist",
                id="sup_outcome.clear_assist", priority=True),
    ]

    def __init__(self, item: Any) -> None:
        super().__init__(t("sup.outcome.title", order_no=item.order_no,
                           title=clip(column_text(item.title), 40)))
        self.item = item
        self.lead: Any = None  # UnitInfo
        self.assists: list[Any] = []
        self.concerned: list[Any] = []  # UnitInfo of the units concerned (suggestions)

    def compose_fields(self) -> Iterable[Widget]:
        yield Static("", id="outcome-lead", markup=False)
        yield Static("", id="outcome-assist", markup=False)
        yield UnitPicker(self.app.engine, id="outcome-picker")  # type: ignore[attr-defined]
        yield field_label(t("sup.outcome.due"), "outcome-due")
        yield Input(id="outcome-due")
        yield field_label(t("sup.outcome.note"), "outcome-note")
        yield Input(id="outcome-note")

    @property
    def picker(self) -> UnitPicker:
        return self.query_one("#outcome-picker", UnitPicker)

    def on_mount(self) -> None:
        self._show_units()
        self.picker.display = False
        names = list(self.item.units)
        engine = self.app.engine  # type: ignore[attr-defined]

        def work() -> list[Any]:
            from hotline_tui.services.units import resolve_unit

            out = []
            for name in names:
                try:
                    out.append(resolve_unit(engine, name))
                except UserError:  # retired or renamed since: not offered
                    continue
            return out

        def done(units: list[Any]) -> None:
            self.concerned = units
            self.action_pick("lead")

        def run() -> None:
            try:
                units = work()
            except Exception:  # noqa: BLE001 - only the suggestions are lost
                units = []
            try:
                self.app.call_from_thread(done, units)
            except RuntimeError:
                pass

        self.run_worker(run, thread=True, group="outcome-units", exit_on_error=False)

    def _show_units(self) -> None:
        none = t("sup.outcome.none")
        self.query_one("#outcome-lead", Static).update(
            t("sup.outcome.lead", unit=self.lead.name if self.lead else none))
        self.query_one("#outcome-assist", Static).update(
            t("sup.outcome.assist", units="、".join(u.name for u in self.assists) or none))

    def _suggestions(self) -> list[tuple[Any, str]]:
        taken = {u.id for u in self.assists} | ({self.lead.id} if self.lead else set())
        return [(u, t("sup.outcome.concerned")) for u in self.concerned if u.id not in taken]

    def action_pick(self, target: str) -> None:
        self.picker.open(target, self._suggestions())

    def action_clear_assist(self) -> None:
        self.assists = []
        self._show_units()

    @on(UnitPicker.Picked)
    def _picked(self, event: UnitPicker.Picked) -> None:
        event.stop()
        unit = event.unit
        self.show_error("")
        if event.target == "lead":
            self.lead = unit
            self.assists = [u for u in self.assists if u.id != unit.id]
            self._show_units()
            if self._suggestions():
                self.action_pick("assist")
            else:
                self._close_picker()
            return
        if (self.lead is None or unit.id != self.lead.id) and \
                unit.id not in {u.id for u in self.assists}:
            self.assists.append(unit)
        self._show_units()
        self.action_pick("assist")  # more assisting units; esc when done

    @on(UnitPicker.Cancelled)
    def _cancelled(self, event: UnitPicker.Cancelled) -> None:
        event.stop()
        self._close_picker()

    def _close_picker(self) -> None:
        self.picker.close()
        self.query_one("#outcome-due", Input).focus()

    def values(self) -> dict[str, Any]:
        return {"due": self.input_value("outcome-due"), "note": self.input_value("outcome-note")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if self.lead is None:
            raise UserError("sup.outcome.need_lead")
        values["tier"], values["due_date"] = parse_due(values["due"])
        values["lead"] = self.lead.id
        values["assist"] = [u.id for u in self.assists]
        return values

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.meeting import record_outcome

        return record_outcome(self.app.engine, self.item.order_no,  # type: ignore[attr-defined]
                              lead_unit=values["lead"], assist=values["assist"],
                              tier=values["tier"], due_date=values["due_date"],
                              note=values["note"])
