"""Replies and their review from the command line: `hotline reply`, `hotline replies import`,
`hotline review`, `hotline accept`, `hotline send-back`, `hotline callback`, `hotline upstream`.

`replies import` follows `hotline import`: exit 0 once the file was read (unmatched rows are
listed, --json has them all), 1 when it could not be read."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError

replies_app = typer.Typer(
    help="反馈：批量导入单位的反馈 (含回收的交办单)。Replies: bulk import.",
    rich_markup_mode=None,
)
app.add_typer(replies_app, name="replies")

MAX_LISTED = 200


@replies_app.callback(invoke_without_command=True)
def _replies_root(ctx: typer.Context) -> None:
    """Without a subcommand: the help text (exit 0)."""
    if ctx.invoked_subcommand is None:
        echo(ctx.get_help())


def _fmt(dt: datetime | None) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


def _verdict_word(verdict: str | None) -> str:
    from hotline_tui.i18n import t

    return t(f"replies_cli.verdict.{verdict or 'none'}")


@replies_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="反馈文件或回收的交办单 (.xlsx / .csv)",
                                         show_default=False)],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入反馈 (工单编号 + 回复内容 等列)。Import replies from a file or a returned sheet."""
    from hotline_tui.i18n import t
    from hotline_tui.services.replies import import_replies

    engine = open_db(db)
    try:
        res = import_replies(engine, file)
    finally:
        engine.dispose()
    if as_json:
        emit_json(res.to_json())
        return
    echo(t("replies_cli.import_done", file=file.name, taken=res.taken,
           unchanged=res.unchanged, unmatched=len(res.unmatched)))
    for u in res.unmatched[:MAX_LISTED]:
        echo(t("replies_cli.unmatched", row=u.row_no, order_no=u.order_no or "-",
               reason=u.reason_text))


@app.command("reply")
def reply_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号", show_default=False)],
    text: Annotated[str, typer.Option("--text", help="反馈内容", show_default=False)],
    contact_by: Annotated[str, typer.Option("--contact-by", help="联系来电人的人")] = "",
    contacted_at: Annotated[str, typer.Option("--contacted-at", help="联系时间")] = "",
    contact_method: Annotated[str, typer.Option("--contact-method",
                                                help="联系方式 (电话/上门/短信)")] = "",
    result: Annotated[str, typer.Option("--result", help="办理结果")] = "",
    policy: Annotated[str, typer.Option("--policy", help="政策依据")] = "",
    handler: Annotated[str, typer.Option("--handler", help="经办人")] = "",
    phone: Annotated[str, typer.Option("--phone", help="经办人电话")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """录入一条反馈，并立即复核评分。Take in one reply (reviewed at once)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.replies import take_reply

    engine = open_db(db)
    try:
        info = take_reply(engine, order_no, text=text, contact_by=contact_by,
                          contacted_at=contacted_at, contact_method=contact_method,
                          result=result, policy_basis=policy, handler=handler,
                          handler_phone=phone)
    finally:
        engine.dispose()
    verdict = "acceptable" if info.acceptable else "send_back"
    if as_json:
        emit_json({"order_no": info.order_no, "reply_id": info.reply_id,
                   "received_at": info.received_at, "verdict": verdict, "score": info.score,
                   "reasons": [{"code": c, "text": s}
                               for c, s in zip(info.reason_codes, info.reasons, strict=True)],
                   "copy_of": info.copy_of})
        return
    echo(t("replies_cli.taken", order_no=info.order_no, verdict=_verdict_word(verdict),
           score=info.score))
    for r in info.reasons:
        echo(t("replies_cli.reason_line", reason=r))


@app.command("review")
def review_cmd(
    limit: Annotated[int, typer.Option("--limit", min=1, max=10_000,
                                       help="最多列出几件")] = 50,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """待复核的反馈：结论、评分和理由。Replies waiting for the review, with the reasons."""
    from hotline_tui.i18n import t
    from hotline_tui.services.review import count_pending, pending_reviews, review_order

    engine = open_db(db)
    try:
        total = count_pending(engine)
        page = pending_reviews(engine, offset=0, limit=limit)
        items: list[dict[str, Any]] = []
        for p in page:
            view = review_order(engine, p.order_no)
            items.append({
                "order_no": p.order_no, "unit": p.unit_name, "title": p.title,
                "replied_at": p.replied_at, "rework_count": p.rework_count,
                "verdict": "acceptable" if view.acceptable else "send_back",
                "score": view.score,
                "reasons": [{"code": r.code, "text": s}
                            for r, s in zip(view.verdict.reasons, view.reasons, strict=True)],
                "copy_of": view.copy_of,
            })
    finally:
        engine.dispose()
    if as_json:
        emit_json({"pending": total, "items": items})
        return
    if not items:
        echo(t("replies_cli.pending_none"))
        return
    echo(t("replies_cli.pending_head", count=total))
    for it in items:
        echo(t("replies_cli.pending_line", order_no=it["order_no"],
               verdict=_verdict_word(it["verdict"]), score=it["score"], unit=it["unit"],
               title=it["title"]))
        for r in it["reasons"]:
            echo(t("replies_cli.reason_line", reason=r["text"]))


@app.command("accept")
def accept_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号", show_default=False)],
    note: Annotated[str, typer.Option("--note", help="说明")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """复核通过，办结。Accept the reply: the order closes (merged repeats with it)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.review import accept

    engine = open_db(db)
    try:
        res = accept(engine, order_no, note=note)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"order_no": res.order_no, "status": "closed", "closed_at": res.closed_at,
                   "merged_closed": list(res.merged_closed)})
        return
    echo(t("replies_cli.accepted", order_no=res.order_no))
    if res.merged_closed:
        echo(t("replies_cli.merged_closed", orders="、".join(res.merged_closed)))


@app.command("send-back")
def send_back_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号", show_default=False)],
    reason: Annotated[str | None, typer.Option(
        "--reason", help="退回理由 (默认：复核发现的问题)")] = None,
    days: Annotated[int | None, typer.Option(
        "--days", min=0, max=60, help="重办时限，工作日 (默认：原办理时限)")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """退回重办：新的反馈截止时间，首接负责人不变。Send the reply back for rework."""
    from hotline_tui.i18n import t
    from hotline_tui.services.review import review_order, send_back

    engine = open_db(db)
    try:
        text = (reason or "").strip()
        if not text:
            view = review_order(engine, order_no)
            text = view.send_back_text()
            if not text:
                raise UserError("replies_cli.no_reasons", order_no=view.order_no)
        res = send_back(engine, order_no, reason=text, workdays=days)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"order_no": res.order_no, "status": "rework", "new_due_at": res.new_due_at,
                   "rework_count": res.rework_count, "reason": text,
                   "warnings": list(res.warnings)})
        return
    echo(t("replies_cli.sent_back", order_no=res.order_no, n=res.rework_count,
           due=_fmt(res.new_due_at)))
    for w in res.warnings:
        echo(w)


@app.command("callback")
def callback_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号", show_default=False)],
    reached: Annotated[bool | None, typer.Option(
        "--reached/--not-reached", help="是否联系上来电人", show_default=False)] = None,
    solved: Annotated[bool | None, typer.Option(
        "--solved/--unsolved", help="问题是否解决", show_default=False)] = None,
    satisfaction: Annotated[str | None, typer.Option(
        "--satisfaction", help="满意 | 基本满意 | 不满意", show_default=False)] = None,
    remark: Annotated[str, typer.Option("--remark", help="备注")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """记录回访；不满意则重新办理。Record a callback; unsatisfied reopens the order."""
    from hotline_tui.i18n import t
    from hotline_tui.services.callback import record_callback

    if reached is None:
        reached = True
    engine = open_db(db)
    try:
        res = record_callback(engine, order_no, reached=reached, solved=solved,
                              satisfaction=satisfaction, remark=remark)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"order_no": res.order_no, "callback_id": res.callback_id,
                   "reopened": res.reopened, "new_due_at": res.new_due_at,
                   "rework_count": res.rework_count})
        return
    if res.reopened:
        echo(t("replies_cli.callback_reopened", order_no=res.order_no,
               due=_fmt(res.new_due_at)))
    else:
        echo(t("replies_cli.callback_done", order_no=res.order_no))


def _parse_day(value: str | None) -> datetime | None:
    from hotline_tui.domain.normalize import BadDate, parse_datetime

    if value is None or not value.strip():
        return None
    try:
        return parse_datetime(value)
    except BadDate:
        raise UserError("replies_cli.bad_date", value=value) from None


@app.command("upstream")
def upstream_cmd(
    order_nos: Annotated[list[str] | None, typer.Argument(
        help="工单编号 (打印回复内容；与 --xlsx 同用则只导出这些)", show_default=False)] = None,
    xlsx: Annotated[Path | None, typer.Option(
        "--xlsx", help="导出 .xlsx (工单编号 + 回复内容) 到此文件", show_default=False)] = None,
    since: Annotated[str | None, typer.Option(
        "--since", help="导出此日期以来复核通过的 (默认今天)", show_default=False)] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """报送上级平台的回复内容：打印一件，或导出 .xlsx。The accepted reply for upstream."""
    from hotline_tui.i18n import t
    from hotline_tui.services.review import export_upstream, upstream_text

    if xlsx is None and not order_nos:
        raise UserError("replies_cli.need_order_or_xlsx")
    when = _parse_day(since)
    engine = open_db(db)
    try:
        if xlsx is not None:
            n = export_upstream(engine, xlsx, order_nos or None, since=when)
            if as_json:
                emit_json({"file": str(xlsx) if n else None, "orders": n})
            else:
                echo(t("replies_cli.exported", n=n, path=xlsx) if n
                     else t("replies_cli.exported_none"))
            return
        texts = [(no, upstream_text(engine, no)) for no in order_nos or []]
    finally:
        engine.dispose()
    if as_json:
        emit_json([{"order_no": no, "text": body} for no, body in texts])
        return
    for i, (_no, body) in enumerate(texts):
        if i:
            echo("")
        echo(body)
