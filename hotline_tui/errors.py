"""Errors meant for the clerk: a message key and its values, translated when shown."""

from __future__ import annotations


class UserError(Exception):
    """Bad input or an impossible request. `str()` gives the sentence in the UI language."""

    def __init__(self, key: str, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def __str__(self) -> str:
        from hotline_tui.i18n import t

        return t(self.key, **self.params)
