"""Imports every command module so that each registers its commands on `app`."""

import importlib
import pkgutil

import hotline_tui.cli as _pkg

for _info in pkgutil.iter_modules(_pkg.__path__):
    if _info.name.startswith("cmd_"):
        importlib.import_module(f"hotline_tui.cli.{_info.name}")
