"""`hotline sponsor` / `progress` / `supervision` (包联督办 and the key-supervision list),
`hotline candidates` (who should be sponsored) and `hotline merge` (并单)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.cmd_queue import pad
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError


def _fmt(dt) -> str:  # noqa: ANN001
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


@app.command("sponsor")
def sponsor_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号 (Order number)", show_default=False)],
    leader: Annotated[str | None, typer.Option("--leader", help="包联领导姓名 (Leader)")] = None,
    title: Annotated[str, typer.Option("--title", help="职务，如 副县长 (Title)")] = "",
    cadence: Annotated[int | None, typer.Option(
        "--cadence", min=1, help="汇报周期 (天)，默认 7 (Report every N days)")] = None,
    note: Annotated[str, typer.Option("--note", help="备注 (Note)")] = "",
    end: Annotated[bool, typer.Option("--end", help="结束包联督办 (End the sponsorship)")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """包联督办：指定领导与汇报周期，或 --end 结束。Leader sponsorship of a matter."""
    from hotline_tui.i18n import t
    from hotline_tui.services.sponsorship import end_sponsorship, sponsor

    engine = open_db(db)
    if end:
        if leader:
            raise UserError("sponsor.error.cli_end_with_leader")
        end_sponsorship(engine, order_no, note)
        if as_json:
            emit_json({"order_no": order_no.strip(), "ended": True})
        else:
            echo(t("sponsor.cli.ended", order_no=order_no.strip()))
        return
    if not leader:
        raise UserError("sponsor.error.leader_required")
    info = sponsor(engine, order_no, leader=leader, title=title, cadence_days=cadence, note=note)
    if as_json:
        emit_json({"order_no": info.order_no, "leader": info.leader_name,
                   "leader_title": info.leader_title, "cadence_days": info.cadence_days,
                   "started_at": info.started_at, "report_due_on": info.report_due_on})
        return
    echo(t("sponsor.cli.done", order_no=info.order_no, leader=info.leader_name,
           title=info.leader_title or "-", days=info.cadence_days,
           due=info.report_due_on.isoformat()))


@app.command("progress")
def progress_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号 (Order number)", show_default=False)],
    note: Annotated[str, typer.Option("--note", help="进展情况 (Progress)", show_default=False)],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记包联督办事项的进展汇报。Record a progress report of a sponsored matter."""
    from hotline_tui.i18n import t
    from hotline_tui.services.sponsorship import add_progress

    engine = open_db(db)
    entry = add_progress(engine, order_no, note)
    if as_json:
        emit_json({"order_no": order_no.strip(), "at": entry.at, "note": entry.note})
        return
    echo(t("sponsor.cli.progress", order_no=order_no.strip(), at=_fmt(entry.at)))


@app.command("supervision")
def supervision_cmd(
    docx: Annotated[Path | None, typer.Option(
        "--docx", help="导出为 Word 文件 (Export as .docx)")] = None,
    include_ended: Annotated[bool, typer.Option(
        "--all", help="包括已结束的包联督办 (Include ended ones)")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """重点督办事项清单。The key-supervision list."""
    from hotline_tui.i18n import t
    from hotline_tui.services.sponsorship import supervision_list

    if docx is not None and as_json:
        raise UserError("supervision.error.cli_choice")
    engine = open_db(db)
    if docx is not None:
        from hotline_tui.services.queue_docs import write_supervision_docx

        path = write_supervision_docx(engine, docx)
        echo(t("supervision.cli.written", path=path))
        return
    rows = supervision_list(engine, include_ended=include_ended)
    if as_json:
        emit_json({"rows": [r.as_json() for r in rows]})
        return
    if not rows:
        echo(t("supervision.cli.empty"))
        return
    heads = [(t("queue.col.order"), 16), (t("supervision.col.unit"), 18),
             (t("supervision.col.leader"), 16), (t("supervision.col.last"), 30),
             (t("supervision.col.next"), 12), (t("supervision.col.state"), 14)]
    echo(" ".join(pad(h, w) for h, w in heads).rstrip())
    for r in rows:
        last = f"{r.last_progress_at:%m-%d} {r.last_progress}" if r.last_progress_at else \
            t("supervision.doc.no_progress")
        nxt = r.report_due_on.isoformat()[5:] + (" " + t("supervision.cli.late")
                                                 if r.report_overdue else "")
        state = t(f"status.{r.status}")
        if r.ended_at:
            state += " " + t("supervision.cli.ended")
        cells = [r.order_no, r.unit_name, f"{r.leader_name} {r.leader_title}".strip(), last,
                 nxt, state]
        echo(" ".join(pad(v, w) for v, (_h, w) in zip(cells, heads, strict=True)).rstrip())


@app.command("candidates")
def candidates_cmd(
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="每类最多几项")] = 20,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """建议包联督办的工单：超期升级、多次催办、重复投诉。Sponsorship candidates."""
    from hotline_tui.i18n import t
    from hotline_tui.services.sponsor_candidates import sponsor_candidates

    engine = open_db(db)
    c = sponsor_candidates(engine, limit=limit)

    def one(o) -> dict:  # noqa: ANN001
        return {"order_no": o.order_no, "title": o.title, "status": o.status,
                "unit": o.unit_name, "owner": o.owner_name, "owner_phone": o.owner_phone,
                "due_at": o.due_at, "late_workdays": o.late_workdays,
                "chase_count": o.chase_count}

    if as_json:
        emit_json({
            "now": c.now, "escalated_total": c.escalated_total,
            "escalated": [one(o) for o in c.escalated],
            "much_chased": [one(o) for o in c.much_chased],
            "repeats": [{"reasons": list(g.reasons), "phones": list(g.phones),
                         "addresses": list(g.addresses), "open_count": g.open_count,
                         "orders": [{"order_no": o.order_no, "received_at": o.received_at,
                                     "status": o.status, "title": o.title, "unit": o.unit_name,
                                     "why": list(o.why), "sponsored": o.sponsored}
                                    for o in g.orders]} for g in c.repeats],
        })
        return
    echo(t("candidates.cli.escalated", days=c.escalate_workdays, total=c.escalated_total))
    for o in c.escalated:
        echo(t("candidates.cli.line", order_no=o.order_no, unit=o.unit_name,
               late=o.late_workdays, chases=o.chase_count, title=o.title))
    echo(t("candidates.cli.chased", n=c.chase_many, total=len(c.much_chased)))
    for o in c.much_chased:
        echo(t("candidates.cli.line", order_no=o.order_no, unit=o.unit_name,
               late=o.late_workdays, chases=o.chase_count, title=o.title))
    echo(t("candidates.cli.repeats", days=c.repeat_days, total=len(c.repeats)))
    for g in c.repeats:
        why = "、".join(t(f"candidates.why.{r}") for r in g.reasons)
        echo(t("candidates.cli.group", size=g.size, open=g.open_count, why=why))
        for o in g.orders:
            echo(t("candidates.cli.member", order_no=o.order_no, at=_fmt(o.received_at),
                   status=t(f"status.{o.status}"), title=o.title))


@app.command("merge")
def merge_cmd(
    main_no: Annotated[str, typer.Argument(help="主工单编号 (Main order)", show_default=False)],
    other_nos: Annotated[list[str], typer.Argument(help="并入主工单的工单编号 (Merged orders)",
                                                   show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="并单理由 (Reason)")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """并单：其余工单并入主工单，随主工单办结。Merge repeats into one order."""
    from hotline_tui.i18n import t
    from hotline_tui.services.merge import merge

    engine = open_db(db)
    res = merge(engine, main_no, other_nos, reason=reason)
    if as_json:
        emit_json({"main": res.main_no, "merged": res.merged, "repointed": res.repointed,
                   "sponsorship_moved": res.sponsorship_moved, "at": res.at})
        return
    echo(t("merge.cli.done", main=res.main_no, count=len(res.merged),
           orders="、".join(res.merged)))
    if res.repointed:
        echo(t("merge.cli.repointed", orders="、".join(res.repointed)))
