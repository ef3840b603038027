"""The overdue queue's list: a Line-API ScrollView over `services.queue.queue_page`, reading
pages of PAGE rows in thread workers as the viewport needs them (a small LRU), group header
lines between the groups of the grouped views, marks kept by order id across pages, and
rows replaced in place after a chase without reading the list again."""

from __future__ import annotations

import threading
import time
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from datetime import datetime
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hotline_tui.i18n import t
from hotline_tui.tui.keys import Localized
from hotline_tui.tui.text import cell_len
from hotline_tui.tui.widgets.line_table import GAP, MARK, Col, cell

PAGE = 100
MAX_PAGES = 40

# loader(view, group, offset, limit, now) -> services.queue.QueuePage (runs in a thread)
Loader = Callable[[str, "str | None", int, int, "datetime | None"], Any]


def prefetch_first_page(read: Callable[[], Any]) -> Future:
    """Run `read()` (the first page) in a thread of its own at once, before the list exists:
    a screen starts it when it is built, so the read overlaps composing and mounting. The
    future's result is `(page, (wall ms, cpu ms))`."""
    fut: Future = Future()

    def run() -> None:
        t0, c0 = time.perf_counter(), time.thread_time()
        try:
            page = read()
        except BaseException as exc:  # noqa: BLE001 - handed to the list's worker
            fut.set_exception(exc)
            return
        fut.set_result((page, ((time.perf_counter() - t0) * 1000,
                               (time.thread_time() - c0) * 1000)))

    threading.Thread(target=run, name="queue-first-page", daemon=True).start()
    return fut


def queue_columns(group: str | None = None) -> list[Col]:
    """The queue's columns; `keep` lower goes first on a narrow terminal. Grouped by unit
    or by owner, the group lines name it and its column is left out."""
    cols = [
        Col("order", t("queue.col.order"), 16),
        Col("unit", t("queue.col.unit"), 12, keep=4),
        Col("owner", t("queue.col.owner"), 20, keep=7),
        Col("due", t("queue.col.due"), 11),
        Col("late", t("queue.col.late"), 28),
        Col("chases", t("queue.col.chases"), 4, right=True),
        Col("next", t("queue.col.next"), 10),
        Col("flags", t("queue.col.flags"), 12, keep=6),
        Col("title", t("queue_tui.col.title"), 0, keep=2),
    ]
    if group in ("unit", "owner"):  # named on the group lines
        cols = [c for c in cols if c.key != group]
    return cols


def short_due(dt: datetime | None, now: datetime) -> str:
    if dt is None:
        return ""
    return f"{dt:%m-%d %H:%M}" if dt.year == now.year else f"{dt:%Y-%m-%d}"


def flag_text(row: Any) -> str:
    flags = []
    if row.sponsored:
        flags.append(t("queue_tui.flag.sponsored"))
    if row.extension_pending:
        flags.append(t("queue_tui.flag.extension"))
    if row.merged_count:
        flags.append(t("queue_tui.flag.merged", n=row.merged_count))
    return " ".join(flags)


def next_text(row: Any) -> str:
    day = f"{row.next_chase_on:%m-%d}"
    return t("queue_tui.next.suggested", day=day) if row.next_chase_suggested else day


def row_cells(row: Any, now: datetime, unit_labels: dict[int, str]) -> dict[str, str]:
    owner = " ".join(p for p in (row.owner_name, row.owner_phone) if p) or t("queue.no_owner")
    unit = unit_labels.get(row.unit_id, row.unit_name) if row.unit_id is not None else ""
    return {
        "order": row.order_no, "unit": unit, "owner": owner,
        "due": short_due(row.due_at, now), "late": row.late_text,
        "chases": str(row.chase_count) if row.chase_count else "-",
        "next": next_text(row), "flags": flag_text(row), "title": row.title,
    }


class QueueList(Localized, ScrollView, can_focus=True, inherit_bindings=False):
    """The queue in the service's order; `enter` posts Opened, moving posts Highlighted."""

    DEFAULT_CSS = """
    QueueList {
        background: $surface;
        scrollbar-size-vertical: 1;
        overflow-x: hidden;
    }
    QueueList > .queue-list--header { text-style: bold; color: $text-muted; }
    QueueList > .queue-list--group { text-style: bold; background: $boost; color: $text-accent; }
    QueueList > .queue-list--cursor { background: $panel-lighten-2; }
    QueueList:focus > .queue-list--cursor { background: $accent 50%; }
    QueueList > .queue-list--late { color: $error; }
    QueueList > .queue-list--escalate { color: $error; text-style: bold; }
    QueueList > .queue-list--warn { color: $warning; }
    QueueList > .queue-list--due { text-style: bold underline; }
    QueueList > .queue-list--suggested { color: $text-muted; }
    QueueList > .queue-list--marked { text-style: bold reverse; }
    QueueList > .queue-list--note { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "queue-list--header", "queue-list--group", "queue-list--cursor", "queue-list--late",
        "queue-list--escalate", "queue-list--warn", "queue-list--due",
        "queue-list--suggested", "queue-list--marked", "queue-list--note",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "list.down", id="list.down", show=False),
        Binding("k,up", "cursor_up", "list.up", id="list.up", show=False),
        Binding("g,home", "top", "list.top", id="list.top", show=False),
        Binding("G,end", "bottom", "list.bottom", id="list.bottom", show=False),
        Binding("pagedown,ctrl+d", "page_down", "list.page_down", id="list.page_down",
                show=False),
        Binding("pageup,ctrl+u", "page_up", "list.page_up", id="list.page_up", show=False),
        Binding("enter", "open", "list.open", id="list.open"),
    ]

    class Highlighted(Message):
        def __init__(self, row: Any) -> None:
            super().__init__()
            self.row = row

    class Opened(Message):
        def __init__(self, row: Any) -> None:
            super().__init__()
            self.row = row

    class Loaded(Message):
        """A first page came in (counts, total, groups are new)."""

    class Failed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self, loader: Loader, *, unit_labels: dict[int, str] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.loader = loader
        self.view = "all"
        self.group: str | None = None
        self.page: Any = None  # the last first page (counts, groups, warning, now)
        self.now: datetime | None = None
        self.total = 0  # rows of the view
        self.groups: list[Any] = []
        self._heads: list[int] = []  # display index of each group's header line
        self.cursor = 0  # display index
        self.fetching = True
        self.marked: dict[int, Any] = {}  # order id -> row
        # unit id -> short name; filled in place by the screen's reads
        self.unit_labels: dict[int, str] = unit_labels if unit_labels is not None else {}
        self._gen = 0
        self._pages: OrderedDict[int, list[Any]] = OrderedDict()
        self._pending: set[int] = set()
        self._fetch_timer: Any = None
        self._first_paint_pending = False
        self.load_started_at = 0.0
        self.rows_painted_at = 0.0  # perf_counter of the first rows drawn after a load
        self.rows_painted_cpu = 0.0  # thread_time of the same moment (benchmarks)
        self.read_ms = 0.0  # the first page's read in its worker (wall)
        self.read_cpu_ms = 0.0

    # -- loading ---------------------------------------------------------------------------
    def load(self, *, keep_position: bool = False, first: Future | None = None) -> None:
        """Read the first page of the current view (or the page under the cursor, keeping the
        position); the old rows stay on screen until it is in. `first`: a read of the first
        page of the plain view already on its way (started with the screen, see
        `prefetch_first_page`), whose `(page, (wall ms, cpu ms))` is used instead."""
        self._gen += 1
        gen, view, group = self._gen, self.view, self.group
        self.fetching = True
        self.load_started_at = time.perf_counter()
        row_index = self._row_index(self.cursor) if keep_position else 0
        page = max(row_index or 0, 0) // PAGE if keep_position else 0

        def work() -> None:
            t0, c0 = time.perf_counter(), time.thread_time()
            try:
                if first is not None:
                    result, ms = first.result()
                    self._from_thread(self._first_loaded, gen, result, keep_position, ms)
                    return
                result = self.loader(view, group, page * PAGE, PAGE, None)
                if page and not result.rows:  # the view got shorter than the old position
                    result = self.loader(view, group, 0, PAGE, None)
            except Exception as exc:  # noqa: BLE001 - shown as a notification
                self._from_thread(self._failed, gen, exc)
                return
            ms = ((time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000)
            self._from_thread(self._first_loaded, gen, result, keep_position, ms)

        self.run_worker(work, thread=True, group="queue-first", exclusive=True,
                        exit_on_error=False)
        self.post_message(self.Loaded())

    def _from_thread(self, callback: Callable[..., None], *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:  # the app has closed meanwhile
            pass

    def _failed(self, gen: int, exc: BaseException) -> None:
        if gen != self._gen:
            return
        self.fetching = False
        self._pending.clear()
        self.post_message(self.Failed(exc))
        self.post_message(self.Loaded())

    def _first_loaded(self, gen: int, page: Any, keep: bool, ms: tuple[float, float]) -> None:
        if gen != self._gen:
            return
        self.read_ms, self.read_cpu_ms = ms
        old_key = self.current_row.order_id if keep and self.current_row else None
        self.page = page
        self.now = page.now
        self.total = page.total
        self.groups = list(page.groups)
        self._heads = [g.start + k for k, g in enumerate(self.groups)]
        self._pages.clear()
        self._pending.clear()
        self._pages[page.offset // PAGE] = list(page.rows)
        self.fetching = False
        if keep:
            self.cursor = min(self.cursor, max(self.line_count - 1, 0))
            if old_key is not None:  # the same order, if it is still on this page
                for i, r in enumerate(page.rows):
                    if r.order_id == old_key:
                        self.cursor = self._display_of(page.offset + i)
                        break
        else:
            self.cursor = 0
            self.scroll_to(y=0, animate=False, immediate=True)
        self.cursor = self._off_header(self.cursor, 1)
        self._resize()
        self._scroll_cursor_into_view()
        self._first_paint_pending = True
        self.refresh()
        self.post_message(self.Loaded())
        self.post_message(self.Highlighted(self.current_row))

    def _schedule_fetch(self) -> None:
        if self._fetch_timer is None and not self.fetching:
            self._fetch_timer = self.set_timer(0.015, self._fetch_visible)

    def _fetch_visible(self) -> None:
        self._fetch_timer = None
        top = self.scroll_offset.y
        height = max(self.size.height, 1)
        lo = self._row_index(max(0, top - PAGE // 4), forward=True)
        hi = self._row_index(min(self.line_count - 1, top + height + PAGE // 4), forward=False)
        if lo is None or hi is None or self.total == 0:
            return
        gen, view, group, now = self._gen, self.view, self.group, self.now
        for p in range(lo // PAGE, min(hi, self.total - 1) // PAGE + 1):
            if p in self._pages or p in self._pending:
                continue
            self._pending.add(p)

            def work(p: int = p) -> None:
                if gen != self._gen:
                    return
                try:
                    result = self.loader(view, group, p * PAGE, PAGE, now)
                except Exception as exc:  # noqa: BLE001
                    self._from_thread(self._failed, gen, exc)
                    return
                self._from_thread(self._page_loaded, gen, p, result)

            self.run_worker(work, thread=True, group="queue-page", exit_on_error=False)

    def _page_loaded(self, gen: int, p: int, page: Any) -> None:
        if gen != self._gen:
            return
        self._pending.discard(p)
        self._pages[p] = list(page.rows)
        self._pages.move_to_end(p)
        while len(self._pages) > MAX_PAGES:
            self._pages.popitem(last=False)
        self.refresh()
        index = self._row_index(self.cursor)
        if index is not None and index // PAGE == p:  # the cursor's row has come in
            self.post_message(self.Highlighted(self.current_row))

    def replace_rows(self, rows: dict[int, Any]) -> int:
        """Put fresh rows (by order id) in place of the shown ones; returns how many."""
        n = 0
        for page in self._pages.values():
            for i, r in enumerate(page):
                fresh = rows.get(r.order_id)
                if fresh is not None:
                    page[i] = _with_group(fresh, r.group_key)
                    n += 1
        for oid in list(self.marked):
            if oid in rows:
                self.marked[oid] = rows[oid]
        self.refresh()
        if self.current_row is not None and self.current_row.order_id in rows:
            self.post_message(self.Highlighted(self.current_row))
        return n

    # -- the lines: group headers between rows ---------------------------------------------
    @property
    def line_count(self) -> int:
        return self.total + len(self.groups)

    def _row_index(self, display: int, forward: bool = True) -> int | None:
        """The view index of the row at display line `display`; on a group header line, the
        group's first row (forward) or the previous group's last row."""
        if display < 0 or display >= self.line_count:
            return None
        if not self._heads:
            return display
        k = bisect_right(self._heads, display) - 1
        if k < 0:
            return display
        if self._heads[k] == display:
            start = self.groups[k].start
            return start if forward else (start - 1 if start > 0 else None)
        return display - (k + 1)

    def _display_of(self, row_index: int) -> int:
        if not self.groups:
            return row_index
        starts = [g.start for g in self.groups]
        k = bisect_right(starts, row_index) - 1
        return row_index + k + 1

    def _group_at_line(self, display: int) -> Any:
        if self._heads:
            k = bisect_right(self._heads, display) - 1
            if k >= 0 and self._heads[k] == display:
                return self.groups[k]
        return None

    def _off_header(self, display: int, step: int) -> int:
        """`display`, or the nearest row line in direction `step` when it is a header."""
        if self._group_at_line(display) is None:
            return display
        nxt = display + step
        if 0 <= nxt < self.line_count:
            return nxt
        back = display - step
        return back if 0 <= back < self.line_count else display

    def row_at(self, index: int) -> Any:
        rows = self._pages.get(index // PAGE)
        if rows is None:
            return None
        i = index % PAGE
        return rows[i] if i < len(rows) else None

    @property
    def current_row(self) -> Any:
        index = self._row_index(self.cursor)
        return None if index is None or self._group_at_line(self.cursor) else self.row_at(index)

    @property
    def current_group(self) -> Any:
        """The group the cursor is in (grouped views)."""
        if not self._heads:
            return None
        k = bisect_right(self._heads, self.cursor) - 1
        return self.groups[k] if k >= 0 else None

    @property
    def position(self) -> int:
        """The cursor's row number in the view (0-based)."""
        return self._row_index(self.cursor) or 0

    # -- marks -----------------------------------------------------------------------------
    def toggle_mark(self) -> Any:
        row = self.current_row
        if row is None:
            return None
        if row.order_id in self.marked:
            del self.marked[row.order_id]
        else:
            self.marked[row.order_id] = row
        self._move(self.cursor + 1, 1)
        self.refresh()
        return row

    def mark_rows(self, rows: Iterable[Any]) -> None:
        for r in rows:
            self.marked[r.order_id] = r
        self.refresh()

    def loaded_rows_of_group(self, group: Any) -> list[Any]:
        """The loaded rows of a group (grouped views)."""
        out = []
        for i in range(group.start, group.start + group.count):
            r = self.row_at(i)
            if r is not None:
                out.append(r)
        return out

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    # -- geometry and moving ------------------------------------------------------------------
    def _resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, self.line_count + 1)

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
        if self.cursor > 0 and self._group_at_line(self.cursor - 1) is not None \
                and self.scroll_offset.y == self.cursor:
            self.scroll_to(y=self.cursor - 1, animate=False, immediate=True)  # its header too

    def _move(self, target: int, step: int) -> None:
        if self.line_count == 0:
            return
        target = max(0, min(target, self.line_count - 1))
        target = self._off_header(target, step)
        if target == self.cursor:
            return
        self.cursor = target
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self.current_row))

    def on_resize(self) -> None:
        self._resize()
        self._scroll_cursor_into_view()

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1, 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1, -1)

    def action_page_down(self) -> None:
        self._move(self.cursor + self._body_height - 1, 1)

    def action_page_up(self) -> None:
        self._move(self.cursor - self._body_height + 1, -1)

    def action_top(self) -> None:
        self._move(0, 1)

    def action_bottom(self) -> None:
        self._move(self.line_count - 1, -1)

    def jump_group(self, step: int) -> None:
        """To the first row of the next (step 1) or previous (-1) group."""
        if not self._heads:
            return
        k = bisect_right(self._heads, self.cursor) - 1
        k = max(0, min(k + step, len(self._heads) - 1))
        self._move(self._heads[k] + 1, 1)
        if self.cursor > 0:
            self.scroll_to(y=min(self.cursor - 1, self.scroll_offset.y), animate=False,
                           immediate=True)

    def action_open(self) -> None:
        row = self.current_row
        if row is not None:
            self.post_message(self.Opened(row))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = self.scroll_offset.y + event.y - 1
        if index < self.line_count:
            self._move(index, 1)
            if event.chain >= 2:
                self.action_open()

    # -- rendering ---------------------------------------------------------------------------
    def layout(self, width: int) -> list[Col]:
        cols = [Col(c.key, c.label, max(c.width, cell_len(c.label)), c.right, c.keep)
                if c.width else c for c in queue_columns(self.group)]
        mark = cell_len(MARK)

        def need(cs: list[Col]) -> int:
            flex = 10 if any(c.width == 0 for c in cs) else 0
            return sum(c.width for c in cs) + GAP * (len(cs) - 1) + 1 + mark + flex

        while need(cols) > width:
            droppable = [c for c in cols if c.keep < 9]
            if not droppable:
                break
            lowest = min(droppable, key=lambda c: c.keep)
            cols = [c for c in cols if c is not lowest]
        fixed = sum(c.width for c in cols) + GAP * (len(cols) - 1) + 1 + mark
        rest = max(width - fixed, 4)
        return [Col(c.key, c.label, rest, c.right, c.keep) if c.width == 0 else c
                for c in cols]

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"queue-list--{name}", partial=True)

    def _strip(self, texts: list[tuple[str, Style]], width: int, base: Style,
               mark: tuple[str, Style] | None = None) -> Strip:
        segments = [Segment(" ", base)]
        if mark is not None:
            segments.append(Segment(*mark))
        for i, (text, style) in enumerate(texts):
            if i:
                segments.append(Segment(" " * GAP, base))
            segments.append(Segment(text, style))
        return Strip(segments).crop_extend(0, width, base)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        cols = self.layout(width)
        mark_w = cell_len(MARK)
        if y == 0:
            style = base + self._style("header")
            return self._strip([(cell(c.label, c.width, c.right), style) for c in cols],
                               width, style, (" " * mark_w, style))
        display = self.scroll_offset.y + y - 1
        if self.line_count == 0:
            if y == 1:
                note = t("queue_tui.loading") if self.fetching else self.empty_note()
                return self._strip([(note, base + self._style("note"))], width, base)
            return Strip.blank(width, base)
        if display >= self.line_count:
            return Strip.blank(width, base)
        group = self._group_at_line(display)
        if group is not None:
            style = base + self._style("group")
            text = t("queue_tui.group_line", label=group.label, phone=group.phone or "",
                     count=group.count, overdue=group.overdue)
            return self._strip([(text, style)], width, style)
        index = self._row_index(display)
        row = self.row_at(index) if index is not None else None
        line_style = base + self._style("cursor") if display == self.cursor else base
        if row is None:
            self._schedule_fetch()
            return self._strip([(t("queue_tui.loading"), line_style + self._style("note"))],
                               width, line_style)
        if self._first_paint_pending:
            self._first_paint_pending = False
            self.rows_painted_at = time.perf_counter()
            self.rows_painted_cpu = time.thread_time()  # the event loop's thread
        tone = ""
        if row.stage == "escalate":
            tone = "escalate"
        elif row.overdue:
            tone = "late"
        elif row.bucket == "today":
            tone = "warn"
        style = line_style + self._style(tone) if tone else line_style
        cells = row_cells(row, self.now or row.due_at, self.unit_labels)
        texts = []
        for c in cols:
            s = style
            if c.key == "next":
                if row.chase_due:
                    s = s + self._style("due")
                elif row.next_chase_suggested:
                    s = s + self._style("suggested")
            texts.append((cell(cells.get(c.key, ""), c.width, c.right), s))
        marked = row.order_id in self.marked
        mark = (MARK, style + self._style("marked")) if marked else (" " * mark_w, style)
        return self._strip(texts, width, line_style, mark)

    def empty_note(self) -> str:
        return t("queue_tui.empty_today") if self.view == "today" else t("queue_tui.empty")


def _with_group(row: Any, key: str) -> Any:
    import dataclasses

    return dataclasses.replace(row, group_key=key) if row.group_key != key else row
