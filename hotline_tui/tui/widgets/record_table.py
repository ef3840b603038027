"""The short lists of the directory screens (units, answers, holidays): the stock DataTable
(tens to hundreds of rows) with the shell's list keys (ids `list.*`) and text-only cells
cleaned for alignment (cells counted by display width, no ambiguous-width glyphs)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import ClassVar

from rich.cells import set_cell_size
from rich.text import Text
from textual.binding import Binding, BindingType
from textual.widgets import DataTable

from hotline_tui.tui.keys import Localized
from hotline_tui.tui.text import cell_len, column_text

Cell = str | tuple[str, str]  # text, or (text, style of this cell)


def cell_text(value: Cell, row_style: str = "", width: int | None = None) -> Text:
    """A cell as one line of Text, safe to align, styled by its row and its own style,
    cut to `width` cells with ".." (never the ambiguous-width ellipsis glyph)."""
    text, style = value if isinstance(value, tuple) else (value, "")
    text = column_text(text)
    if width is not None and cell_len(text) > width:
        text = set_cell_size(text, max(width - 2, 0)).rstrip() + ".."
    return Text(text, style=f"{row_style} {style}".strip(), no_wrap=True, overflow="crop")


class RecordTable(Localized, DataTable, inherit_bindings=False):
    """Rows keyed by a string id; the cursor stays on the same id across reloads."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("j,down", "cursor_down", "list.down", id="list.down", show=False),
        Binding("k,up", "cursor_up", "list.up", id="list.up", show=False),
        Binding("g,home", "scroll_top", "list.top", id="list.top", show=False),
        Binding("G,end", "scroll_bottom", "list.bottom", id="list.bottom", show=False),
        Binding("pagedown,ctrl+d", "page_down", "list.page_down", id="list.page_down",
                show=False),
        Binding("pageup,ctrl+u", "page_up", "list.page_up", id="list.page_up", show=False),
    ]

    def __init__(self, columns: Sequence[tuple[str, str] | tuple[str, str, int]],
                 **kwargs) -> None:  # noqa: ANN003
        """`columns`: (key, label) or (key, label, max width in cells); labels translated.
        A column with a max width is as wide as its widest cell up to that width."""
        super().__init__(cursor_type="row", zebra_stripes=False, cell_padding=1, **kwargs)
        self._column_spec = list(columns)

    def on_mount(self) -> None:
        self._add_columns([None] * len(self._column_spec))

    def _add_columns(self, widths: Sequence[int | None]) -> None:
        for (key, label, *_), width in zip(self._column_spec, widths, strict=True):
            self.add_column(Text(label, style="bold"), key=key, width=width)

    def set_rows(
        self, rows: Iterable[tuple[str, Sequence[Cell], str]], keep: str | None = None
    ) -> None:
        """Replace the rows: (id, cells, style); the cursor goes back to `keep` (or the
        current row's id) when it is still there, else to the first row."""
        keep = keep if keep is not None else self.current_key
        caps = [spec[2] if len(spec) > 2 else None for spec in self._column_spec]
        texts = [(key, [cell_text(c, style, w) for c, w in zip(cells, caps, strict=False)])
                 for key, cells, style in rows]
        widths: list[int | None] = []
        for i, (_key, label, *_) in enumerate(self._column_spec):
            if caps[i] is None:
                widths.append(None)
                continue
            widest = max([cell_len(label)] + [t[i].cell_len for _, t in texts if i < len(t)])
            widths.append(min(widest, caps[i]))  # type: ignore[type-var]
        self.clear(columns=True)
        self._add_columns(widths)
        index = 0
        for i, (key, cells_text) in enumerate(texts):
            self.add_row(*cells_text, key=key)
            if key == keep:
                index = i
        if self.row_count:
            self.move_cursor(row=index, animate=False)

    @property
    def current_key(self) -> str | None:
        """The id of the row under the cursor (None for an empty table)."""
        if not self.row_count:
            return None
        try:
            row_key, _ = self.coordinate_to_cell_key(self.cursor_coordinate)
        except Exception:  # noqa: BLE001 - a cursor past the rows after a clear
            return None
        return row_key.value

    def keys(self) -> list[str]:
        """The ids of the rows, top to bottom."""
        return [row.key.value for row in self.ordered_rows]  # type: ignore[misc]
