"""Documents of the overdue queue: the written chase notice per unit (催办通知书, .docx and
.xlsx), the key-supervision list (重点督办事项, .docx) and the joint meeting's agenda
(联席会议议题, .docx). Like the dispatch sheets: files are written under temporary names,
the EXPORT history rows of every order on them go into one transaction, and the files are
moved into place just before the commit (removed again if it fails).

    write_chase_notices(engine, "out/", unit="黑龙河乡") -> {"黑龙河乡": [Path, Path]}
    write_supervision_docx(engine, "督办.docx") -> Path
    write_agenda_docx(engine, "议题.docx") -> Path
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.masking import caller_for_output
from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.queue_docs.notice import (
    ChaseNotice,
    NoticeRow,
    write_notice_docx,
    write_notice_xlsx,
)
from hotline_tui.services.sheets import _remove, _unique_path, check_formats, prepare_out_dir
from hotline_tui.services.sheets.layout import printable
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder

__all__ = ["ChaseNotice", "NoticeRow", "build_notices", "write_agenda_docx",
           "write_chase_notices", "write_supervision_docx"]

NOTICE_FORMATS = ("docx", "xlsx")


class _Staged:
    """Files written under temporary names, moved into place on `place()`."""

    def __init__(self) -> None:
        self.temps: list[Path] = []
        self.moves: list[tuple[Path, Path]] = []
        self.placed: list[Path] = []

    def write(self, fn: Callable[[Path], None], final: Path) -> None:
        tmp = final.parent / f".{final.name}.{uuid.uuid4().hex[:8]}.tmp"
        self.temps.append(tmp)
        fn(tmp)
        self.moves.append((tmp, final))

    def place(self) -> None:
        for tmp, final in self.moves:
            os.replace(tmp, final)
            self.placed.append(final)

    def undo(self) -> None:
        _remove(self.temps)
        _remove(self.placed)


def _record_exports(s: Session, orders: Sequence[WorkOrder], note_of: Callable[[WorkOrder], str],
                    actor: str | None, at: datetime) -> None:
    from hotline_tui.services.orders import record
    from hotline_tui.services.settings import clerk_name

    who = actor if actor is not None else clerk_name(s)
    for o in orders:
        record(s, o, Event.EXPORT, actor=who, at=at, note=note_of(o))


def _orders(s: Session, ids: Sequence[int]) -> dict[int, WorkOrder]:
    out: dict[int, WorkOrder] = {}
    ids = list(ids)
    for i in range(0, len(ids), 500):
        out.update((o.id, o) for o in s.execute(
            select(WorkOrder).where(WorkOrder.id.in_(ids[i : i + 500]))).scalars())
    return out


# ---- chase notices ---------------------------------------------------------------------------


def build_notices(s: Session, *, unit: str | int | None = None,
                  order_nos: Sequence[str] | None = None, overdue_only: bool = False,
                  unmask: bool = False, now: datetime | None = None) -> list[ChaseNotice]:
    """One notice per unit: the named running orders, or the unit's orders in the queue
    (overdue, due today, due inside the warning window; `overdue_only` for the first)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import calendar_for
    from hotline_tui.services.queue import _row, escalation_rules, queue_rows
    from hotline_tui.services.settings import get_setting
    from hotline_tui.services.triage import load_order
    from hotline_tui.services.units import resolve_unit
    from hotline_tui.store import queue_query as qq

    now = (now or clock.now()).replace(microsecond=0)
    conn = s.connection()
    unit_row = resolve_unit(s, unit, allow_retired=True) if unit not in (None, "") else None
    if order_nos:
        numbers = list(dict.fromkeys(n.strip() for n in order_nos if n and n.strip()))
        named = [load_order(s, no) for no in numbers]
        for o in named:
            if o.status not in ("dispatched", "signed", "rework") or o.due_at is None:
                raise UserError("notice.error.not_running", order_no=o.order_no,
                                status=t(f"status.{o.status}"))
            if unit_row is not None and o.unit_id != unit_row.id:
                raise UserError("notice.error.other_unit", order_no=o.order_no,
                                unit=unit_row.name)
        cal, rules = calendar_for(conn), escalation_rules(conn)
        details = qq.order_details(conn, [o.id for o in named])
        rows = [_row(details[o.id], cal, now, rules) for o in named]
    else:
        rows = queue_rows(conn, now=now, unit_id=unit_row.id if unit_row is not None else None)
    if overdue_only:
        rows = [r for r in rows if r.overdue]
    if not rows:
        raise UserError("notice.error.nothing", unit=unit_row.name if unit_row else "-")
    orders = _orders(s, [r.order_id for r in rows])
    office = printable(get_setting(s, "office_name") or "")
    title = t("notice.title", office=office)
    reply_by = calendar_for(conn).add_workdays(now.date(), 1)
    by_unit: dict[int, list[NoticeRow]] = {}
    names: dict[int, str] = {}
    for r in rows:
        o = orders[r.order_id]
        name, phone = caller_for_output(o.caller_name, o.caller_phone,
                                        confidential=bool(o.confidential), unmask=unmask)
        owner = " ".join(p for p in (r.owner_name, r.owner_phone) if p)
        by_unit.setdefault(r.unit_id or 0, []).append(NoticeRow(
            order_id=o.id, order_no=printable(o.order_no), title=printable(o.title),
            request_type=printable(o.request_type), received_at=o.received_at,
            dispatched_at=o.dispatched_at, due_at=r.due_at, overdue=r.overdue,
            late_text=r.late_text, owner=printable(owner), caller_name=printable(name),
            caller_phone=printable(phone), caller_masked=not (unmask and not o.confidential),
            confidential=bool(o.confidential), chase_count=r.chase_count,
        ))
        names[r.unit_id or 0] = printable(r.unit_name)
    notices = [ChaseNotice(title, office, uid, names[uid], now.date(), reply_by, tuple(rs))
               for uid, rs in by_unit.items()]
    return sorted(notices, key=lambda n: (n.unit_name, n.unit_id))


def write_chase_notices(
    engine: Engine,
    out_dir: str | os.PathLike[str],
    *,
    unit: str | int | None = None,
    order_nos: Sequence[str] | None = None,
    overdue_only: bool = False,
    formats: Sequence[str] = NOTICE_FORMATS,
    unmask: bool = False,
    log_chase: bool = False,
    actor: str | None = None,
    now: datetime | None = None,
) -> dict[str, list[Path]]:
    """Write the chase notice of `unit` (or of every unit in the queue, or of the units of
    the named orders) into `out_dir`, one file per format; returns the files by unit name.
    Every order on a notice gets an EXPORT history row (files, masking); with `log_chase`
    also a chase (method 书面催办单) in the same transaction. Files never overwrite."""
    from hotline_tui.i18n import t
    from hotline_tui.services.chase import chase_in_session

    fmts = check_formats(formats)
    out = prepare_out_dir(out_dir)
    now = (now or clock.now()).replace(microsecond=0)
    staged = _Staged()
    result: dict[str, list[Path]] = {}
    with session(engine) as s:
        try:
            from hotline_tui.services.dispatch import lock_for_write

            lock_for_write(s)
            notices = build_notices(s, unit=unit, order_nos=order_nos,
                                    overdue_only=overdue_only, unmask=unmask, now=now)
            folder = str(out.resolve())
            taken: set[Path] = set()
            ids = [r.order_id for n in notices for r in n.rows]
            orders = _orders(s, ids)
            for notice in notices:
                files = []
                for fmt in fmts:
                    final = _unique_path(out, notice.file_stem(), fmt, taken)
                    writer = write_notice_docx if fmt == "docx" else write_notice_xlsx
                    staged.write(lambda p, n=notice, w=writer: w(n, p), final)
                    files.append(final)
                result[notice.unit_name] = files
                names = ", ".join(f.name for f in files)
                masked = {r.order_id: r for r in notice.rows}

                def note(o: WorkOrder, names: str = names, masked: dict = masked) -> str:
                    r = masked[o.id]
                    how = t("dispatch.export.masked") if r.caller_masked else \
                        t("dispatch.export.unmasked")
                    if r.confidential and unmask:
                        how = t("dispatch.export.confidential_kept")
                    return t("notice.export.note", files=names, folder=folder, masking=how)

                unit_orders = [orders[r.order_id] for r in notice.rows]
                _record_exports(s, unit_orders, note, actor, now)
                if log_chase:
                    chase_in_session(s, unit_orders, method="notice", said=names,
                                     actor=actor, at=now)
            s.flush()
            staged.place()
            s.commit()
        except BaseException:
            s.rollback()
            staged.undo()
            raise
    return result


# ---- one-file documents ------------------------------------------------------------------------


def _target(path: str | os.PathLike[str]) -> Path:
    p = Path(path).expanduser()
    if p.suffix.lower() != ".docx":
        p = p.with_name(p.name + ".docx")
    if p.is_dir():
        raise UserError("notice.error.path_is_dir", path=p)
    prepare_out_dir(p.parent)
    return p


def _write_and_record(s, staged, write, target: Path, order_ids, note_key: str,  # noqa: ANN001
                      actor, now) -> None:  # noqa: ANN001
    """Write one document, add an export history row to each order it lists (one note naming
    the file), put the file in place and commit: the file and its history rows together."""
    from hotline_tui.i18n import t

    staged.write(write, target)
    orders = _orders(s, order_ids)
    note = t(note_key, file=target.name, folder=str(target.parent.resolve()))
    _record_exports(s, [orders[i] for i in order_ids if i in orders], lambda _o: note, actor,
                    now)
    s.flush()
    staged.place()
    s.commit()


def write_supervision_docx(engine: Engine, path: str | os.PathLike[str], *,
                           actor: str | None = None, now: datetime | None = None) -> Path:
    """The key-supervision list (重点督办事项) as .docx for the leaders' meeting; an EXPORT
    history row on every order on it. No caller data is printed."""
    from hotline_tui.i18n import t
    from hotline_tui.services.queue_docs import docx_common as dc
    from hotline_tui.services.settings import get_setting
    from hotline_tui.services.sheets.layout import fmt_date, fmt_dt
    from hotline_tui.services.sponsorship import supervision_list

    now = (now or clock.now()).replace(microsecond=0)
    target = _target(path)
    rows = supervision_list(engine, now=now)
    if not rows:
        raise UserError("supervision.error.empty")
    staged = _Staged()
    with session(engine) as s:
        try:
            office = printable(get_setting(s, "office_name") or "")
            doc_title = t("supervision.doc.title", office=office)

            def write(p: Path) -> None:
                doc = dc.new_document(landscape=True)
                dc.title(doc, doc_title)
                overdue = sum(1 for r in rows if r.report_overdue)
                dc.paragraph(doc, t("supervision.doc.summary", day=fmt_date(now.date()),
                                    count=len(rows), overdue=overdue), after=8)
                body = []
                for n, r in enumerate(rows, start=1):
                    state = t(f"status.{r.status}")
                    if r.overdue:
                        state += "\n" + t("supervision.doc.late", days=r.late_workdays)
                    last = t("supervision.doc.no_progress")
                    if r.last_progress_at:
                        last = f"{fmt_dt(r.last_progress_at)}\n{printable(r.last_progress)}"
                    report = fmt_date(r.report_due_on)
                    if r.report_overdue:
                        report += "\n" + t("supervision.doc.report_late", days=r.report_days_over)
                    body.append([
                        str(n), f"{printable(r.order_no)}\n{printable(r.title)}",
                        printable(r.unit_name),
                        f"{printable(r.leader_name)}\n{printable(r.leader_title)}",
                        t("supervision.doc.every", days=r.cadence_days) + "\n" +
                        t("supervision.doc.since", day=fmt_date(r.started_at.date())),
                        last, report, state,
                    ])
                heads = [t(f"supervision.col.{k}") for k in
                         ("no", "matter", "unit", "leader", "cadence", "last", "next", "state")]
                dc.table(doc, heads, (8, 52, 30, 26, 28, 60, 26, 22), body)
                dc.paragraph(doc, office, right=True, after=2)
                dc.paragraph(doc, fmt_date(now.date()), right=True)
                dc.page_footer(doc, "", t("dispatch.sheet.footer_docx"))
                dc.save(doc, p, doc_title)

            _write_and_record(s, staged, write, target, [r.order_id for r in rows],
                              "supervision.export.note", actor, now)
        except BaseException:
            s.rollback()
            staged.undo()
            raise
    return target


def write_agenda_docx(engine: Engine, path: str | os.PathLike[str], *,
                      meeting_date: date | None = None, actor: str | None = None,
                      now: datetime | None = None) -> Path:
    """The joint meeting's agenda (联席会议议题) as .docx: per matter the request, why it is on
    the agenda, the units concerned and the history so far; an EXPORT history row on every
    order on it. No caller data is printed."""
    from hotline_tui.i18n import t
    from hotline_tui.services.meeting import agenda
    from hotline_tui.services.queue_docs import docx_common as dc
    from hotline_tui.services.settings import get_setting
    from hotline_tui.services.sheets.layout import fmt_date, fmt_dt

    now = (now or clock.now()).replace(microsecond=0)
    target = _target(path)
    items = agenda(engine)
    if not items:
        raise UserError("meeting.error.agenda_empty")
    staged = _Staged()
    with session(engine) as s:
        try:
            office = printable(get_setting(s, "office_name") or "")
            doc_title = t("meeting.doc.title", office=office)

            def write(p: Path) -> None:
                doc = dc.new_document()
                dc.title(doc, doc_title)
                when = fmt_date(meeting_date) if meeting_date else t("meeting.doc.next")
                dc.paragraph(doc, t("meeting.doc.summary", when=when, count=len(items)),
                             after=10)
                for n, it in enumerate(items, start=1):
                    dc.paragraph(doc, t("meeting.doc.item", n=n, order_no=it.order_no,
                                        title=it.title), bold=True, size=12, after=3)
                    lines = [
                        t("meeting.doc.request", type=it.request_type,
                          received=fmt_dt(it.received_at),
                          place=" ".join(p for p in (it.area, it.address) if p) or "-"),
                        t("meeting.doc.content", content=(it.content[:400] or "-")),
                        t("meeting.doc.reason", reason=printable(it.reason) or "-"),
                        t("meeting.doc.units", units="、".join(it.units) or "-"),
                        t("meeting.doc.history"),
                    ]
                    for line in lines:
                        dc.paragraph(doc, line, after=2)
                    for h in it.history:
                        dc.paragraph(doc, f"    {fmt_dt(h.at)}  {printable(h.text)}", size=9,
                                     after=0)
                    dc.paragraph(doc, t("meeting.doc.decision"), after=12)
                dc.paragraph(doc, office, right=True, after=2)
                dc.paragraph(doc, fmt_date(now.date()), right=True)
                dc.page_footer(doc, "", t("dispatch.sheet.footer_docx"))
                dc.save(doc, p, doc_title)

            _write_and_record(s, staged, write, target, [it.order_id for it in items],
                              "meeting.export.note", actor, now)
        except BaseException:
            s.rollback()
            staged.undo()
            raise
    return target
