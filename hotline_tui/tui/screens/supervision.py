"""督办 (F9): three views switched with 1 / 2 / 3.

1. 重点督办事项, the key-supervision list: each sponsored matter, its leader, cadence, last
   progress and whether a report is overdue (red); progress, end, export as .docx.
2. 督办候选, the candidates: overdue past the escalation stage, chased many times, repeat
   complaints in groups. Finding them takes seconds on a big database, so they are read in
   a thread worker after the list is painted, with a loading line meanwhile. Sponsor an
   order, merge a repeat group (并单), put an order on the joint meeting's agenda.
3. 联席会议, the next joint meeting's agenda with the units concerned and the history so
   far; add an order by number, export the agenda, record the outcome (back to dispatch).

Every read and write runs in a thread worker; a result that a newer read overtook is
dropped."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widget import Widget
from textual.widgets import Static

from hotline_tui.i18n import t
from hotline_tui.tui.bound_keys import bound_key
from hotline_tui.tui.registry import TopScreen
from hotline_tui.tui.screens.directory_base import DirectoryScreen, default_dir
from hotline_tui.tui.text import column_text
from hotline_tui.tui.widgets.line_table import Col, KeepsTableFocus, Line, LineTable
from hotline_tui.tui.widgets.supervision_table import SectionTable

VIEWS = ("list", "candidates", "meeting")
STALE_AFTER = 30.0  # seconds: coming back to the screen later reads the list again
WHY = ("phone", "address", "text")


# ---- the key-supervision list ------------------------------------------------------------------


def list_columns() -> list[Col]:
    return [
        Col("order_no", t("sup.col.order_no"), 15),
        Col("unit", t("sup.col.unit"), 16, keep=5),
        Col("leader", t("sup.col.leader"), 18),
        Col("cadence", t("sup.col.cadence"), 7, keep=3),
        Col("last", t("sup.col.last"), 0),
        Col("next", t("sup.col.next"), 8),
        Col("flag", t("sup.col.flag"), 9),
        Col("state", t("sup.col.state"), 17, keep=4),
    ]


def list_line(r: Any, today: date) -> Line:
    """One sponsored matter; red when its progress report is overdue."""
    if r.report_overdue:
        flag = t("sup.report_late", days=r.report_days_over)
    elif r.report_due_on == today:
        flag = t("sup.report_today")
    else:
        flag = ""
    state = t(f"status.{r.status}")
    if r.overdue:
        state += " " + t("sup.late_workdays", days=r.late_workdays)
    last = (f"{r.last_progress_at:%m-%d} {r.last_progress}" if r.last_progress_at
            else t("sup.no_progress"))
    return Line(r.order_no, {
        "order_no": r.order_no, "unit": r.unit_name,
        "leader": f"{r.leader_name} {r.leader_title}".strip(),
        "cadence": t("sup.every", days=r.cadence_days), "last": last,
        "next": f"{r.report_due_on:%m-%d}", "flag": flag, "state": state,
    }, tone="late" if r.report_overdue else "", data=r)


def list_detail(r: Any) -> str:
    lines = [t("sup.detail.order", order_no=r.order_no, title=column_text(r.title),
               status=t(f"status.{r.status}"), unit=r.unit_name or "-")]
    if r.due_at is not None:
        lines[0] += "  |  " + t("sup.detail.deadline", due=f"{r.due_at:%Y-%m-%d %H:%M}")
    lines.append(t("sup.detail.leader", leader=f"{r.leader_name} {r.leader_title}".strip(),
                   days=r.cadence_days, since=f"{r.started_at:%Y-%m-%d}",
                   count=r.progress_count, next=f"{r.report_due_on:%Y-%m-%d}"))
    if r.last_progress_at:
        lines.append(t("sup.detail.last", at=f"{r.last_progress_at:%Y-%m-%d %H:%M}",
                       text=" ".join(r.last_progress.split())))
    return "\n".join(lines)


# ---- the candidates ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CandRef:
    """What a line of the candidates view stands for."""

    kind: str  # "section" | "order" | "group" | "member"
    order_no: str = ""
    unit_name: str = ""
    group: Any = None
    row: Any = None  # CandidateOrder or RepeatOrder


def cand_columns() -> list[Col]:
    return [
        Col("order_no", t("sup.col.kind"), 17),
        Col("unit", t("sup.col.unit"), 16, keep=5),
        Col("title", t("sup.col.title"), 0),
        Col("info", t("sup.col.info"), 22, keep=6),
        Col("status", t("sup.col.state"), 8, keep=4),
    ]


def why_text(group: Any) -> str:
    parts = []
    for r in group.reasons:
        value = (group.phones[0] if r == "phone" and group.phones else
                 group.addresses[0] if r == "address" and group.addresses else "")
        why = t(f"candidates.why.{r}")
        parts.append(t("sup.group_value", why=why, value=value).strip() if value else why)
    return "，".join(parts)


def _order_line(prefix: str, o: Any) -> Line:
    info = []
    if o.late_workdays:
        info.append(t("sup.cand.late", days=o.late_workdays))
    if o.chase_count:
        info.append(t("sup.cand.chases", n=o.chase_count))
    return Line(f"{prefix}:{o.order_no}", {
        "order_no": o.order_no, "unit": o.unit_name, "title": o.title,
        "info": " ".join(info), "status": t(f"status.{o.status}"),
    }, data=CandRef("order", o.order_no, o.unit_name, row=o))


def candidate_lines(c: Any) -> list[Line]:
    """The three kinds of candidates under their headings; repeat groups as a heading line
    followed by their orders."""
    lines: list[Line] = []
    if c.escalated:
        lines.append(Line("sec:escalated", {"head": t(
            "sup.sec.escalated", days=c.escalate_workdays, total=f"{c.escalated_total:,}",
            shown=len(c.escalated))}, tone="head", data=CandRef("section")))
        lines += [_order_line("e", o) for o in c.escalated]
    if c.much_chased:
        lines.append(Line("sec:chased", {"head": t(
            "sup.sec.chased", n=c.chase_many, shown=len(c.much_chased))}, tone="head",
            data=CandRef("section")))
        lines += [_order_line("c", o) for o in c.much_chased]
    if c.repeats:
        lines.append(Line("sec:repeats", {"head": t(
            "sup.sec.repeats", days=c.repeat_days, n=len(c.repeats))}, tone="head",
            data=CandRef("section")))
        for i, g in enumerate(c.repeats):
            key = f"g{i}:" + (g.orders[0].order_no if g.orders else "")
            lines.append(Line(key, {"head": "  " + t(
                "sup.group", size=g.total, open=g.open_count, why=why_text(g))},
                tone="head", data=CandRef("group", group=g)))
            for o in g.orders:
                info = t("sup.cand.received", at=f"{o.received_at:%m-%d}")
                if o.sponsored:
                    info += " " + t("sup.cand.sponsored")
                closed = o.status in ("closed", "merged")
                lines.append(Line(f"{key}:{o.order_no}", {
                    "order_no": "  " + o.order_no, "unit": o.unit_name, "title": o.title,
                    "info": info, "status": t(f"status.{o.status}"),
                }, tone="dim" if closed else "",
                    data=CandRef("member", o.order_no, o.unit_name, group=g, row=o)))
    return lines


def cand_detail(ref: CandRef | None) -> str:
    if ref is None or ref.row is None:
        if ref is not None and ref.kind == "group":
            g = ref.group
            return t("sup.group", size=g.total, open=g.open_count, why=why_text(g))
        return ""
    o = ref.row
    parts = [f"{o.order_no}  {column_text(o.title)}"]
    if getattr(o, "owner_name", ""):
        parts.append(f"{o.owner_name} {o.owner_phone}".strip())
    if getattr(o, "due_at", None):
        parts.append(t("sup.detail.deadline", due=f"{o.due_at:%Y-%m-%d %H:%M}"))
    if getattr(o, "address", ""):
        parts.append(column_text(o.address))
    return "  |  ".join(parts)


# ---- the agenda ------------------------------------------------------------------------------------


def agenda_columns() -> list[Col]:
    return [
        Col("order_no", t("sup.col.order_no"), 15),
        Col("title", t("sup.col.title"), 0),
        Col("units", t("sup.col.units"), 26, keep=6),
        Col("added", t("sup.col.added"), 6, keep=3),
        Col("reason", t("sup.col.reason"), 24, keep=4),
    ]


def agenda_line(it: Any) -> Line:
    return Line(it.order_no, {
        "order_no": it.order_no, "title": it.title, "units": "、".join(it.units),
        "added": f"{it.added_at:%m-%d}" if it.added_at else "",
        "reason": " ".join(it.reason.split()),
    }, data=it)


def agenda_detail(it: Any) -> Text:
    out = Text()
    out.append(f"{it.order_no}  {column_text(it.title)}\n", style="bold")
    out.append(t("sup.agenda.reason", reason=it.reason or "-") + "\n")
    out.append(t("sup.agenda.units", units="、".join(it.units) or "-") + "\n")
    if it.added_at:
        out.append(t("sup.agenda.added", at=f"{it.added_at:%Y-%m-%d %H:%M}",
                     who=it.added_by or "-") + "\n", style="dim")
    out.append(t("sup.agenda.history") + "\n", style="bold")
    for h in it.history:
        out.append(f"  {h.at:%Y-%m-%d %H:%M}  {column_text(h.text)}\n")
    return out


# ---- the screen ----------------------------------------------------------------------------------------


class SupervisionScreen(KeepsTableFocus, DirectoryScreen):
    TITLE_KEY = "screen.supervision"
    CSS_PATH = "supervision.tcss"
    AUTO_FOCUS = "#sup-list"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "view('list')", "supervision.view_list", id="supervision.view_list",
                show=False),
        Binding("2", "view('candidates')", "supervision.view_candidates",
                id="supervision.view_candidates", show=False),
        Binding("3", "view('meeting')", "supervision.view_meeting",
                id="supervision.view_meeting", show=False),
        Binding("p", "progress", "supervision.progress", id="supervision.progress"),
        Binding("e", "end", "supervision.end", id="supervision.end"),
        Binding("x", "export_list", "supervision.export_list", id="supervision.export_list"),
        Binding("s", "sponsor", "supervision.sponsor", id="supervision.sponsor"),
        Binding("m", "merge", "supervision.merge", id="supervision.merge"),
        Binding("a", "add_meeting", "supervision.add_meeting", id="supervision.add_meeting"),
        Binding("o", "outcome", "supervision.outcome", id="supervision.outcome"),
        Binding("x", "export_agenda", "supervision.export_agenda",
                id="supervision.export_agenda"),
        Binding("r", "reload", "supervision.reload", id="supervision.reload", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.view = "list"
        self.rows: list[Any] = []  # SupervisionRow
        self.candidates: Any = None  # SponsorCandidates
        self.agenda: list[Any] = []  # AgendaItem
        self.cadence = 7
        self.busy = {"list": False, "candidates": False, "meeting": False}
        self.loaded = {"list": False, "candidates": False, "meeting": False}
        self._gen = {"list": 0, "candidates": 0, "meeting": 0}
        self.cand_error = ""
        self.loaded_at = 0.0  # perf_counter of the last list paint
        self.first_paint_at = 0.0  # perf_counter of the first list paint (benchmark)
        self.cand_ms = 0.0  # the last candidates read, wall clock
        self.cand_cpu_ms = 0.0  # ... and CPU time of its thread
        self.cand_painted_at = 0.0
        self._keys_state: tuple[str, bool] | None = None
        self.views_ready = False  # the candidates and agenda views are mounted
        self._wanted_view = ""  # a view key pressed before they were

    # -- layout ----------------------------------------------------------------------------
    def compose_body(self) -> Iterable[Widget]:
        yield Static("", id="sup-tabs")
        with Vertical(id="sup-views"):
            with Vertical(id="view-list"):
                yield SectionTable(list_columns(), note=t("sup.loading"), id="sup-list")
                yield Static("", id="sup-detail", markup=False)
        yield Static("", id="status", markup=False)

    @staticmethod
    def _hidden_views() -> list[Widget]:
        """The candidates and agenda views, built after the list is on screen (the first
        paint waits for less) and hidden until their key is pressed."""
        cand = Vertical(
            Static("", id="cand-status", markup=False),
            SectionTable(cand_columns(), note="", id="cand-table"),
            Static("", id="cand-detail", markup=False),
            id="view-candidates")
        meeting = Vertical(
            SectionTable(agenda_columns(), note=t("sup.loading"), id="agenda"),
            VerticalScroll(Static("", id="agenda-detail"), id="agenda-detail-box"),
            id="view-meeting")
        cand.display = meeting.display = False
        return [cand, meeting]

    def table(self, view: str | None = None) -> LineTable:
        view = view or self.view
        wid = {"list": "#sup-list", "candidates": "#cand-table", "meeting": "#agenda"}[view]
        return self.query_one(wid, LineTable)

    def on_mount(self) -> None:
        self._paint_tabs()
        self.load_list()

    async def _mount_views(self) -> None:
        await self.query_one("#sup-views").mount_all(self._hidden_views())
        self.views_ready = True
        self._paint_cand_status()
        self.load_agenda()
        self.load_candidates()  # seconds on a big database: after the first paint
        if self._wanted_view:
            self.action_view(self._wanted_view)

    def on_screen_resume(self) -> None:
        self.restore_focus()
        if self.loaded["list"]:  # coming back: the focus is back, redraw the footer keys
            self.call_after_refresh(self.refresh_bindings)
        if self.loaded_at and time.perf_counter() - self.loaded_at > STALE_AFTER:
            self.reload_all(candidates=False)

    def on_screen_suspend(self) -> None:
        self.remember_focus()

    # -- loading -----------------------------------------------------------------------------
    def _run(self, kind: str, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        """`work()` in a thread; `done(result)` unless a newer read of `kind` was asked."""
        self._gen[kind] += 1
        gen = self._gen[kind]
        self.busy[kind] = True

        def back(result: Any) -> None:
            if gen == self._gen[kind]:
                self.busy[kind] = False
                try:
                    done(result)
                except Exception as exc:  # noqa: BLE001 - logged, one sentence on screen
                    self.notify_error(exc)

        def failed(text: str) -> None:
            if gen == self._gen[kind]:
                self.busy[kind] = False
                if kind == "candidates":
                    self.cand_error = text
                    self._paint_cand_status()
                else:
                    self.app.notify(text, severity="error", timeout=8)
                    self._paint_status()

        self.run_db(work, back, failed=failed)

    def load_list(self) -> None:
        engine = self.engine

        def work() -> tuple[list[Any], int]:
            from hotline_tui.services.sponsorship import default_cadence, supervision_list

            return supervision_list(engine), default_cadence(engine)

        self._run("list", work, self._list_loaded)

    def _list_loaded(self, result: tuple[list[Any], int]) -> None:
        from hotline_tui.services import clock

        self.rows, self.cadence = result
        today = clock.now().date()
        table = self.table("list")
        table.set_lines([list_line(r, today) for r in self.rows], note=t(
            "sup.empty_list", view_key=bound_key(self, "supervision.view_candidates") or "2",
            sponsor=bound_key(self, "supervision.sponsor") or "s"))
        first = not self.loaded["list"]
        self.loaded["list"] = True
        self.loaded_at = time.perf_counter()
        self._paint_list_detail()
        self._paint_tabs()
        self._paint_status()
        if first:
            self.first_paint_at = self.loaded_at
            self.call_after_refresh(self._mount_views)

    def load_candidates(self) -> None:
        if not self.views_ready:
            return  # read once the view is built (after the list's first paint)
        engine = self.engine
        self.cand_error = ""

        def work() -> tuple[Any, float, float]:
            from hotline_tui.services.sponsor_candidates import sponsor_candidates

            t0, c0 = time.perf_counter(), time.thread_time()
            c = sponsor_candidates(engine)
            return c, (time.perf_counter() - t0) * 1000, (time.thread_time() - c0) * 1000

        self._run("candidates", work, self._candidates_loaded)
        self._paint_cand_status()

    def _candidates_loaded(self, result: tuple[Any, float, float]) -> None:
        self.candidates, self.cand_ms, self.cand_cpu_ms = result
        self.loaded["candidates"] = True
        table = self.table("candidates")
        table.set_lines(candidate_lines(self.candidates), note=t("sup.candidates.empty"))
        self.cand_painted_at = time.perf_counter()
        self._paint_cand_status()
        self._paint_cand_detail()
        self._paint_tabs()

    def load_agenda(self) -> None:
        if not self.views_ready:
            return
        engine = self.engine

        def work() -> list[Any]:
            from hotline_tui.services.meeting import agenda

            return agenda(engine)

        self._run("meeting", work, self._agenda_loaded)

    def _agenda_loaded(self, items: list[Any]) -> None:
        self.agenda = items
        self.loaded["meeting"] = True
        self.table("meeting").set_lines([agenda_line(it) for it in items], note=t(
            "sup.empty_agenda", add_key=bound_key(self, "supervision.add_meeting") or "a"))
        self._paint_agenda_detail()
        self._paint_tabs()
        self._paint_status()

    def reload_all(self, candidates: bool = True) -> None:
        self.load_list()
        if not self.views_ready:
            return
        self.load_agenda()
        if candidates:
            self.load_candidates()

    def action_reload(self) -> None:
        self.reload_all()

    # -- painting ------------------------------------------------------------------------------
    def _paint_tabs(self) -> None:
        late = sum(1 for r in self.rows if r.report_overdue)
        labels = {
            "list": (t("sup.tab.list_late", n=len(self.rows), late=late) if late else
                     t("sup.tab.list", n=len(self.rows))) if self.loaded["list"] else
            t("key.supervision.view_list"),
            "candidates": t("sup.tab.candidates"),
            "meeting": t("sup.tab.meeting", n=len(self.agenda)) if self.loaded["meeting"]
            else t("key.supervision.view_meeting"),
        }
        c = self.candidates
        if c is not None:
            n = len({o.order_no for o in (*c.escalated, *c.much_chased)}) + len(c.repeats)
            labels["candidates"] = t("sup.tab.candidates_n", n=n)
        text = Text()
        for view in VIEWS:
            key = bound_key(self, f"supervision.view_{view}")
            style = "bold reverse" if view == self.view else ""
            if view == "list" and late:
                style += " red" if view != self.view else ""
            text.append(f" {key} {labels[view]} ", style=style.strip())
            text.append("  ")
        self.query_one("#sup-tabs", Static).update(text)

    def _paint_cand_status(self) -> None:
        box = self.query_one("#cand-status", Static)
        c = self.candidates
        if self.cand_error:
            box.update(t("sup.candidates.failed", error=self.cand_error))
            return
        if self.busy["candidates"] and c is None:
            from hotline_tui.services.settings import DEFAULTS

            box.update(t("sup.candidates.loading", days=DEFAULTS["repeat_window_days"]))
            return
        if c is None:
            box.update("")
            return
        text = t("sup.candidates.summary", esc_days=c.escalate_workdays,
                 escalated=f"{c.escalated_total:,}", chases=c.chase_many,
                 chased=len(c.much_chased), days=c.repeat_days, groups=len(c.repeats),
                 compared=f"{c.text_compared:,}")
        text += "  |  " + t("sup.as_of", at=f"{c.now:%m-%d %H:%M}")
        if self.busy["candidates"]:
            text = t("sup.candidates.refreshing") + "  |  " + text
        box.update(text)

    def _paint_list_detail(self) -> None:
        line = self.table("list").current
        self.query_one("#sup-detail", Static).update(list_detail(line.data) if line else "")

    def _paint_cand_detail(self) -> None:
        line = self.table("candidates").current
        self.query_one("#cand-detail", Static).update(cand_detail(line.data if line else None))

    def _paint_agenda_detail(self) -> None:
        line = self.table("meeting").current
        self.query_one("#agenda-detail", Static).update(
            agenda_detail(line.data) if line else "")

    def _paint_status(self) -> None:
        keys = {i.split(".")[1]: bound_key(self, i) for i in (
            "supervision.progress", "supervision.end", "supervision.sponsor",
            "supervision.merge", "supervision.add_meeting", "supervision.outcome",
            "supervision.reload")}
        parts = []
        if self.view == "list":
            if self.loaded["list"]:
                parts.append(t("sup.status.list", n=len(self.rows),
                               late=sum(1 for r in self.rows if r.report_overdue)))
            parts.append(t("sup.hint.list", progress=keys["progress"], end=keys["end"],
                           export=bound_key(self, "supervision.export_list")))
        elif self.view == "candidates":
            parts.append(t("sup.hint.candidates", sponsor=keys["sponsor"],
                           merge=keys["merge"], meeting=keys["add_meeting"],
                           reload=keys["reload"]))
        else:
            if self.loaded["meeting"]:
                parts.append(t("sup.status.meeting", n=len(self.agenda)))
            parts.append(t("sup.hint.meeting", add=keys["add_meeting"],
                           outcome=keys["outcome"],
                           export=bound_key(self, "supervision.export_agenda")))
        if any(self.busy[v] for v in ("list", "meeting")):
            parts.append(t("sup.loading"))
        self.show_status("  |  ".join(parts))

    @on(LineTable.Highlighted)
    def _moved(self, event: LineTable.Highlighted) -> None:
        wid = event.table.id
        if wid == "sup-list":
            self._paint_list_detail()
        elif wid == "cand-table":
            self._paint_cand_detail()
        elif wid == "agenda":
            self._paint_agenda_detail()
        self._refresh_keys()

    def _refresh_keys(self) -> None:
        """Redraw the footer only when a key's availability changed: the footer is rebuilt
        on every refresh (tens of ms of CSS work), and the cursor moves often."""
        state = (self.view, self.table().current is not None)
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    # -- views ----------------------------------------------------------------------------------
    def action_view(self, view: str) -> None:
        if view not in VIEWS:
            return
        if not self.views_ready and view != "list":
            self._wanted_view = view  # shown as soon as the view is built
            return
        self._wanted_view = ""
        self.view = view
        for v in VIEWS:
            if v != "list" or self.views_ready:
                self.query_one(f"#view-{v}").display = v == view
        self.table(view).focus()
        self._paint_tabs()
        self._paint_status()
        self._refresh_keys()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        view_of = {"progress": "list", "end": "list", "export_list": "list",
                   "sponsor": "candidates", "merge": "candidates",
                   "outcome": "meeting", "export_agenda": "meeting"}
        if action in view_of:
            if view_of[action] != self.view:
                return False
            if action in ("progress", "end", "outcome", "sponsor", "merge"):
                if not self.views_ready and self.view != "list":
                    return None
                return True if self.table().current is not None else None
        return True

    # -- opening an order -------------------------------------------------------------------------
    @on(LineTable.Selected)
    def _open(self, event: LineTable.Selected) -> None:
        data = event.line.data
        if isinstance(data, CandRef):
            if not data.order_no:
                return
            self._open_order_no(data.order_no)
        elif data is not None:
            self._open_order_id(data.order_id)

    def _open_order_id(self, order_id: int) -> None:
        from hotline_tui.tui.views.order_detail import OrderDetailScreen

        def back(changed: bool | None) -> None:
            if changed:
                self.reload_all(candidates=False)

        self.app.push_screen(OrderDetailScreen(order_id), back)

    def _open_order_no(self, order_no: str) -> None:
        engine = self.engine

        def work() -> int:
            from hotline_tui.services.triage import load_order
            from hotline_tui.store.engine import session

            with session(engine) as s:
                return int(load_order(s, order_no).id)

        self.run_db(work, self._open_order_id)

    # -- the key-supervision list -------------------------------------------------------------------
    def _current_row(self) -> Any:
        line = self.table("list").current
        return line.data if line is not None else None

    def action_progress(self) -> None:
        from hotline_tui.tui.modals.sponsor_forms import ProgressForm

        row = self._current_row()
        if row is None:
            return

        def back(entry: Any) -> None:
            if entry is not None:
                self.app.notify(t("sup.progress.done", order_no=row.order_no))
                self.load_list()

        self.app.push_screen(ProgressForm(row), back)

    def action_end(self) -> None:
        from hotline_tui.tui.modals.sponsor_forms import EndSponsorForm

        row = self._current_row()
        if row is None:
            return

        def back(order_no: str | None) -> None:
            if order_no:
                self.app.notify(t("sup.end.done", order_no=order_no))
                self.load_list()
                self.load_candidates()

        self.app.push_screen(EndSponsorForm(row), back)

    def action_export_list(self) -> None:
        self._export("list")

    def action_export_agenda(self) -> None:
        self._export("agenda")

    def _export(self, what: str) -> None:
        """Path prompt (a new .docx; overwriting asks twice), then the document written in
        a worker; the path or the one sentence as a notification."""
        from hotline_tui.services import clock
        from hotline_tui.tui.modals.prompt import PathPrompt

        engine = self.engine
        stamp = clock.now().strftime("%Y%m%d")
        name = t(f"sup.export.{what}_name", stamp=stamp)

        def write(path: str) -> Any:
            from hotline_tui.services import queue_docs

            if what == "list":
                return queue_docs.write_supervision_docx(engine, path)
            return queue_docs.write_agenda_docx(engine, path)

        def written(out: Any) -> None:
            self.app.notify(t(f"sup.export.{what}_done", path=out), timeout=10)

        def chosen(path: str | None) -> None:
            if path:
                self.app.notify(t("sup.export.writing", path=path), timeout=3)
                self.run_db(lambda: write(path), written)

        self.app.push_screen(
            PathPrompt(t(f"sup.export.{what}_title"), t("sup.export.label"),
                       str(default_dir() / name), must_exist=False, suffix=".docx"),
            chosen,
        )

    # -- candidates ---------------------------------------------------------------------------------
    def _current_ref(self) -> CandRef | None:
        line = self.table("candidates").current
        return line.data if line is not None else None

    def action_sponsor(self) -> None:
        from hotline_tui.tui.modals.sponsor_forms import SponsorForm

        ref = self._current_ref()
        if ref is None or not ref.order_no:
            self.app.notify(t("sup.not_an_order"), severity="warning", timeout=5)
            return
        current = next((r for r in self.rows if r.order_no == ref.order_no), None)
        leaders = {r.leader_name: r.leader_title for r in self.rows}
        title = ref.row.title if ref.row is not None else ""

        def back(info: Any) -> None:
            if info is not None:
                self.app.notify(t("sup.sponsor.done", order_no=info.order_no,
                                  leader=f"{info.leader_name} {info.leader_title}".strip(),
                                  days=info.cadence_days, due=f"{info.report_due_on:%m-%d}"))
                self.load_list()
                self.load_candidates()

        self.app.push_screen(SponsorForm(
            ref.order_no, title, cadence=self.cadence,
            current=f"{current.leader_name} {current.leader_title}".strip() if current else "",
            leaders=leaders), back)

    def action_merge(self) -> None:
        from hotline_tui.tui.modals.merge_form import MergeForm

        ref = self._current_ref()
        if ref is None or ref.group is None:
            self.app.notify(t("sup.not_a_group"), severity="warning", timeout=5)
            return
        group = ref.group
        if sum(1 for o in group.orders if o.status not in ("closed", "merged")) < 2:
            self.app.notify(t("sup.group_nothing_to_merge"), severity="warning", timeout=5)
            return

        def back(result: Any) -> None:
            if result is not None:
                self.app.notify(t("sup.merge.done", orders="、".join(result.merged),
                                  main=result.main_no))
                self.reload_all()

        self.app.push_screen(MergeForm(group, why_text(group)), back)

    # -- the joint meeting ------------------------------------------------------------------------------
    def action_add_meeting(self) -> None:
        from hotline_tui.tui.modals.meeting_forms import MeetingAddForm

        order_no, unit = "", ""
        if self.view == "candidates":
            ref = self._current_ref()
            if ref is not None and ref.order_no:
                order_no, unit = ref.order_no, ref.unit_name
        elif self.view == "list":
            row = self._current_row()
            if row is not None:
                order_no, unit = row.order_no, row.unit_name

        def back(item: Any) -> None:
            if item is not None:
                self.app.notify(t("sup.meeting.done", order_no=item.order_no))
                self.reload_all()

        self.app.push_screen(MeetingAddForm(order_no, unit), back)

    def action_outcome(self) -> None:
        from hotline_tui.tui.modals.meeting_forms import OutcomeForm

        line = self.table("meeting").current
        if line is None:
            return

        def back(out: Any) -> None:
            if out is not None:
                self.app.notify(t("sup.outcome.done", order_no=out.order_no,
                                  unit=out.lead_unit))
                self.reload_all()

        self.app.push_screen(OutcomeForm(line.data), back)


def _warm(engine: Any) -> None:
    from hotline_tui.services.sponsorship import supervision_list

    supervision_list(engine)


TOP_SCREEN = TopScreen(
    id="supervision", key="f9", title_key="screen.supervision", factory=SupervisionScreen,
    order=55, warm=_warm,
)
