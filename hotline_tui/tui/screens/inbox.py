"""The inbox: every order in one virtual list, filtered as you type, sorted, opened, exported."""

from __future__ import annotations

import time
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input, Static

from hotline_tui.domain.states import OPEN_STATUSES, Status
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.store.inbox_query import SORTS, InboxFilter
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.base import ShellScreen
from hotline_tui.tui.widgets.order_list import OrderList

# A keystroke after a pause is applied at once; keys typed faster than this (a burst, a
# paste) wait until they stop for this long, so a burst costs one query, not one per key.
DEBOUNCE = 0.03

# State filter choices: (id, statuses); labels are t("state_filter.<id>") or the status name.
STATE_CHOICES: list[tuple[str, tuple[str, ...]]] = [
    ("all", ()),
    ("open", tuple(s.value for s in Status if s in OPEN_STATUSES)),
    *[(s.value, (s.value,)) for s in Status],
]


def state_label(choice: str) -> str:
    if choice in ("all", "open"):
        return t(f"state_filter.{choice}")
    return t(f"status.{choice}")


class InboxScreen(ShellScreen):
    """All orders, newest first; `/` filters, `s` states, `o` sorts, `enter` opens."""

    TITLE_KEY = "screen.inbox"
    CSS_PATH = "inbox.tcss"
    AUTO_FOCUS = "#orders"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "inbox.filter", id="inbox.filter"),
        Binding("escape", "clear_filter", "inbox.clear_filter", id="inbox.clear_filter", show=False),
        Binding("s", "pick_state", "inbox.state", id="inbox.state"),
        Binding("o", "cycle_sort", "inbox.sort", id="inbox.sort"),
        Binding("x", "export", "inbox.export", id="inbox.export"),
        Binding("i", "import_file", "inbox.import", id="inbox.import"),
        Binding("n", "new_order", "inbox.new", id="inbox.new"),
        Binding("r", "reload", "inbox.reload", id="inbox.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.state_choice = "all"
        self.sort = "received"
        self._debounce: Timer | None = None
        self._typed_at: float | None = None  # perf_counter of the last keystroke not yet applied
        self._last_key = 0.0  # perf_counter of the last keystroke in the filter box
        self._status_text = ""

    # -- layout -----------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        yield Input(placeholder=t("inbox.filter_placeholder"), id="filter")
        yield OrderList(self.app.engine, warn_hours=getattr(self.app, "warn_hours", 48),
                        id="orders")
        yield Static("", id="status", markup=False)

    @property
    def orders(self) -> OrderList:
        return self.query_one("#orders", OrderList)

    @property
    def filter_input(self) -> Input:
        return self.query_one("#filter", Input)

    def on_mount(self) -> None:
        self.orders.focus()
        self.orders.set_filter(InboxFilter())
        self.set_interval(60, self._tick)

    def _tick(self) -> None:
        self.orders.tick_clock(clock.now())

    # -- the filter ---------------------------------------------------------------------
    def current_filter(self) -> InboxFilter:
        statuses = dict(STATE_CHOICES)[self.state_choice]
        return InboxFilter(
            text=self.filter_input.value.strip(), statuses=statuses, sort=self.sort
        )

    def action_filter(self) -> None:
        box = self.filter_input
        box.add_class("-active")
        box.focus()
        box.cursor_position = len(box.value)

    @on(Input.Changed, "#filter")
    def _typed(self) -> None:
        now = time.perf_counter()
        burst = now - self._last_key < DEBOUNCE
        self._last_key = now
        self._typed_at = now
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        elif not burst:  # after a pause: at once (the old query is interrupted if running)
            self._apply_filter()
            return
        self._debounce = self.set_timer(DEBOUNCE, self._apply_filter)

    def _apply_filter(self) -> None:
        self._debounce = None
        started, self._typed_at = self._typed_at, None
        f = self.current_filter()
        if f != self.orders.requested:  # (not .filter: another may be on its way)
            self.orders.set_filter(f, started=started)
        self._show_status()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        self._leave_filter_box()

    def _leave_filter_box(self) -> None:
        if self._debounce is not None:
            self._apply_filter()
        if not self.filter_input.value:
            self.filter_input.remove_class("-active")
        self.orders.focus()

    def action_clear_filter(self) -> None:
        box = self.filter_input
        if box.has_focus:
            box.value = ""
            self._leave_filter_box()
        elif box.value:
            box.value = ""
            box.remove_class("-active")
        elif self.state_choice != "all":
            self.state_choice = "all"
        else:
            return
        if self._debounce is not None:
            self._debounce.stop()
        self._apply_filter()

    def action_pick_state(self) -> None:
        from hotline_tui.tui.modals.pick import PickScreen

        options = [(choice, state_label(choice)) for choice, _ in STATE_CHOICES]

        def picked(choice: str | None) -> None:
            if choice is not None and choice != self.state_choice:
                self.state_choice = choice
                self._apply_filter()

        self.app.push_screen(
            PickScreen(t("inbox.pick_state"), options, self.state_choice), picked
        )

    def action_cycle_sort(self) -> None:
        current = self.sort
        self.sort = SORTS[(SORTS.index(current) + 1) % len(SORTS)] if current in SORTS else SORTS[0]
        self._apply_filter()

    def action_reload(self) -> None:
        self.orders.reload()

    # -- the status line ----------------------------------------------------------------
    @on(OrderList.Changed)
    def _list_changed(self) -> None:
        self._show_status()

    @on(OrderList.Failed)
    def _list_failed(self, event: OrderList.Failed) -> None:
        self.notify_error(event.error)

    def _show_status(self) -> None:
        ol = self.orders
        if ol.total == 0:
            count = t("inbox.none")
        elif ol.total is not None:
            count = t("inbox.count", position=f"{ol.cursor + 1:,}", total=f"{ol.total:,}")
        else:
            count = t("inbox.counting", known=f"{ol.row_count:,}")
        parts = [count]
        text = self.filter_input.value.strip()
        if text:
            parts.append(t("inbox.filter_is", text=text))
        parts.append(t("inbox.state_is", state=state_label(self.state_choice)))
        parts.append(t("inbox.sort_is", sort=t(f"sort.{self.sort}")))
        if ol.fetching:
            parts.append(t("inbox.searching"))
        text = "  |  ".join(parts)
        if text != self._status_text:
            self._status_text = text
            # one line of fixed size (app.tcss #status): no relayout of the screen, which
            # would hold the event loop up while a filter's first page is on its way
            self.query_one("#status", Static).update(text, layout=False)

    # -- open, export, import, new ----------------------------------------------------------
    @on(OrderList.Opened)
    def _open(self, event: OrderList.Opened) -> None:
        from hotline_tui.tui.views.order_detail import OrderDetailScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.orders.reload()

        self.app.push_screen(OrderDetailScreen(event.row.id), back)

    def action_export(self) -> None:
        from hotline_tui.tui.modals.prompt import PathPrompt

        stamp = clock.now().strftime("%Y%m%d_%H%M")
        default = _default_dir() / t("export.default_name", stamp=stamp)
        f = self.orders.filter

        def chosen(path: str | None) -> None:
            if path:
                from hotline_tui.tui.modals.export import ExportScreen

                self.app.push_screen(ExportScreen(f, Path(path), self.orders.total))

        self.app.push_screen(
            PathPrompt(t("export.prompt_title"), t("export.prompt_label"), str(default),
                       must_exist=False, suffix=".xlsx"),
            chosen,
        )

    def action_import_file(self) -> None:
        from hotline_tui.tui.modals.prompt import PathPrompt

        def chosen(path: str | None) -> None:
            if path:
                from hotline_tui.tui.modals.import_file import ImportScreen

                self.app.push_screen(ImportScreen(Path(path)), lambda _r: self.orders.reload())

        self.app.push_screen(
            PathPrompt(t("import.prompt_title"), t("import.prompt_label"),
                       str(_default_dir()) + "/", must_exist=True),
            chosen,
        )

    def action_new_order(self) -> None:
        from hotline_tui.tui.views.manual_entry import EntryScreen

        def created(order_no: str | None) -> None:
            if order_no:
                self.notify(t("entry.created", order_no=order_no))
                self.orders.reload()

        self.app.push_screen(EntryScreen(), created)


def _default_dir() -> Path:
    """Where files are looked for and written by default: the current folder, or home."""
    import os

    cwd = Path.cwd()
    if os.access(cwd, os.W_OK):
        return cwd
    return Path.home()


TOP_SCREEN = TopScreen(
    id="inbox", key="f2", title_key="screen.inbox", factory=InboxScreen, order=10
)
