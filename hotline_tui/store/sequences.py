"""PostgreSQL id counters moved past rows written with explicit ids (a bulk copy, the demo's
portable load), so the next ordinary insert does not collide. SQLite needs nothing: its
rowid follows the largest id."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, text
from sqlalchemy.engine import Connection


def reset_sequences(conn: Connection, tables: Iterable[Table] | None = None) -> None:
    """Set each table's id sequence to max(id) + 1 (every SQLModel table by default)."""
    if conn.dialect.name != "postgresql":
        return
    if tables is None:
        from sqlmodel import SQLModel

        from hotline_tui.store import models  # noqa: F401 - every table in the metadata

        tables = SQLModel.metadata.sorted_tables
    for table in tables:
        pk = list(table.primary_key.columns)
        if len(pk) != 1 or not pk[0].autoincrement or pk[0].type.python_type is not int:
            continue
        seq = conn.execute(text("SELECT pg_get_serial_sequence(:t, :c)"),
                           {"t": table.name, "c": pk[0].name}).scalar()
        if seq:
            conn.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT max({pk[0].name}) "
                              f"FROM {table.name}), 0) + 1, false)"))
