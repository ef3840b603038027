"""Backups of the SQLite database file through SQLite's online backup API (safe while the
app is open), daily on the first start of a working day, rotating; restore with checks.

Backups and restore are SQLite-file features: a postgresql:// database is backed up with the
server's own tools (pg_dump), and these functions refuse it with one sentence."""

from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.engine import Engine, make_url

from hotline_tui.errors import UserError
from hotline_tui.services import clock

DEFAULT_KEEP = 10
SUFFIX = ".db"
_STAMP = "%Y%m%d-%H%M%S"
# the tables every hotline database has, whatever its schema revision
REQUIRED_TABLES = ("work_order", "order_history", "unit", "setting", "alembic_version")


@dataclass(frozen=True)
class BackupFile:
    path: Path
    taken_at: datetime
    size: int


@dataclass(frozen=True)
class RestoreResult:
    db_path: Path
    aside: Path | None  # the database that was replaced, kept under a new name
    revisions: tuple[str, ...]  # the schema revision(s) of the restored file
    migrated: bool  # the restored file was older and was brought to this program's schema


# ---- where ----------------------------------------------------------------------------------


def sqlite_path(engine_or_path: Engine | str | os.PathLike[str]) -> Path:
    """The database file behind an engine, a sqlite URL or a path; UserError for a server."""
    if isinstance(engine_or_path, Engine):
        url = engine_or_path.url
    else:
        s = str(engine_or_path)
        if "://" not in s:
            return Path(s).expanduser().resolve()
        url = make_url(s)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise UserError("backup.error.not_sqlite")
    return Path(url.database).expanduser().resolve()


def backup_settings(db_file: Path) -> tuple[str, int]:
    """(backup_dir, backup_keep) as set in the database; defaults when unset or unreadable."""
    folder, keep = "", DEFAULT_KEEP
    try:
        con = sqlite3.connect(f"{db_file.as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return folder, keep
    try:
        import json

        rows = dict(con.execute(
            "SELECT key, value FROM setting WHERE key IN ('backup_dir', 'backup_keep')"
        ).fetchall())
        folder = str(json.loads(rows.get("backup_dir", "null")) or "")
        raw = json.loads(rows.get("backup_keep", "null"))
        if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 1:
            keep = raw
    except (sqlite3.Error, ValueError, TypeError):
        pass
    finally:
        con.close()
    return folder, keep


def backup_dir(engine_or_path: Engine | str | os.PathLike[str]) -> Path:
    """The setting `backup_dir`, else `backups/` beside the database file."""
    db_file = sqlite_path(engine_or_path)
    folder, _ = backup_settings(db_file)
    return Path(folder).expanduser() if folder else db_file.parent / "backups"


def _pattern(db_file: Path) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(db_file.stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?{re.escape(SUFFIX)}$")


def list_backups(engine_or_path: Engine | str | os.PathLike[str],
                 folder: Path | None = None) -> list[BackupFile]:
    """The backups of this database in its backup folder, oldest first."""
    db_file = sqlite_path(engine_or_path)
    where = folder or backup_dir(db_file)
    pat = _pattern(db_file)
    found: list[tuple[datetime, int, BackupFile]] = []
    if not where.is_dir():
        return []
    for p in where.iterdir():
        m = pat.match(p.name)
        if m and p.is_file():
            at = datetime.strptime(m.group(1), _STAMP)
            found.append((at, int(m.group(2) or 1), BackupFile(p, at, p.stat().st_size)))
    found.sort(key=lambda x: (x[0], x[1]))
    return [x[2] for x in found]


# ---- backup ---------------------------------------------------------------------------------


def _private_folder(folder: Path) -> None:
    """Create the folder owner-only (backups hold callers' personal data)."""
    try:
        if not folder.exists():
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
    except OSError as exc:
        raise UserError("backup.error.cannot_write", path=folder,
                        reason=exc.strerror or exc) from exc
    if not folder.is_dir():
        raise UserError("backup.error.cannot_write", path=folder, reason="not a folder")


def _copy(src_file: Path, dst_file: Path, *, src_readonly: bool) -> None:
    """Copy a database page by page into a new single file (rollback journal, owner-only)."""
    part = dst_file.with_name(f".{dst_file.name}.part")
    part.unlink(missing_ok=True)
    fd = os.open(part, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    mode = "?mode=ro" if src_readonly else ""
    src = sqlite3.connect(f"{src_file.as_uri()}{mode}", uri=True, timeout=30)
    try:
        dst = sqlite3.connect(part)
        try:
            src.backup(dst)  # one step: a consistent snapshot; writers carry on (WAL)
            dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            dst.commit()
        finally:
            dst.close()
        os.replace(part, dst_file)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    finally:
        src.close()


def backup(engine_or_path: Engine | str | os.PathLike[str], to: Path | str | None = None) -> Path:
    """Copy the database to `<name>-YYYYMMDD-HHMMSS.db` in `to` (a folder, or a file name
    ending in .db), else in the backup folder, which then keeps the newest `backup_keep`."""
    db_file = sqlite_path(engine_or_path)
    if not db_file.is_file():
        raise UserError("backup.error.no_database", path=db_file)
    _, keep = backup_settings(db_file)
    target = Path(to).expanduser() if to is not None else None
    if target is not None and target.suffix.lower() == SUFFIX and not target.is_dir():
        folder, dst = target.parent, target
        if dst.resolve() == db_file:
            raise UserError("backup.error.same_file", path=dst)
    else:
        folder = target if target is not None else backup_dir(db_file)
        stamp = clock.now().strftime(_STAMP)
        dst = folder / f"{db_file.stem}-{stamp}{SUFFIX}"
        n = 2
        while dst.exists():
            dst = folder / f"{db_file.stem}-{stamp}-{n}{SUFFIX}"
            n += 1
    _private_folder(folder)
    try:
        _copy(db_file, dst, src_readonly=False)
    except sqlite3.DatabaseError as exc:
        raise UserError("backup.error.failed", path=db_file, reason=exc) from exc
    except OSError as exc:
        raise UserError("backup.error.cannot_write", path=dst,
                        reason=exc.strerror or exc) from exc
    if dst.parent == folder and _pattern(db_file).match(dst.name):
        rotate(db_file, keep, folder)
    return dst


def rotate(engine_or_path: Engine | str | os.PathLike[str], keep: int,
           folder: Path | None = None) -> list[Path]:
    """Delete all but the newest `keep` backups of this database; returns the deleted."""
    old = list_backups(engine_or_path, folder)[:-keep] if keep >= 1 else []
    removed = []
    for b in old:
        try:
            b.path.unlink()
            removed.append(b.path)
        except OSError:
            pass
    return removed


def _is_workday(engine: Engine, day: date) -> bool:
    try:
        from hotline_tui.services.calendar import calendar_for

        return calendar_for(engine).is_workday(day)
    except Exception:  # noqa: BLE001 - an unreadable calendar: count weekdays
        return day.weekday() < 5


def daily_backup_if_due(engine: Engine, today: date | None = None) -> Path | None:
    """On a working day with no backup taken yet today: take one (and rotate). None when
    not due, or for a database that is not a SQLite file."""
    if engine.url.get_backend_name() != "sqlite":
        return None
    day = today or clock.now().date()
    if not _is_workday(engine, day):
        return None
    if any(b.taken_at.date() == day for b in list_backups(engine)):
        return None
    return backup(engine)


# ---- restore --------------------------------------------------------------------------------


def known_revisions() -> dict[str, str | None]:
    """revision -> down_revision of every migration this program ships."""
    from alembic.script import ScriptDirectory

    from hotline_tui.store.migrate import _config

    script = ScriptDirectory.from_config(_config())
    return {r.revision: r.down_revision for r in script.walk_revisions()}  # type: ignore[misc]


def check_backup(path: str | os.PathLike[str]) -> tuple[str, ...]:
    """Open `path` read-only and check it is a sound hotline database this program can
    open; returns its schema revision(s). One UserError sentence otherwise."""
    p = Path(path).expanduser()
    if not p.is_file():
        raise UserError("backup.restore.missing", path=p)
    try:
        con = sqlite3.connect(f"{p.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error as exc:
        raise UserError("backup.restore.not_database", path=p) from exc
    try:
        try:
            result = [r[0] for r in con.execute("PRAGMA integrity_check").fetchall()]
            tables = {r[0] for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as exc:
            raise UserError("backup.restore.not_database", path=p) from exc
        if result != ["ok"]:
            raise UserError("backup.restore.damaged", path=p, detail=result[0])
        missing = [name for name in REQUIRED_TABLES if name not in tables]
        if missing:
            raise UserError("backup.restore.not_ours", path=p, tables=", ".join(missing))
        revs = tuple(sorted(r[0] for r in con.execute("SELECT version_num FROM alembic_version")))
    finally:
        con.close()
    if not revs:
        raise UserError("backup.restore.not_ours", path=p, tables="alembic_version")
    known = known_revisions()
    unknown = [r for r in revs if r not in known]
    if unknown:
        raise UserError("backup.restore.newer", path=p, revision=", ".join(unknown))
    return revs


def _take_over(db_file: Path) -> None:
    """Make sure nobody else has the database open: leaving WAL mode needs the only
    connection, and it folds the WAL into the file so the file alone is complete."""
    try:
        con = sqlite3.connect(db_file, timeout=2)
    except sqlite3.Error as exc:
        raise UserError("backup.restore.in_use", path=db_file) from exc
    try:
        mode = con.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise UserError("backup.restore.in_use", path=db_file) from exc
        mode = "delete"  # a damaged current database may be replaced: it is kept aside
    finally:
        con.close()
    if str(mode).lower() == "wal":
        raise UserError("backup.restore.in_use", path=db_file)


def restore(path: str | os.PathLike[str], db_path: str | os.PathLike[str]) -> RestoreResult:
    """Replace the database at `db_path` with the backup `path` after checking the backup;
    the current database is kept beside it as `<name>.before-restore-<stamp>.db`, and a
    backup from an older version is brought to this program's schema."""
    src = Path(path).expanduser().resolve()
    db_file = sqlite_path(db_path)
    if src == db_file:
        raise UserError("backup.error.same_file", path=src)
    revs = check_backup(src)
    if not db_file.parent.is_dir():
        raise UserError("backup.error.cannot_write", path=db_file.parent, reason="no folder")
    aside: Path | None = None
    part = db_file.with_name(f".{db_file.name}.restore")
    try:
        _copy(src, part, src_readonly=True)
    except (sqlite3.Error, OSError) as exc:
        raise UserError("backup.error.cannot_write", path=db_file, reason=exc) from exc
    try:
        if db_file.exists():
            _take_over(db_file)
            stamp = clock.now().strftime(_STAMP)
            aside = db_file.with_name(f"{db_file.stem}.before-restore-{stamp}{SUFFIX}")
            n = 2
            while aside.exists():
                aside = db_file.with_name(f"{db_file.stem}.before-restore-{stamp}-{n}{SUFFIX}")
                n += 1
            os.replace(db_file, aside)
            for extra in ("-wal", "-shm"):
                side = db_file.with_name(db_file.name + extra)
                if side.exists():
                    os.replace(side, aside.with_name(aside.name + extra))
        os.replace(part, db_file)
    except OSError as exc:
        part.unlink(missing_ok=True)
        if aside is not None and aside.exists() and not db_file.exists():
            os.replace(aside, db_file)
        raise UserError("backup.error.cannot_write", path=db_file,
                        reason=exc.strerror or exc) from exc
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    from hotline_tui.store.engine import DatabaseError, open_database
    from hotline_tui.store.migrate import file_heads

    migrated = set(revs) != file_heads()
    try:
        open_database(db_file).dispose()
    except DatabaseError as exc:
        if aside is not None:
            failed = db_file.with_name(f"{db_file.stem}.restore-failed{SUFFIX}")
            os.replace(db_file, failed)
            os.replace(aside, db_file)
        raise UserError("backup.restore.upgrade_failed", path=src, reason=exc) from exc
    return RestoreResult(db_file, aside, revs, migrated)
