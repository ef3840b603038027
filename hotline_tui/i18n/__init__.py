"""UI strings in one place: `t(key, **values)`; zh_CN by default, en on request.

Each area keeps its strings in a module `catalog_<area>.py` with two dicts, ZH and EN,
holding the same keys (a test checks it)."""

from __future__ import annotations

import importlib
import os
import pkgutil

_lang = os.environ.get("HOTLINE_LANG", "zh").lower()
_catalogs: dict[str, dict[str, str]] | None = None


def _load() -> dict[str, dict[str, str]]:
    global _catalogs
    if _catalogs is None:
        zh: dict[str, str] = {}
        en: dict[str, str] = {}
        for info in pkgutil.iter_modules(__path__):
            if info.name.startswith("catalog_"):
                mod = importlib.import_module(f"{__name__}.{info.name}")
                zh.update(mod.ZH)
                en.update(mod.EN)
        _catalogs = {"zh": zh, "en": en}
    return _catalogs


def set_lang(lang: str | None) -> None:
    global _lang
    if lang:
        _lang = "en" if lang.lower().startswith("en") else "zh"


def lang() -> str:
    return "en" if _lang.startswith("en") else "zh"


def t(key: str, **values: object) -> str:
    """The string for `key` in the current language, formatted with `values`."""
    cats = _load()
    text = cats[lang()].get(key) or cats["zh"].get(key) or key
    return text.format(**values) if values else text


def catalogs() -> dict[str, dict[str, str]]:
    return _load()
