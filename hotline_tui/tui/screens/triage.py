"""分拣, the clerk's morning: the new orders one at a time, oldest first, the request text in
full; lead unit (the suggestion pre-selected), assisting units, type, urgent flag and the
tier with one key; confirm moves on. `b` lists the queue to mark several and triage them
at once, `d` answers from the knowledge base (直办), `s` dispatches (交办).

Every database call runs in a thread worker; the keystroke path only redraws. A worker's
answer carries the generation it was asked for and is dropped when the clerk has moved on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.bound_keys import bound_key, bound_keys
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.base import ShellScreen
from hotline_tui.tui.widgets.new_order_list import NewOrderList
from hotline_tui.tui.widgets.repeat_hints import RepeatHintsPanel
from hotline_tui.tui.widgets.triage_form import FormState, TriageFormPanel, tier_keys
from hotline_tui.tui.widgets.triage_order import TriageOrderView
from hotline_tui.tui.widgets.unit_picker import UnitPicker

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from hotline_tui.services.triage import Tier, TriageItem, TriageResult, UnitSuggestion
    from hotline_tui.services.units import UnitInfo

TIER_PREFIX = "triage.tier_"
KEEP = "-"  # the type picker's "keep each order's type" (bulk)


@dataclass(frozen=True)
class Loaded:
    """An order with what the form needs: suggestions, its current unit and assists."""

    item: TriageItem
    suggestions: list[UnitSuggestion] = field(default_factory=list)
    unit: UnitInfo | None = None
    assists: list[UnitInfo] = field(default_factory=list)


def load_order(engine: Engine, item: TriageItem | None) -> Loaded | None:
    """Everything the form shows for `item` (runs in a worker)."""
    from hotline_tui.services.triage import suggest_unit
    from hotline_tui.services.units import resolve_unit

    if item is None:
        return None
    suggestions = suggest_unit(engine, item, limit=5)
    unit = resolve_unit(engine, item.unit_id, allow_retired=True) if item.unit_id else None
    assists = [resolve_unit(engine, i, allow_retired=True) for i in item.assist_ids]
    return Loaded(item, suggestions, unit, assists)


def form_for(loaded: Loaded | None) -> FormState:
    """The form for an order: its own unit, or the best suggestion pre-selected."""
    if loaded is None:
        return FormState()
    item = loaded.item
    unit, reason = loaded.unit, ""
    if unit is None and loaded.suggestions:
        unit, reason = loaded.suggestions[0].unit, loaded.suggestions[0].reason
    return FormState(unit=unit, reason=reason, assists=list(loaded.assists),
                     request_type=item.request_type or None, urgent=item.urgent,
                     tier_days=item.tier_days)


class TriageScreen(ShellScreen):
    TITLE_KEY = "screen.triage"
    CSS_PATH = "triage.tcss"
    AUTO_FOCUS = "#order-text"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "confirm", "triage.confirm", id="triage.confirm"),
        Binding("u,slash", "pick_unit", "triage.unit", id="triage.unit", show=False),
        Binding("a", "pick_assist", "triage.assist", id="triage.assist", show=False),
        Binding("t", "pick_type", "triage.type", id="triage.type", show=False),
        Binding("exclamation_mark", "toggle_urgent", "triage.urgent", id="triage.urgent",
                show=False),
        Binding("d", "direct", "triage.direct", id="triage.direct"),
        Binding("space", "mark", "triage.mark", id="triage.mark"),
        Binding("escape", "clear_marks", "triage.clear_marks", id="triage.clear_marks",
                show=False),
        Binding("s", "dispatch", "triage.dispatch", id="triage.dispatch"),
        Binding("b", "toggle_list", "triage.list", id="triage.list"),
        Binding("n,right", "skip(1)", "triage.next", id="triage.next", show=False),
        Binding("p,left", "skip(-1)", "triage.previous", id="triage.previous", show=False),
        Binding("o", "open_order", "triage.open", id="triage.open", show=False),
        Binding("r", "reload", "triage.reload", id="triage.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = "walk"  # walk | list
        self.loaded: Loaded | None = None
        self.walk_form = FormState()
        self.bulk_form = FormState(bulk=True)
        self.tiers: list[Tier] = []
        self.position = 1  # of the current order among the new ones
        self.total: int | None = None  # new orders left
        self.marks: dict[str, str] = {}  # order number -> state as last known
        self.busy = True  # an order is being read: confirm waits
        self.saving = False  # a triage is being written (the next order may be on screen)
        self._confirm_queued = False
        self._lead_touched = False  # the clerk chose the lead unit of the order on screen
        self._prefetched: tuple[int, Loaded | None] | None = None  # (after id, next order)
        self.last_done = ""
        self._gen = 0
        self._at_end_after: int | None = None  # id of the last order when the queue ran out

    # -- layout -------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        engine = self.app.engine  # type: ignore[attr-defined]
        yield Static("", id="triage-status", markup=False)
        with Horizontal(id="triage-main"):
            with Vertical(id="triage-left"):
                yield TriageOrderView(id="order-view")
                yield NewOrderList(engine, self.marks, id="new-list")
                yield RepeatHintsPanel("", id="repeats")
            yield TriageFormPanel(engine, id="triage-form")

    @property
    def engine(self) -> Engine:
        return self.app.engine  # type: ignore[attr-defined]

    @property
    def item(self) -> TriageItem | None:
        return self.loaded.item if self.loaded else None

    @property
    def form(self) -> FormState:
        return self.bulk_form if self.mode == "list" else self.walk_form

    @property
    def panel(self) -> TriageFormPanel:
        return self.query_one("#triage-form", TriageFormPanel)

    @property
    def new_list(self) -> NewOrderList:
        return self.query_one("#new-list", NewOrderList)

    def on_mount(self) -> None:
        self.new_list.display = False
        self.query_one("#order-view", TriageOrderView).show(None, t("triage_screen.loading"))
        self.run_worker(self._warm, thread=True, group="triage-warm", exit_on_error=False)
        self.start()

    def _warm(self) -> None:
        """The first unit lookup imports pypinyin (~0.3 s): pay it now, not on a keystroke."""
        from hotline_tui.services.units import lookup_units

        try:
            lookup_units(self.engine, "a", limit=1)
        except Exception:  # noqa: BLE001 - only a warm-up
            pass

    def _next_gen(self) -> int:
        self._gen += 1
        return self._gen

    def _run(self, fn: Callable[[], None], group: str) -> None:
        self.run_worker(fn, thread=True, group=group, exclusive=True, exit_on_error=False)

    def _from_thread(self, callback: Callable[..., Any], *args: Any) -> None:
        """Run `callback` on the event loop; a failure there is shown, not lost in the
        worker."""
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app closed meanwhile
            pass
        except Exception as exc:  # noqa: BLE001
            try:
                self.app.call_from_thread(self.notify_error, exc)
            except RuntimeError:
                pass

    # -- start and reload ----------------------------------------------------------------
    def start(self) -> None:
        """Read the tiers and the count, and show the oldest new order."""
        gen = self._next_gen()
        self.busy = True
        self._run(lambda: self._start(gen), "triage-load")

    def _start(self, gen: int) -> None:
        from hotline_tui.services.triage import count_new_orders, list_tiers, next_new_order

        try:
            tiers = list_tiers(self.engine)
            total = count_new_orders(self.engine)
            loaded = load_order(self.engine, next_new_order(self.engine))
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, gen, exc)
            return
        self._from_thread(self._started, gen, tiers, total, loaded)

    def _started(self, gen: int, tiers: list[Tier], total: int, loaded: Loaded | None) -> None:
        if gen != self._gen:
            return
        self.tiers = tiers
        self._install_tier_keys()
        self.total = total
        self.position = 1
        self._show(loaded)

    def _install_tier_keys(self) -> None:
        """One binding per tier of the settings, id `triage.tier_<days>` (rebindable)."""
        bm = self._bindings
        for key, items in list(bm.key_to_bindings.items()):
            kept = [b for b in items if not (b.id or "").startswith(TIER_PREFIX)]
            if kept:
                bm.key_to_bindings[key] = kept
            else:
                del bm.key_to_bindings[key]
        for days, key in tier_keys(self.tiers).items():
            name = next(x.name for x in self.tiers if x.days == days)
            bm._add_binding(Binding(  # noqa: SLF001 - bindings built from the settings
                key, f"tier({days})", t("key.triage.tier", name=name), show=False,
                id=f"{TIER_PREFIX}{days}"))
        self.refresh_bindings()

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        self.busy = False
        self.notify_error(exc)
        self._redraw()

    def action_reload(self) -> None:
        if self.mode == "list":
            self.new_list.reload()
            return
        self.start()

    # -- showing an order ------------------------------------------------------------------
    def _show(self, loaded: Loaded | None) -> None:
        self.busy = False
        self._lead_touched = False
        self._prefetched = None
        if loaded is not None:
            self._at_end_after = None
        elif self.item is not None:
            self._at_end_after = self.item.id
        self.loaded = loaded
        self.walk_form = form_for(loaded)
        self.query_one("#order-view", TriageOrderView).show(self.item, self._empty_text())
        repeats = self.query_one("#repeats", RepeatHintsPanel)
        if loaded is None:
            repeats.clear()
        else:
            repeats.loading()
            item = loaded.item
            self._run(lambda: self._prefetch(item.id), "triage-prefetch")
            self._run(lambda: self._repeats(item), "triage-repeats")
        self._redraw()

    def _prefetch(self, after_id: int) -> None:
        """Read the order after this one while the clerk reads this one."""
        from hotline_tui.services.triage import next_new_order

        try:
            loaded = load_order(self.engine, next_new_order(self.engine, after_id))
        except Exception:  # noqa: BLE001 - confirm then reads it itself
            return
        self._from_thread(self._prefetch_done, after_id, loaded)

    def _prefetch_done(self, after_id: int, loaded: Loaded | None) -> None:
        if self.item is not None and self.item.id == after_id:
            self._prefetched = (after_id, loaded)

    def _repeats(self, item: TriageItem) -> None:
        from hotline_tui.services.repeats import repeat_hints

        try:
            hints = repeat_hints(self.engine, item)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self.notify_error, exc)
            return
        self._from_thread(self._repeats_found, item.id, hints)

    def _repeats_found(self, order_id: int, hints: list[Any]) -> None:
        if self.item is not None and self.item.id == order_id:
            self.query_one("#repeats", RepeatHintsPanel).show(hints)

    def _empty_text(self) -> str:
        if self.total is None:  # the queue could not be read (the error was shown)
            return ""
        return t("triage_screen.queue_done") if not self.total else t("triage_screen.queue_end")

    def _redraw(self) -> None:
        """The status line and the form, with the keys as bound now."""
        if self.item is None and not self.busy:  # the count may have changed meanwhile
            self.query_one("#order-view", TriageOrderView).show(None, self._empty_text())
        ids = ["triage.unit", "triage.assist", "triage.type", "triage.urgent", "triage.confirm"]
        ids += [f"{TIER_PREFIX}{x.days}" for x in self.tiers]
        keys = bound_keys(self, ids)
        if self.mode == "list":
            todo = sum(1 for s in self.marks.values() if s == "new")
            title = t("triage_screen.bulk_title", n=todo)
            enabled = True
        else:
            title = t("triage_screen.form_title")
            enabled = self.item is not None
        self.panel.show(self.form, self.tiers, keys, enabled=enabled, title=title)
        self.query_one("#triage-status", Static).update(self._status_text())

    def _status_text(self) -> str:
        parts = []
        total = f"{self.total:,}" if self.total is not None else "?"
        if self.mode == "list":
            parts.append(t("triage_screen.list_count", total=total))
        elif self.item is not None:
            parts.append(t("triage_screen.position", position=f"{self.position:,}", total=total))
        else:
            parts.append(t("triage_screen.left", total=total))
        if self.busy or self.saving:
            parts.append(t("triage_screen.working"))
        if self.marks:
            new = sum(1 for s in self.marks.values() if s == "new")
            parts.append(t("triage_screen.marked", n=len(self.marks), new=new,
                           other=len(self.marks) - new))
        if self.last_done:
            parts.append(self.last_done)
        return "  |  ".join(parts)

    # -- moving without triaging ------------------------------------------------------------
    def action_skip(self, step: int) -> None:
        from hotline_tui.services.triage import next_new_order, previous_new_order

        if self.mode != "walk" or self.busy:
            return
        engine = self.engine
        if self.item is not None:
            current = self.item.id
            fetch: Callable[[], Any] = (
                (lambda: next_new_order(engine, current)) if step > 0
                else (lambda: previous_new_order(engine, current)))
        elif step < 0 and self._at_end_after is not None:
            last = self._at_end_after
            fetch = lambda: previous_new_order(engine, last)  # noqa: E731
            step = 0  # back onto the last order of the queue: same position
        else:
            return
        self._load(fetch, self.position + step, keep_if_none=True)

    def _load(self, fetch: Callable[[], Any], position: int, keep_if_none: bool) -> None:
        gen = self._next_gen()
        self.busy = True
        self._redraw()

        def work() -> None:
            try:
                loaded = load_order(self.engine, fetch())
            except Exception as exc:  # noqa: BLE001
                self._from_thread(self._failed, gen, exc)
                return
            self._from_thread(self._loaded, gen, loaded, position, keep_if_none)

        self._run(work, "triage-load")

    def _loaded(self, gen: int, loaded: Loaded | None, position: int, keep: bool) -> None:
        if gen != self._gen:
            return
        if loaded is None and keep:
            self.busy = False
            self.notify(t("triage_screen.no_more"), timeout=3)
            self._redraw()
            return
        self.position = max(1, position)
        self._show(loaded)

    # -- the form -----------------------------------------------------------------------------
    def action_tier(self, days: int) -> None:
        if self._form_locked():
            return
        self.form.tier_days = days
        self._redraw()

    def _form_locked(self) -> bool:
        return self.mode == "walk" and (self.busy or self.item is None)

    def action_toggle_urgent(self) -> None:
        if self._form_locked():
            return
        f = self.form
        if f.bulk:  # keep -> urgent -> not urgent -> keep
            f.urgent = True if f.urgent is None else (False if f.urgent else None)
        else:
            f.urgent = not f.urgent
        self._redraw()

    def action_pick_type(self) -> None:
        from hotline_tui.services.triage import request_types
        from hotline_tui.tui.modals.pick import PickScreen

        if self._form_locked():
            return
        form = self.form
        options = [(x, x) for x in request_types()]
        if form.bulk:
            options.insert(0, (KEEP, t("triage_screen.keep")))

        def picked(value: str | None) -> None:
            if value is None:
                return
            form.request_type = None if value == KEEP else value
            self._redraw()

        current = form.request_type or (KEEP if form.bulk else None)
        self.app.push_screen(PickScreen(t("triage_screen.pick_type"), options, current), picked)

    def action_pick_unit(self) -> None:
        if self._form_locked():
            return
        initial = []
        if self.mode == "walk" and self.loaded is not None:
            initial = [(s.unit, s.reason) for s in self.loaded.suggestions]
        self.panel.picker.open("lead", initial)

    def action_pick_assist(self) -> None:
        if self._form_locked():
            return
        f = self.form
        initial = [(u, t("triage_screen.assist_chosen")) for u in f.assists]
        if self.mode == "walk" and self.loaded is not None:
            have = {u.id for u in f.assists} | ({f.unit.id} if f.unit else set())
            initial += [(s.unit, s.reason) for s in self.loaded.suggestions
                        if s.unit.id not in have]
        self.panel.picker.open("assist", initial)

    @on(UnitPicker.Picked)
    def _unit_picked(self, event: UnitPicker.Picked) -> None:
        f = self.form
        unit = event.unit
        if event.target == "lead":
            f.unit, f.reason = unit, ""
            if self.mode == "walk":
                self._lead_touched = True
            f.assists = [u for u in f.assists if u.id != unit.id]
        elif f.unit is not None and unit.id == f.unit.id:
            self.notify(t("triage_screen.assist_is_lead", unit=unit.name), severity="warning",
                        timeout=4)
            return
        elif any(u.id == unit.id for u in f.assists):
            f.assists = [u for u in f.assists if u.id != unit.id]
        else:
            f.assists = [*f.assists, unit]
        self._close_picker()

    @on(UnitPicker.Cancelled)
    def _unit_cancelled(self) -> None:
        self._close_picker()

    def _close_picker(self) -> None:
        self._focus_main()  # before the focused input is hidden
        self.panel.picker.close()
        self._redraw()

    def _focus_main(self) -> None:
        self.set_focus(self.new_list if self.mode == "list" else self.query_one("#order-text"))

    # -- confirm ------------------------------------------------------------------------------
    def _missing(self, form: FormState) -> str | None:
        if form.unit is None:
            return t("triage_screen.need_unit", keys=bound_key(self, "triage.unit"))
        if form.tier_days is None:
            keys = "/".join(bound_key(self, f"{TIER_PREFIX}{x.days}") for x in self.tiers)
            return t("triage_screen.need_tier", keys=keys)
        return None

    def action_confirm(self) -> None:
        if self.mode == "list":
            self._apply_bulk()
            return
        if self.busy:
            return
        if self.saving:  # the order before is still being written: confirm right after
            self._confirm_queued = True
            return
        item = self.item
        if item is None:
            self.notify(t("triage_screen.nothing_to_confirm"), timeout=3)
            return
        problem = self._missing(self.walk_form)
        if problem:
            self.notify(problem, severity="warning", timeout=4)
            return
        form = replace(self.walk_form, assists=list(self.walk_form.assists))
        ahead = self._prefetched[1] if self._prefetched and self._prefetched[0] == item.id \
            else False
        self.saving = True
        if ahead is not False:
            # the next order was read while the clerk read this one: show it at once, write
            # in the background, then refresh its suggestion (it may learn from this one)
            self._next_gen()
            self._show(ahead)
            self._run_save(item, form, ahead, None)
        else:
            gen = self._next_gen()
            self.busy = True
            self._redraw()
            self._run_save(item, form, None, gen)

    def _run_save(self, item: TriageItem, form: FormState, shown: Loaded | None,
                  gen: int | None) -> None:
        self.run_worker(lambda: self._save(item, form, shown, gen), thread=True,
                        group="triage-save", exit_on_error=False)

    def _save(self, item: TriageItem, form: FormState, shown: Loaded | None,
              gen: int | None) -> None:
        """Write the triage; then read the next order (`gen` given: nothing shown yet) or
        the suggestions again for the order already shown."""
        from hotline_tui.services.triage import (
            get_triage_item,
            next_new_order,
            suggest_unit,
            triage,
        )

        engine = self.engine
        try:
            result = triage(engine, item.order_no, unit=form.unit.id if form.unit else None,
                            tier_days=form.tier_days, request_type=form.request_type,
                            assist=[u.id for u in form.assists], urgent=form.urgent,
                            expected_version=item.version)
        except Exception as exc:  # noqa: BLE001
            try:
                fresh = load_order(engine, get_triage_item(engine, item.order_no))
            except Exception:  # noqa: BLE001
                fresh = None
            self._from_thread(self._save_failed, item, exc, fresh)
            return
        loaded: Loaded | None = None
        suggestions = None
        try:
            if gen is not None:
                loaded = load_order(engine, next_new_order(engine, item.id))
            elif shown is not None:
                suggestions = suggest_unit(engine, shown.item, limit=5)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._saved, item, result, None, None, None)
            self._from_thread(self._failed, gen if gen is not None else self._gen, exc)
            return
        self._from_thread(self._saved, item, result, gen, loaded,
                          (shown.item.id, suggestions) if shown is not None else None)

    def _saved(self, item: TriageItem, result: TriageResult, gen: int | None,
               loaded: Loaded | None, fresh: tuple[int, list[UnitSuggestion]] | None) -> None:
        self.saving = False
        if item.status == "new" and self.total:
            self.total -= 1
        if item.order_no in self.marks:
            self.marks[item.order_no] = result.status
        tier = next((x.name for x in self.tiers if x.days == result.tier_days),
                    result.tier_name)
        self.last_done = t("triage_screen.done", order_no=result.order_no,
                           unit=result.unit_name, tier=tier)
        if gen is not None and gen == self._gen:
            self._show(loaded)
        elif fresh is not None and fresh[1] is not None:
            self._suggestions_again(*fresh)
        if self.mode == "list":
            self.new_list.reload()
        self._redraw()
        if self._confirm_queued:
            self._confirm_queued = False
            self.action_confirm()

    def _suggestions_again(self, order_id: int, suggestions: list[UnitSuggestion]) -> None:
        """The suggestions of the order on screen, read after the order before was written:
        the pre-selected unit follows them unless the clerk chose one."""
        loaded = self.loaded
        if loaded is None or loaded.item.id != order_id:
            return
        self.loaded = replace(loaded, suggestions=suggestions)
        f = self.walk_form
        if loaded.unit is None and not self._lead_touched and not self._confirm_queued:
            f.unit, f.reason = ((suggestions[0].unit, suggestions[0].reason) if suggestions
                                else (None, ""))

    def _save_failed(self, item: TriageItem, exc: BaseException,
                     fresh: Loaded | None) -> None:
        """The write was refused: the order comes back on screen as it is now."""
        from hotline_tui.errors import UserError

        self.saving = False
        self._confirm_queued = False
        if isinstance(exc, UserError) and exc.key == "error.stale":
            self.notify(t("triage_screen.stale", order_no=item.order_no), severity="warning",
                        timeout=6)
        else:
            self.notify_error(exc)
        self._next_gen()
        if fresh is not None:
            self._show(fresh)
        else:
            self.busy = False
            self._redraw()

    # -- marks and bulk -----------------------------------------------------------------------
    def action_mark(self) -> None:
        if self.mode == "list":
            row = self.new_list.current_row
            if row is None:
                return
            if self.marks.pop(row.order_no, None) is None:
                self.marks[row.order_no] = "new"
            self.new_list.move_to(self.new_list.cursor + 1)
            self.new_list.refresh_marks()
        else:
            item = self.item
            if item is None:
                return
            if self.marks.pop(item.order_no, None) is None:
                self.marks[item.order_no] = item.status
        self._redraw()

    def action_clear_marks(self) -> None:
        if not self.marks:
            return
        self.marks.clear()
        self.new_list.refresh_marks()
        self._redraw()

    def action_toggle_list(self) -> None:
        if not self.tiers and self.busy:
            return  # still starting
        self.panel.picker.close()
        if self.mode == "walk":
            self.mode = "list"
            lst = self.new_list
            lst.display = True
            self.set_focus(lst)  # before the focused text is hidden
            self.query_one("#order-view").display = False
            self.query_one("#repeats").display = False
            lst.cursor = max(0, self.position - 1) if self.item is not None else 0
            lst.reload(keep_cursor=True)
            self._redraw()
            return
        self.mode = "walk"
        row = self.new_list.current_row
        self.query_one("#order-view").display = True
        self.query_one("#repeats").display = True
        self.set_focus(self.query_one("#order-text"))
        self.new_list.display = False
        if row is None:
            self.start()
            return
        from hotline_tui.services.triage import get_triage_item

        engine, no = self.engine, row.order_no
        self._load(lambda: get_triage_item(engine, no), self.new_list.cursor + 1,
                   keep_if_none=False)

    @on(NewOrderList.Changed)
    def _list_changed(self) -> None:
        lst = self.new_list
        if lst.total is not None:
            self.total = lst.total
        self._redraw()

    def _apply_bulk(self) -> None:
        if self.busy:
            return
        nos = [no for no, state in self.marks.items() if state == "new"]
        if not nos:
            row = self.new_list.current_row
            if row is None:
                return
            nos = [row.order_no]
        problem = self._missing(self.bulk_form)
        if problem:
            self.notify(problem, severity="warning", timeout=4)
            return
        f = replace(self.bulk_form, assists=list(self.bulk_form.assists))
        self.busy = True
        self._redraw()

        def work() -> None:
            from hotline_tui.services.triage import triage_many

            try:
                results = triage_many(
                    self.engine, nos, unit=f.unit.id if f.unit else None,
                    tier_days=f.tier_days, request_type=f.request_type,
                    assist=[u.id for u in f.assists] if f.assists else None, urgent=f.urgent)
            except Exception as exc:  # noqa: BLE001
                self._from_thread(self._bulk_failed, exc)
                return
            self._from_thread(self._bulk_done, results)

        self.run_worker(work, thread=True, group="triage-bulk", exit_on_error=False)

    def _bulk_failed(self, exc: BaseException) -> None:
        self.busy = False
        self.notify_error(exc)
        self._redraw()

    def _bulk_done(self, results: list[TriageResult]) -> None:
        self.busy = False
        for r in results:
            if r.order_no in self.marks:
                self.marks[r.order_no] = r.status
        if results:
            tier = next((x.name for x in self.tiers if x.days == results[0].tier_days),
                        results[0].tier_name)
            self.last_done = t("triage_screen.bulk_done", n=len(results),
                               unit=results[0].unit_name, tier=tier)
            self.notify(self.last_done, timeout=4)
        self.new_list.reload()
        self._redraw()

    # -- direct answer, dispatch, the order view ----------------------------------------------
    def action_direct(self) -> None:
        from hotline_tui.tui.modals.answer_pick import AnswerPickScreen

        if self.mode != "walk" or self.busy or self.item is None:
            return
        item = self.item

        def answered(result: Any) -> None:
            if result is None:
                return
            if item.status == "new" and self.total:
                self.total -= 1
            self.marks.pop(item.order_no, None)
            self.last_done = t("triage_screen.direct_done", order_no=result.order_no,
                               id=result.answer_id, topic=result.topic)
            self.notify(self.last_done, timeout=4)
            from hotline_tui.services.triage import next_new_order

            engine = self.engine
            self._load(lambda: next_new_order(engine, item.id), self.position,
                       keep_if_none=False)

        self.app.push_screen(AnswerPickScreen(item), answered)

    def action_dispatch(self) -> None:
        from hotline_tui.tui.modals.dispatch import DispatchDoneScreen, DispatchScreen

        if self.panel.picker.display:
            return
        marked = list(self.marks) or None

        def done(outcome: Any) -> None:
            if not outcome:
                return
            result, files, folder = outcome
            for no in result.order_nos:
                self.marks.pop(no, None)
            self.last_done = t("triage_screen.dispatch_done", n=len(result.dispatched))
            self._redraw()
            if self.mode == "list":
                self.new_list.refresh_marks()
            self.app.push_screen(DispatchDoneScreen(result, files, folder))

        self.app.push_screen(DispatchScreen(marked), done)

    def action_open_order(self) -> None:
        from hotline_tui.tui.views.order_detail import OrderDetailScreen

        if self.mode == "list":
            row = self.new_list.current_row
            order_id = row.id if row else None
        else:
            order_id = self.item.id if self.item else None
        if order_id is None:
            return

        def back(changed: bool | None) -> None:
            if not changed:
                return
            if self.mode == "list":
                self.new_list.reload()
            elif self.item is not None:
                from hotline_tui.services.triage import get_triage_item

                engine, no = self.engine, self.item.order_no
                self._load(lambda: get_triage_item(engine, no), self.position,
                           keep_if_none=True)

        self.app.push_screen(OrderDetailScreen(order_id), back)


TOP_SCREEN = TopScreen(
    id="triage", key="f3", title_key="screen.triage", factory=TriageScreen, order=20
)
