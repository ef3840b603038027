"""延期 from the queue screen: the unit's request (working days asked, reason) and the
clerk's decision on a pending request (approve or refuse, with a note), each saved by
services.extension in its own transaction; the service's sentence (a request after the
deadline, a second pending request...) is shown in the form and nothing is saved.
Both dismiss with an `ExtensionSaved`, or None."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.errors import message_for
from hotline_tui.tui.modals.chase_form import when
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area
from hotline_tui.tui.widgets.choice_row import ChoiceRow


@dataclass(frozen=True)
class ExtensionSaved:
    info: Any  # services.extension.ExtensionInfo
    rows: dict[int, Any]  # order id -> fresh QueueRow (may be gone: no deadline running)


def _fresh(engine: Any, order_id: int) -> dict[int, Any]:
    from hotline_tui.services.queue import queue_rows_of

    return queue_rows_of(engine, [order_id])


class ExtensionRequestForm(FormDialog):
    """A unit's request for more time on the order `row` (a QueueRow)."""

    CSS_PATH = ["forms.tcss", "chase_forms.tcss"]

    def __init__(self, row: Any) -> None:
        super().__init__(t("queue_tui.ext.title", order_no=row.order_no))
        self.row = row

    def compose_fields(self) -> Iterable[Widget]:
        r = self.row
        yield Static(t("queue_tui.ext.about", unit=r.unit_name or "-", due=when(r.due_at),
                       late=r.late_text), classes="form-note", id="ext-about", markup=False)
        yield field_label(t("queue_tui.ext.days"), "ext-days")
        yield Input(id="ext-days")
        yield field_label(t("queue_tui.ext.reason"), "ext-reason")
        yield text_area("", "ext-reason")

    def on_mount(self) -> None:
        self.query_one("#ext-days", Input).focus()

    def values(self) -> dict[str, Any]:
        return {"days": self.input_value("ext-days"), "reason": self.area_value("ext-reason")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        from hotline_tui.services.extension import MAX_DAYS

        text = unicodedata.normalize("NFKC", values["days"]).strip()
        try:
            days = int(text)
        except ValueError:
            raise UserError("extension.error.bad_days", days=text or "-", max=MAX_DAYS) from None
        return {**values, "days": days}

    def save(self, values: dict[str, Any]) -> ExtensionSaved:
        from hotline_tui.services.extension import request_extension

        engine = self.app.engine  # type: ignore[attr-defined]
        info = request_extension(engine, self.row.order_no, days=values["days"],
                                 reason=values["reason"])
        return ExtensionSaved(info, _fresh(engine, self.row.order_id))


class ExtensionDecisionForm(FormDialog):
    """Approve or refuse the pending request of the order `row` (a QueueRow)."""

    CSS_PATH = ["forms.tcss", "chase_forms.tcss"]

    def __init__(self, row: Any) -> None:
        super().__init__(t("queue_tui.ext.decide_title", order_no=row.order_no))
        self.row = row
        self.pending: Any = None

    def compose_fields(self) -> Iterable[Widget]:
        yield Static(t("queue_tui.ext.loading"), classes="form-note", id="ext-pending",
                     markup=False)
        yield field_label(t("queue_tui.ext.decision"), "ext-decision")
        yield ChoiceRow([(t("queue_tui.ext.approve"), "approve"),
                         (t("queue_tui.ext.refuse"), "refuse")], "approve",
                        id="ext-decision")
        yield field_label(t("queue_tui.ext.note"), "ext-note")
        yield Input(id="ext-note")

    def on_mount(self) -> None:
        self.query_one("#ext-decision", ChoiceRow).focus()
        engine, order_no = self.app.engine, self.row.order_no  # type: ignore[attr-defined]

        def work() -> None:
            from hotline_tui.services.extension import extensions_of

            try:
                found = [x for x in extensions_of(engine, order_no) if x.status == "pending"]
                result: Any = found[-1] if found else None
                error = "" if found else t("queue_tui.no_pending", order_no=order_no)
            except Exception as exc:  # noqa: BLE001 - shown in the form
                result, error = None, message_for(exc)
            try:
                self.app.call_from_thread(self._show_pending, result, error)
            except RuntimeError:
                pass

        self.run_worker(work, thread=True, group="ext-pending", exit_on_error=False)

    def _show_pending(self, info: Any, error: str) -> None:
        if not self.is_attached:
            return
        self.pending = info
        box = self.query_one("#ext-pending", Static)
        if info is None:
            box.update("")
            self.show_error(error)
            return
        text = t("queue_tui.ext.pending", who=info.asked_by or "-", at=when(info.asked_at),
                 days=info.days, reason=info.reason)
        if info.new_due_at is not None:
            text += "\n" + t("queue_tui.ext.proposal", old=when(info.old_due_at),
                             new=when(info.new_due_at))
        box.update(text)

    def values(self) -> dict[str, Any]:
        return {"decision": self.query_one("#ext-decision", ChoiceRow).value,
                "note": self.input_value("ext-note")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if self.pending is None:
            raise UserError("extension.error.none_pending", order_no=self.row.order_no)
        return values

    def save(self, values: dict[str, Any]) -> ExtensionSaved:
        from hotline_tui.services.extension import approve_extension, refuse_extension

        engine = self.app.engine  # type: ignore[attr-defined]
        decide = approve_extension if values["decision"] == "approve" else refuse_extension
        info = decide(engine, self.row.order_no, note=values["note"])
        return ExtensionSaved(info, _fresh(engine, self.row.order_id))
