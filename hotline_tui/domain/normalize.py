"""Normalising messy spreadsheet values: full-width digits, phones, dates, spaces."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

_WS = re.compile(r"\s+")


def clean_text(value: object) -> str:
    """Strip, fold NFKC-compatible spaces, keep inner line breaks as single newlines."""
    if value is None:
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    s = s.replace("\xa0", " ")
    lines = [_WS.sub(" ", line).strip() for line in s.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def to_halfwidth(s: str) -> str:
    """Full-width ASCII (０-９ Ａ-Ｚ －) to half-width; other characters unchanged."""
    return "".join(
        chr(ord(c) - 0xFEE0) if 0xFF01 <= ord(c) <= 0xFF5E else (" " if c == "\u3000" else c)
        for c in s
    )


def clean_key(value: object) -> str:
    """An identifier such as an order number: half-width, no spaces at all."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = to_halfwidth(str(value))
    return re.sub(r"\s+", "", s).strip("'\"")


def clean_phone(value: object) -> str:
    """Phone numbers stored as numbers, with full-width digits, spaces or dashes."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = to_halfwidth(str(value)).strip().strip("'")
    if re.fullmatch(r"\d+\.0", s):
        s = s[:-2]
    # keep digits, +, - and the separators between several numbers
    s = re.sub(r"[\s]+", "", s)
    s = re.sub(r"[，,;；/、]+", ",", s)
    return s.strip(",")


_DATE_PATTERNS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y.%m.%d %H:%M:%S",
    "%Y.%m.%d %H:%M",
    "%Y.%m.%d",
    "%Y%m%d%H%M%S",
    "%Y%m%d %H:%M:%S",
    "%Y%m%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
]
_CN_DATE = re.compile(
    r"^(\d{4})年(\d{1,2})月(\d{1,2})日\s*(?:(\d{1,2})[时:点](?:(\d{1,2})分?)?(?::?(\d{1,2})秒?)?)?$"
)
_EXCEL_EPOCH = datetime(1899, 12, 30)


class BadDate(ValueError):
    """A value that is not a readable date or time."""


def parse_datetime(value: object) -> datetime | None:
    """Parse an Excel serial, a datetime, or text in the common Chinese formats.

    Empty gives None; anything unreadable raises BadDate.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.replace(tzinfo=None, microsecond=0)
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serial day number
            return (_EXCEL_EPOCH + timedelta(days=float(value))).replace(microsecond=0)
        raise BadDate(str(value))
    s = to_halfwidth(str(value)).strip()
    if not s:
        return None
    s = re.sub(r"\s+", " ", s)
    m = _CN_DATE.match(s)
    if m:
        y, mo, d, h, mi, se = (int(g) if g else 0 for g in m.groups())
        try:
            return datetime(y, mo, d, h, mi, se)
        except ValueError as exc:
            raise BadDate(s) from exc
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return parse_datetime(float(s))
    s2 = re.sub(r"\.\d+$", "", s)  # fractional seconds
    for pat in _DATE_PATTERNS:
        try:
            return datetime.strptime(s2, pat)
        except ValueError:
            continue
    # single-digit month/day/hour: 2026/1/5 8:03
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?", s2)
    if m:
        y, mo, d, h, mi, se = (int(g) if g else 0 for g in m.groups())
        try:
            return datetime(y, mo, d, h, mi, se)
        except ValueError as exc:
            raise BadDate(s) from exc
    raise BadDate(s)


def parse_bool(value: object) -> bool:
    """是/否, Y/N, 1/0, 保密/不保密 and the like."""
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    s = to_halfwidth(str(value)).strip().lower()
    return s in {"是", "y", "yes", "true", "1", "保密", "匿名", "√", "紧急", "特急", "加急"}


def normalize_nfkc(s: str) -> str:
    """NFKC fold for matching header names and search terms."""
    return unicodedata.normalize("NFKC", s)
