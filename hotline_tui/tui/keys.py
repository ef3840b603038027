"""Key bindings: descriptions in the UI language, and the user's keymap file.

Every `Binding` of the workbench has an `id` (e.g. "inbox.filter"), also given as its
placeholder description (Textual hides bindings without one from the footer);
the description is `t("key.<id>")`, filled in when the widget or screen is built so the
language chosen at start-up is used. The keymap file (config.keymap_file(), TOML) rebinds
any id through `App.set_keymap`:

    [keymap]
    "inbox.filter" = "ctrl+f"
    "list.down" = "j,down,ctrl+n"
"""

from __future__ import annotations

import dataclasses
import tomllib
from pathlib import Path

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from hotline_tui.i18n import t


def describe(binding: Binding) -> str:
    """The description of a binding in the UI language."""
    if binding.id:
        text = t(f"key.{binding.id}")
        if text != f"key.{binding.id}":
            return text
    return binding.description or binding.action


def localize_bindings(node: DOMNode) -> None:
    """Give the node's bindings their description in the current language.

    Textual builds a node's BindingsMap from the class's BINDINGS in DOMNode.__init__; call
    this right after super().__init__().
    """
    bindings: BindingsMap = node._bindings  # noqa: SLF001 - the map Textual reads keys from
    for key, items in list(bindings.key_to_bindings.items()):
        bindings.key_to_bindings[key] = [
            dataclasses.replace(b, description=describe(b)) if b.id else b for b in items
        ]


class Localized:
    """Mixin for widgets and screens: bindings described in the UI language."""

    def __init__(self, *args, **kwargs) -> None:  # noqa: ANN002, ANN003
        super().__init__(*args, **kwargs)
        localize_bindings(self)  # type: ignore[arg-type]


# The bindings every screen and dialog of the shell has (Textual's Screen ones, with ids and
# descriptions); classes that declare them use `inherit_bindings=False` so no untranslated,
# unrebindable key is left over.
SCREEN_BINDINGS: list[Binding] = [
    Binding("tab", "app.focus_next", "app.focus_next", show=False, id="app.focus_next"),
    Binding("shift+tab", "app.focus_previous", "app.focus_previous", show=False,
            id="app.focus_previous"),
    Binding("ctrl+c,super+c", "screen.copy_text", "app.copy", show=False, id="app.copy"),
]

# Key names shown instead of glyphs of ambiguous width (arrows, the return sign).
_KEY_WORDS = {"↑": "up", "↓": "down", "←": "left", "→": "right", "⏎": "enter"}


def key_display(text: str) -> str:
    """A key as shown in the footer and help, without ambiguous-width glyphs."""
    for glyph, word in _KEY_WORDS.items():
        text = text.replace(glyph, word)
    return text


class KeymapError(ValueError):
    """The keymap file cannot be used; str() is one sentence for the clerk."""


def load_keymap(path: Path) -> dict[str, str]:
    """Read `[keymap]` from the TOML file at `path`; {} when there is no file.

    Raises KeymapError (one translated sentence) for a file that cannot be used.
    """
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise KeymapError(t("keymap.unreadable", path=path, reason=exc)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise KeymapError(t("keymap.bad_toml", path=path, reason=exc)) from exc
    table = data.get("keymap", {})
    if not isinstance(table, dict):
        raise KeymapError(t("keymap.bad_table", path=path))
    keymap: dict[str, str] = {}
    for binding_id, keys in table.items():
        if isinstance(keys, list) and keys and all(isinstance(k, str) for k in keys):
            keys = ",".join(keys)
        if not isinstance(keys, str) or not keys.strip() or any(
            not k.strip() or k.strip().endswith("+") for k in keys.split(",")
        ):
            raise KeymapError(t("keymap.bad_keys", path=path, id=binding_id, keys=keys))
        keymap[str(binding_id)] = ",".join(k.strip() for k in keys.split(","))
    return keymap
