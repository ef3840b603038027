"""A light Line-API table for the register's lists (waiting orders, units, owners, an
owner's orders): rows held in memory a page at a time, a header line, a cursor, optional
marks, columns dropped right to left of priority when the terminal is narrow, cells cut and
padded by display width (Chinese counts two cells). Paging: `NeedMore` is posted when the
viewport nears the end of the loaded rows and `total` says more exist."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from hotline_tui.tui.keys import Localized
from hotline_tui.tui.text import cell_len, column_text, fit

GAP = 2
MARK = "* "  # marked rows (ASCII: a definite width everywhere)


@dataclass(frozen=True)
class Col:
    key: str
    label: str
    width: int  # cells; 0: takes what is left (one such column)
    right: bool = False  # numbers: aligned right
    keep: int = 9  # lower goes first when the terminal is narrow (9: never dropped)


@dataclass(frozen=True)
class Line:
    key: str  # stable id (order number, owner id, unit id)
    cells: dict[str, str]
    tone: str = ""  # "", "late", "warn" or "dim": the row's colour
    data: Any = field(default=None, compare=False)  # the row object behind the line


def cell(text: str, width: int, right: bool = False) -> str:
    """`text` cut or padded to `width` cells, numbers on the right."""
    text = column_text(text)
    if right and cell_len(text) < width:
        return " " * (width - cell_len(text)) + text
    return fit(text, width)


class LineTable(Localized, ScrollView, can_focus=True, inherit_bindings=False):
    """Rows of a register list; `enter` posts Selected, moving posts Highlighted."""

    DEFAULT_CSS = """
    LineTable {
        background: $surface;
        scrollbar-size-vertical: 1;
    }
    LineTable > .line-table--header { text-style: bold; color: $text-muted; }
    LineTable > .line-table--cursor { background: $panel-lighten-2; }
    LineTable:focus > .line-table--cursor { background: $accent 50%; }
    LineTable > .line-table--late { color: $error; text-style: bold; }
    LineTable > .line-table--warn { color: $warning; }
    LineTable > .line-table--dim { color: $text-muted; }
    LineTable > .line-table--marked { text-style: bold reverse; }
    LineTable > .line-table--note { color: $text-muted; text-style: italic; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "line-table--header", "line-table--cursor", "line-table--late", "line-table--warn",
        "line-table--dim", "line-table--marked", "line-table--note",
    }
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "list.down", id="list.down", show=False),
        Binding("k,up", "cursor_up", "list.up", id="list.up", show=False),
        Binding("g,home", "top", "list.top", id="list.top", show=False),
        Binding("G,end", "bottom", "list.bottom", id="list.bottom", show=False),
        Binding("pagedown,ctrl+d", "page_down", "list.page_down", id="list.page_down",
                show=False),
        Binding("pageup,ctrl+u", "page_up", "list.page_up", id="list.page_up", show=False),
        Binding("enter", "select", "list.open", id="list.open"),
    ]

    class Highlighted(Message):
        def __init__(self, table: LineTable, line: Line | None) -> None:
            super().__init__()
            self.table = table
            self.line = line

        @property
        def control(self) -> LineTable:
            return self.table

    class Selected(Message):
        def __init__(self, table: LineTable, line: Line) -> None:
            super().__init__()
            self.table = table
            self.line = line

        @property
        def control(self) -> LineTable:
            return self.table

    class NeedMore(Message):
        """The viewport is near the end of the loaded rows and `total` says there are more."""

        def __init__(self, table: LineTable, loaded: int) -> None:
            super().__init__()
            self.table = table
            self.loaded = loaded

        @property
        def control(self) -> LineTable:
            return self.table

    def __init__(self, columns: Sequence[Col], *, note: str = "", markable: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.columns = list(columns)
        self.lines: list[Line] = []
        self.total = 0  # rows that exist (>= loaded when paging)
        self.cursor = 0
        self.note = note  # shown instead of rows while empty ("载入中", "没有...")
        self.markable = markable
        self.marked: dict[str, Line] = {}
        self._asked_more_at = -1

    # -- data ------------------------------------------------------------------------------
    def set_lines(self, lines: Sequence[Line], *, total: int | None = None,
                  note: str | None = None, keep: str | None = None) -> None:
        """Replace the rows; the cursor stays on `keep` (or the current row's key) when it
        is still there, else on the same position. Marks of rows gone are dropped."""
        keep = keep if keep is not None else (self.current.key if self.current else None)
        self.lines = list(lines)
        self.total = max(total if total is not None else len(self.lines), len(self.lines))
        if note is not None:
            self.note = note
        self._asked_more_at = -1
        keys = {ln.key: i for i, ln in enumerate(self.lines)}
        if self.marked:
            self.marked = {k: self.lines[keys[k]] for k in self.marked if k in keys}
        if keep is not None and keep in keys:
            self.cursor = keys[keep]
        self.cursor = max(0, min(self.cursor, len(self.lines) - 1))
        self._resize()
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def add_lines(self, lines: Sequence[Line], *, total: int | None = None) -> None:
        """Append a page (paging through a long list)."""
        self.lines.extend(lines)
        if total is not None:
            self.total = total
        if not lines:  # nothing more came: the list ends here
            self.total = len(self.lines)
        self.total = max(self.total, len(self.lines))
        self._asked_more_at = -1
        self._resize()
        self.refresh()

    @property
    def current(self) -> Line | None:
        return self.lines[self.cursor] if 0 <= self.cursor < len(self.lines) else None

    def toggle_mark(self) -> Line | None:
        """Mark or unmark the row under the cursor; the cursor moves on. Returns the row."""
        line = self.current
        if line is None:
            return None
        if line.key in self.marked:
            del self.marked[line.key]
        else:
            self.marked[line.key] = line
        self.refresh()
        self._move(self.cursor + 1)
        return line

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    # -- geometry ----------------------------------------------------------------------------
    def _resize(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.lines) + 1)

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
        cursor = max(0, min(cursor, len(self.lines) - 1))
        if cursor == self.cursor or not self.lines:
            return
        self.cursor = cursor
        self._scroll_cursor_into_view()
        self.refresh()
        self.post_message(self.Highlighted(self, self.current))

    def on_resize(self) -> None:
        self._resize()
        self._scroll_cursor_into_view()

    # -- actions -----------------------------------------------------------------------------
    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_page_down(self) -> None:
        self._move(self.cursor + self._body_height - 1)

    def action_page_up(self) -> None:
        self._move(self.cursor - self._body_height + 1)

    def action_top(self) -> None:
        self._move(0)

    def action_bottom(self) -> None:
        self._move(len(self.lines) - 1)

    def action_select(self) -> None:
        line = self.current
        if line is not None:
            self.post_message(self.Selected(self, line))

    def on_click(self, event: events.Click) -> None:
        if event.y < 1:
            return
        index = self.scroll_offset.y + event.y - 1
        if index < len(self.lines):
            self._move(index)
            if event.chain >= 2:
                self.action_select()

    def _on_hide(self, event: events.Hide) -> None:
        """Textual blurs a focused widget on Hide, which also comes when a dialog or another
        screen covers this one for a moment; the focus would jump to the next list. Keep it
        unless the table itself is no longer displayed (Widget._on_hide otherwise)."""
        if self.show_horizontal_scrollbar:
            self.horizontal_scrollbar.post_message(event)
        if self.show_vertical_scrollbar:
            self.vertical_scrollbar.post_message(event)
        if self.has_focus and not (self.display and self.visible):
            self.blur()
        event.prevent_default()  # Textual runs each class's handler; Widget's would blur

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- rendering ---------------------------------------------------------------------------
    def layout(self, width: int) -> list[Col]:
        """The columns that fit `width`, the flexible one given what is left."""
        # a number column is at least as wide as its heading (headings vary by language)
        cols = [Col(c.key, c.label, max(c.width, cell_len(c.label)), c.right, c.keep)
                if c.right and c.width else c for c in self.columns]
        mark = cell_len(MARK) if self.markable else 0

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
        return [Col(c.key, c.label, rest, c.right, c.keep) if c.width == 0 else c for c in cols]

    def _strip(self, texts: list[tuple[str, Style]], width: int, base: Style) -> Strip:
        segments = [Segment(" ", base)]
        for i, (text, style) in enumerate(texts):
            if i:
                segments.append(Segment(" " * GAP, base))
            segments.append(Segment(text, style))
        return Strip(segments).crop_extend(0, width, base)

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"line-table--{name}", partial=True)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        cols = self.layout(width)
        mark_w = cell_len(MARK) if self.markable else 0
        if y == 0:
            style = base + self._style("header")
            texts = [(cell(c.label, c.width, c.right), style) for c in cols]
            if mark_w:
                texts[0] = (" " * mark_w + texts[0][0], style)
            return self._strip(texts, width, style)
        index = self.scroll_offset.y + y - 1
        if not self.lines:
            if y == 1 and self.note:
                return self._strip([(self.note, base + self._style("note"))], width, base)
            return Strip.blank(width, base)
        if index >= len(self.lines):
            return Strip.blank(width, base)
        if index >= len(self.lines) - self._body_height and self.total > len(self.lines):
            self._ask_more()
        line = self.lines[index]
        style = base
        if line.tone:
            style = style + self._style(line.tone)
        if index == self.cursor:
            style = style + self._style("cursor")
        texts = [(cell(line.cells.get(c.key, ""), c.width, c.right), style) for c in cols]
        if mark_w:
            marked = line.key in self.marked
            mark_style = style + self._style("marked") if marked else style
            first = texts[0][0] if texts else ""
            texts = [(MARK if marked else " " * mark_w, mark_style)] + texts
            if texts[1:]:
                texts[1] = (first, style)
            return self._strip_marked(texts, width, style)
        return self._strip(texts, width, style)

    def _strip_marked(self, texts: list[tuple[str, Style]], width: int, base: Style) -> Strip:
        """The mark sits right before the first column, without a gap."""
        segments = [Segment(" ", base), Segment(texts[0][0], texts[0][1])]
        for i, (text, style) in enumerate(texts[1:]):
            if i:
                segments.append(Segment(" " * GAP, base))
            segments.append(Segment(text, style))
        return Strip(segments).crop_extend(0, width, base)

    def _ask_more(self) -> None:
        if self._asked_more_at == len(self.lines):
            return
        self._asked_more_at = len(self.lines)
        self.post_message(self.NeedMore(self, len(self.lines)))


class KeepsTableFocus:
    """Mixin for screens with LineTables: the table the clerk was in gets the focus back
    when the screen comes back (Textual moves the focus on when a covered screen's focused
    widget is hidden). Call `remember_focus()` from on_screen_suspend and `restore_focus()`
    from on_screen_resume."""

    _last_table: LineTable | None = None

    def remember_focus(self) -> None:
        focused = getattr(self, "focused", None)
        if isinstance(focused, LineTable):
            self._last_table = focused

    def restore_focus(self) -> None:
        table = self._last_table
        if table is not None and table.is_attached and getattr(self, "focused", None) is not table:
            table.focus()
