"""Terminal charts of the trend: horizontal bars drawn as coloured spaces (no block glyphs:
U+2581..2588 are East Asian ambiguous width and break in CJK terminals) and a rate drawn as
a line of ASCII marks over a percent scale. Labels are padded by display width (cell_len),
so Chinese month labels line up. Pure Rich: no Textual, testable as text."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from hotline_tui.tui.text import cell_len, fit

BAR_STYLE = "on dark_cyan"
LATE_STYLE = "on red3"


def bars(labels: Sequence[str], values: Sequence[int], width: int, *,
         style: str = BAR_STYLE) -> Text:
    """One line per label: the label, a bar of coloured spaces as long as the value's share
    of the largest, the value. Every line is exactly `width` cells."""
    label_w = max([cell_len(x) for x in labels] + [1])
    nums = [f"{v:,}" for v in values]
    num_w = max([len(n) for n in nums] + [1])
    room = max(1, width - label_w - num_w - 3)
    top = max(list(values) + [0])
    out = Text(no_wrap=True, overflow="crop")
    for i, (label, v, n) in enumerate(zip(labels, values, nums, strict=True)):
        if i:
            out.append("\n")
        size = round(room * v / top) if top else 0
        if v and size == 0:
            size = 1
        out.append(fit(label, label_w) + " ")
        out.append(" " * size, style=style)
        out.append(" " * (room - size) + " " + n.rjust(num_w) + " ")
    return out


def paired_bars(labels: Sequence[str], first: Sequence[int], second: Sequence[int],
                width: int, *, styles: tuple[str, str] = (BAR_STYLE, "on red3")) -> Text:
    """Two series per label on one line (e.g. dispatched and overdue), each bar scaled to
    its own series' largest value, its number after it. Every line is `width` cells."""
    label_w = max([cell_len(x) for x in labels] + [1])
    a_nums = [f"{v:,}" for v in first]
    b_nums = [f"{v:,}" for v in second]
    a_w = max([len(n) for n in a_nums] + [1])
    b_w = max([len(n) for n in b_nums] + [1])
    room = max(2, width - label_w - a_w - b_w - 6)
    a_room = room * 3 // 5
    b_room = room - a_room
    a_top, b_top = max(list(first) + [0]), max(list(second) + [0])

    def size(v: int, top: int, r: int) -> int:
        n = round(r * v / top) if top else 0
        return 1 if v and n == 0 else n

    out = Text(no_wrap=True, overflow="crop")
    for i, label in enumerate(labels):
        if i:
            out.append("\n")
        sa, sb = size(first[i], a_top, a_room), size(second[i], b_top, b_room)
        out.append(fit(label, label_w) + " ")
        out.append(" " * sa, style=styles[0])
        out.append(" " * (a_room - sa) + " " + a_nums[i].rjust(a_w) + "  ")
        out.append(" " * sb, style=styles[1])
        out.append(" " * (b_room - sb) + " " + b_nums[i].rjust(b_w) + " ")
    return out


def line(labels: Sequence[str], values: Sequence[float | None], width: int, *,
         height: int = 6, mark: str = "*") -> Text:
    """A rate (0..1) per label as a line chart: `height` rows with a percent scale on the
    left, one column band per label, `mark` at each value joined by '.' to the next; the
    labels below, centred in their band. A missing value (None) leaves its band empty."""
    n = max(1, len(labels))
    scale_w = 5  # '100% '
    band = max(3, (width - scale_w) // n)
    known = [v for v in values if v is not None]
    lo = min(known) if known else 0.0
    hi = max(known) if known else 1.0
    lo = max(0.0, min(lo, hi - 0.05))  # at least a 5-point span, never below 0
    hi = min(1.0, max(hi, lo + 0.05))
    span = hi - lo or 1.0

    def row_of(v: float) -> int:
        return round((hi - v) / span * (height - 1))

    grid = [[" "] * (band * n) for _ in range(height)]
    centres = [i * band + band // 2 for i in range(n)]
    rows = [row_of(v) if v is not None else None for v in values]
    for i in range(n - 1):  # the joins first, the marks over them
        a, b = rows[i], rows[i + 1]
        if a is None or b is None:
            continue
        x0, x1 = centres[i], centres[i + 1]
        for x in range(x0 + 1, x1):
            y = round(a + (b - a) * (x - x0) / (x1 - x0))
            grid[y][x] = "."
    for i, r in enumerate(rows):
        if r is not None:
            grid[r][centres[i]] = mark
    out = Text(no_wrap=True, overflow="crop")
    for y in range(height):
        if y:
            out.append("\n")
        level = hi - span * y / (height - 1) if height > 1 else hi
        tick = f"{level * 100:3.0f}%" if y in (0, height - 1, (height - 1) // 2) else ""
        out.append(tick.rjust(scale_w - 1) + " ", style="dim")
        out.append("".join(grid[y]), style="bold")
    out.append("\n" + " " * scale_w)
    for label in labels:
        lw = cell_len(label)
        left = max(0, (band - lw) // 2)
        out.append(fit(" " * left + label, band))
    return out
