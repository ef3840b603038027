"""`hotline kb ...`: the knowledge base of approved answers from the command line."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db

kb_app = typer.Typer(help="知识库 (直办答复)。The knowledge base.", no_args_is_help=True,
                     rich_markup_mode=None)
app.add_typer(kb_app, name="kb")


def _answer_json(a: Any, score: float | None = None) -> dict[str, Any]:
    out = {"id": a.id, "topic": a.topic, "keywords": list(a.keywords), "answer": a.answer,
           "basis": a.basis, "active": a.active, "updated_at": a.updated_at}
    if score is not None:
        out["score"] = score
    return out


def _print(answers: list[Any], full: bool) -> None:
    from hotline_tui.i18n import t

    for a in answers:
        mark = "" if a.active else t("kb.retired_mark")
        echo(f"#{a.id}  {a.topic}{mark}  [{' '.join(a.keywords)}]")
        if full:
            echo("    " + a.answer.replace("\n", "\n    "))
            if a.basis:
                echo("    " + t("kb.history_basis", basis=a.basis))


@kb_app.command("list")
def list_cmd(
    all_: Annotated[bool, typer.Option("--all", help="包括已停用的答案")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出知识库答案。List the answers."""
    from hotline_tui.services.knowledge import list_answers

    answers = list_answers(open_db(db), include_retired=all_)
    if as_json:
        emit_json([_answer_json(a) for a in answers])
        return
    _print(answers, full=False)


@kb_app.command("search")
def search_cmd(
    words: Annotated[list[str], typer.Argument(help="关键词，如 社保卡 补办")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """搜索知识库。Search the answers."""
    from hotline_tui.i18n import t
    from hotline_tui.services.knowledge import search_answers

    hits = search_answers(open_db(db), " ".join(words))
    if as_json:
        emit_json([_answer_json(h.answer, h.score) for h in hits])
        return
    if not hits:
        echo(t("kb.cli_none"))
    _print([h.answer for h in hits], full=True)


@kb_app.command("add")
def add_cmd(
    topic: Annotated[str, typer.Argument(help="主题")],
    answer: Annotated[str, typer.Option("--answer", help="答复口径")],
    keywords: Annotated[str, typer.Option("--keywords", help="关键词，空格分隔")] = "",
    basis: Annotated[str, typer.Option("--basis", help="政策依据")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """新增知识库答案。Add an answer."""
    from hotline_tui.i18n import t
    from hotline_tui.services.knowledge import add_answer

    a = add_answer(open_db(db), topic, answer, keywords=keywords, basis=basis)
    if as_json:
        emit_json(_answer_json(a))
        return
    echo(t("kb.cli_added", id=a.id, topic=a.topic))


@kb_app.command("retire")
def retire_cmd(
    answer_id: Annotated[int, typer.Argument(help="答案编号")],
    undo: Annotated[bool, typer.Option("--undo", help="恢复启用")] = False,
    db: DbOpt = None,
) -> None:
    """停用知识库答案。Retire an answer."""
    from hotline_tui.i18n import t
    from hotline_tui.services.knowledge import retire_answer

    a = retire_answer(open_db(db), answer_id, retired=not undo)
    echo(t("kb.cli_restored" if undo else "kb.cli_retired", id=a.id, topic=a.topic))
