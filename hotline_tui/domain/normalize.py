"""Normalising messy spreadsheet values: full-width digits, phones, dates, spaces."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, time, timedelta

_WS = re.compile(r"\s+")
_SCI = re.compile(r"\d(?:\.\d+)?[eE]\+?\d{1,2}")


def clean_text(value: object) -> str:
    """Strip, fold NFKC-compatible spaces, keep inner line breaks as single newlines."""
    if value is None:
        return ""
    if isinstance(value, str) and value.isprintable() and "  " not in value:
        return value.strip()  # fast path: no line breaks, odd spaces or control characters
    s = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\u3000", " ")
    s = s.replace("\xa0", " ")
    lines = [_WS.sub(" ", line).strip() for line in s.split("\n")]
    return "\n".join(line for line in lines if line).strip()


def to_halfwidth(s: str) -> str:
    """Full-width ASCII (０-９ Ａ-Ｚ －) to half-width; other characters unchanged."""
    if s.isascii():
        return s
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
    elif _SCI.fullmatch(s):  # 1.3812345678E+10: a number Excel wrote out in scientific form
        num = float(s)
        if num.is_integer() and abs(num) < 1e16:
            s = str(int(num))
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
_YMD_HMS = re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")


def _whole_second(dt: datetime) -> datetime:
    """To the nearest second (a float-made 09:02:59.999999 is 09:03:00)."""
    if dt.microsecond >= 500_000:
        dt += timedelta(seconds=1)
    return dt.replace(microsecond=0)


class BadDate(ValueError):
    """A value that is not a readable date or time."""


def parse_datetime(value: object) -> datetime | None:
    """Parse an Excel serial, a datetime, or text in the common Chinese formats.

    Empty gives None; anything unreadable raises BadDate.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return _whole_second(value.replace(tzinfo=None))
    if isinstance(value, date):
        return datetime.combine(value, time())
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and (
            19000101 <= value <= 29991231 or 19000101000000 <= value <= 29991231235959
        ):  # 20261102 or 20261102090300 stored as a number
            return parse_datetime(str(int(value)))
        if 1 <= value < 2958466:  # Excel serial day number
            # rounded: 46328.377083333 is 09:03:00, not 09:02:59.99997
            return _EXCEL_EPOCH + timedelta(seconds=round(float(value) * 86400))
        raise BadDate(str(value))
    s = to_halfwidth(str(value)).strip()
    if not s:
        return None
    s = re.sub(r"\s+", " ", s)
    s = _meridiem(s)
    m = _CN_DATE.match(s)
    if m:
        y, mo, d, h, mi, se = (int(g) if g else 0 for g in m.groups())
        try:
            return datetime(y, mo, d, h, mi, se)
        except ValueError as exc:
            raise BadDate(s) from exc
    if re.fullmatch(r"\d{5}(\.\d+)?", s):
        return parse_datetime(float(s))
    s2 = re.sub(r"(:\d{2})\.\d+$", r"\1", s)  # fractional seconds (not 2026.11.02)
    m = _YMD_HMS.fullmatch(s2)  # the common shapes, without strptime's cost
    if m:
        y, _sep, mo, d, h, mi, se = (int(g) if g and g.isdigit() else 0 for g in m.groups())
        try:
            return datetime(y, mo, d, h, mi, se)
        except ValueError as exc:
            raise BadDate(s) from exc
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


_MERIDIEM = re.compile(r"\s*(上午|下午|AM|PM|am|pm)\s*(\d{1,2})(:\d{1,2}(?::\d{1,2})?)")


def _meridiem(s: str) -> str:
    """'2026/11/2 下午 3:05:00' (Windows, Chinese locale) -> '2026/11/2 15:05:00'."""
    m = _MERIDIEM.search(s)
    if not m:
        return s
    hour = int(m.group(2))
    if m.group(1) in ("下午", "PM", "pm") and hour < 12:
        hour += 12
    elif m.group(1) in ("上午", "AM", "am") and hour == 12:
        hour = 0
    return s[: m.start()] + f" {hour}{m.group(3)}" + s[m.end():]


def clean_line(value: object) -> str:
    """Like clean_text, on one line: inner line breaks become single spaces."""
    return clean_text(value).replace("\n", " ")


_URGENT_WORDS = ("特急", "加急", "紧急", "急件")
_NOT_URGENT = re.compile(r"^(不|非|一般|普通|无)")


def is_urgent(text: str) -> bool:
    """紧急程度 text -> urgent flag: 紧急/特急/加急 yes; 不紧急/非紧急/一般/普通 no."""
    s = re.sub(r"\s+", "", text or "")
    if not s or _NOT_URGENT.match(s):
        return False
    return any(w in s for w in _URGENT_WORDS)


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
