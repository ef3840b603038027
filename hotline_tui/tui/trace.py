"""Opt-in timing trace of the screens' slow paths, for measuring on a real database.

`HOTLINE_TRACE=/path/to/file hotline ...` appends one line per traced step to that file:
`<local time> <what> key=value ...` (milliseconds). Unset (the default), `log` returns at
once and nothing is written. Widgets also keep their last figures in memory (for example
`OrderList.last_timing`), which the benchmarks read without the file.
"""

from __future__ import annotations

import os
import threading
import time

_lock = threading.Lock()


def path() -> str | None:
    return os.environ.get("HOTLINE_TRACE") or None


def log(what: str, **fields: object) -> None:
    """Append one line to the trace file, if HOTLINE_TRACE names one."""
    target = path()
    if target is None:
        return
    parts = [time.strftime("%H:%M:%S"), what]
    for k, v in fields.items():
        parts.append(f"{k}={v:.1f}" if isinstance(v, float) else f"{k}={v!r}")
    line = " ".join(parts) + "\n"
    try:
        with _lock, open(target, "a", encoding="utf-8") as fh:
            fh.write(line)
    except OSError:
        pass  # a trace must never stop the app
