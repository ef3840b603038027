"""`hotline demo`: fill the demo database with the demo county and open the workbench."""

from __future__ import annotations

from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import JsonOpt, echo, emit_json
from hotline_tui.errors import UserError

DEFAULT_ORDERS = 20_000  # same as services.demo.DEFAULT_ORDERS (kept here: --help stays light)
DEFAULT_SEED = 12345


def demo_target(db: str | None) -> str:
    """--db of the command, else the root --db, else the demo file; never HOTLINE_DB or the
    clerk's default database."""
    from hotline_tui import config
    from hotline_tui.cli import common

    return db or getattr(common, "_root_db", None) or config.demo_db()


@app.command("demo")
def demo_cmd(
    orders: Annotated[int, typer.Option("--orders", min=0, help="生成的工单数量 / orders")] = DEFAULT_ORDERS,
    db: Annotated[str | None, typer.Option(
        "--db", help="演示数据库文件 (默认用户数据目录下的 demo.db) / demo database")] = None,
    no_open: Annotated[bool, typer.Option("--no-open", help="生成后不打开工作台")] = False,
    seed: Annotated[int, typer.Option("--seed", help="随机种子 / random seed")] = DEFAULT_SEED,
    as_json: JsonOpt = False,
) -> None:
    """生成演示数据 (西山县) 并打开工作台。Fill a demo database and open it.

    Refuses a database that holds real orders; replaces the demo data of a demo database."""
    from hotline_tui.i18n import t
    from hotline_tui.services import demo
    from hotline_tui.store.engine import DatabaseError

    target = demo_target(db)
    try:
        if as_json:
            result = demo.generate(target, orders, seed=seed)
        else:
            result = _with_progress(target, orders, seed)
    except DatabaseError as exc:
        raise UserError("error.db_open", reason=str(exc)) from exc
    if as_json:
        emit_json({
            "path": result.target, "orders": result.orders, "history": result.history,
            "units": result.units, "replaced": result.replaced,
            "seconds": round(result.seconds, 1),
        })
    else:
        if result.replaced:
            echo(t("demo.replaced", count=f"{result.replaced:,}"))
        echo(t("demo.done", path=result.target, orders=f"{result.orders:,}",
               history=f"{result.history:,}", units=result.units,
               seconds=f"{result.seconds:.1f}"))
    if not no_open and not as_json:
        from hotline_tui.cli.core import open_tui

        open_tui(target)


def _with_progress(target: str, orders: int, seed: int):  # noqa: ANN202 - a DemoResult
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    from hotline_tui.i18n import t
    from hotline_tui.services import demo

    tasks: dict[str, int] = {}
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        TimeElapsedColumn(), console=Console(stderr=True), transient=False,
    ) as bar:

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(t(f"demo.stage.{stage}"), total=total)
            bar.update(tasks[stage], completed=done, total=total)

        return demo.generate(target, orders, seed=seed, progress=progress)
