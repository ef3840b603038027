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


# HOTLINE_TEST_PG=postgresql+psycopg://user@host:port runs the suite against PostgreSQL: each
# test gets a fresh database copied from a migrated template (tests/pg_support.py); tests of
# SQLite-only features (the file itself, raw sqlite3, FTS5 internals) are marked sqlite_only.
PG_BASE = os.environ.get("HOTLINE_TEST_PG", "").rstrip("/")


def pytest_collection_modifyitems(config, items):  # noqa: ANN001
    if not PG_BASE:
        return
    skip = pytest.mark.skip(reason="SQLite-only: the suite runs on PostgreSQL")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def db_path(tmp_path: Path):
    if PG_BASE:
        from pg_support import fresh_database

        url, drop = fresh_database(PG_BASE)
        yield url
        drop()
        return
    yield tmp_path / "hotline.db"


@pytest.fixture
def empty_db_path(tmp_path: Path):
    """Like db_path, but an empty database (no schema yet) on PostgreSQL too: for the tests
    that migrate step by step."""
    if PG_BASE:
        from pg_support import fresh_database

        url, drop = fresh_database(PG_BASE, migrated=False)
        yield url
        drop()
        return
    yield tmp_path / "hotline.db"


@pytest.fixture
def engine(db_path: Path):
    from hotline_tui.store.engine import open_database

    eng = open_database(db_path)
    yield eng
    eng.dispose()


os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
