"""Shared fixtures: a fresh database file per test, an isolated data/config folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    base = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOTLINE_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("HOTLINE_CONFIG_DIR", str(base / "config"))
    monkeypatch.delenv("HOTLINE_DB", raising=False)
    monkeypatch.delenv("HOTLINE_LANG", raising=False)
    from hotline_tui import i18n

    i18n.set_lang("zh")
    yield


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "hotline.db"


@pytest.fixture
def engine(db_path: Path):
    from hotline_tui.store.engine import open_database

    eng = open_database(db_path)
    yield eng
    eng.dispose()


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
