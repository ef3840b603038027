"""The overdue queue (超期催办, F5): running orders the clerk should call about, most overdue
first, then due today, then due inside the warning window, with the owner's phone on the
row. Grouping by unit or by owner, a chase-today view, marks, the chase form, extension
request and decision, the written chase notice per unit, the chase log of the order under
the cursor, and the order's detail on enter.

Rows come a page at a time from `services.queue.queue_page` in thread workers (the frame is
drawn at once, the first page painted when it arrives); a chase re-reads only the chased
rows (`services.queue.queue_rows_of`) and puts them in place."""

from __future__ import annotations

import time
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.bound_keys import bound_keys
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import DirectoryScreen
from hotline_tui.tui.widgets.queue_list import PAGE, QueueList, prefetch_first_page

GROUPS: tuple[str | None, ...] = (None, "unit", "owner")
LOG_LINES = 4
LOG_DEBOUNCE = 0.12
STALE_AFTER = 60.0  # seconds: coming back to the screen later reads it again
REFRESH_EVERY = 300.0


def _when(dt: datetime | None) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


class QueueScreen(DirectoryScreen):
    """The queue list, a summary line above it, the chase log of the current order below."""

    TITLE_KEY = "screen.queue"
    # queue.tcss as the screen's default CSS rather than CSS_PATH: a screen's CSS file costs
    # one more parse of the whole stylesheet on its first open (~50 ms of the event loop)
    DEFAULT_CSS = (Path(__file__).with_name("queue.tcss")).read_text(encoding="utf-8")
    AUTO_FOCUS = "#queue"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("c", "chase", "queue.chase", id="queue.chase"),
        Binding("space", "mark", "queue.mark", id="queue.mark"),
        Binding("m", "mark_group", "queue.mark_group", id="queue.mark_group", show=False),
        Binding("escape", "clear_marks", "queue.clear_marks", id="queue.clear_marks",
                show=False),
        Binding("e", "extend", "queue.extend", id="queue.extend"),
        Binding("d", "decide", "queue.decide", id="queue.decide"),
        Binding("w", "notice", "queue.notice", id="queue.notice"),
        Binding("b", "cycle_group", "queue.group", id="queue.group"),
        Binding("t", "toggle_today", "queue.today", id="queue.today"),
        Binding("right_square_bracket", "jump_group(1)", "queue.next_group",
                id="queue.next_group", show=False),
        Binding("left_square_bracket", "jump_group(-1)", "queue.prev_group",
                id="queue.prev_group", show=False),
        Binding("r,f5", "reload", "queue.reload", id="queue.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._log_timer: Timer | None = None
        self._log_for: int | None = None
        self._labels_loaded = False
        self.loaded_at = 0.0
        self.mounted_at = 0.0
        self.last_chase: Any = None  # the last ChaseSaved (benchmarks, tests)
        self.chase_painted_at = 0.0
        self._binding_state: tuple = self._FIRST_STATE
        # A new screen has no styles to bring up to date: Textual (8.2) would otherwise
        # re-parse the whole stylesheet and restyle every screen already open, twice, on the
        # first switch to this one (the dearest part of the first open). New CSS sources
        # (this screen's, its widgets') are still parsed when they are registered.
        self._css_update_count = getattr(self.app, "_css_update_count", -1)
        self._unit_labels: dict[int, str] = {}  # filled in place by the first read
        # the first page is read from now on, while the screen is composed and mounted
        self._first: Any = None
        engine = getattr(self.app, "engine", None)
        if engine is not None:
            self._first = prefetch_first_page(
                lambda: self._read_page(engine, "all", None, 0, PAGE, None))

    # -- layout --------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        """ShellScreen's frame, with a footer that rebuilds its keys once per refresh."""
        from hotline_tui.tui.widgets.header import HeaderBar
        from hotline_tui.tui.widgets.queue_footer import CoalescingFooter

        yield HeaderBar(t(self.TITLE_KEY), id="header")
        yield from self.compose_body()
        yield CoalescingFooter()

    def compose_body(self) -> Iterable[Widget]:
        yield Static(t("queue_tui.loading"), id="queue-summary", markup=False)
        yield Static("", id="queue-warning", markup=False)
        yield QueueList(self._load_page, unit_labels=self._unit_labels, id="queue")
        yield Static("", id="queue-log-title", markup=False)
        yield Static("", id="queue-log", markup=False)
        yield Static("", id="status", markup=False)

    @property
    def queue(self) -> QueueList:
        return self.query_one("#queue", QueueList)

    def on_mount(self) -> None:
        self.mounted_at = time.perf_counter()
        self.query_one("#queue-warning").display = False
        self.queue.focus()
        self.call_after_refresh(self._first_focus)
        first, self._first = self._first, None
        self.queue.load(first=first)
        self.set_interval(REFRESH_EVERY, self._tick)

    def _first_focus(self) -> None:
        if self.focused is None:
            self.queue.focus()

    def on_screen_resume(self) -> None:
        self.queue.focus()
        if self.loaded_at and time.perf_counter() - self.loaded_at > STALE_AFTER:
            self.reload()

    def _tick(self) -> None:
        if self.is_current:
            self.reload()

    # -- reading (thread workers) -----------------------------------------------------------------
    def _load_page(self, view: str, group: str | None, offset: int, limit: int,
                   now: datetime | None) -> Any:
        """One page of the queue (runs in a thread)."""
        return self._read_page(self.engine, view, group, offset, limit, now)

    def _read_page(self, engine: Any, view: str, group: str | None, offset: int, limit: int,
                   now: datetime | None) -> Any:
        from hotline_tui.services.queue import queue_page

        page = queue_page(engine, view=view, group=group, offset=offset, limit=limit, now=now)
        if not self._labels_loaded:
            from hotline_tui.services.owner_targets import unit_labels

            self._unit_labels.update(unit_labels(engine))  # the list holds this dict
            self._labels_loaded = True
        return page

    def reload(self) -> None:
        self.queue.load(keep_position=True)

    def action_reload(self) -> None:
        self._labels_loaded = False
        self.reload()

    @on(QueueList.Loaded)
    def _loaded(self) -> None:
        if not self.queue.fetching:
            self.loaded_at = time.perf_counter()
        self._show_summary()
        self._show_status()
        self._bindings_may_change()

    def _bindings_may_change(self) -> None:
        """Refresh the footer's keys only when what check_action answers changed: each
        refresh rebuilds the footer (tens of widgets styled), the dearest step of an open."""
        state = self._keys_state()
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    @on(QueueList.Failed)
    def _failed(self, event: QueueList.Failed) -> None:
        self.notify_error(event.error)

    # -- the lines around the list -------------------------------------------------------------------
    def _show_summary(self) -> None:
        q = self.queue
        page = q.page
        if page is None:
            return
        c = page.counts
        parts = [t("queue_tui.summary", overdue=f"{c.overdue:,}", today=f"{c.today:,}",
                   soon=f"{c.soon:,}")]
        if q.view == "today":
            parts.append(t("queue_tui.summary_today", total=f"{q.total:,}"))
        parts.append(t(f"queue_tui.view.{q.view}"))
        parts.append(t(f"queue_tui.group.{q.group or 'none'}"))
        if q.marked:
            parts.append(t("queue_tui.marked", n=len(q.marked)))
        parts.append(t("queue_tui.as_of", at=f"{page.now:%m-%d %H:%M}"))
        self.query_one("#queue-summary", Static).update("   |   ".join(parts))
        warning = self.query_one("#queue-warning", Static)
        warning.update(page.warning or "")
        warning.display = bool(page.warning)

    def _show_status(self) -> None:
        q = self.queue
        parts = []
        if q.total:
            parts.append(t("queue_tui.position", position=f"{q.position + 1:,}",
                           total=f"{q.total:,}"))
        elif not q.fetching:
            parts.append(t("queue_tui.none"))
        if q.fetching:
            parts.append(t("queue_tui.reading"))
        keys = bound_keys(self, ["queue.chase", "queue.mark", "queue.extend", "queue.notice",
                                 "queue.group", "queue.today"])
        open_key = bound_keys(q, ["list.open"])["list.open"]
        parts.append(t("queue_tui.hint", chase=keys["queue.chase"], mark=keys["queue.mark"],
                       extend=keys["queue.extend"], notice=keys["queue.notice"],
                       group=keys["queue.group"], today=keys["queue.today"], open=open_key))
        self.show_status("  |  ".join(parts))

    # -- the chase log of the order under the cursor --------------------------------------------
    @on(QueueList.Highlighted)
    def _moved(self, event: QueueList.Highlighted) -> None:
        self._show_status()
        self._bindings_may_change()
        row = event.row
        if row is None:
            self._log_for = None
            self.query_one("#queue-log-title", Static).update("")
            self.query_one("#queue-log", Static).update("")
            return
        if self._log_timer is not None:
            self._log_timer.stop()
        self._log_timer = self.set_timer(LOG_DEBOUNCE, lambda: self._read_log(row))

    def _read_log(self, row: Any) -> None:
        self._log_timer = None
        engine = self.engine
        self._log_for = row.order_id
        title = t("queue_tui.log_title", order_no=row.order_no, unit=row.unit_name)
        self.query_one("#queue-log-title", Static).update(title)

        def work() -> tuple[list, list]:
            from hotline_tui.services.chase import chase_log
            from hotline_tui.services.extension import extensions_of

            return chase_log(engine, row.order_no), extensions_of(engine, row.order_no)

        def done(result: tuple[list, list]) -> None:
            if self._log_for == row.order_id:
                self._show_log(*result)

        self.run_db(work, done)

    def _show_log(self, entries: list, extensions: list) -> None:
        from hotline_tui.services.chase import method_label

        lines: list[str] = []
        if extensions:
            x = extensions[-1]
            lines.append(t("queue_tui.ext_line", days=x.days,
                           status=t(f"queue_tui.ext_status.{x.status}"), reason=x.reason))
        room = LOG_LINES - len(lines)
        if not entries:
            lines.append(t("queue_tui.log_none"))
        else:
            shown = list(reversed(entries))[:room]
            for e in shown:
                said = [e.said] if e.said else []
                if e.promised_on:
                    said.append(t("queue_tui.log_promised", day=e.promised_on.isoformat()))
                if e.next_chase_on:
                    said.append(t("queue_tui.log_next", day=e.next_chase_on.isoformat()))
                lines.append(t("queue_tui.log_line", at=_when(e.at),
                               method=method_label(e.method), whom=e.whom or "-",
                               said="; ".join(said)).replace("\n", " "))
            if len(entries) > len(shown):
                lines[-1] = lines[-1] + "  " + t("queue_tui.log_more",
                                                 n=len(entries) - len(shown))
        self.query_one("#queue-log", Static).update("\n".join(lines))

    def _refresh_log(self) -> None:
        row = self.queue.current_row
        if row is not None:
            self._read_log(row)

    # -- keys ------------------------------------------------------------------------------------------
    # Before the first page is in, the keys are those of a list with rows (the usual case), so
    # the footer is not rebuilt when the rows arrive.
    _FIRST_STATE = (True, False, False, False, False)

    def _keys_state(self) -> tuple[bool, bool, bool, bool, bool]:
        """(a row under the cursor, marks, its extension pending, groups, in a group)."""
        try:
            q = self.queue
        except Exception:  # noqa: BLE001 - not composed yet
            return self._FIRST_STATE
        if q.page is None:
            return self._FIRST_STATE
        row = q.current_row
        if row is None and q.total:  # its page is on its way: keep the keys as they were
            return (True, bool(q.marked), self._binding_state[2], bool(q.groups),
                    q.current_group is not None)
        return (row is not None, bool(q.marked), bool(row is not None and row.extension_pending),
                bool(q.groups), q.current_group is not None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_row, marked, pending, groups, in_group = self._keys_state()
        if action in ("chase", "notice"):
            return marked or has_row
        if action in ("mark", "extend"):
            return has_row
        if action == "decide":
            return pending
        if action == "mark_group":
            return in_group
        if action == "jump_group":
            return groups
        if action == "clear_marks":
            return marked
        return True

    def action_mark(self) -> None:
        if self.queue.toggle_mark() is not None:
            self._show_summary()
            self._bindings_may_change()

    def action_mark_group(self) -> None:
        q = self.queue
        group = q.current_group
        if group is None:
            return
        q.mark_rows(q.loaded_rows_of_group(group))
        self._show_summary()
        self._bindings_may_change()

    def action_clear_marks(self) -> None:
        self.queue.clear_marks()
        self._show_summary()
        self._bindings_may_change()

    def action_cycle_group(self) -> None:
        q = self.queue
        q.group = GROUPS[(GROUPS.index(q.group) + 1) % len(GROUPS)]
        q.load()

    def action_toggle_today(self) -> None:
        q = self.queue
        q.view = "all" if q.view == "today" else "today"
        q.load()

    def action_jump_group(self, step: int) -> None:
        self.queue.jump_group(step)

    def _targets(self) -> list[Any]:
        q = self.queue
        if q.marked:
            return list(q.marked.values())
        return [q.current_row] if q.current_row is not None else []

    def action_chase(self) -> None:
        from hotline_tui.tui.modals.chase_form import ChaseForm, ChaseSaved

        rows = self._targets()
        if not rows:
            self.app.notify(t("queue_tui.no_row"), severity="warning")
            return
        marked = bool(self.queue.marked)

        def back(saved: ChaseSaved | None) -> None:
            if saved is None:
                return
            self.last_chase = saved
            self.queue.replace_rows(saved.rows)
            self.chase_painted_at = time.perf_counter()
            if marked:
                self.queue.clear_marks()
            self._show_summary()
            self._bindings_may_change()
            self._announce_chase(saved)
            self._refresh_log()

        self.app.push_screen(ChaseForm(rows), back)

    def _announce_chase(self, saved: Any) -> None:
        from hotline_tui.services.chase import method_label

        days = sorted({d.next_chase_on for d in saved.done})
        nxt = days[0].isoformat() if len(days) == 1 else t("queue_tui.chased_many_next")
        self.app.notify(t("queue_tui.chased", method=method_label(saved.done[0].method),
                          n=len(saved.done), next=nxt))

    def action_extend(self) -> None:
        from hotline_tui.tui.modals.extension_forms import ExtensionRequestForm

        row = self.queue.current_row
        if row is None:
            return
        self.app.push_screen(ExtensionRequestForm(row), self._extension_done)

    def action_decide(self) -> None:
        from hotline_tui.tui.modals.extension_forms import ExtensionDecisionForm

        row = self.queue.current_row
        if row is None:
            return
        if not row.extension_pending:
            self.app.notify(t("queue_tui.no_pending", order_no=row.order_no),
                            severity="warning")
            return
        self.app.push_screen(ExtensionDecisionForm(row), self._extension_done)

    def _extension_done(self, saved: Any) -> None:
        if saved is None:
            return
        info = saved.info
        if info.status == "pending":
            text = t("queue_tui.ext_requested", order_no=info.order_no, days=info.days,
                     new=_when(info.new_due_at))
        elif info.status == "approved":
            text = t("queue_tui.ext_approved", order_no=info.order_no, new=_when(info.new_due_at))
        else:
            text = t("queue_tui.ext_refused", order_no=info.order_no)
        for w in info.warnings:
            text += "\n" + w
        self.app.notify(text, severity="warning" if info.warnings else "information",
                        timeout=10 if info.warnings else 5)
        self.queue.replace_rows(saved.rows)
        self._bindings_may_change()
        if info.status == "approved":  # a new deadline: the order moves in the queue
            self.reload()
        self._refresh_log()

    def action_notice(self) -> None:
        from hotline_tui.tui.modals.chase_notice import ChaseNoticeDialog

        rows = self._targets()
        if not rows:
            return
        units: dict[int, str] = {}
        for r in rows:
            if r.unit_id is None:
                self.app.notify(t("queue_tui.notice.no_unit", order_no=r.order_no),
                                severity="error")
                return
            units.setdefault(r.unit_id, r.unit_name)

        def back(files: dict | None) -> None:
            if not files:
                return
            folder = next(iter(files.values()))[0].parent
            n = sum(len(v) for v in files.values())
            self.app.notify(t("queue_tui.notice.written", n=n, folder=folder), timeout=10)
            if dialog.log_chase:
                self.reload()
                self._refresh_log()

        dialog = ChaseNoticeDialog(sorted(units.items(), key=lambda kv: kv[1]))
        self.app.push_screen(dialog, back)

    @on(QueueList.Opened)
    def _open(self, event: QueueList.Opened) -> None:
        from hotline_tui.tui.views.order_detail import OrderDetailScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.reload()

        self.app.push_screen(OrderDetailScreen(event.row.order_id), back)


def _warm(engine: Any) -> None:
    """The first page once after start-up: SQLite's pages and the calendar cache warm."""
    from hotline_tui.services.queue import queue_page

    queue_page(engine, limit=PAGE)


TOP_SCREEN = TopScreen(
    id="queue", key="f5", title_key="screen.queue", factory=QueueScreen, order=50, warm=_warm,
)
