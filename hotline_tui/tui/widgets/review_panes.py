"""The review of one reply, drawn: the request and the reply side by side (the reasons'
spans highlighted in the reply and numbered), the verdict and score, the reasons as
sentences and the rubric checklist. Everything is a Rich renderable built from a
`services.review.ReviewView`; Chinese wraps by display width (Rich measures cells)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from rich.console import Group
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.text import cell_len, column_text, fit

# Reply fields shown under the reply text, in this order (labels: review_screen.field.<name>).
REPLY_FIELDS = ("contact_by", "contacted_at", "contact_method", "result", "policy_basis",
                "handler", "handler_phone")


# Ambiguous-width glyphs (drawn wide by some CJK terminals, narrow by others) replaced one
# for one by glyphs of a definite width, so the side-by-side panes stay aligned and the
# reasons' character offsets still point at the same characters.
_STEADY = str.maketrans({
    "“": "＂", "”": "＂", "‘": "＇", "’": "＇", "—": "－", "―": "－", "…": "．",
    "·": "・", "×": "x", "※": "＊", "℃": "度", "°": "ｏ", "○": "Ｏ", "●": "＊",
    "→": "＞", "←": "＜", "①": "１", "②": "２", "③": "３", "④": "４", "⑤": "５",
    "⑥": "６", "⑦": "７", "⑧": "８", "⑨": "９", "⑩": "Ｘ", "★": "＊", "☆": "＊",
    "■": "＊", "□": "Ｏ", "▲": "＊", "△": "＊", "◆": "＊", "◇": "Ｏ", "√": "ｖ",
})


def steady(text: str) -> str:
    """`text` with ambiguous-width glyphs replaced one for one (same length)."""
    return text.translate(_STEADY)


def when(dt: Any) -> str:
    if isinstance(dt, datetime):
        return f"{dt:%Y-%m-%d %H:%M}"
    return str(dt or "")


def verdict_mark(acceptable: bool | None) -> str:
    """The list's verdict column: 可 / 退 (ok / back); '' while unknown."""
    if acceptable is None:
        return ""
    return t("review_screen.mark_ok") if acceptable else t("review_screen.mark_back")


def highlighted_reply(text: str, reasons: Iterable[Any], style: Style | str,
                      mark_style: Style | str = "dim") -> Text:
    """The reply with every reason's spans (character offsets into `text`) styled and,
    after each span, the reason's number in brackets ('[1]'), so the clerk sees which
    sentence a highlight belongs to. Spans outside the text are clipped; spans ending at
    the same place share one mark."""
    out = Text(steady(text))
    ends: dict[int, list[int]] = {}
    for number, reason in enumerate(reasons, start=1):
        for span in reason.spans or ():
            start, end = _bounds(span, len(text))
            if end <= start:
                continue
            out.stylize(style, start, end)
            numbers = ends.setdefault(end, [])
            if number not in numbers:
                numbers.append(number)
    for end in sorted(ends, reverse=True):  # right to left: earlier offsets stay valid
        marker = Text("[" + ",".join(str(n) for n in ends[end]) + "]", style=mark_style)
        out = out[:end] + marker + out[end:]
    return out


def _bounds(span: Any, length: int) -> tuple[int, int]:
    start, end = (span[0], span[1]) if isinstance(span, tuple | list) else (span.start, span.end)
    return max(0, min(int(start), length)), max(0, min(int(end), length))


def reason_sentences(view: Any) -> list[str]:
    """The reasons as sentences, in the verdict's order (ReviewView.reasons)."""
    return [str(x) for x in view.reasons]


def checklist_of(view: Any) -> list[tuple[str, bool]]:
    """(label, passed) for each rubric item ((rubric_code, passed) pairs of the verdict;
    labels from the catalogue's review.rubric.<code>)."""
    out: list[tuple[str, bool]] = []
    for code, passed in view.checklist or ():
        key = f"review.rubric.{code}"
        label = t(key)
        out.append((str(code) if label == key else label, bool(passed)))
    return out


# ---- the renderables --------------------------------------------------------------------------


def head_text(view: Any) -> Text:
    """Order number, unit, owner, rework count, deadline, verdict and score, copy-of."""
    out = Text()
    out.append(view.order_no, style="bold")
    out.append("  " + t(f"status.{view.status}"))
    if view.unit_name:
        out.append("  " + view.unit_name)
    owner = " ".join(x for x in (view.owner_name, view.owner_phone) if x)
    if owner:
        out.append("  " + t("review_screen.owner", owner=owner))
    if view.rework_count:
        out.append("  " + t("review_screen.rework_count", n=view.rework_count), style="bold")
    if view.due_at:
        out.append("  " + t("review_screen.due", at=when(view.due_at)))
    out.append("\n")
    acceptable = bool(view.verdict.acceptable)
    out.append(t("review_screen.verdict_ok") if acceptable else t("review_screen.verdict_back"),
               style="bold green" if acceptable else "bold red")
    out.append("  " + t("review_screen.score", score=view.verdict.score), style="bold")
    if view.copy_of:
        out.append("  " + t("review_screen.copy_of", order_no=view.copy_of), style="bold red")
    rounds = len(view.rounds or ())
    if rounds > 1:
        out.append("  " + t("review_screen.round", n=rounds))
    if view.replied_at:
        out.append("  " + t("review_screen.replied", at=when(view.replied_at)), style="dim")
    return out


def request_text(view: Any) -> Text:
    """The request: title, type, caller (masked), then its full text."""
    out = Text()
    out.append(steady(view.title), style="bold")
    kind = " ".join(x for x in (view.request_type, view.category) if x)
    if kind:
        out.append("  [" + kind + "]")
    caller = " ".join(x for x in (view.caller_name, view.caller_phone) if x)
    if caller:
        out.append("\n" + t("review_screen.caller", caller=caller), style="dim")
    if view.received_at:
        out.append("\n" + t("review_screen.received", at=when(view.received_at)), style="dim")
    out.append("\n\n")
    out.append(steady(view.content) or t("review_screen.empty"))
    return out


def reply_fields_text(view: Any) -> Text:
    """The reply's fields, one a line: label padded to the widest label (display width),
    then the value or '(未填)'."""
    labels = [t(f"review_screen.field.{name}") for name in REPLY_FIELDS]
    width = max(cell_len(x) for x in labels) + 2
    out = Text()
    for i, (name, label) in enumerate(zip(REPLY_FIELDS, labels, strict=True)):
        if i:
            out.append("\n")
        out.append(fit(label, width), style="bold")
        value = column_text(str(getattr(view, name) or ""))
        if value:
            out.append(value)
        else:
            out.append(t("review_screen.missing"), style="dim red")
    return out


def reasons_block(sentences: list[str]) -> Group:
    """'问题' and the numbered sentences (the numbers match the marks in the reply); the
    sentences hang after their numbers."""
    title = Text(t("review_screen.reasons_title"), style="bold")
    if not sentences:
        return Group(title, Text(t("review_screen.no_reasons"), style="green"))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True, style="bold")
    grid.add_column(ratio=1)
    for number, sentence in enumerate(sentences, start=1):
        grid.add_row(Text(f"[{number}]"), Text(steady(sentence), overflow="fold"))
    return Group(title, grid)


def checklist_block(items: list[tuple[str, bool]]) -> Group:
    """'[有] 联系诉求人' / '[缺] 政策依据': ASCII brackets around a wide CJK mark (an ASCII
    one in English), never an ambiguous-width glyph."""
    title = Text(t("review_screen.rubric_title"), style="bold")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(ratio=1)
    ok, bad = t("review_screen.check_pass"), t("review_screen.check_fail")
    for label, passed in items:
        grid.add_row(Text(ok if passed else bad, style="green" if passed else "bold red"),
                     Text(steady(label), style="" if passed else "red", overflow="fold"))
    return Group(title, grid)


def bottom_table(sentences: list[str], items: list[tuple[str, bool]]) -> Table:
    """The reasons (3/5 of the width) beside the rubric checklist (2/5)."""
    grid = Table.grid(expand=True, padding=(0, 2))
    grid.add_column(ratio=3)
    grid.add_column(ratio=2)
    grid.add_row(reasons_block(sentences), checklist_block(items))
    return grid


# ---- the widget -------------------------------------------------------------------------------


class ReviewPanel(Vertical):
    """The right-hand side of the review screen; `show(view)` paints one review."""

    COMPONENT_CLASSES = {"review-panel--highlight", "review-panel--marker"}
    DEFAULT_CSS = """
    ReviewPanel > .review-panel--highlight {
        background: $error 35%;
        text-style: bold underline;
    }
    ReviewPanel > .review-panel--marker {
        color: $error;
        text-style: bold;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.view: Any = None
        self.reply_rich: Text | None = None  # the reply as drawn (tests read its spans)

    def compose(self) -> ComposeResult:
        yield Static(t("review_screen.pick_one"), id="review-head", markup=False)
        with Horizontal(id="review-sides"):
            with VerticalScroll(id="request-pane", classes="review-side"):
                yield Static(t("review_screen.request_title"), classes="side-title", markup=False)
                yield Static("", id="request-body", markup=False)
            with VerticalScroll(id="reply-pane", classes="review-side"):
                yield Static(t("review_screen.reply_title"), classes="side-title", markup=False)
                yield Static("", id="reply-body", markup=False)
                yield Static("", id="reply-fields")
        with VerticalScroll(id="review-bottom-pane"):
            yield Static("", id="review-bottom", markup=False)

    def clear(self, note: str) -> None:
        self.view = None
        self.reply_rich = None
        self.query_one("#review-head", Static).update(note)
        for wid in ("#request-body", "#reply-body", "#reply-fields", "#review-bottom"):
            self.query_one(wid, Static).update("")

    def show(self, view: Any) -> None:
        self.view = view
        reasons = list(view.verdict.reasons)
        highlight = self.get_component_rich_style("review-panel--highlight", partial=True)
        marker = self.get_component_rich_style("review-panel--marker", partial=True)
        reply = view.text
        self.reply_rich = (highlighted_reply(reply, reasons, highlight, marker) if reply
                           else Text(t("review_screen.empty"), style="dim"))
        self.query_one("#review-head", Static).update(head_text(view))
        self.query_one("#request-body", Static).update(request_text(view))
        self.query_one("#reply-body", Static).update(self.reply_rich)
        self.query_one("#reply-fields", Static).update(reply_fields_text(view))
        self.query_one("#review-bottom", Static).update(
            bottom_table(reason_sentences(view), checklist_of(view)))
        for pane in self.query(VerticalScroll):
            if pane.scroll_offset.y:
                pane.scroll_home(animate=False)
