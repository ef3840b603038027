"""`hotline backup [--to PATH]`, `hotline restore PATH [--yes]` and `hotline backups` (list,
set the folder and how many are kept). SQLite database files only (services/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db, resolve_db
from hotline_tui.errors import UserError


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


@app.command("backup")
def backup_cmd(
    to: Annotated[str | None, typer.Option(
        "--to", help="备份到此文件夹 (或 .db 文件名)；默认为备份文件夹 (Folder or .db file)",
        show_default=False)] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """备份数据库 (运行中也可备份)。Back up the database (safe while the app is open)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.backup import backup

    path = backup(resolve_db(db), Path(to) if to else None)
    size = path.stat().st_size
    if as_json:
        emit_json({"path": path, "size": size})
    else:
        echo(t("backup.done", path=path, size=_size(size)))


@app.command("restore")
def restore_cmd(
    path: Annotated[str, typer.Argument(help="备份文件 (Backup file)", show_default=False)],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="不再确认 (Do not ask)")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """从备份恢复数据库 (先检查备份，原数据库另存保留)。Restore the database from a backup."""
    from hotline_tui.i18n import t
    from hotline_tui.services.backup import check_backup, restore, sqlite_path

    target = sqlite_path(resolve_db(db))
    check_backup(path)  # a bad file is refused before anything is asked
    if not yes and not typer.confirm(t("backup.restore.confirm", path=path, db=target),
                                     default=False):
        raise UserError("backup.restore.cancelled")
    result = restore(path, target)
    if as_json:
        emit_json({"db": result.db_path, "restored_from": Path(path).resolve(),
                   "kept_aside": result.aside, "backup_revisions": list(result.revisions),
                   "migrated": result.migrated})
        return
    echo(t("backup.restore.done", path=path, db=result.db_path))
    if result.aside:
        echo(t("backup.restore.aside", aside=result.aside))
    if result.migrated:
        echo(t("backup.restore.migrated"))


@app.command("backups")
def backups_cmd(
    set_dir: Annotated[str | None, typer.Option(
        "--set-dir", help="设置备份文件夹 (\"\" 恢复默认: 数据库旁的 backups) (Set the folder)",
        show_default=False)] = None,
    set_keep: Annotated[int | None, typer.Option(
        "--set-keep", help="设置保留份数 (Set how many are kept)", show_default=False)] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出备份；可设置备份文件夹和保留份数。List backups; set their folder and how many."""
    from hotline_tui.i18n import t
    from hotline_tui.services.backup import backup_dir, backup_settings, list_backups, sqlite_path

    target = sqlite_path(resolve_db(db))
    if set_dir is not None or set_keep is not None:
        from hotline_tui.services.settings import set_setting
        from hotline_tui.store.engine import session

        if set_keep is not None and not 1 <= set_keep <= 1000:
            raise UserError("backup.error.bad_keep")
        engine = open_db(str(target))
        with session(engine) as s:
            if set_dir is not None:
                folder = str(Path(set_dir).expanduser().resolve()) if set_dir.strip() else ""
                set_setting(s, "backup_dir", folder)
            if set_keep is not None:
                set_setting(s, "backup_keep", set_keep)
            s.commit()
        engine.dispose()
        if set_dir is not None and not as_json:
            echo(t("backup.set.dir", folder=backup_dir(target)))
        if set_keep is not None and not as_json:
            echo(t("backup.set.keep", keep=set_keep))
    folder = backup_dir(target)
    keep = backup_settings(target)[1]
    found = list_backups(target)
    if as_json:
        emit_json({"folder": folder, "keep": keep, "backups": [
            {"path": b.path, "taken_at": b.taken_at, "size": b.size} for b in found]})
        return
    if not found:
        echo(t("backup.list.none", folder=folder))
        return
    echo(t("backup.list.head", folder=folder, keep=keep))
    for b in found:
        echo(t("backup.list.row", at=f"{b.taken_at:%Y-%m-%d %H:%M:%S}", size=_size(b.size),
               name=b.path.name))
