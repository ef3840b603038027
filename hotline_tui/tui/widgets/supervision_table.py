"""The LineTable of the supervision screen, with heading lines (a section of the candidates,
a group of repeat complaints) drawn bold."""

from __future__ import annotations

from typing import ClassVar

from hotline_tui.tui.widgets.line_table import LineTable


class SectionTable(LineTable):
    """A LineTable whose lines may have the tone "head" (section and group headings)."""

    DEFAULT_CSS = """
    SectionTable > .line-table--head { text-style: bold; color: $accent; }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {"line-table--head"}

    def render_line(self, y: int):  # noqa: ANN201 - a Strip
        """A heading line runs across the columns; other lines as LineTable draws them."""
        from hotline_tui.tui.text import column_text, fit

        if y > 0 and self.lines:
            index = self.scroll_offset.y + y - 1
            if 0 <= index < len(self.lines) and self.lines[index].tone == "head":
                width = self.scrollable_content_region.width
                style = self.rich_style + self._style("head")
                if index == self.cursor:
                    style = style + self._style("cursor")
                text = fit(column_text(self.lines[index].cells.get("head", "")),
                           max(width - 1, 0))
                return self._strip([(text, style)], width, style)
        return super().render_line(y)
