"""The inbox list: a Line-API ScrollView that reads only the visible window of orders.

Rows come from `store.inbox_query.fetch_page` in pages of PAGE rows, fetched in thread
workers and kept in a small LRU; the total comes from `count_orders` in a background worker
after the first page is painted. A new filter interrupts the queries of the old one
(sqlite3 `interrupt()`), and the old rows stay on screen until the new first page arrives.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from sqlalchemy.engine import Connection, Engine
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hotline_tui.domain.states import RUNNING_STATUSES
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.store.inbox_query import InboxFilter, InboxRow, count_orders, fetch_page
from hotline_tui.tui import trace
from hotline_tui.tui.keys import Localized
from hotline_tui.tui.text import cell_len, column_text, fit

PAGE = 100
MAX_PAGES = 40
GAP = 2
_RUNNING = frozenset(s.value for s in RUNNING_STATUSES)


class OrderSource:
    """Runs the list's queries on pooled connections and can interrupt stale ones.

    Every call carries a generation number; `interrupt_except(gen)` stops the SQLite
    statements of every other generation (a filter the clerk has typed past).
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._lock = threading.Lock()
        self._running: dict[int, tuple[int, Any]] = {}

    @contextmanager
    def _connect(self, gen: int) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            raw = conn.connection.dbapi_connection
            with self._lock:
                self._running[id(raw)] = (gen, raw)
            try:
                yield conn
            finally:
                with self._lock:
                    self._running.pop(id(raw), None)

    def fetch(
        self, gen: int, f: InboxFilter, offset: int, limit: int, total: int | None = None
    ) -> list[InboxRow]:
        """One page; with `total` known, a page past the middle is read from the end."""
        with self._connect(gen) as conn:
            return fetch_page(conn, f, offset, limit, total=total)

    def count(self, gen: int, f: InboxFilter) -> int:
        with self._connect(gen) as conn:
            return count_orders(conn, f)

    def interrupt_except(self, gen: int) -> None:
        with self._lock:
            stale = [raw for g, raw in self._running.values() if g != gen]
        for raw in stale:
            interrupt = getattr(raw, "interrupt", None)
            if interrupt is not None:
                try:
                    interrupt()
                except Exception:  # noqa: BLE001 - the statement may just have ended
                    pass


@dataclass(frozen=True)
class Column:
    name: str  # i18n key suffix (col.<name>) and cell getter
    width: int  # cells; 0 = takes the rest


def short_time(dt: datetime | None, today: datetime) -> str:
    """'11-27 09:05' this year, '2025-11-27' before; 11 cells at most."""
    if dt is None:
        return ""
    if dt.year == today.year:
        return f"{dt:%m-%d %H:%M}"
    return f"{dt:%Y-%m-%d}"


class OrderList(Localized, ScrollView, can_focus=True, inherit_bindings=False):
    """Orders of a filter, newest first (or as sorted), one line each."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "order-list--header",
        "order-list--cursor",
        "order-list--overdue",
        "order-list--warn",
        "order-list--loading",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "list.down", id="list.down", show=False),
        Binding("k,up", "cursor_up", "list.up", id="list.up", show=False),
        Binding("g,home", "top", "list.top", id="list.top", show=False),
        Binding("G,end", "bottom", "list.bottom", id="list.bottom", show=False),
        Binding("pagedown,ctrl+d", "page_down", "list.page_down", id="list.page_down", show=False),
        Binding("pageup,ctrl+u", "page_up", "list.page_up", id="list.page_up", show=False),
        Binding("enter", "open", "list.open", id="list.open"),
    ]

    class Opened(Message):
        """The clerk opened an order (enter or double click)."""

        def __init__(self, row: InboxRow) -> None:
            super().__init__()
            self.row = row

    class Changed(Message):
        """The filter, the total or the loading state changed (for the status line)."""

    class Failed(Message):
        """A query failed for a reason other than being interrupted."""

        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self, engine: Engine, *, warn_hours: int = 48, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.source = OrderSource(engine)
        self.warn = timedelta(hours=warn_hours)
        self.filter = InboxFilter()  # the filter of the rows on screen
        self.requested = self.filter  # the filter last asked for (its rows may be on the way)
        self.cursor = 0
        self.total: int | None = None  # exact number of rows, once known
        self.counting = False
        self.fetching = True  # the first page of the current filter is on its way
        self._gen = 0
        self._pages: OrderedDict[int, list[InboxRow]] = OrderedDict()
        self._pending: set[int] = set()
        self._known = 0  # rows known to exist (loaded pages)
        self._at_most: int | None = None  # an empty page past the end bounds the total
        self._go_bottom = False
        self._fetch_timer = None
        self._order_no_width = 16
        self._now = clock.now()
        # timing of the last filter change (perf_counter marks; see `last_timing`)
        self._marks: dict[str, float] = {}
        self.last_timing: dict[str, float] | None = None

    # -- public API ---------------------------------------------------------------------
    def set_filter(
        self, f: InboxFilter, *, keep_position: bool = False, started: float | None = None
    ) -> None:
        """Show the orders matching `f`; the current rows stay until its first page is in.
        `started`: perf_counter of what asked for it (the keystroke), for `last_timing`."""
        self._gen += 1
        gen = self._gen
        self.requested = f
        now = time.perf_counter()
        self._marks = {"gen": gen, "start": started if started is not None else now,
                       "apply": now}
        self.source.interrupt_except(gen)
        self.fetching = True
        self.counting = False
        self._go_bottom = False
        first = (self.cursor // PAGE) if keep_position else 0
        self.run_worker(
            lambda: self._load_first(gen, f, first, keep_position),
            thread=True, group="order-list-first", exclusive=True, exit_on_error=False,
        )
        self.post_message(self.Changed())

    def reload(self) -> None:
        """Read the current filter again (after an import, an entry, a change), in place."""
        self.set_filter(self.filter, keep_position=True)

    @property
    def row_count(self) -> int:
        """Rows the list can show now: the exact total, or what is known so far."""
        if self.total is not None:
            return self.total
        return self._known

    @property
    def current_row(self) -> InboxRow | None:
        return self.row_at(self.cursor)

    def row_at(self, index: int) -> InboxRow | None:
        rows = self._pages.get(index // PAGE)
        if rows is None:
            return None
        i = index % PAGE
        return rows[i] if i < len(rows) else None

    # -- loading (thread workers; results come back on the event loop) -------------------
    def _load_first(self, gen: int, f: InboxFilter, page: int, keep: bool) -> None:
        t0 = time.perf_counter()
        try:
            rows = self.source.fetch(gen, f, page * PAGE, PAGE)
            if page and not rows:  # the list got shorter than the old position
                page, rows = 0, self.source.fetch(gen, f, 0, PAGE)
        except Exception as exc:  # noqa: BLE001 - shown as a notification
            self._from_thread(self._failed, gen, exc)
            return
        t1 = time.perf_counter()
        marks = self._marks
        if marks.get("gen") == gen:
            marks["query0"], marks["query1"] = t0, t1
        self._from_thread(self._first_loaded, gen, f, page, rows, keep)

    def _from_thread(self, callback, *args: Any) -> None:  # noqa: ANN001
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app has closed meanwhile
            pass

    def _first_loaded(
        self, gen: int, f: InboxFilter, page: int, rows: list[InboxRow], keep: bool
    ) -> None:
        if gen != self._gen:
            return
        if self._marks.get("gen") == gen:
            self._marks["loaded"] = time.perf_counter()
        self.filter = f
        self.fetching = False
        self._pages.clear()
        self._pending.clear()
        self._pages[page] = rows
        self.total = None
        self._at_most = None
        self._known = 0
        self._note_page(page, rows)
        self._fit_columns(rows)
        if not keep:
            self.cursor = 0
        self._update_virtual_size()
        if not keep:
            self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = max(0, min(self.cursor, max(self.row_count - 1, 0)))
        self.refresh()
        if self.total is None:
            self.counting = True
            self.run_worker(
                lambda: self._count(gen, f),
                thread=True, group="order-list-count", exclusive=True, exit_on_error=False,
            )
        self.post_message(self.Changed())

    def _count(self, gen: int, f: InboxFilter) -> None:
        try:
            total = self.source.count(gen, f)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, gen, exc)
            return
        self._from_thread(self._counted, gen, total)

    def _counted(self, gen: int, total: int) -> None:
        if gen != self._gen:
            return
        self.counting = False
        self.total = total
        self._update_virtual_size()
        if self._go_bottom:
            self._go_bottom = False
            self.action_bottom()
        else:
            self.cursor = max(0, min(self.cursor, total - 1))
        self.refresh()
        self.post_message(self.Changed())

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen or "interrupt" in str(exc).lower():
            return
        self.fetching = False
        self.counting = False
        self.post_message(self.Failed(exc))
        self.post_message(self.Changed())

    def _note_page(self, page: int, rows: list[InboxRow]) -> None:
        offset = page * PAGE
        if rows:
            self._known = max(self._known, offset + len(rows))
            if len(rows) < PAGE:
                self.total = offset + len(rows)
                self.counting = False
        elif page == 0:
            self.total = 0
            self.counting = False
        else:
            self._at_most = offset if self._at_most is None else min(self._at_most, offset)

    def _schedule_fetch(self) -> None:
        """Fetch the pages the viewport needs, after a short pause (coalesces fast scrolls)."""
        if self._fetch_timer is None:
            self._fetch_timer = self.set_timer(0.015, self._fetch_visible)

    def _fetch_visible(self) -> None:
        self._fetch_timer = None
        top = self.scroll_offset.y
        height = max(self.size.height, 1)
        first = max(0, top - PAGE // 4) // PAGE
        last = (top + height + PAGE // 4) // PAGE
        if self.total is not None:
            last = min(last, max(self.total - 1, 0) // PAGE)
        gen, f, total = self._gen, self.filter, self.total
        for page in range(first, last + 1):
            if page in self._pages or page in self._pending:
                continue
            self._pending.add(page)
            self.run_worker(
                lambda p=page: self._load_page(gen, f, p, total),
                thread=True, group="order-list-page", exit_on_error=False,
            )

    def _load_page(self, gen: int, f: InboxFilter, page: int, total: int | None) -> None:
        if gen != self._gen:
            return
        try:
            rows = self.source.fetch(gen, f, page * PAGE, PAGE, total)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, gen, exc)
            return
        self._from_thread(self._page_loaded, gen, page, rows)

    def _page_loaded(self, gen: int, page: int, rows: list[InboxRow]) -> None:
        if gen != self._gen:
            return
        self._pending.discard(page)
        self._pages[page] = rows
        self._pages.move_to_end(page)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        had_total = self.total
        self._note_page(page, rows)
        self._update_virtual_size()
        if had_total != self.total:
            self.post_message(self.Changed())
        self.refresh()

    # -- geometry -------------------------------------------------------------------------
    def _update_virtual_size(self) -> None:
        rows = self.row_count
        if self.total is None:
            rows += PAGE  # room to scroll on while the count runs
            if self._at_most is not None:
                rows = min(rows, self._at_most)
        self.virtual_size = Size(self.scrollable_content_region.width, rows + 1)

    @property
    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _scroll_cursor_into_view(self) -> None:
        top = self.scroll_offset.y
        h = self._body_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + h:
            self.scroll_to(y=self.cursor - h + 1, animate=False, immediate=True)

    def _move(self, cursor: int) -> None:
        limit = self.row_count if self.total is not None else self.row_count + PAGE
        if self._at_most is not None:
            limit = min(limit, self._at_most)
        cursor = max(0, min(cursor, limit - 1))
        if cursor == self.cursor:
            return
        old = self.cursor
        self.cursor = cursor
        top = self.scroll_offset.y
        self._scroll_cursor_into_view()
        if self.scroll_offset.y == top:
            self.refresh_line(old + 1)
            self.refresh_line(cursor + 1)
        else:
            self.refresh()
        self.post_message(self.Changed())

    # -- actions --------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + self._body_height - 1)

    def action_page_up(self) -> None:
        self._move(self.cursor - self._body_height + 1)

    def action_top(self) -> None:
        self._go_bottom = False
        self._move(0)

    def action_bottom(self) -> None:
        if self.total is None:
            self._go_bottom = True  # done when the count arrives
            self.post_message(self.Changed())
            return
        self._move(self.total - 1)

    def action_open(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = self.scroll_offset.y + event.y - 1
        if index < self.row_count:
            self._move(index)
            if event.chain >= 2:
                self.action_open()

    def on_resize(self) -> None:
        self._update_virtual_size()
        self._scroll_cursor_into_view()

    # -- rendering ------------------------------------------------------------------------
    def _fit_columns(self, rows: list[InboxRow]) -> None:
        widest = max((cell_len(r.order_no) for r in rows), default=0)
        header = cell_len(t("col.order_no"))
        self._order_no_width = max(header, min(widest, 24), 8)

    def _layout(self, width: int) -> list[Column]:
        cols = [
            Column("order_no", self._order_no_width), Column("received_at", 11),
            Column("type", 4), Column("title", 0), Column("area", 8), Column("unit", 10),
            Column("status", 8), Column("due_at", 11),
        ]
        for drop in ("area", "type", "received_at", "unit"):
            fixed = sum(c.width for c in cols) + GAP * (len(cols) - 1) + 1
            if width - fixed >= 14:
                break
            cols = [c for c in cols if c.name != drop]
        fixed = sum(c.width for c in cols) + GAP * (len(cols) - 1) + 1
        rest = max(width - fixed, 4)
        # a wide terminal: long unit names (西山县自然资源局) before an even longer title
        extra = min(max(rest - 48, 0), 8)
        out = []
        for c in cols:
            if c.name == "unit":
                c = Column("unit", c.width + extra)
            elif not c.width:
                c = Column(c.name, rest - (extra if any(x.name == "unit" for x in cols) else 0))
            out.append(c)
        return out

    def _cells(self, row: InboxRow) -> dict[str, str]:
        return {
            "order_no": row.order_no,
            "received_at": short_time(row.received_at, self._now),
            "type": column_text(row.request_type),
            "title": (t("list.urgent") if row.urgent else "") + column_text(row.title),
            "area": column_text(row.area),
            "unit": column_text(row.unit_name),
            "status": t(f"status.{row.status}"),
            "due_at": short_time(row.due_at, self._now),
        }

    def _due_class(self, row: InboxRow) -> str | None:
        if row.due_at is None or row.status not in _RUNNING:
            return None
        if row.due_at < self._now:
            return "order-list--overdue"
        if row.due_at - self._now <= self.warn:
            return "order-list--warn"
        return None

    def _line(self, texts: list[tuple[str, Style]], width: int, base: Style) -> Strip:
        segments = [Segment(" ", base)]
        for i, (text, style) in enumerate(texts):
            if i:
                segments.append(Segment(" " * GAP, base))
            segments.append(Segment(text, style))
        strip = Strip(segments)
        return strip.crop_extend(0, width, base)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        cols = self._layout(width)
        if y == 0:
            style = base + self.get_component_rich_style("order-list--header", partial=True)
            texts = [(fit(t(f"col.{c.name}"), c.width), style) for c in cols]
            return self._line(texts, width, style)
        index = self.scroll_offset.y + y - 1
        if "loaded" in self._marks and "painted" not in self._marks:
            self._painted()  # the first body line drawn after the new filter's first page
        if self.total == 0 and index == 0 and not self.fetching:
            style = base + self.get_component_rich_style("order-list--loading", partial=True)
            return self._line([(t("list.empty"), style)], width, base)
        if index >= self.row_count and (self.total is not None or index >= self._known + PAGE):
            return Strip.blank(width, base)
        row = self.row_at(index)
        is_cursor = index == self.cursor
        line_style = base
        if is_cursor:
            line_style = base + self.get_component_rich_style("order-list--cursor", partial=True)
        if row is None:
            if index < (self.total if self.total is not None else self._known + PAGE):
                self._schedule_fetch()
            style = line_style + self.get_component_rich_style(
                "order-list--loading", partial=True
            )
            return self._line([(fit(t("list.loading"), width - 1), style)], width, line_style)
        cells = self._cells(row)
        due_class = self._due_class(row)
        texts = []
        for c in cols:
            style = line_style
            if c.name == "due_at" and due_class:
                style = line_style + self.get_component_rich_style(due_class, partial=True)
            texts.append((fit(cells[c.name], c.width), style))
        return self._line(texts, width, line_style)

    def _painted(self) -> None:
        """The first row of a new filter is being drawn: note how long each step took."""
        m = self._marks
        m["painted"] = time.perf_counter()
        start = m["start"]
        timing = {
            "total_ms": (m["painted"] - start) * 1000,
            "debounce_ms": (m["apply"] - start) * 1000,
            "to_worker_ms": (m.get("query0", m["apply"]) - m["apply"]) * 1000,
            "query_ms": (m.get("query1", 0.0) - m.get("query0", 0.0)) * 1000,
            "to_loop_ms": (m["loaded"] - m.get("query1", m["loaded"])) * 1000,
            "to_paint_ms": (m["painted"] - m["loaded"]) * 1000,
        }
        self.last_timing = timing
        trace.log("inbox.filter", text=self.filter.text, **timing)

    def tick_clock(self, now: datetime) -> None:
        """Re-colour deadlines against the office clock (called by the screen each minute)."""
        self._now = now
        self.refresh()
