"""Versioned schema migrations with Alembic, run on open only when the file is behind."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest revision shipped with this version of the app."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()  # one head once chained


def current_revisions(engine: Engine) -> set[str]:
    """The revisions the database says it is at (empty for a new file)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return set()
        return set(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


_REV = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*=\s*(.+)$", re.M)


def file_heads() -> set[str]:
    """Head revisions of the shipped migration files, read as text (no Alembic import)."""
    revs: set[str] = set()
    downs: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        src = path.read_text(encoding="utf-8")
        m = _REV.search(src)
        if not m:
            continue
        revs.add(m.group(1))
        d = _DOWN.search(src)
        if d:
            downs.update(re.findall(r"['\"]([^'\"]+)['\"]", d.group(1)))
    return revs - downs


def upgrade_if_needed(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op (and no Alembic import) when current."""
    from hotline_tui.store.engine import DatabaseError

    try:
        current = current_revisions(engine)
    except SADatabaseError as exc:
        if engine.dialect.name != "sqlite" and isinstance(exc, OperationalError):
            reason = " ".join(str(exc.orig).split())  # a server: no connection, no database
            raise DatabaseError(f"cannot connect to the database server ({reason})") from exc
        raise DatabaseError(f"this file is not a hotline database ({exc.orig})") from exc
    if current and current == file_heads():
        return
    if len(current) > 1:
        _collapse_old_branches(engine, current)
    upgrade(engine)


def _collapse_old_branches(engine: Engine, current: set[str]) -> None:
    """A database from the old layout (every migration branching off 0001) lists several
    revisions. When they are exactly the first revisions of today's single chain, they
    become one row (the newest of them) and the upgrade carries on from there; any other
    mix cannot be upgraded safely and is refused with one sentence."""
    from alembic.script import ScriptDirectory

    from hotline_tui.store.engine import DatabaseError

    script = ScriptDirectory.from_config(_config())
    chain = [r.revision for r in reversed(list(script.walk_revisions()))]  # base .. head
    if current <= set(chain):
        top = max(chain.index(r) for r in current)
        if set(chain[1:top + 1]) <= current:
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM alembic_version"))
                conn.execute(text("INSERT INTO alembic_version (version_num) VALUES (:v)"),
                             {"v": chain[top]})
            return
    raise DatabaseError(
        f"the database lists schema revisions {', '.join(sorted(current))} that cannot be "
        "combined into one upgrade (a development layout); restore a backup or start anew")


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    from hotline_tui.store.engine import DatabaseError

    cfg = _config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except SADatabaseError as exc:
        raise DatabaseError(f"the database could not be upgraded ({exc.orig})") from exc
