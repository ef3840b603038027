"""`hotline migrate-to URL`: copy this database into a new one (e.g. a shared PostgreSQL)."""

from __future__ import annotations

from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db


@app.command("migrate-to")
def migrate_to_cmd(
    target: Annotated[str, typer.Argument(
        help="目标数据库：postgresql+psycopg://用户@服务器/库名，或新的 SQLite 文件路径")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """把当前数据库整体复制到新的数据库（如多人共用的 PostgreSQL）。Copy this database into a new one."""
    from hotline_tui.i18n import t
    from hotline_tui.services.migrate_to import copy_database

    source = open_db(db)
    try:
        report = copy_database(source, target)
    finally:
        source.dispose()
    if as_json:
        emit_json({"target": report.target, "rows": report.rows, "tables": report.tables})
        return
    echo(t("migrate_to.done", rows=report.rows, tables=len(report.tables), target=report.target))
