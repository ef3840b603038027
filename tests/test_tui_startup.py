"""Start-up stays light: the app shows the inbox without importing the spreadsheet, Word or
pinyin libraries, or the screens that are only opened later."""

from __future__ import annotations

import subprocess
import sys

CODE = r"""
import asyncio, sys
from hotline_tui.store.engine import open_database
from hotline_tui.tui.app import HotlineApp

async def main():
    app = HotlineApp(engine=open_database(sys.argv[1]), db_label="x")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.2)
        await app.workers.wait_for_complete()
        assert app.screen.__class__.__name__ == "InboxScreen", app.screen
    print(" ".join(sorted(sys.modules)))

asyncio.run(main())
"""


def test_inbox_start_imports_nothing_heavy(engine, db_path):
    # `engine` created and migrated the file: opening it again needs no Alembic
    out = subprocess.run([sys.executable, "-c", CODE, str(db_path)], capture_output=True,
                         text=True, check=True, timeout=120)
    mods = set(out.stdout.split())
    for heavy in ("openpyxl", "docx", "pypinyin", "alembic",
                  "hotline_tui.services.export_inbox", "hotline_tui.tui.views.order_detail",
                  "hotline_tui.tui.views.manual_entry", "hotline_tui.services.importer"):
        assert heavy not in mods, heavy
