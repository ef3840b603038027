"""`hotline meeting add | agenda | outcome`: the joint meeting (联席会议) for orders with
unclear or shared responsibility."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.cmd_queue import parse_day_opt
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError

meeting_app = typer.Typer(
    help="联席会议：提交议题、导出议题、登记会议结果。The joint meeting.",
    rich_markup_mode=None,
)
app.add_typer(meeting_app, name="meeting")


@meeting_app.callback(invoke_without_command=True)
def _meeting_root(ctx: typer.Context) -> None:
    """Without a subcommand: the help text (exit 0)."""
    if ctx.invoked_subcommand is None:
        echo(ctx.get_help())


def _fmt(dt) -> str:  # noqa: ANN001
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


@meeting_app.command("add")
def add_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号 (Order number)", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="提请理由：职责不清或需多部门协同",
                                        show_default=False)],
    unit: Annotated[list[str] | None, typer.Option(
        "--unit", "-u", help="涉及单位，可多次 (Units concerned)")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """把工单提交下次联席会议。Put an order on the next meeting's agenda."""
    from hotline_tui.i18n import t
    from hotline_tui.services.meeting import add_to_meeting

    engine = open_db(db)
    item = add_to_meeting(engine, order_no, reason=reason, units=unit or [])
    if as_json:
        emit_json(item.as_json())
        return
    echo(t("meeting.cli.added", order_no=item.order_no, units="、".join(item.units) or "-"))


@meeting_app.command("agenda")
def agenda_cmd(
    docx: Annotated[Path | None, typer.Option("--docx", help="导出为 Word 文件")] = None,
    day: Annotated[str | None, typer.Option("--date", help="会议日期 (Meeting date)")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """下次联席会议的议题。The next meeting's agenda."""
    from hotline_tui.i18n import t
    from hotline_tui.services.meeting import agenda

    meeting_day = parse_day_opt(day)
    if docx is not None and as_json:
        raise UserError("supervision.error.cli_choice")
    engine = open_db(db)
    if docx is not None:
        from hotline_tui.services.queue_docs import write_agenda_docx

        path = write_agenda_docx(engine, docx, meeting_date=meeting_day)
        echo(t("meeting.cli.written", path=path))
        return
    items = agenda(engine)
    if as_json:
        emit_json({"items": [it.as_json() for it in items]})
        return
    if not items:
        echo(t("meeting.cli.empty"))
        return
    for n, it in enumerate(items, start=1):
        echo(t("meeting.doc.item", n=n, order_no=it.order_no, title=it.title))
        echo("  " + t("meeting.doc.reason", reason=it.reason or "-"))
        echo("  " + t("meeting.doc.units", units="、".join(it.units) or "-"))
        for h in it.history:
            echo(f"    {_fmt(h.at)}  {h.text}")


@meeting_app.command("outcome")
def outcome_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号 (Order number)", show_default=False)],
    unit: Annotated[str, typer.Option("--unit", "-u", help="主办单位 (Lead unit)",
                                      show_default=False)],
    assist: Annotated[list[str] | None, typer.Option(
        "--assist", "-a", help="协办单位，可多次 (Assisting units)")] = None,
    tier: Annotated[str | None, typer.Option(
        "--tier", "-t", help="办理时限档次：0/3/5/15 或名称 (Tier)")] = None,
    due: Annotated[str | None, typer.Option("--due", help="办结期限日期 (Deadline date)")] = None,
    note: Annotated[str, typer.Option("--note", help="会议意见 (Note)")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记会议结果：主办、协办、时限；工单回到待交办。Record the meeting's outcome."""
    from hotline_tui.i18n import t
    from hotline_tui.services.meeting import record_outcome

    due_day = parse_day_opt(due)
    if tier is not None and due_day is not None:
        raise UserError("meeting.error.tier_or_due")
    engine = open_db(db)
    res = record_outcome(engine, order_no, lead_unit=unit, assist=assist or [], tier=tier,
                         due_date=due_day, note=note)
    if as_json:
        emit_json({"order_no": res.order_no, "status": res.status, "lead_unit": res.lead_unit,
                   "assist": list(res.assist), "tier_days": res.tier_days,
                   "due_date": res.due_date, "at": res.at})
        return
    echo(t("meeting.cli.outcome", order_no=res.order_no, unit=res.lead_unit,
           assist="、".join(res.assist) or t("meeting.none"), days=res.tier_days))
