"""Shared pieces of the CLI: the --db and --json options, opening the database, output."""

from __future__ import annotations

import json
import sys
import traceback
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from hotline_tui.errors import UserError

DbOpt = Annotated[
    str | None,
    typer.Option("--db", help="数据库文件或 postgresql:// 地址 (默认 HOTLINE_DB 或用户数据目录)"),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="输出 JSON (英文键名, ISO 8601 时间)")]

_root_db: str | None = None


def set_root_db(db: str | None) -> None:
    global _root_db
    _root_db = db


def resolve_db(db: str | None) -> str:
    from hotline_tui import config

    return db or _root_db or config.default_db()


def open_db(db: str | None):  # noqa: ANN201 - an Engine; kept lazy for start-up
    """Open (and migrate) the database named by --db / HOTLINE_DB / the default."""
    from hotline_tui.store.engine import DatabaseError, open_database

    target = resolve_db(db)
    try:
        return open_database(target)
    except DatabaseError as exc:
        raise UserError("error.db_open", reason=str(exc)) from exc


def _default(o: Any) -> Any:
    if isinstance(o, datetime):
        return o.isoformat(timespec="seconds")
    if isinstance(o, date):
        return o.isoformat()
    if isinstance(o, Path):
        return str(o)
    raise TypeError(type(o).__name__)


def emit_json(obj: Any) -> None:
    """Print JSON for scripts: UTF-8, ISO 8601 times."""
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, default=_default, indent=2) + "\n")


def echo(text: str) -> None:
    typer.echo(text)


def _log_crash() -> Path:
    from hotline_tui import config

    path = config.data_dir() / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat(timespec='seconds')} {sys.argv}\n")
            fh.write(traceback.format_exc())
    except OSError:
        pass
    return path


def run_guarded(app: typer.Typer) -> int:
    """Run the CLI; user errors are one sentence on stderr, crashes are logged, not shown."""
    from hotline_tui.i18n import t

    try:
        rc = app(standalone_mode=False)  # a typer.Exit(n) comes back here as n
        return rc if isinstance(rc, int) else 0
    except UserError as exc:
        typer.echo(t("error.prefix") + str(exc), err=True)
        return 1
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    except typer.Abort:
        return 130
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # noqa: BLE001 - the last line of defence
        # Typer bundles its own click: its usage errors carry show() and exit_code.
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()
            return exc.exit_code
        path = _log_crash()
        typer.echo(t("error.prefix") + t("error.internal", path=path), err=True)
        return 2
