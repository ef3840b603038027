"""Moving the office's database to another one (`hotline migrate-to URL`): the SQLite file of a
one-clerk office into a shared PostgreSQL for a larger one, or into a new SQLite file.

    copy_database(source_engine, "postgresql+psycopg://clerk@server/hotline") -> CopyReport

The target is created and migrated to the same schema; it must hold no orders. Every table of
the schema is copied in batches (parents before children) in ONE transaction on the target,
so a failure leaves it as it was; then each counter (PostgreSQL sequence) is moved past the
highest copied id, and the row counts of both sides are compared. Search indexes are built by
the target itself (SQLite's triggers; PostgreSQL reads the tables directly).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, func, insert, select
from sqlalchemy.engine import Connection, Engine

from hotline_tui.errors import UserError
from hotline_tui.store.sequences import reset_sequences

BATCH = 5000


@dataclass(frozen=True)
class CopyReport:
    target: str
    tables: dict[str, int]  # table -> rows copied

    @property
    def rows(self) -> int:
        return sum(self.tables.values())


def _tables() -> list[Table]:
    from hotline_tui.store.models import SQLModel

    return list(SQLModel.metadata.sorted_tables)


def _count(conn: Connection, table: Table) -> int:
    return conn.execute(select(func.count()).select_from(table)).scalar_one()


def copy_database(source: Engine, target_url: str,
                  progress: Callable[[str, int], None] | None = None) -> CopyReport:
    """Copy every table of `source` into the database at `target_url` (see the module)."""
    from hotline_tui.store.engine import DatabaseError, db_url, open_database
    from hotline_tui.store.models import WorkOrder

    url = db_url(target_url)
    if url == str(source.url) or url == source.url.render_as_string(hide_password=False):
        raise UserError("migrate_to.same")
    try:
        target = open_database(target_url)
    except DatabaseError as exc:
        raise UserError("error.db_open", reason=str(exc)) from exc
    except Exception as exc:  # a server that is not there, a refused login
        raise UserError("migrate_to.cannot_open", reason=str(exc).splitlines()[0]) from exc
    tables = _tables()
    copied: dict[str, int] = {}
    try:
        with source.connect() as src, target.begin() as dst:
            if _count(dst, WorkOrder.__table__):
                raise UserError("migrate_to.not_empty")
            for table in tables:
                if table.name in ("setting",):  # the target's own defaults are replaced
                    dst.execute(table.delete())
                n = 0
                result = src.execution_options(stream_results=True).execute(select(table))
                while batch := result.fetchmany(BATCH):
                    dst.execute(insert(table), [dict(r._mapping) for r in batch])
                    n += len(batch)
                    if progress:
                        progress(table.name, n)
                copied[table.name] = n
            reset_sequences(dst, tables)
            for table in tables:
                if _count(dst, table) != copied[table.name]:
                    raise UserError("migrate_to.count_mismatch", table=table.name)
    finally:
        target.dispose()
    return CopyReport(target=target.url.render_as_string(hide_password=True), tables=copied)
