"""The `hotline` command. Subcommand modules register themselves on `app`; the TUI is
imported only inside the command that opens it."""

from __future__ import annotations

import sys

from hotline_tui.cli import commands as _commands  # noqa: F401,E402

# Each module adds its commands to `app` when imported.
from hotline_tui.cli import core as _core  # noqa: F401,E402
from hotline_tui.cli.app import app


def main() -> None:
    """Entry point: one clear sentence and a non-zero exit instead of a traceback."""
    from hotline_tui.cli.common import run_guarded

    sys.exit(run_guarded(app))
