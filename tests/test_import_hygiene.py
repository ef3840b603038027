"""Layering: the domain imports neither Textual nor SQLModel; the CLI's --help stays light."""

import subprocess
import sys


def _modules_after(stmt: str) -> set[str]:
    code = f"import sys; {stmt}; print('\\n'.join(sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(out.stdout.split())


def test_domain_is_pure():
    mods = _modules_after(
        "import hotline_tui.domain, pkgutil, importlib; "
        "[importlib.import_module('hotline_tui.domain.'+m.name) "
        "for m in pkgutil.iter_modules(hotline_tui.domain.__path__)]"
    )
    assert "textual" not in mods
    assert "sqlmodel" not in mods
    assert "sqlalchemy" not in mods


def test_store_does_not_import_tui():
    mods = _modules_after(
        "import hotline_tui.store.models, hotline_tui.store.engine, hotline_tui.store.inbox_query"
    )
    assert not any(m.startswith("hotline_tui.tui") for m in mods)
    assert "textual" not in mods


def test_cli_help_does_not_import_textual():
    mods = _modules_after("import hotline_tui.cli")
    assert "textual" not in mods
