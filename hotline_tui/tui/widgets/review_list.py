"""The columns and lines of the review screen's lists: replies waiting for review (verdict
mark, score, order number, unit, title) and closed orders waiting for a callback."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from hotline_tui.i18n import t
from hotline_tui.tui.text import cell_len
from hotline_tui.tui.widgets.line_table import Col, Line
from hotline_tui.tui.widgets.review_panes import verdict_mark


def short(dt: datetime | None) -> str:
    return f"{dt:%m-%d %H:%M}" if isinstance(dt, datetime) else ""


def pending_columns() -> list[Col]:
    mark = max(cell_len(x) for x in (t("review_screen.col.mark"), t("review_screen.mark_ok"),
                                      t("review_screen.mark_back")))
    return [
        Col("mark", t("review_screen.col.mark"), mark),
        Col("score", t("review_screen.col.score"), 3, right=True),
        Col("order_no", t("review_screen.col.order_no"), 15),
        Col("unit", t("review_screen.col.unit"), 10, keep=4),
        Col("title", t("review_screen.col.title"), 0),
        Col("replied", t("review_screen.col.replied"), 11, keep=2),
    ]


def pending_line(p: Any) -> Line:
    """A services.review.PendingReview as a line; the verdict taken at intake (None: a reply
    from before replies were kept, not reviewed yet)."""
    acceptable = None if p.verdict is None else p.verdict == "acceptable"
    return Line(p.order_no, {
        "mark": verdict_mark(acceptable),
        "score": "" if p.score is None else str(p.score),
        "order_no": p.order_no,
        "unit": p.unit_name,
        "title": p.title,
        "replied": short(p.replied_at),
    }, tone="warn" if acceptable is False else "", data=p)


def callback_columns() -> list[Col]:
    return [
        Col("order_no", t("review_screen.col.order_no"), 15),
        Col("unit", t("review_screen.col.unit"), 10, keep=4),
        Col("title", t("review_screen.col.title"), 0),
        Col("closed", t("review_screen.col.closed"), 11, keep=2),
    ]


def callback_line(c: Any) -> Line:
    """A services.callback.AwaitingCallback as a line."""
    return Line(c.order_no, {
        "order_no": c.order_no,
        "unit": c.unit_name,
        "title": c.title,
        "closed": short(c.closed_at),
    }, data=c)
