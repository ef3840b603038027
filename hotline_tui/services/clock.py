"""The office clock: local naive time, replaceable in tests."""

from __future__ import annotations

from datetime import datetime

_fixed: datetime | None = None


def now() -> datetime:
    """Local wall-clock time, to the second (what the office's forms show)."""
    return (_fixed or datetime.now()).replace(microsecond=0)


def set_fixed(at: datetime | None) -> None:
    """Freeze the clock (tests, benchmarks); None lets it run again."""
    global _fixed
    _fixed = at
