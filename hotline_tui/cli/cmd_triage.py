"""`hotline triage`, `hotline direct`, `hotline return`: triage, direct answers (直办) and
unit returns (退单) from the command line, through the same services as the screens."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db


def _result_json(r: Any) -> dict[str, Any]:
    return {
        "order_no": r.order_no,
        "event": r.event or None,
        "status": r.status,
        "unit_id": r.unit_id,
        "unit": r.unit_name,
        "assist": list(r.assists),
        "tier_days": r.tier_days,
        "tier": r.tier_name,
        "request_type": r.request_type,
        "urgent": r.urgent,
    }


def _show_suggestions(engine: Any, order_no: str, as_json: bool) -> None:
    from hotline_tui.i18n import t
    from hotline_tui.services.knowledge import suggest_answers
    from hotline_tui.services.repeats import repeat_hints
    from hotline_tui.services.triage import get_triage_item, suggest_unit

    item = get_triage_item(engine, order_no)
    units = suggest_unit(engine, item)
    repeats = repeat_hints(engine, item)
    answers = suggest_answers(engine, item)
    if as_json:
        emit_json({
            "order_no": item.order_no,
            "status": item.status,
            "units": [{"unit_id": s.unit.id, "unit": s.unit.name, "score": s.score,
                       "reason": s.reason} for s in units],
            "repeats": [{"order_no": h.order_no, "received_at": h.received_at,
                         "status": h.status, "why": list(h.why), "similarity": h.similarity}
                        for h in repeats],
            "answers": [{"id": a.answer.id, "topic": a.answer.topic, "score": a.score}
                        for a in answers],
        })
        return
    echo(t("triage.cli_order", order_no=item.order_no, status=t(f"status.{item.status}"),
           title=item.title or item.content[:40]))
    echo(t("triage.cli_units"))
    for s in units:
        echo(f"  {s.unit.name}  {s.score:.2f}  {s.reason}")
    if not units:
        echo("  -")
    echo(t("triage.cli_repeats"))
    for h in repeats:
        why = "、".join(t(f"repeat.why_{w}") for w in h.why)
        echo(f"  {h.order_no}  {h.received_at:%Y-%m-%d}  {t(f'status.{h.status}')}  {why}")
    if not repeats:
        echo("  -")
    echo(t("triage.cli_answers"))
    for a in answers:
        echo(f"  #{a.answer.id}  {a.answer.topic}")
    if not answers:
        echo("  -")


@app.command("triage")
def triage_cmd(
    order_nos: Annotated[list[str], typer.Argument(help="工单编号 (可多个：批量分拣)")],
    unit: Annotated[str | None, typer.Option("--unit", "-u",
                                             help="主办单位：名称、简称或拼音首字母")] = None,
    assist: Annotated[list[str] | None, typer.Option("--assist", "-a",
                                                     help="协办单位 (可重复)")] = None,
    no_assist: Annotated[bool, typer.Option("--no-assist", help="清除协办单位")] = False,
    tier: Annotated[str | None, typer.Option("--tier", "-t",
                                             help="办理时限：天数 (0 为当日) 或名称")] = None,
    request_type: Annotated[str | None, typer.Option("--type",
                                                     help="诉求类型 咨询 求助 投诉 举报 建议 表扬 其他")] = None,
    urgent: Annotated[bool | None, typer.Option("--urgent/--not-urgent", help="紧急")] = None,
    suggest: Annotated[bool, typer.Option("--suggest",
                                          help="只显示建议单位、重复件提示和知识库答案")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """分拣工单：主办/协办单位、时限、类型。Triage orders: unit, tier, type."""
    from hotline_tui.i18n import t
    from hotline_tui.services.triage import triage, triage_many

    engine = open_db(db)
    if suggest:
        for no in order_nos:
            _show_suggestions(engine, no, as_json)
        return
    assists: list[str] | None = [] if no_assist else (assist or None)
    if len(order_nos) == 1:
        results = [triage(engine, order_nos[0], unit, tier, request_type=request_type,
                          assist=assists, urgent=urgent)]
    else:
        results = triage_many(engine, order_nos, unit, tier, request_type=request_type,
                              assist=assists, urgent=urgent)
    if as_json:
        out = [_result_json(r) for r in results]
        emit_json(out[0] if len(out) == 1 else out)
        return
    for r in results:
        key = "triage.cli_done" if r.event else "triage.cli_unchanged"
        echo(t(key, order_no=r.order_no, unit=r.unit_name, tier=r.tier_name,
               type=r.request_type,
               assist=("、".join(r.assists) if r.assists else "-"),
               urgent=t("triage.cli_urgent") if r.urgent else ""))


@app.command("direct")
def direct_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号")],
    answer: Annotated[int, typer.Option("--answer", help="知识库答案编号 (hotline kb search)")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """直办：用知识库答案直接答复并办结。Close an order with a knowledge-base answer."""
    from hotline_tui.i18n import t
    from hotline_tui.services.knowledge import direct_answer

    engine = open_db(db)
    r = direct_answer(engine, order_no, answer)
    if as_json:
        emit_json({"order_no": r.order_no, "status": r.status, "answer_id": r.answer_id,
                   "topic": r.topic, "closed_at": r.closed_at})
        return
    echo(t("kb.cli_direct_done", order_no=r.order_no, id=r.answer_id, topic=r.topic))


@app.command("return")
def return_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号")],
    reason: Annotated[str, typer.Option("--reason", help="退单理由 (必填)")] = "",
    basis: Annotated[str, typer.Option("--basis", help="依据 (职责文件、条款等)")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """退单：承办单位认为不属于本单位职责，退回重新分拣。Record a unit's return."""
    from hotline_tui.i18n import t
    from hotline_tui.services.unit_return import return_order

    engine = open_db(db)
    r = return_order(engine, order_no, reason, basis)
    if as_json:
        emit_json({"order_no": r.order_no, "status": r.status, "unit_id": r.unit_id,
                   "unit": r.unit_name, "at": r.at, "reason": r.reason, "basis": r.basis})
        return
    echo(t("return.cli_done", order_no=r.order_no, unit=r.unit_name or "-"))
