"""Errors on screen: a UserError is its sentence; anything else is logged, never a traceback."""

from __future__ import annotations

import sys
import traceback
from datetime import datetime
from pathlib import Path

from hotline_tui.errors import UserError
from hotline_tui.i18n import t


def log_crash(exc: BaseException) -> Path:
    """Append the traceback of `exc` to crash.log in the data folder; return its path."""
    from hotline_tui import config

    path = config.data_dir() / "crash.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"--- {datetime.now().isoformat(timespec='seconds')} {sys.argv}\n")
            fh.write("".join(traceback.format_exception(exc)))
    except OSError:
        pass
    return path


def message_for(exc: BaseException) -> str:
    """The sentence the clerk sees for `exc` (unexpected errors are logged first)."""
    if isinstance(exc, UserError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        name = f" {exc.filename}" if exc.filename else ""
        return t("error.os", reason=exc.strerror, name=name)
    return t("error.internal", path=log_crash(exc))
