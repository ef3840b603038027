"""催办 from the queue screen: one form for the order under the cursor or all marked orders —
method (电话 / 短信 / 上门 / 书面催办单), whom (the owner), what was said, the date promised
and the next chase date (the service's suggestion, editable). Saved by services.chase.chase
in one transaction, then the chased rows are read again so the list refreshes them in place.
Dismissed with a `ChaseSaved`, or None."""

from __future__ import annotations

import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.tui.modals.record_form import FormDialog, field_label, text_area
from hotline_tui.tui.widgets.choice_row import ChoiceRow


def parse_form_day(text: str) -> date | None:
    """A date typed in a form ('' -> None); UserError with one sentence when it is not one."""
    from hotline_tui.services.calendar import parse_day

    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    try:
        return parse_day(text)
    except ValueError:
        raise UserError("queue.error.bad_date", value=text) from None


def when(dt: Any) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


class MethodChoice(ChoiceRow):
    """The chase method: nothing chosen at first; 1-4 pick one, left/right step."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "pick(0)", "chase_form.m1", id="chase_form.m1", show=False),
        Binding("2", "pick(1)", "chase_form.m2", id="chase_form.m2", show=False),
        Binding("3", "pick(2)", "chase_form.m3", id="chase_form.m3", show=False),
        Binding("4", "pick(3)", "chase_form.m4", id="chase_form.m4", show=False),
    ]

    def __init__(self, options: Sequence[tuple[str, str]], value: str = "", **kwargs: Any) -> None:
        super().__init__(options, options[0][1], **kwargs)
        self.set_reactive(ChoiceRow.value, value)

    def action_pick(self, index: int) -> None:
        if 0 <= index < len(self.options):
            self.value = self.options[index][1]

    def action_step(self, step: int) -> None:
        if not self.value:
            self.value = self.options[0 if step > 0 else -1][1]
            return
        super().action_step(step)


@dataclass(frozen=True)
class ChaseSaved:
    done: list[Any]  # services.chase.ChaseDone per order
    rows: dict[int, Any]  # order id -> fresh services.queue.QueueRow
    method: str
    fixed_next: date | None
    ms: float  # the chase and the re-read, in the worker


class ChaseForm(FormDialog):
    """The chase form for `rows` (QueueRow objects: one, or the marked ones)."""

    CSS_PATH: ClassVar[list[str]] = ["forms.tcss", "chase_forms.tcss"]

    def __init__(self, rows: Sequence[Any]) -> None:
        self.rows = list(rows)
        one = len(self.rows) == 1
        title = (t("queue_tui.chase.title_one", order_no=self.rows[0].order_no) if one
                 else t("queue_tui.chase.title_many", n=len(self.rows)))
        super().__init__(title)
        self._suggested = ""  # the date we put into the next-chase field
        self._next_touched = False
        self._suggest_gen = 0
        self.saved_started_at = 0.0

    @property
    def single(self) -> bool:
        return len(self.rows) == 1

    def compose_fields(self) -> Iterable[Widget]:
        from hotline_tui.services.chase import METHODS, method_label

        if self.single:
            r = self.rows[0]
            owner = " ".join(p for p in (r.owner_name, r.owner_phone) if p) or t(
                "queue.no_owner")
            about = t("queue_tui.chase.about_one", unit=r.unit_name or "-", owner=owner,
                      due=when(r.due_at), late=r.late_text, count=r.chase_count)
            # the owner; before sign-for, the unit and its phone
            whom = " ".join(p for p in (r.owner_name, r.owner_phone) if p) or " ".join(
                p for p in (r.unit_name, r.unit_phone) if p)
        else:
            units = list(dict.fromkeys(r.unit_name or "-" for r in self.rows))
            shown = "、".join(units[:6]) + (f" +{len(units) - 6}" if len(units) > 6 else "")
            about = t("queue_tui.chase.about_many", units=shown)
            whom = ""
        yield Static(about, classes="form-note", id="chase-about", markup=False)
        yield field_label(t("queue_tui.chase.method"), "chase-method")
        yield MethodChoice([(f"{i + 1} {method_label(m)}", m) for i, m in enumerate(METHODS)],
                           "", id="chase-method")
        yield field_label(t("queue_tui.chase.whom"), "chase-whom")
        yield Input(whom, id="chase-whom",
                    placeholder="" if self.single else t("queue_tui.chase.whom_many"))
        yield field_label(t("queue_tui.chase.said"), "chase-said")
        yield text_area("", "chase-said")
        with Horizontal(classes="form-row"):
            with Vertical(classes="form-cell"):
                yield field_label(t("queue_tui.chase.promised"), "chase-promised")
                yield Input(id="chase-promised", placeholder=t("queue_tui.chase.date_hint"))
            with Vertical(classes="form-cell"):
                yield field_label(t("queue_tui.chase.next"), "chase-next")
                yield Input(id="chase-next", placeholder=t("queue_tui.chase.date_hint")
                            if self.single else t("queue_tui.chase.next_many"))
        yield Static("", id="chase-next-note", classes="form-note", markup=False)

    def on_mount(self) -> None:
        choice = self.query_one("#chase-method", MethodChoice)
        choice.focus()
        self.watch(choice, "value", lambda _v: self.show_error(""), init=False)
        if self.single:
            self._suggest(None)

    # -- the suggested next chase date ------------------------------------------------------
    def _suggest(self, promised: date | None) -> None:
        from hotline_tui.services.chase import suggest_next_chase

        self._suggest_gen += 1
        gen = self._suggest_gen
        engine = self.app.engine  # type: ignore[attr-defined]
        order_no = self.rows[0].order_no
        self.query_one("#chase-next-note", Static).update(t("queue_tui.chase.suggesting"))

        def work() -> None:
            try:
                day = suggest_next_chase(engine, order_no, promised)
            except Exception:  # noqa: BLE001 - the field stays as it is
                day = None
            try:
                self.app.call_from_thread(self._show_suggestion, gen, day)
            except RuntimeError:
                pass

        self.run_worker(work, thread=True, group="chase-suggest", exit_on_error=False)

    def _show_suggestion(self, gen: int, day: date | None) -> None:
        if gen != self._suggest_gen or not self.is_attached:
            return
        note = self.query_one("#chase-next-note", Static)
        if day is None:
            note.update("")
            return
        note.update(t("queue_tui.chase.suggested", day=day.isoformat()))
        if not self._next_touched:
            self._suggested = day.isoformat()
            self.query_one("#chase-next", Input).value = self._suggested

    @on(Input.Changed, "#chase-next")
    def _next_edited(self, event: Input.Changed) -> None:
        if event.value != self._suggested:
            self._next_touched = True

    @on(Input.Changed, "#chase-promised")
    def _promised_edited(self, event: Input.Changed) -> None:
        self.show_error("")
        if not self.single or self._next_touched:
            return
        try:
            promised = parse_form_day(event.value)
        except UserError:
            return
        self._suggest(promised)

    @on(Input.Changed)
    def _clear_error(self) -> None:
        self.show_error("")

    # -- reading and saving -------------------------------------------------------------------
    def values(self) -> dict[str, Any]:
        return {
            "method": self.query_one("#chase-method", MethodChoice).value,
            "whom": self.input_value("chase-whom"),
            "said": self.area_value("chase-said"),
            "promised": self.input_value("chase-promised"),
            "next": self.input_value("chase-next"),
        }

    def check(self, values: dict[str, Any]) -> dict[str, Any]:
        if not values["method"]:
            raise UserError("queue_tui.chase.no_method")
        promised = parse_form_day(values["promised"])
        nxt = parse_form_day(values["next"])
        if nxt is not None and not self._next_touched and values["next"] == self._suggested:
            nxt = None  # the suggestion as it is: the service works it out (and says so)
        self.saved_started_at = time.perf_counter()
        return {**values, "promised_date": promised, "next_chase": nxt}

    def save(self, values: dict[str, Any]) -> ChaseSaved:
        from hotline_tui.services.chase import chase
        from hotline_tui.services.queue import queue_rows_of

        engine = self.app.engine  # type: ignore[attr-defined]
        t0 = time.perf_counter()
        done = chase(engine, [r.order_no for r in self.rows], method=values["method"],
                     whom=values["whom"], said=values["said"],
                     promised_date=values["promised_date"], next_chase=values["next_chase"])
        fresh = queue_rows_of(engine, [r.order_id for r in self.rows])
        return ChaseSaved(done, fresh, values["method"], values["next_chase"],
                          (time.perf_counter() - t0) * 1000)
