"""Spreadsheet formula injection (OWASP "CSV injection"): text from user data that a
spreadsheet would run as a formula is written as text, in every .xlsx and .csv export.

- `.csv`: `neutralise(value)` puts a `'` before such text (the value a reader sees starts
  with the apostrophe, as OWASP recommends; spreadsheets show the rest as text).
- `.xlsx`: `put(cell, value)` stores the text as a string cell (never a formula) marked
  `quotePrefix`, so the value itself is unchanged and Excel shows and edits it as text.
"""

from __future__ import annotations

# = + - @ start a formula; a tab or carriage return before them is skipped by some readers
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value: object) -> bool:
    """True for text a spreadsheet could read as a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_START)


def neutralise(value: object) -> object:
    """The value as it may go into a .csv cell: formula-like text gets a leading `'`;
    anything else (numbers, dates, ordinary text) is returned unchanged."""
    if is_formula_like(value):
        return "'" + value  # type: ignore[operator]
    return value


def put(cell, value: object) -> None:  # noqa: ANN001 - an openpyxl cell (or WriteOnlyCell)
    """Write `value` into an openpyxl cell; all text is stored as a string, never a formula,
    and formula-like text is marked with Excel's quote prefix."""
    cell.value = value
    if isinstance(value, str) and value:
        cell.data_type = "s"
        if value.startswith(FORMULA_START):
            cell.quotePrefix = True
