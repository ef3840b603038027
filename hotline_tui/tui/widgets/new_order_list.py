"""The new orders (待分拣), oldest first, one line each, with marks for bulk triage.

A Line-API ScrollView over `services.triage.list_new_orders` (keyset pages of PAGE rows
fetched in thread workers as the cursor nears the end of what is loaded), so it opens at
once however long the queue is. The marks belong to the screen (`marks`: order number ->
state); the list draws them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.tui.keys import Localized
from hotline_tui.tui.text import cell_len, column_text, fit
from hotline_tui.tui.widgets.order_list import short_time

if TYPE_CHECKING:
    from hotline_tui.services.triage import NewOrderRow

PAGE = 200
AHEAD = 40  # load the next page when the cursor is this close to the end
GAP = 2


class NewOrderList(Localized, ScrollView, can_focus=True, inherit_bindings=False):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "new-order-list--header",
        "new-order-list--cursor",
        "new-order-list--marked",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "move(1)", "list.down", id="triage_list.down", show=False),
        Binding("k,up", "move(-1)", "list.up", id="triage_list.up", show=False),
        Binding("g,home", "top", "list.top", id="triage_list.top", show=False),
        Binding("pagedown,ctrl+d", "page(1)", "list.page_down", id="triage_list.page_down",
                show=False),
        Binding("pageup,ctrl+u", "page(-1)", "list.page_up", id="triage_list.page_up",
                show=False),
    ]

    class Changed(Message):
        """Rows, total or cursor changed (for the screen's status line)."""

    def __init__(self, engine: Any, marks: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.engine = engine
        self.marks = marks
        self.rows: list[NewOrderRow] = []
        self.cursor = 0
        self.total: int | None = None
        self.exhausted = False
        self.loading = False
        self._gen = 0
        self._now = clock.now()

    # -- loading --------------------------------------------------------------------------
    def reload(self, keep_cursor: bool = True) -> None:
        """Read the queue again from the oldest order (after a bulk triage)."""
        self._gen += 1
        gen = self._gen
        self._now = clock.now()
        self.loading = True
        cursor = self.cursor if keep_cursor else 0
        self.run_worker(lambda: self._load(gen, None, max(PAGE, cursor + AHEAD), cursor),
                        thread=True, group="new-list", exclusive=True, exit_on_error=False)
        self.run_worker(lambda: self._count(gen), thread=True, group="new-list-count",
                        exclusive=True, exit_on_error=False)

    def _load(self, gen: int, after_id: int | None, limit: int, cursor: int | None) -> None:
        from hotline_tui.services.triage import list_new_orders

        try:
            rows = list_new_orders(self.engine, after_id=after_id, limit=limit)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, gen, exc)
            return
        self._from_thread(self._loaded, gen, after_id is None, rows, limit, cursor)

    def _count(self, gen: int) -> None:
        from hotline_tui.services.triage import count_new_orders

        try:
            n = count_new_orders(self.engine)
        except Exception as exc:  # noqa: BLE001
            self._from_thread(self._failed, gen, exc)
            return
        self._from_thread(self._counted, gen, n)

    def _from_thread(self, callback: Any, *args: Any) -> None:
        try:
            self.app.call_from_thread(callback, *args)
        except RuntimeError:
            pass

    def _failed(self, gen: int, exc: BaseException) -> None:
        from hotline_tui.tui.errors import message_for

        if gen == self._gen:
            self.loading = False
            self.app.notify(message_for(exc), severity="error", timeout=8)

    def _loaded(self, gen: int, first: bool, rows: list[NewOrderRow], limit: int,
                cursor: int | None) -> None:
        if gen != self._gen:
            return
        self.loading = False
        if first:
            self.rows = list(rows)
        else:
            self.rows.extend(rows)
        self.exhausted = len(rows) < limit
        if self.exhausted:
            self.total = len(self.rows)
        if cursor is not None:
            self.cursor = cursor
        self.cursor = max(0, min(self.cursor, len(self.rows) - 1))
        self._resize()
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Changed())

    def _counted(self, gen: int, n: int) -> None:
        if gen != self._gen:
            return
        self.total = n
        self._resize()
        self.post_message(self.Changed())

    def _load_more(self) -> None:
        if self.exhausted or self.loading or not self.rows:
            return
        self.loading = True
        gen, after = self._gen, self.rows[-1].id
        self.run_worker(lambda: self._load(gen, after, PAGE, None), thread=True,
                        group="new-list", exclusive=True, exit_on_error=False)

    # -- the cursor -----------------------------------------------------------------------
    @property
    def current_row(self) -> NewOrderRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    @property
    def _body_height(self) -> int:
        return max(self.scrollable_content_region.height - 1, 1)

    def _resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows) + 1)

    def _scroll_cursor_into_view(self) -> None:
        top = self.scroll_offset.y
        h = self._body_height
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + h:
            self.scroll_to(y=self.cursor - h + 1, animate=False, immediate=True)

    def move_to(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index != self.cursor:
            self.cursor = index
            self._scroll_cursor_into_view()
            self.refresh()
            self.post_message(self.Changed())
        if index >= len(self.rows) - AHEAD:
            self._load_more()

    def action_move(self, step: int) -> None:
        self.move_to(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self.move_to(self.cursor + direction * (self._body_height - 1))

    def action_top(self) -> None:
        self.move_to(0)

    def refresh_marks(self) -> None:
        self.refresh()

    def on_resize(self) -> None:
        self._resize()
        self._scroll_cursor_into_view()

    # -- drawing --------------------------------------------------------------------------
    def _widths(self, width: int) -> tuple[int, int, int]:
        no = max([cell_len(t("col.order_no"))] + [cell_len(r.order_no) for r in self.rows[:PAGE]])
        no = min(max(no, 8), 24)
        area = 10 if width >= 80 else 0
        return no, area, max(width - (2 + no + 11 + 4 + area + GAP * (4 if area else 3) + 1), 4)

    def _line(self, parts: list[str], width: int, style: Style) -> Strip:
        text = (" " * GAP).join(parts)
        return Strip([Segment(" " + text, style)]).crop_extend(0, width, style)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        no_w, area_w, title_w = self._widths(width)
        if y == 0:
            style = base + self.get_component_rich_style("new-order-list--header", partial=True)
            parts = [fit("", 1), fit(t("col.order_no"), no_w), fit(t("col.received_at"), 11),
                     fit(t("col.type"), 4)]
            if area_w:
                parts.append(fit(t("col.area"), area_w))
            parts.append(fit(t("col.title"), title_w))
            return self._line(parts, width, style)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            if index == len(self.rows) and not self.exhausted and self.rows:
                return self._line([t("list.loading")], width, base)
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        marked = row.order_no in self.marks
        if marked:
            style = style + self.get_component_rich_style("new-order-list--marked", partial=True)
        if index == self.cursor:
            style = style + self.get_component_rich_style("new-order-list--cursor", partial=True)
        parts = ["*" if marked else " ", fit(row.order_no, no_w),
                 fit(short_time(row.received_at, self._now), 11),
                 fit(column_text(row.request_type), 4)]
        if area_w:
            parts.append(fit(column_text(row.area), area_w))
        parts.append(fit(column_text(row.title), title_w))
        return self._line(parts, width, style)
