"""Column types shared by the tables: local wall-clock times stored naive.

Decision: the office works in one time zone (Asia/Shanghai) and deadlines are counted in
its working days, so every time is stored as naive local time. On SQLite it is TEXT
'YYYY-MM-DD HH:MM:SS' (sortable, readable by bare sqlite3); elsewhere a plain TIMESTAMP.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime
from sqlalchemy.dialects import sqlite

DB_TIME_FORMAT = "%Y-%m-%d %H:%M:%S"

LocalDateTime = DateTime(timezone=False).with_variant(
    sqlite.DATETIME(
        storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d",
        regexp=r"(\d+)-(\d+)-(\d+)(?:[ T](\d+):(\d+):(\d+)(?:\.\d+)?)?",
    ),
    "sqlite",
)


def to_db_text(dt: datetime | None) -> str | None:
    """The SQLite text of a local time, for raw sqlite3 writes (demo data, benchmarks)."""
    return None if dt is None else dt.strftime(DB_TIME_FORMAT)
