"""`hotline queue` (the overdue queue in the screen's order), `hotline chase` (催办),
`hotline chase-notice` (催办通知书 per unit) and `hotline extend` (延期 request, approve,
refuse). Errors are one sentence, exit 1."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError


def parse_day_opt(value: str | None) -> date | None:
    """A date typed on the command line (2026-11-30, 2026/11/30, 2026年11月30日)."""
    from hotline_tui.services.calendar import parse_day

    if value is None or not value.strip():
        return None
    try:
        return parse_day(value)
    except ValueError:
        raise UserError("queue.error.bad_date", value=value) from None


def pad(text: str, width: int) -> str:
    """`text` cut or padded to `width` terminal cells (Chinese counts 2)."""
    from rich.cells import cell_len, set_cell_size

    s = str(text or "").replace("\n", " ")
    return set_cell_size(s, width) if cell_len(s) != width else s


def _fmt(dt) -> str:  # noqa: ANN001
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


@app.command("queue")
def queue_cmd(
    group: Annotated[
        str | None,
        typer.Option("--group", "-g", help="分组：unit 按单位 / owner 按首接负责人 (Group by)"),
    ] = None,
    today: Annotated[
        bool, typer.Option("--today", help="只看今日应催办的工单 (Chase-today view)")
    ] = False,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=0, help="最多显示行数，0 为全部 (Rows, 0 = all)")
    ] = 0,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """超期催办队列：已超期 (最久在前)、今日到期、预警期内。The overdue queue, in screen order."""
    from hotline_tui.i18n import t
    from hotline_tui.services.queue import queue_page

    engine = open_db(db)
    g = group.strip().lower() if group else None
    page = queue_page(engine, view="today" if today else "all", group=g,
                      limit=limit or None)
    if as_json:
        emit_json({
            "now": page.now, "view": page.view, "group": page.group, "total": page.total,
            "counts": {"overdue": page.counts.overdue, "today": page.counts.today,
                       "soon": page.counts.soon},
            "groups": [{"key": x.key, "label": x.label, "phone": x.phone, "count": x.count,
                        "overdue": x.overdue} for x in page.groups],
            "rows": [{**r.as_json(), "group": r.group_key or None} for r in page.rows],
            "warnings": [page.warning] if page.warning else [],
        })
        return
    c = page.counts
    echo(t("queue.cli.summary", overdue=c.overdue, today=c.today, soon=c.soon,
           at=f"{page.now:%Y-%m-%d %H:%M}"))
    if page.view == "today":
        echo(t("queue.cli.today_total", count=page.total))
    if page.warning:
        echo(page.warning)
    if not page.rows:
        echo(t("queue.cli.empty"))
        return
    heads = [(t("queue.col.order"), 16), (t("queue.col.unit"), 18), (t("queue.col.owner"), 22),
             (t("queue.col.due"), 16), (t("queue.col.late"), 28), (t("queue.col.chases"), 6),
             (t("queue.col.next"), 10), (t("queue.col.flags"), 10)]
    echo(" ".join(pad(h, w) for h, w in heads).rstrip())
    starts = {x.start: x for x in page.groups}
    for i, r in enumerate(page.rows):
        grp = starts.get(page.offset + i)
        if grp is not None:
            echo(t("queue.cli.group", label=grp.label, phone=grp.phone, count=grp.count,
                   overdue=grp.overdue).rstrip())
        flags = []
        if r.sponsored:
            flags.append(t("queue.flag.sponsored"))
        if r.extension_pending:
            flags.append(t("queue.flag.extension"))
        owner = " ".join(p for p in (r.owner_name, r.owner_phone) if p) or t("queue.no_owner")
        chases = str(r.chase_count)
        nxt = r.next_chase_on.isoformat()[5:] + ("*" if r.next_chase_suggested else "")
        cells = [r.order_no, r.unit_name, owner, _fmt(r.due_at), r.late_text, chases, nxt,
                 " ".join(flags)]
        echo(" ".join(pad(v, w) for v, (_h, w) in zip(cells, heads, strict=True)).rstrip())
    if page.total > len(page.rows):
        echo(t("queue.cli.more", shown=len(page.rows), total=page.total))
    echo(t("queue.cli.legend"))


@app.command("chase")
def chase_cmd(
    order_nos: Annotated[list[str], typer.Argument(help="工单编号，可多个 (Order numbers)",
                                                   show_default=False)],
    method: Annotated[str, typer.Option(
        "--method", "-m", help="电话 / 短信 / 上门 / 书面催办单 (phone/sms/visit/notice)",
        show_default=False)],
    note: Annotated[str, typer.Option("--note", help="沟通内容 (What was said)",
                                      show_default=False)],
    whom: Annotated[str, typer.Option("--whom", help="催办对象，默认首接负责人 (Whom)")] = "",
    promised: Annotated[str | None, typer.Option(
        "--promised", help="对方承诺反馈日期 (Date promised)")] = None,
    next_day: Annotated[str | None, typer.Option(
        "--next", help="下次催办日期，不给则自动建议 (Next chase date)")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记催办 (可多件一起)。Log a chase of one or more orders."""
    from hotline_tui.i18n import t
    from hotline_tui.services.chase import chase, method_label

    promised_day = parse_day_opt(promised)
    nxt = parse_day_opt(next_day)
    engine = open_db(db)
    done = chase(engine, order_nos, method=method, whom=whom, said=note,
                 promised_date=promised_day, next_chase=nxt)
    if as_json:
        emit_json({"chased": [
            {"order_no": d.order_no, "at": d.at, "method": d.method, "whom": d.whom,
             "promised_on": d.promised_on, "next_chase_on": d.next_chase_on,
             "next_suggested": d.next_suggested, "chase_count": d.chase_count}
            for d in done]})
        return
    for d in done:
        echo(t("chase.cli.done", order_no=d.order_no, method=method_label(d.method),
               count=d.chase_count, next=d.next_chase_on.isoformat()))


@app.command("chase-notice")
def chase_notice_cmd(
    order_nos: Annotated[list[str] | None, typer.Argument(
        help="只列这些工单 (默认该单位在队列中的全部工单) (Only these orders)")] = None,
    unit: Annotated[str | None, typer.Option(
        "--unit", "-u", help="单位：名称、简称或拼音首字母 (Unit)")] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="保存的文件夹 (Folder)")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="docx | xlsx | both")] = "both",
    overdue_only: Annotated[bool, typer.Option(
        "--overdue-only", help="只列已超期的工单 (Overdue orders only)")] = False,
    unmask: Annotated[bool, typer.Option(
        "--unmask", help="显示来电人完整姓名电话 (保密工单除外) (Show caller data)")] = False,
    log_chase: Annotated[bool, typer.Option(
        "--log-chase", help="同时为每件工单登记一次书面催办 (Also log a written chase)")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """生成催办通知书 (每单位一份，.docx/.xlsx)。Write the chase notice of a unit."""
    from hotline_tui.i18n import t
    from hotline_tui.services.queue_docs import write_chase_notices

    if out is None:
        raise UserError("notice.error.out_missing")
    if not unit and not order_nos:
        raise UserError("notice.error.unit_missing")
    v = fmt.strip().lower()
    formats = ("docx", "xlsx") if v in ("both", "all", "") else tuple(v.split(","))
    engine = open_db(db)
    files = write_chase_notices(engine, out, unit=unit, order_nos=order_nos or None,
                                overdue_only=overdue_only, formats=formats, unmask=unmask,
                                log_chase=log_chase)
    if as_json:
        emit_json({"files": [p for ps in files.values() for p in ps],
                   "units": {u: ps for u, ps in files.items()}})
        return
    for name, paths in files.items():
        echo(t("notice.cli.unit", unit=name))
        for p in paths:
            echo(t("dispatch.cli.file_line", path=p))


@app.command("extend")
def extend_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号 (Order number)", show_default=False)],
    days: Annotated[int | None, typer.Option(
        "--days", min=1, help="申请延期的工作日数 (Working days asked)")] = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", help="延期理由；与 --refuse 同用时为不同意的理由 (Reason)")] = None,
    approve: Annotated[bool, typer.Option("--approve", help="同意待审批的延期申请")] = False,
    refuse: Annotated[bool, typer.Option("--refuse", help="不同意待审批的延期申请")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """延期：登记申请 (--days --reason)，或审批 (--approve / --refuse)。Extensions."""
    from hotline_tui.i18n import t
    from hotline_tui.services.extension import (
        approve_extension,
        refuse_extension,
        request_extension,
    )

    asking = days is not None
    if sum((asking, approve, refuse)) != 1:
        raise UserError("extension.error.cli_choice")
    engine = open_db(db)
    if asking:
        info = request_extension(engine, order_no, days=days, reason=reason or "")
    elif approve:
        info = approve_extension(engine, order_no, note=reason or "")
    else:
        info = refuse_extension(engine, order_no, note=reason or "")
    if as_json:
        emit_json({"order_no": info.order_no, "status": info.status, "days": info.days,
                   "reason": info.reason, "asked_at": info.asked_at,
                   "old_due_at": info.old_due_at, "new_due_at": info.new_due_at,
                   "decided_at": info.decided_at, "warnings": list(info.warnings)})
        return
    key = {"pending": "extension.cli.requested", "approved": "extension.cli.approved",
           "refused": "extension.cli.refused"}[info.status]
    echo(t(key, order_no=info.order_no, days=info.days, old=_fmt(info.old_due_at),
           new=_fmt(info.new_due_at)))
    for w in info.warnings:
        echo(t("dispatch.cli.warning", message=w))
