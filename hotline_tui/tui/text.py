"""Display-width helpers for Chinese text in columns: cells, never len()."""

from __future__ import annotations

import re

from rich.cells import cell_len, set_cell_size

# Ambiguous-width glyphs common in Chinese text, drawn wide by some CJK terminals and narrow
# by others: in columns they are replaced by glyphs of a definite width.
_AMBIGUOUS = str.maketrans({
    "“": "＂", "”": "＂", "‘": "＇", "’": "＇", "—": "－", "…": "...", "·": "・",
    "×": "x", "※": "＊", "℃": "度", "○": "Ｏ", "●": "＊", "→": "->", "←": "<-",
    "①": "(1)", "②": "(2)", "③": "(3)", "④": "(4)", "⑤": "(5)",
    "⑥": "(6)", "⑦": "(7)", "⑧": "(8)", "⑨": "(9)", "⑩": "(10)",
})
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def column_text(text: str | None) -> str:
    """One line of text that is safe to align: no control characters, no ambiguous glyphs."""
    if not text:
        return ""
    return _CONTROL.sub(" ", text).translate(_AMBIGUOUS)


def fit(text: str, width: int) -> str:
    """`text` cut or padded to exactly `width` terminal cells."""
    if width <= 0:
        return ""
    return set_cell_size(text, width)


def clip(text: str, width: int) -> str:
    """`text` cut to at most `width` cells (no padding)."""
    if cell_len(text) <= width:
        return text
    return set_cell_size(text, width).rstrip(" ")


__all__ = ["cell_len", "clip", "column_text", "fit"]
