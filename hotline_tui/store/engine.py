"""Opening the database: URL resolution, SQLite pragmas, migrations on open."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine


class DatabaseError(RuntimeError):
    """The database cannot be opened or upgraded; the message is for the clerk."""


def db_url(target: str | os.PathLike[str]) -> str:
    """A file path becomes a sqlite URL; a URL (postgresql://...) is kept."""
    s = str(target)
    if s.startswith(("postgresql://", "postgres://")):  # the driver this package installs
        return "postgresql+psycopg://" + s.split("://", 1)[1]
    if "://" in s:
        return s
    return f"sqlite:///{Path(s).expanduser().resolve()}"


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # noqa: ANN001
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA cache_size=-16000")
    cur.close()
    from hotline_tui.store.search import register_functions

    register_functions(dbapi_conn)  # the search-index triggers call it (store/search.py)


def make_engine(target: str | os.PathLike[str]) -> Engine:
    """An engine for `target` with the office's pragmas; does not migrate."""
    url = db_url(target)
    if url.startswith("sqlite"):
        path = make_url(url).database
        if path and path != ":memory:":
            _prepare_sqlite_file(Path(path))
        engine = create_engine(url, connect_args={"check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _prepare_sqlite_file(path: Path) -> None:
    """Create the folder and an empty file with owner-only permissions on first use."""
    if path.exists():
        if path.is_dir():
            raise DatabaseError(f"{path} is a folder, not a database file")
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    except OSError as exc:
        raise DatabaseError(f"cannot create the database file {path}: {exc.strerror}") from exc


def open_database(target: str | os.PathLike[str]) -> Engine:
    """Open (creating and migrating as needed) and return the engine."""
    from hotline_tui.store.migrate import upgrade_if_needed

    engine = make_engine(target)
    upgrade_if_needed(engine)
    return engine


def session(engine: Engine) -> Session:
    """A session that keeps loaded values after commit (plain reads after the write)."""
    return Session(engine, expire_on_commit=False)
