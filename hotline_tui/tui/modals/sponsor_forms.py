"""The sponsorship forms of the supervision screen: put an order under a leader (包联督办),
record a progress report, end a sponsorship. ctrl+s saves in a worker, esc cancels; a
refusal is one sentence in the form and nothing is saved."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual import on
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area
from hotline_tui.tui.text import clip, column_text

CSS = ["forms.tcss", "sponsor_forms.tcss"]


def parse_cadence(text: str, maximum: int) -> int:
    """Days between reports from what was typed (full-width digits too), or UserError."""
    import unicodedata

    s = unicodedata.normalize("NFKC", text or "").strip().rstrip("天日days ").strip()
    if not s.isdigit() or not 1 <= int(s) <= maximum:
        raise UserError("sup.error.cadence", max=maximum)
    return int(s)


class SponsorForm(FormDialog):
    """Leader (name, title), cadence in days (the setting prefilled), a note. Dismissed with
    the service's SponsorInfo."""

    CSS_PATH = CSS
    HINT_KEY = "sup.form.hint"

    def __init__(self, order_no: str, title: str, *, cadence: int, current: str = "",
                 leaders: dict[str, str] | None = None) -> None:
        super().__init__(t("sup.sponsor.title", order_no=order_no, title=clip(column_text(title), 40)))
        self.order_no = order_no
        self.cadence = cadence
        self.current = current
        self.leaders = dict(leaders or {})  # known leader -> title, to fill the title

    def compose_fields(self) -> Iterable[Widget]:
        if self.current:
            yield Static(t("sup.sponsor.current", leader=self.current), classes="form-note",
                         markup=False)
        yield field_label(t("sup.sponsor.leader"), "sponsor-leader")
        yield Input(id="sponsor-leader")
        yield field_label(t("sup.sponsor.leader_title"), "sponsor-title")
        yield Input(id="sponsor-title")
        yield field_label(t("sup.sponsor.cadence", days=self.cadence), "sponsor-cadence")
        yield Input(str(self.cadence), id="sponsor-cadence")
        yield field_label(t("sup.sponsor.note"), "sponsor-note")
        yield text_area("", "sponsor-note")
        if self.leaders:
            known = "、".join(f"{n}（{ti}）" if ti else n for n, ti in list(self.leaders.items())[:6])
            yield Static(t("sup.sponsor.known", leaders=known), classes="form-note",
                         markup=False)

    def on_mount(self) -> None:
        self.query_one("#sponsor-leader", Input).focus()

    @on(Input.Changed, "#sponsor-leader")
    def _leader_typed(self, event: Input.Changed) -> None:
        """A leader sponsoring already: their title is filled in (when none was typed)."""
        title = self.leaders.get(event.value.strip())
        box = self.query_one("#sponsor-title", Input)
        if title and not box.value.strip():
            box.value = title

    def values(self) -> dict[str, Any]:
        return {"leader": self.input_value("sponsor-leader"),
                "title": self.input_value("sponsor-title"),
                "cadence": self.input_value("sponsor-cadence"),
                "note": self.area_value("sponsor-note")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        from hotline_tui.services.sponsorship import MAX_CADENCE

        if not values["leader"]:
            raise UserError("sponsor.error.leader_required")
        values["cadence"] = parse_cadence(values["cadence"], MAX_CADENCE)
        return values

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.sponsorship import sponsor

        return sponsor(self.app.engine, self.order_no, leader=values["leader"],  # type: ignore[attr-defined]
                       title=values["title"], cadence_days=values["cadence"],
                       note=values["note"])


class ProgressForm(FormDialog):
    """A progress report of a sponsored matter (required). Dismissed with the ProgressEntry."""

    CSS_PATH = CSS
    HINT_KEY = "sup.form.hint"

    def __init__(self, row: Any) -> None:
        super().__init__(t("sup.progress.title", order_no=row.order_no,
                           title=clip(column_text(row.title), 40)))
        self.row = row

    def compose_fields(self) -> Iterable[Widget]:
        row = self.row
        leader = f"{row.leader_name} {row.leader_title}".strip()
        last = (f"{row.last_progress_at:%m-%d} {clip(column_text(row.last_progress), 50)}"
                if row.last_progress_at else t("sup.no_progress"))
        yield Static(t("sup.progress.leader", leader=leader, last=last), classes="form-note",
                     markup=False)
        yield field_label(t("sup.progress.note"), "progress-note")
        yield text_area("", "progress-note")

    def on_mount(self) -> None:
        self.query_one("#progress-note").focus()

    def values(self) -> dict[str, Any]:
        return {"note": self.area_value("progress-note")}

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["note"]:
            raise UserError("sponsor.error.progress_required")
        return values

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.sponsorship import add_progress

        return add_progress(self.app.engine, self.row.order_no, values["note"])  # type: ignore[attr-defined]


class EndSponsorForm(FormDialog):
    """End a sponsorship, with an optional note. Dismissed with the order number."""

    CSS_PATH = CSS
    HINT_KEY = "sup.form.hint"

    def __init__(self, row: Any) -> None:
        super().__init__(t("sup.end.title", order_no=row.order_no,
                           title=clip(column_text(row.title), 40)))
        self.row = row

    def compose_fields(self) -> Iterable[Widget]:
        leader = f"{self.row.leader_name} {self.row.leader_title}".strip()
        yield Static(t("sup.end.label", leader=leader), classes="form-note", markup=False)
        yield field_label(t("sup.end.note"), "end-note")
        yield text_area("", "end-note")

    def on_mount(self) -> None:
        self.query_one("#end-note").focus()

    def values(self) -> dict[str, Any]:
        return {"note": self.area_value("end-note")}

    def save(self, values: dict[str, Any]) -> Any:
        from hotline_tui.services.sponsorship import end_sponsorship

        end_sponsorship(self.app.engine, self.row.order_no, values["note"])  # type: ignore[attr-defined]
        return self.row.order_no
