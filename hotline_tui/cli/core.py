"""Root options and the commands that open the TUI or set up a database."""

from __future__ import annotations

from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, echo, open_db, resolve_db, set_root_db


def _version(value: bool) -> None:
    if value:
        from hotline_tui import __version__

        typer.echo(f"hotline-tui {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def root(
    ctx: typer.Context,
    db: DbOpt = None,
    lang: Annotated[
        str | None, typer.Option("--lang", help="界面语言 zh / en (或 HOTLINE_LANG)")
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="显示版本")
    ] = False,
) -> None:
    """打开工作台 (不带子命令时)。Open the workbench when no command is given."""
    from hotline_tui.i18n import set_lang

    set_lang(lang)
    set_root_db(db)
    if ctx.invoked_subcommand is None:
        open_tui(resolve_db(db))


def open_tui(target: str) -> None:
    """Open the database and run the TUI on it (Textual imported only here)."""
    engine = open_db(target)
    from hotline_tui.tui.app import HotlineApp

    HotlineApp(engine=engine, db_label=target).run()


@app.command("init")
def init_cmd(db: DbOpt = None) -> None:
    """创建或升级数据库。Create or upgrade the database."""
    from hotline_tui.i18n import t

    open_db(db)
    echo(t("cli.init_done", path=resolve_db(db)))
