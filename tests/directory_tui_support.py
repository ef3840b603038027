"""Helpers for the tests of the directory screens (units, knowledge base, calendar)."""

from __future__ import annotations

from tui_support import settle

from hotline_tui.tui.app import HotlineApp


def make_app(engine) -> HotlineApp:  # noqa: ANN001
    return HotlineApp(engine=engine, db_label="t.db")


async def open_screen(pilot, key: str, name: str):  # noqa: ANN001, ANN201
    """Switch to a top-level screen with its key; the screen once its data is shown."""
    await settle(pilot)
    await pilot.press(key)
    await settle(pilot)
    assert type(pilot.app.screen).__name__ == name, type(pilot.app.screen).__name__
    return pilot.app.screen


async def press(pilot, *keys: str) -> None:  # noqa: ANN001
    """Press keys, then let the workers they start (database reads and writes) finish."""
    await pilot.press(*keys)
    await settle(pilot, rounds=2)


async def type_text(pilot, text: str) -> None:  # noqa: ANN001
    """Type characters one key at a time (Chinese included)."""
    await pilot.press(*[{" ": "space", "/": "slash", ":": "colon", ".": "full_stop",
                         "\n": "enter"}.get(c, c) for c in text])


def notes(app) -> list[str]:  # noqa: ANN001
    return [str(n.message) for n in app._notifications]  # noqa: SLF001


def row_texts(table) -> list[str]:  # noqa: ANN001
    """Each row of a RecordTable as its cells' text joined by '|'."""
    return ["|".join(str(c) for c in table.get_row(key)) for key in table.keys()]


def header_text(screen) -> str:  # noqa: ANN001
    return str(screen.query_one("#header").render())
