"""Where things live: the database, the demo database, the config folder; the UI language."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "hotline-tui"


def data_dir() -> Path:
    env = os.environ.get("HOTLINE_DATA_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def config_dir() -> Path:
    env = os.environ.get("HOTLINE_CONFIG_DIR")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False))


def _private_dir(p: Path) -> Path:
    p.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(p, 0o700)
    except OSError:
        pass
    return p


def default_db() -> str:
    """The clerk's database: --db, else HOTLINE_DB, else hotline.db in the user data folder."""
    env = os.environ.get("HOTLINE_DB")
    if env:
        return env
    return str(_private_dir(data_dir()) / "hotline.db")


def demo_db() -> str:
    """The demo database, never the clerk's."""
    return str(_private_dir(data_dir()) / "demo.db")


def keymap_file() -> Path:
    return config_dir() / "keymap.toml"


def aliases_file() -> Path:
    return config_dir() / "columns.toml"


def shipped_data(name: str) -> Path:
    """A file shipped in data/: from the source tree, or installed under hotline_tui/data."""
    here = Path(__file__).resolve().parent
    for base in (here / "data", here.parent / "data"):
        if (base / name).exists():
            return base / name
    return here / "data" / name
