"""The first-contact owner register (首接负责登记): dispatched orders waiting for sign-for
first (how long they have waited; past the limit in red), then the units with their month's
签收率 / 按时签收率 and, for the unit under the cursor, its owners (open, due within 48 h,
overdue, signed late). Sign for one or several marked orders, drill into an owner, fix a
phone number, change an order's owner, export the roster, import returned sheets.

Everything is read by one `services.owners.register_snapshot` call in a thread worker; the
frame is drawn at once and the lists are painted when the snapshot arrives. First open: the
snapshot the app's warm-up read a moment ago (if younger than REFRESH_EVERY, the age the
open screen accepts anyway) is painted at once and read again behind it; without one, the
same worker reads the first waiting rows (painted at once), then the snapshot, one after
the other so the two reads do not compete for the one Python thread that runs."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import DirectoryScreen
from hotline_tui.tui.text import cell_len
from hotline_tui.tui.widgets.line_table import Col, KeepsTableFocus, Line, LineTable

WAITING_PAGE = 100
STALE_AFTER = 30.0  # seconds: coming back to the screen later reads it again
REFRESH_EVERY = 300.0

# The snapshot the app's warm-up read (TOP_SCREEN.warm): (engine, monotonic time, snapshot).
_warm_snapshot: tuple[Any, float, Any] | None = None


def take_warm_snapshot(engine: Any, max_age: float = REFRESH_EVERY) -> Any:
    """The warm-up's snapshot of this engine if it is younger than `max_age` seconds (once:
    later opens read afresh)."""
    global _warm_snapshot
    got, _warm_snapshot = _warm_snapshot, None
    if got is None or got[0] is not engine or time.monotonic() - got[1] > max_age:
        return None
    return got[2]


# ---- cell texts --------------------------------------------------------------------------------


def waited(delta: timedelta) -> str:
    """How long an order has waited: '3天2时', '5时20分', '40分' (language of the UI)."""
    secs = max(0, int(delta.total_seconds()))
    days, rest = divmod(secs, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    if days:
        return t("register.waited_dh", d=days, h=hours)
    if hours:
        return t("register.waited_hm", h=hours, m=minutes) if minutes else t(
            "register.waited_h", h=hours)
    return t("register.waited_m", m=minutes)


def short(dt: datetime | None, now: datetime) -> str:
    """'11-27 09:05' this year, '2025-11-27' before."""
    if dt is None:
        return ""
    return f"{dt:%m-%d %H:%M}" if dt.year == now.year else f"{dt:%Y-%m-%d}"


def rate_text(rate: Any) -> str:
    """'97.5% 292/300'; '-' when nothing was dispatched."""
    if not rate.denominator:
        return "-"
    return f"{rate.percent()} {rate.numerator}/{rate.denominator}"


def num(n: int) -> str:
    return f"{n:,}" if n else "-"


def month_label(period: str) -> str:
    return t("register.month_label", y=period[:4], m=str(int(period[5:7])))


# ---- the lines -----------------------------------------------------------------------------------


def waiting_columns(unit_width: int = 12) -> list[Col]:
    return [
        Col("order_no", t("register.col.order_no"), 15),
        Col("unit", t("register.col.unit"), unit_width, keep=5),
        Col("title", t("register.col.title"), 0),
        Col("dispatched", t("register.col.dispatched"), 11, keep=3),
        Col("waited", t("register.col.waited"), 9, right=True),
        Col("limit", t("register.col.limit"), 11, keep=4),
        Col("flag", t("register.col.flag"), 4),
    ]


def waiting_line(w: Any, now: datetime, labels: dict[int, str]) -> Line:
    return Line(w.order_no, {
        "order_no": w.order_no,
        "unit": labels.get(w.unit_id, w.unit_name) if w.unit_id is not None else "",
        "title": (t("register.urgent") if w.urgent else "") + (w.title or ""),
        "dispatched": short(w.dispatched_at, now),
        "waited": waited(w.waited),
        "limit": short(w.limit_end, now),
        "flag": t("register.past_limit") if w.past_limit else "",
    }, tone="late" if w.past_limit else "", data=w)


def unit_columns(label_width: int, rate_width: int = 10, soon: int = 48) -> list[Col]:
    return [
        Col("unit", t("register.col.unit"), label_width),
        Col("waiting", t("register.col.waiting"), 6, right=True),
        Col("waiting_late", t("register.col.waiting_late"), 8, right=True),
        Col("open", t("register.col.open"), 6, right=True, keep=6),
        Col("due_soon", t("register.col.due_soon", h=soon), 6, right=True, keep=2),
        Col("overdue", t("register.col.overdue"), 6, right=True, keep=5),
        Col("signed_late", t("register.col.signed_late"), 8, right=True, keep=3),
        Col("sign_rate", t("register.col.sign_rate"), rate_width, right=True),
        Col("on_time_rate", t("register.col.on_time_rate"), rate_width, right=True),
    ]


def unit_line(u: Any) -> Line:
    return Line(str(u.unit_id), {
        "unit": u.unit_label or u.unit_name,
        "waiting": num(u.waiting),
        "waiting_late": num(u.waiting_late),
        "open": num(u.open),
        "due_soon": num(u.due_soon),
        "overdue": num(u.overdue),
        "signed_late": num(u.signed_late),
        "sign_rate": rate_text(u.counts.sign_rate),
        "on_time_rate": rate_text(u.counts.on_time_rate),
    }, data=u)


def owner_columns(soon: int = 48) -> list[Col]:
    return [
        Col("name", t("register.col.owner"), 8),
        Col("phone", t("register.col.phone"), 13),
        Col("post", t("register.col.post"), 10, keep=2),
        Col("open", t("register.col.open"), 5, right=True),
        Col("due_soon", t("register.col.due_soon", h=soon), 6, right=True, keep=4),
        Col("overdue", t("register.col.overdue"), 5, right=True),
        Col("signed_late", t("register.col.signed_late"), 8, right=True, keep=3),
    ]


def owner_line(o: Any) -> Line:
    return Line(str(o.owner_id), {
        "name": o.name, "phone": o.phone, "post": o.post, "open": num(o.open),
        "due_soon": num(o.due_soon), "overdue": num(o.overdue),
        "signed_late": num(o.signed_late),
    }, data=o)


# ---- the screen ------------------------------------------------------------------------------------


class RegisterScreen(KeepsTableFocus, DirectoryScreen):
    """Waiting list on top, units (with rates) and the owners of the unit below."""

    TITLE_KEY = "screen.register"
    CSS_PATH = "register.tcss"
    AUTO_FOCUS = "#waiting"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "sign", "register.sign", id="register.sign"),
        Binding("space", "mark", "register.mark", id="register.mark"),
        Binding("a", "mark_unit", "register.mark_unit", id="register.mark_unit", show=False),
        Binding("u", "unit_only", "register.unit_only", id="register.unit_only", show=False),
        Binding("c", "change_owner", "register.change_owner", id="register.change_owner"),
        Binding("e", "edit_phone", "register.edit_phone", id="register.edit_phone"),
        Binding("p", "directory", "register.directory", id="register.directory"),
        Binding("m", "month", "register.month", id="register.month", show=False),
        Binding("left_square_bracket", "shift_month(-1)", "register.prev_month",
                id="register.prev_month", show=False),
        Binding("right_square_bracket", "shift_month(1)", "register.next_month",
                id="register.next_month", show=False),
        Binding("x", "export", "register.export", id="register.export"),
        Binding("i", "import_sheets", "register.import", id="register.import"),
        Binding("r", "reload", "register.reload", id="register.reload", show=False),
    ]

    class FirstRows(Message):
        """The first waiting rows, read before the snapshot on a first open (from the
        worker thread)."""

        def __init__(self, labels: dict[int, str], rows: list) -> None:
            super().__init__()
            self.labels = labels
            self.rows = rows

    def __init__(self) -> None:
        super().__init__()
        self.snapshot: Any = None
        self.from_warm = False  # the snapshot on screen is the warm-up's (a read follows)
        self._pinyin_warmed = False
        self.month: str | None = None  # None: the current month
        self.waiting_unit: tuple[int, str] | None = None  # only this unit's waiting orders
        self.loaded_at = 0.0  # perf_counter of the last paint (0: never)
        self.first_rows_at = 0.0  # perf_counter of the first waiting rows on screen
        self.load_ms = 0.0  # the last snapshot read, in ms
        self.load_cpu_ms = 0.0
        self.loading = False
        self._unit_labels: dict[int, str] = {}

    # -- layout ------------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        with Vertical(id="waiting-pane"):
            yield Static(t("register.loading"), id="waiting-title", classes="pane-title",
                         markup=False)
            yield LineTable(waiting_columns(), note=t("register.loading"), markable=True,
                            id="waiting")
        with Horizontal(id="register-bottom"):
            with Vertical(id="units-pane"):
                yield Static("", id="units-title", classes="pane-title", markup=False)
                yield LineTable(unit_columns(8), note=t("register.loading"), id="units")
            with Vertical(id="owners-pane"):
                yield Static("", id="owners-title", classes="pane-title", markup=False)
                yield LineTable(owner_columns(), note="", id="owners")
        yield Static("", id="status", markup=False)

    @property
    def waiting_table(self) -> LineTable:
        return self.query_one("#waiting", LineTable)

    @property
    def units_table(self) -> LineTable:
        return self.query_one("#units", LineTable)

    @property
    def owners_table(self) -> LineTable:
        return self.query_one("#owners", LineTable)

    def on_mount(self) -> None:
        self.waiting_table.focus()
        self.call_after_refresh(self._first_focus)
        self.reload()
        self.set_interval(REFRESH_EVERY, self._tick)

    def _first_focus(self) -> None:
        if not isinstance(self.focused, LineTable) or self.focused is self.units_table:
            self.waiting_table.focus()
        self._last_table = self.waiting_table

    def on_screen_resume(self) -> None:
        self.restore_focus()
        self.call_after_refresh(self.refresh_bindings)  # the focus is back: footer keys
        if self.loaded_at and time.perf_counter() - self.loaded_at > STALE_AFTER:
            self.reload()

    def _tick(self) -> None:
        if self.is_current:
            self.reload()

    # -- loading -------------------------------------------------------------------------------
    def reload(self) -> None:
        """Read the snapshot again (a worker) and repaint; cursors stay on their rows."""
        engine, month = self.engine, self.month
        self.loading = True
        first_rows = False
        if self.snapshot is None and month is None:  # first open
            warm = take_warm_snapshot(engine)
            if warm is not None:
                self._loaded((warm, 0.0, 0.0), warm=True)
                self.loading = True  # and read again behind it
            else:
                first_rows = True  # the waiting list at once, the rest after
        self._show_status()

        def work() -> tuple[Any, float, float]:
            from hotline_tui.services.owners import register_snapshot

            if first_rows:
                from hotline_tui.services.owner_targets import unit_labels
                from hotline_tui.services.owners import waiting_orders

                self.post_message(self.FirstRows(unit_labels(engine),
                                                 waiting_orders(engine, limit=WAITING_PAGE)))
            t0, c0 = time.perf_counter(), time.thread_time()
            snap = register_snapshot(engine, month=month, waiting_limit=WAITING_PAGE)
            return snap, (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000

        self.run_db(work, self._loaded, failed=self._failed, latest=True)

    @on(FirstRows)
    def _first_rows(self, event: FirstRows) -> None:
        if self.snapshot is not None or self.waiting_unit is not None:
            return  # the snapshot came first
        from hotline_tui.services import clock

        self._unit_labels, rows = event.labels, event.rows
        now = clock.now()
        self._fit_waiting_columns()
        self.waiting_table.set_lines([waiting_line(w, now, self._unit_labels) for w in rows],
                                     note=t("register.no_waiting"))
        self.query_one("#waiting-title", Static).update(t("register.waiting_counting"))
        self.first_rows_at = time.perf_counter()

    def action_reload(self) -> None:
        self.reload()

    def _failed(self, text: str) -> None:
        self.loading = False
        self.app.notify(text, severity="error", timeout=8)
        self._show_status()

    def _loaded(self, result: tuple[Any, float, float], *, warm: bool = False) -> None:
        snap, ms, cpu_ms = result
        self.snapshot = snap
        self.from_warm = warm
        if not warm:
            self.load_ms = ms  # the read, wall clock (for the benchmark)
            self.load_cpu_ms = cpu_ms  # the read, CPU of its thread
        self.loading = False
        self._unit_labels = {u.unit_id: u.unit_label or u.unit_name for u in snap.units}
        self._paint_units()
        if self.waiting_unit is None:
            self._paint_waiting(snap.waiting, snap.waiting_total)
        else:
            self._load_unit_waiting()
        self.loaded_at = time.perf_counter()
        self.first_rows_at = self.first_rows_at or self.loaded_at
        self._show_status()
        if not warm and not self._pinyin_warmed:
            # after the first read: pypinyin (~0.4 s) would hold the GIL meanwhile
            self._pinyin_warmed = True
            from hotline_tui.tui.modals.sign_for import warm_pinyin

            self.run_worker(warm_pinyin, thread=True, group="warm-pinyin", exit_on_error=False)

    # -- the waiting list -------------------------------------------------------------------------
    def _paint_waiting(self, rows: list, total: int) -> None:
        now = self.snapshot.at
        table = self.waiting_table
        self._fit_waiting_columns()
        table.set_lines([waiting_line(w, now, self._unit_labels) for w in rows], total=total,
                        note=t("register.no_waiting"))
        self._waiting_title()

    def _fit_waiting_columns(self) -> None:
        """The unit column as wide as the widest short name (at most 16 cells)."""
        widest = max([cell_len(x) for x in self._unit_labels.values()]
                     + [cell_len(t("register.col.unit"))])
        self.waiting_table.columns = waiting_columns(min(widest, 16))

    def _waiting_title(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        text = t("register.waiting_title", total=f"{snap.waiting_total:,}",
                 late=f"{snap.waiting_late_total:,}", days=snap.sign_limit_workdays)
        if self.waiting_unit is not None:
            text += "  " + t("register.only_unit", unit=self.waiting_unit[1])
        marked = len(self.waiting_table.marked)
        if marked:
            text += "  " + t("register.marked", n=marked)
        self.query_one("#waiting-title", Static).update(text)

    def _load_unit_waiting(self) -> None:
        unit = self.waiting_unit
        if unit is None or self.snapshot is None:
            return
        engine, now = self.engine, self.snapshot.at
        total = next((u.waiting for u in self.snapshot.units if u.unit_id == unit[0]), 0)

        def work() -> list:
            from hotline_tui.services.owners import waiting_orders

            return waiting_orders(engine, offset=0, limit=WAITING_PAGE, unit_id=unit[0], now=now)

        def done(rows: list) -> None:
            if self.waiting_unit == unit:
                self._paint_waiting(rows, total)

        self.run_db(work, done)

    @on(LineTable.NeedMore, "#waiting")
    def _more_waiting(self, event: LineTable.NeedMore) -> None:
        if self.snapshot is None:
            return
        engine, now, offset = self.engine, self.snapshot.at, event.loaded
        unit = self.waiting_unit
        snap = self.snapshot

        def work() -> list:
            from hotline_tui.services.owners import waiting_orders

            return waiting_orders(engine, offset=offset, limit=WAITING_PAGE,
                                  unit_id=unit[0] if unit else None, now=now)

        def done(rows: list) -> None:
            table = self.waiting_table
            if self.snapshot is snap and self.waiting_unit == unit and len(table.lines) == offset:
                table.add_lines([waiting_line(w, now, self._unit_labels) for w in rows])

        self.run_db(work, done)

    @on(LineTable.Selected, "#waiting")
    def _open_waiting(self, event: LineTable.Selected) -> None:
        from hotline_tui.tui.views.order_detail import OrderDetailScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.reload()

        self.app.push_screen(OrderDetailScreen(event.line.data.order_id), back)

    # -- units and owners ---------------------------------------------------------------------------
    def _paint_units(self) -> None:
        snap = self.snapshot
        table = self.units_table
        widest = max([cell_len(u.unit_label or u.unit_name) for u in snap.units]
                     + [cell_len(t("register.col.unit"))])
        lines = [unit_line(u) for u in snap.units]
        rate_w = max([cell_len(t("register.col.on_time_rate"))]
                     + [cell_len(ln.cells[k]) for ln in lines for k in ("sign_rate", "on_time_rate")])
        table.columns = unit_columns(min(widest, 16), rate_w, snap.soon_hours)
        table.set_lines(lines, note=t("register.no_units"))
        total = snap.total
        self.query_one("#units-title", Static).update(t(
            "register.units_title", month=month_label(snap.period),
            sign=rate_text(total.sign_rate), on_time=rate_text(total.on_time_rate)))
        self._paint_owners()

    def _paint_owners(self) -> None:
        snap = self.snapshot
        line = self.units_table.current
        if snap is None or line is None:
            self.owners_table.set_lines([], note="")
            self.query_one("#owners-title", Static).update("")
            return
        unit = line.data
        owners = snap.owners_of(unit.unit_id)
        self.owners_table.columns = owner_columns(snap.soon_hours)
        self.owners_table.set_lines([owner_line(o) for o in owners],
                                    note=t("register.no_owners"))
        self.query_one("#owners-title", Static).update(
            t("register.owners_title", unit=unit.unit_label or unit.unit_name, n=len(owners)))

    @on(LineTable.Highlighted, "#units")
    def _unit_moved(self) -> None:
        if self.snapshot is not None:
            self._paint_owners()

    @on(LineTable.Selected, "#units")
    def _unit_entered(self) -> None:
        self.owners_table.focus()

    @on(LineTable.Selected, "#owners")
    def _owner_entered(self, event: LineTable.Selected) -> None:
        self.drill_into(event.line.data)

    def drill_into(self, owner: Any) -> None:
        from hotline_tui.tui.views.owner_orders import OwnerOrdersScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.reload()

        self.app.push_screen(OwnerOrdersScreen(owner), back)

    # -- keys ----------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "sign":
            return bool(self.waiting_table.marked) or self.waiting_table.current is not None
        if action in ("mark", "mark_unit"):
            return self.focused is self.waiting_table and self.waiting_table.current is not None
        if action == "edit_phone":
            return self.owners_table.current is not None
        return True

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def on_screen_suspend(self) -> None:
        self.remember_focus()

    @on(LineTable.Highlighted)
    def _moved(self) -> None:
        self.refresh_bindings()

    def action_mark(self) -> None:
        table = self.waiting_table
        line = table.current
        if line is None:
            return
        if line.key not in table.marked and not self._same_unit(line):
            return
        table.toggle_mark()
        self._waiting_title()
        self.refresh_bindings()

    def action_mark_unit(self) -> None:
        """Mark every loaded waiting order of the unit of the row under the cursor."""
        table = self.waiting_table
        line = table.current
        if line is None or not self._same_unit(line):
            return
        for ln in table.lines:
            if ln.data.unit_id == line.data.unit_id:
                table.marked[ln.key] = ln
        table.refresh()
        self._waiting_title()

    def _same_unit(self, line: Line) -> bool:
        marked = list(self.waiting_table.marked.values())
        if marked and marked[0].data.unit_id != line.data.unit_id:
            self.app.notify(t("register.mark_other_unit",
                              unit=self._unit_labels.get(marked[0].data.unit_id, "")),
                            severity="warning", timeout=6)
            return False
        return True

    def action_sign(self) -> None:
        from hotline_tui.tui.modals.sign_for import SignForScreen, signed_message

        table = self.waiting_table
        lines = list(table.marked.values()) or ([table.current] if table.current else [])
        if not lines:
            return
        first = lines[0].data
        if first.unit_id is None:
            self.app.notify(t("owners.error.no_unit", order_no=first.order_no),
                            severity="error", timeout=6)
            return

        def back(results: list | None) -> None:
            if results:
                self.app.notify(signed_message(results))
                table.clear_marks()
                self.reload()

        self.app.push_screen(
            SignForScreen([ln.key for ln in lines], first.unit_id,
                          self._unit_labels.get(first.unit_id, first.unit_name),
                          versions={ln.key: ln.data.version for ln in lines}),
            back,
        )

    def action_unit_only(self) -> None:
        """Only the waiting orders of one unit (the row's, or the unit under the cursor in
        the units list), or all again."""
        if self.waiting_unit is not None:
            self.waiting_unit = None
            if self.snapshot is not None:
                self._paint_waiting(self.snapshot.waiting, self.snapshot.waiting_total)
            return
        unit_id = None
        if self.units_table.has_focus or self.owners_table.has_focus:
            line = self.units_table.current
            unit_id = line.data.unit_id if line else None
        elif self.waiting_table.current is not None:
            unit_id = self.waiting_table.current.data.unit_id
        if unit_id is None:
            return
        self.waiting_unit = (unit_id, self._unit_labels.get(unit_id, ""))
        self.waiting_table.clear_marks()
        self._load_unit_waiting()

    def action_change_owner(self) -> None:
        """The order number (asked for), then the change-of-owner form."""
        from hotline_tui.tui.modals.change_owner import open_change_owner
        from hotline_tui.tui.modals.prompt import TextPrompt

        def chosen(order_no: str | None) -> None:
            if order_no:
                open_change_owner(self, order_no, lambda r: self.reload() if r else None)

        self.app.push_screen(
            TextPrompt(t("register.change_title"), t("register.change_label"), ""), chosen)

    def action_edit_phone(self) -> None:
        line = self.owners_table.current
        if line is not None:
            edit_phone(self, line.data, lambda _u: self.reload())

    def action_directory(self) -> None:
        from hotline_tui.tui.views.owner_directory import OwnerDirectoryScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.reload()

        self.app.push_screen(OwnerDirectoryScreen(), back)

    def action_month(self) -> None:
        from hotline_tui.tui.modals.prompt import TextPrompt

        def check(text: str) -> str:
            from hotline_tui.domain.signing import month_bounds
            from hotline_tui.errors import UserError

            try:
                start, _end = month_bounds(text)
            except ValueError:
                raise UserError("owners.error.bad_month", month=text) from None
            return f"{start.year:04d}-{start.month:02d}"

        def chosen(month: str | None) -> None:
            if month:
                self.month = month
                self.reload()

        current = self.snapshot.period if self.snapshot is not None else ""
        self.app.push_screen(
            TextPrompt(t("register.month_title"), t("register.month_prompt"), current,
                       check=check), chosen)

    def action_shift_month(self, step: int) -> None:
        if self.snapshot is None:
            return
        y, m = int(self.snapshot.period[:4]), int(self.snapshot.period[5:7])
        m += step
        y, m = y + (m - 1) // 12, (m - 1) % 12 + 1
        self.month = f"{y:04d}-{m:02d}"
        self.reload()

    def action_export(self) -> None:
        from hotline_tui.tui.modals.returned_sheets import ask_export_roster

        ask_export_roster(self)

    def action_import_sheets(self) -> None:
        from hotline_tui.tui.modals.returned_sheets import ask_import_sheets

        ask_import_sheets(self, lambda r: self.reload() if r is not None else None)

    # -- the status line -------------------------------------------------------------------------------
    def _show_status(self) -> None:
        snap = self.snapshot
        parts = []
        if snap is not None:
            parts.append(t("register.as_of", at=f"{snap.at:%Y-%m-%d %H:%M}"))
            parts.append(t("register.rates_month", month=month_label(snap.period)))
        if self.loading:
            parts.append(t("register.reading"))
        parts.append(t("register.status_hint"))
        self.show_status("  |  ".join(parts))


def edit_phone(screen: Any, owner: Any, done: Any = None) -> None:
    """The phone form for an owner line (register, drill-in or directory row)."""
    from hotline_tui.tui.modals.phone_edit import PhoneEditScreen, PhoneOwner, phone_message

    def back(update: Any) -> None:
        if update is not None:
            screen.app.notify(phone_message(update))
            if done is not None:
                done(update)

    screen.app.push_screen(PhoneEditScreen(PhoneOwner(
        owner.owner_id, owner.name, getattr(owner, "unit_label", "") or owner.unit_name,
        owner.phone, owner.open)), back)


def _warm(engine) -> None:  # noqa: ANN001
    """The app's warm-up (a thread, after the first paint): the first open's read, whose
    result the first open paints at once (take_warm_snapshot), and the pages and pooled
    connection it needs warm for the read that follows it. Same calls as the first open:
    the snapshot (it holds the waiting page and the unit names too)."""
    global _warm_snapshot
    from hotline_tui.services.owners import register_snapshot

    snap = register_snapshot(engine, waiting_limit=WAITING_PAGE)
    _warm_snapshot = (engine, time.monotonic(), snap)


TOP_SCREEN = TopScreen(
    id="register", key="f4", title_key="screen.register", factory=RegisterScreen, order=40,
    warm=_warm,
)
