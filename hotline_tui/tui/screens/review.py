"""Reply review (复核): the replies waiting for review on the left (verdict mark, score, order
number, unit, title; paged), and for the one under the cursor the request and the reply side
by side with the reasons highlighted in the reply, the verdict and score, the reasons as
sentences and the rubric checklist. `a` accepts (已办结), `b` sends back (退回重办), `y`
copies the upstream text, `x` exports accepted replies, `i` imports replies, `r` types one,
`l` switches to closed orders waiting for a callback (回访, `h`).

Every read and write goes through services.review / services.replies / services.callback
in thread workers; moving the cursor loads one review (at most one read in flight, the
latest wanted order read next)."""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Iterable
from typing import Any, ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import DirectoryScreen
from hotline_tui.tui.widgets.line_table import KeepsTableFocus, LineTable
from hotline_tui.tui.widgets.review_list import (
    callback_columns,
    callback_line,
    pending_columns,
    pending_line,
)
from hotline_tui.tui.widgets.review_panes import ReviewPanel, reason_sentences, when

PAGE = 100
STALE_AFTER = 30.0  # seconds: coming back to the screen later reads the list again
PENDING, CALLBACK = "pending", "callback"


class ReviewScreen(KeepsTableFocus, DirectoryScreen):
    """Replies waiting for review, one review at a time."""

    TITLE_KEY = "screen.review"
    CSS_PATH = "review.tcss"
    AUTO_FOCUS = "#review-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "accept", "review.accept", id="review.accept"),
        Binding("b", "send_back", "review.send_back", id="review.send_back"),
        Binding("y", "copy_upstream", "review.copy", id="review.copy"),
        Binding("x", "export_upstream", "review.export", id="review.export"),
        Binding("i", "import_replies", "review.import", id="review.import"),
        Binding("r", "type_reply", "review.reply", id="review.reply"),
        Binding("h", "callback", "review.callback", id="review.callback"),
        Binding("l", "switch_list", "review.switch_list", id="review.switch_list"),
        Binding("ctrl+r", "reload", "review.reload", id="review.reload", show=False),
        Binding("pagedown,space", "scroll_reply('page_down')", "review.scroll_down",
                id="review.scroll_down", show=False),
        Binding("pageup", "scroll_reply('page_up')", "review.scroll_up",
                id="review.scroll_up", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.mode = PENDING
        self.total: int | None = None
        self.view: Any = None  # the ReviewView shown
        self.last_accepted: str | None = None  # `y` copies its upstream text
        self._wanted: str | None = None  # order whose review should be shown
        self._loading: str | None = None  # order whose review is being read
        self.review_ms = 0.0  # the last review read (wall, ms; for the benchmark)
        self.review_cpu_ms = 0.0  # the same, CPU time of its thread
        self.shown_at = 0.0  # perf_counter when the last review was painted
        self.shown_order = ""
        self._list_gen = 0
        self.loaded_at = 0.0  # perf_counter of the last list read (coming back reads again)
        self._binding_state: tuple = ()

    # -- layout -----------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        with Horizontal(id="review-body"):
            with Vertical(id="review-list-pane"):
                yield Static(t("review_screen.loading"), id="review-list-title",
                             classes="pane-title", markup=False)
                yield LineTable(pending_columns(), note=t("review_screen.loading"), id="review-list")
            yield ReviewPanel(id="review-panel")
        yield Static("", id="status", markup=False)

    @property
    def table(self) -> LineTable:
        return self.query_one("#review-list", LineTable)

    @property
    def panel(self) -> ReviewPanel:
        return self.query_one("#review-panel", ReviewPanel)

    @property
    def current_order(self) -> str | None:
        line = self.table.current
        return line.key if line is not None else None

    def on_mount(self) -> None:
        self.table.focus()
        self._last_table = self.table
        self.reload()

    def on_screen_resume(self) -> None:
        self.restore_focus()
        self.call_after_refresh(self.refresh_bindings)
        if self.loaded_at and time.perf_counter() - self.loaded_at > STALE_AFTER:
            self.view = None  # replies may have come in or been decided elsewhere
            self.reload()

    def on_screen_suspend(self) -> None:
        self.remember_focus()

    # -- the list ------------------------------------------------------------------------------
    def reload(self, keep: str | None = None) -> None:
        """Read the first page of the list (and its count) again; the cursor stays on
        `keep` (or the current row) when it is still there."""
        engine, mode = self.engine, self.mode
        self._list_gen += 1
        gen = self._list_gen
        keep = keep if keep is not None else self.current_order

        def work() -> tuple[int, list]:
            return _count(engine, mode), _page(engine, mode, 0, PAGE)

        def done(result: tuple[int, list]) -> None:
            if gen != self._list_gen:
                return
            total, rows = result
            self.total = total
            self.loaded_at = time.perf_counter()
            self._paint_list(rows, total, keep)

        self.run_db(work, done, failed=self._list_failed)
        self._show_status()

    def _paint_list(self, rows: list, total: int, keep: str | None) -> None:
        table = self.table
        if self.mode == PENDING:
            table.columns = pending_columns()
            lines = [pending_line(p) for p in rows]
            note = t("review_screen.none_pending")
        else:
            table.columns = callback_columns()
            lines = [callback_line(c) for c in rows]
            note = t("review_screen.none_callback")
        table.set_lines(lines, total=total, note=note, keep=keep)
        self._list_title()
        if not lines:
            self._wanted = None
            self.view = None
            self.panel.clear(note)
        self._sync_bindings()
        self._show_status()

    def _list_failed(self, text: str) -> None:
        self.app.notify(text, severity="error", timeout=8)
        self.table.set_lines([], total=0, note=text)

    def _list_title(self) -> None:
        n = f"{self.total or 0:,}"
        key = "review_screen.pending_title" if self.mode == PENDING else "review_screen.callback_title"
        self.query_one("#review-list-title", Static).update(t(key, n=n))

    @on(LineTable.NeedMore, "#review-list")
    def _more(self, event: LineTable.NeedMore) -> None:
        engine, mode, offset, gen = self.engine, self.mode, event.loaded, self._list_gen

        def done(rows: list) -> None:
            table = self.table
            if gen == self._list_gen and len(table.lines) == offset:
                make = pending_line if mode == PENDING else callback_line
                table.add_lines([make(r) for r in rows])

        self.run_db(lambda: _page(engine, mode, offset, PAGE), done)

    @on(LineTable.Highlighted, "#review-list")
    def _moved(self, event: LineTable.Highlighted) -> None:
        self.want(event.line.key if event.line is not None else None)
        self._sync_bindings()  # the status line follows with the review: one layout a move

    @on(LineTable.Selected, "#review-list")
    def _open(self, event: LineTable.Selected) -> None:
        self.open_order(event.line.key)

    # -- one review ------------------------------------------------------------------------------
    def want(self, order_no: str | None) -> None:
        """Show the review of `order_no`: read now, or right after the read in flight."""
        self._wanted = order_no
        if order_no is None:
            return
        if self.view is not None and getattr(self.view, "order_no", None) == order_no:
            return
        if self._loading is None:
            self._load_review(order_no)

    def _load_review(self, order_no: str) -> None:
        engine = self.engine
        self._loading = order_no

        def work() -> tuple[Any, float, float]:
            from hotline_tui.services.review import review_order

            t0, c0 = time.perf_counter(), time.thread_time()
            view = review_order(engine, order_no)
            return view, (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000

        def done(result: tuple[Any, float, float]) -> None:
            self._loading = None
            view, ms, cpu_ms = result
            if self._wanted == order_no:
                self.review_ms, self.review_cpu_ms = ms, cpu_ms
                self._show_review(view)
            elif self._wanted is not None:
                self._load_review(self._wanted)

        def failed(text: str) -> None:
            self._loading = None
            if self._wanted == order_no:
                self.view = None
                self.panel.clear(text)
            elif self._wanted is not None:
                self._load_review(self._wanted)

        self.run_db(work, done, failed=failed)

    def _show_review(self, view: Any) -> None:
        self.view = view
        self.panel.show(view)
        self._refresh_mark(view)
        self._show_status()
        self.shown_at = time.perf_counter()
        self.shown_order = getattr(view, "order_no", "")

    def _refresh_mark(self, view: Any) -> None:
        """The list keeps the verdict taken at intake; the review just read is recomputed
        against the replies of other orders (a copy may have come in since): the row of
        the order shows the verdict now."""
        table = self.table
        line = table.current
        if self.mode != PENDING or line is None or line.key != view.order_no:
            return
        verdict = "acceptable" if view.verdict.acceptable else "send_back"
        row = line.data
        if getattr(row, "verdict", None) == verdict and getattr(row, "score", None) == \
                view.verdict.score:
            return
        row = dataclasses.replace(row, verdict=verdict, score=view.verdict.score)
        table.lines[table.cursor] = pending_line(row)
        table.refresh()

    # -- keys ------------------------------------------------------------------------------------
    # The footer is rebuilt on every refresh_bindings (Textual's Footer recomposes): the keys'
    # enabled state depends only on the list (not on the review in flight), and the footer
    # is refreshed only when that state changes, never on a mere move of the cursor.
    KEYED = ("accept", "send_back", "copy_upstream", "callback")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        has_row = self.table.current is not None
        if action in ("accept", "send_back"):
            return self.mode == PENDING and has_row
        if action == "copy_upstream":
            return (self.mode == CALLBACK and has_row) or self.last_accepted is not None
        if action == "callback":
            return self.mode == CALLBACK and has_row
        return True

    def _sync_bindings(self) -> None:
        state = tuple(self.check_action(a, ()) for a in self.KEYED)
        if state != self._binding_state:
            self._binding_state = state
            self.refresh_bindings()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_reload(self) -> None:
        self.reload()

    def action_switch_list(self) -> None:
        self.mode = CALLBACK if self.mode == PENDING else PENDING
        self.view = None
        self._wanted = None
        self.total = None
        self.table.set_lines([], total=0, note=t("review_screen.loading"))
        self.panel.clear(t("review_screen.loading"))
        self.reload(keep="")

    def action_scroll_reply(self, how: str) -> None:
        pane = self.panel.query_one("#reply-pane")
        getattr(pane, f"scroll_{how}")(animate=False)

    def _view_ready(self) -> Any:
        view = self.view
        if view is None or self._wanted != getattr(view, "order_no", None):
            return None
        return view

    def _decidable(self) -> Any:
        """The review shown, when the clerk may decide on it; else None, said in one line
        (still reading it, or the order is no longer waiting for the review)."""
        if self.mode != PENDING or self.table.current is None:
            return None
        view = self._view_ready()
        if view is None:
            self.app.notify(t("review_screen.wait_review"), severity="warning", timeout=3)
            return None
        if not view.can_decide:
            self.app.notify(t("review_screen.not_pending", order_no=view.order_no,
                              status=t(f"status.{view.status}")), severity="warning")
            return None
        return view

    def action_accept(self) -> None:
        view = self._decidable()
        if view is None:
            return
        order_no = view.order_no
        if view.verdict.acceptable:
            self._accept(order_no, "")
            return
        from hotline_tui.tui.modals.prompt import TextPrompt

        sentences = reason_sentences(view)
        label = t("review_screen.accept_anyway_label", reasons="；".join(sentences) or "-")

        def confirmed(note: str | None) -> None:
            if note is not None:
                self._accept(order_no, note)

        self.app.push_screen(
            TextPrompt(t("review_screen.accept_anyway_title", order_no=order_no), label, ""),
            confirmed)

    def _accept(self, order_no: str, note: str) -> None:
        engine = self.engine

        def work() -> None:
            from hotline_tui.services.review import accept

            accept(engine, order_no, note=note)

        def done(_r: None) -> None:
            self.last_accepted = order_no
            self._sync_bindings()
            self.app.notify(t("review_screen.accepted", order_no=order_no))
            self._after_change(order_no)

        self.run_db(work, done)

    def _after_change(self, order_no: str) -> None:
        """The order left the list: its line goes, the cursor takes the next one (the pages
        loaded so far stay, however far down the clerk is); the count is read again."""
        table = self.table
        keys = [ln.key for ln in table.lines]
        self.view = None
        if order_no not in keys:
            self.reload()
            return
        i = keys.index(order_no)
        rest = keys[i + 1:] + keys[:i][::-1]
        self.total = max(0, (self.total or len(keys)) - 1)
        table.set_lines([ln for ln in table.lines if ln.key != order_no], total=self.total,
                        keep=rest[0] if rest else None)
        self._list_title()
        if not rest:
            self.reload(keep="")
            return
        engine, mode, gen = self.engine, self.mode, self._list_gen

        def counted(total: int) -> None:
            if gen == self._list_gen and self.mode == mode:
                self.total = total
                table.total = max(total, len(table.lines))
                self._list_title()
                self._show_status()

        self.run_db(lambda: _count(engine, mode), counted)

    def action_send_back(self) -> None:
        """The send-back form, its working days prefilled with the order's tier (read in a
        worker first: the review does not carry it)."""
        view = self._decidable()
        if view is None:
            return
        engine, order_no = self.engine, view.order_no
        days = getattr(view, "tier_days", None)
        if days is not None:
            self._send_back_form(view, days)
            return

        def work() -> int | None:
            from hotline_tui.services.order_detail import load_order_detail
            from hotline_tui.services.owner_targets import order_targets

            return load_order_detail(engine, order_targets(engine, [order_no])[0].order_id).tier_days

        self.run_db(work, lambda d: self._send_back_form(view, d))

    def _send_back_form(self, view: Any, workdays: int | None) -> None:
        from hotline_tui.tui.modals.send_back import SendBackForm

        if self._view_ready() is not view:
            return
        order_no = view.order_no
        owner = " ".join(x for x in (view.owner_name, view.owner_phone) if x)

        def done(result: Any) -> None:
            if result is not None:
                text = t("review_screen.sent_back", order_no=order_no,
                         due=when(result.new_due_at), n=result.rework_count)
                for warning in getattr(result, "warnings", ()) or ():
                    text += " " + warning
                self.app.notify(text, timeout=10)
                self._after_change(order_no)

        self.app.push_screen(
            SendBackForm(order_no, reason_sentences(view), workdays, owner=owner,
                         rework_count=view.rework_count),
            done)

    def _upstream_order(self) -> str | None:
        """The order whose upstream text `y` copies: the closed order under the cursor (the
        callback list), else the one accepted last on this screen. An order without an
        accepted reply is refused by the service in one sentence."""
        if self.mode == CALLBACK and self.table.current is not None:
            return self.table.current.key
        return self.last_accepted

    def action_copy_upstream(self) -> None:
        order_no = self._upstream_order()
        if order_no is None:
            return
        engine = self.engine

        def work() -> str:
            from hotline_tui.services.review import upstream_text

            return upstream_text(engine, order_no)

        def done(text: str) -> None:
            self.app.copy_to_clipboard(text)
            self.app.notify(t("review_screen.copied", order_no=order_no, n=len(text)))

        self.run_db(work, done)

    def action_export_upstream(self) -> None:
        from hotline_tui.tui.modals.reply_import import ask_export_upstream

        ask_export_upstream(self)

    def action_import_replies(self) -> None:
        from hotline_tui.tui.modals.reply_import import ask_import_replies

        def done(result: Any) -> None:
            if result is not None:
                self.view = None  # the order shown may have a new reply now
                self.reload()

        ask_import_replies(self, done)

    def action_type_reply(self) -> None:
        from hotline_tui.tui.modals.reply_form import ReplyForm

        def done(result: Any) -> None:
            if result is not None:
                order_no, _r = result
                self.app.notify(t("review_screen.reply_taken", order_no=order_no))
                self.view = None  # the order may be the one shown: read its review again
                self.reload(keep=order_no if self.mode == PENDING else None)

        self.app.push_screen(ReplyForm(None), done)

    def action_callback(self) -> None:
        order_no = self.current_order
        if order_no is None or self.mode != CALLBACK:
            return
        line = self.table.current
        title = getattr(line.data, "title", "") if line is not None else ""
        open_callback(self, order_no, title, lambda _r: self._after_change(order_no))

    def open_order(self, order_no: str) -> None:
        """The order detail view (its history); the list is read again on the way back."""
        engine = self.engine

        def work() -> int:
            from hotline_tui.services.owner_targets import order_targets

            return order_targets(engine, [order_no])[0].order_id

        def done(order_id: int) -> None:
            from hotline_tui.tui.views.order_detail import OrderDetailScreen

            def back(changed: bool | None) -> None:
                if changed:
                    self.view = None
                    self.reload()

            self.app.push_screen(OrderDetailScreen(order_id), back)

        self.run_db(work, done)

    # -- the status line ---------------------------------------------------------------------------
    def _show_status(self) -> None:
        parts = []
        table = self.table
        if table.lines:
            parts.append(t("review_screen.position", i=f"{table.cursor + 1:,}",
                           n=f"{table.total:,}"))
        parts.append(t("review_screen.status_hint_pending" if self.mode == PENDING
                       else "review_screen.status_hint_callback"))
        # one line of fixed size: no layout of the screen for it
        self.query_one("#status", Static).update("  |  ".join(parts), layout=False)


def callback_message(order_no: str, result: Any) -> str:
    if getattr(result, "reopened", False):
        return t("callback_form.reopened", order_no=order_no, due=when(result.new_due_at))
    return t("callback_form.recorded", order_no=order_no)


def open_callback(screen: Any, order_no: str, title: str = "", done: Any = None) -> None:
    """The callback form for one order; the outcome (reopened with its new deadline, or
    recorded) as a notification."""
    from hotline_tui.tui.modals.callback_form import CallbackForm

    def back(result: Any) -> None:
        if result is not None:
            reopened = getattr(result, "reopened", False)
            screen.app.notify(callback_message(order_no, result),
                              severity="warning" if reopened else "information", timeout=10)
            if done is not None:
                done(result)

    screen.app.push_screen(CallbackForm(order_no, title), back)


def _count(engine: Any, mode: str) -> int:
    if mode == PENDING:
        from hotline_tui.services.review import count_pending

        return count_pending(engine)
    from hotline_tui.services.callback import count_awaiting_callback

    return count_awaiting_callback(engine)


def _page(engine: Any, mode: str, offset: int, limit: int) -> list:
    if mode == PENDING:
        from hotline_tui.services.review import pending_reviews

        return pending_reviews(engine, offset=offset, limit=limit)
    from hotline_tui.services.callback import awaiting_callback

    return awaiting_callback(engine, offset=offset, limit=limit)


def _warm(engine: Any) -> None:
    from hotline_tui.services.review import count_pending, pending_reviews

    count_pending(engine)
    pending_reviews(engine, offset=0, limit=PAGE)


TOP_SCREEN = TopScreen(
    id="review", key="f10", title_key="screen.review", factory=ReviewScreen, order=58,
    warm=_warm,
)

