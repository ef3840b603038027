"""Fresh PostgreSQL databases for the suite's PostgreSQL run (HOTLINE_TEST_PG).

One template database per xdist worker is migrated to head once; each test gets a copy
(`CREATE DATABASE ... TEMPLATE`, a file copy on the server) and drops it afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable

from sqlalchemy import create_engine, text

_templates: set[str] = set()

def _admin(base: str):  # noqa: ANN202
    return create_engine(f"{base}/postgres", isolation_level="AUTOCOMMIT")

def _template(base: str) -> str:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"hotline_tpl_{worker}_{os.getpid()}"
    if name in _templates:
        return name
    admin = _admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    from hotline_tui.store.engine import open_database

    eng = open_database(f"{base}/{name}")
    eng.dispose()
    _templates.add(name)
    return name

def fresh_database(base: str, *, migrated: bool = True) -> tuple[str, Callable[[], None]]:
    """(URL of a new database, migrated to head unless `migrated=False` (empty, for the
    migration tests), a function that drops it)."""
    template = _template(base) if migrated else "template1"
    name = f"hotline_t_{uuid.uuid4().hex[:12]}"
    admin = _admin(base)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))

    def drop() -> None:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return f"{base}/{name}", drop
