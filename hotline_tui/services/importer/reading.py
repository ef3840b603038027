"""File -> rows: decide what a file is by its content, open .xlsx (openpyxl, read-only) or
decode a CSV (UTF-8 with BOM, UTF-8, GB18030) and yield (row number, values)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline_tui.errors import UserError

ZIP_MAGIC = b"PK\x03\x04"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls 97-2003, or a password-protected .xlsx
CSV_DELIMITERS = (",", "\t", ";")
SNIFF_ROWS = 30


@dataclass
class RawSheet:
    """One candidate table: a worksheet, or a CSV read with one delimiter."""

    label: str  # sheet name or delimiter, for messages
    rows: Iterator[tuple[int, list[Any]]]  # (row number as the spreadsheet shows it, values)
    size_hint: int | None  # number of rows, exact for CSV, as declared for .xlsx


def _unreadable(path: Path, key: str = "import.corrupt", **extra: object) -> UserError:
    return UserError(key, file=path.name, **extra)


def read_bytes(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise UserError("import.missing", file=str(path)) from exc
    except IsADirectoryError as exc:
        raise UserError("import.is_dir", file=str(path)) from exc
    except OSError as exc:
        raise UserError("import.cannot_read", file=str(path), reason=exc.strerror) from exc
    if not data.strip():
        raise _unreadable(path, "import.empty")
    return data


def file_kind(path: Path, data: bytes) -> str:
    """'xlsx' or 'csv', from the content first and the extension second."""
    ext = path.suffix.lower()
    if data.startswith(ZIP_MAGIC):
        return "xlsx"
    if data.startswith(OLE2_MAGIC):
        raise _unreadable(path, "import.old_xls")
    if ext in (".xlsx", ".xlsm", ".xltx", ".xltm"):
        head = data[:2048].lstrip().lower()
        if head.startswith((b"<", b"\xef\xbb\xbf<")) and b"<table" in data[:65536].lower():
            raise _unreadable(path, "import.html")
        raise _unreadable(path)
    return "csv"


@contextmanager
def open_sheets(path: Path) -> Iterator[list[RawSheet]]:
    """The candidate tables of a file; the workbook stays open inside the `with`."""
    path = Path(path)
    data = read_bytes(path)
    if file_kind(path, data) == "xlsx":
        with _xlsx_sheets(path, data) as sheets:
            yield sheets
    else:
        yield _csv_sheets(path, data)


# ---------------------------------------------------------------- xlsx


@contextmanager
def _xlsx_sheets(path: Path, data: bytes) -> Iterator[list[RawSheet]]:
    import openpyxl  # lazy: ~80 ms

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - zip, XML and openpyxl errors all mean "corrupt"
        raise _unreadable(path) from exc
    try:
        sheets = []
        try:
            worksheets = [wb.active] + [ws for ws in wb.worksheets if ws is not wb.active]
        except Exception as exc:  # noqa: BLE001
            raise _unreadable(path) from exc
        for ws in worksheets:
            if ws is None or not hasattr(ws, "iter_rows"):
                continue  # a chart sheet
            try:
                hint = ws.max_row
            except Exception:  # noqa: BLE001 - a broken <dimension> only costs the estimate
                hint = None
            # Exporters often declare wrong dimensions; read-only mode would stop there.
            ws.reset_dimensions()
            sheets.append(RawSheet(str(ws.title), _xlsx_rows(path, ws), hint))
        yield sheets
    finally:
        try:
            wb.close()
        except Exception:  # noqa: BLE001 - closing a corrupt archive
            pass


def _xlsx_rows(path: Path, ws: Any) -> Iterator[tuple[int, list[Any]]]:
    it = ws.iter_rows(values_only=True)
    n = 0
    while True:
        try:
            values = next(it)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part (zip/XML)
            raise _unreadable(path) from exc
        n += 1
        yield n, list(values)


# ---------------------------------------------------------------- csv


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 with BOM, UTF-16 with BOM, UTF-8, then GB18030 (a superset of GBK); strictly."""
    if data.startswith(b"\xef\xbb\xbf"):
        encodings = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):  # Excel's "Unicode text"
        encodings = ["utf-16"]
    elif b"\x00" in data:
        raise _unreadable(path, "import.binary")
    else:
        encodings = ["utf-8", "gb18030"]
    for enc in encodings:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or _looks_binary(text):
            raise _unreadable(path, "import.binary")
        return text
    raise _unreadable(path, "import.bad_encoding")


def _looks_binary(text: str) -> bool:
    """Control characters other than tab/CR/LF in more than a trace of the text."""
    sample = text[:65536]
    bad = sum(1 for c in sample if ord(c) < 32 and c not in "\t\r\n\f")
    return bad > max(2, len(sample) // 1000)


def _csv_sheets(path: Path, data: bytes) -> list[RawSheet]:
    text = decode_text(path, data)
    head = text.lstrip()[:2048].lower()
    if head.startswith(("<html", "<!doctype", "<?xml", "<table")):
        raise _unreadable(path, "import.html")
    lines = text.count("\n") + 1
    return [
        RawSheet(repr(d), _csv_rows(path, text, d), lines) for d in _delimiter_order(text)
    ]


def _csv_rows(path: Path, text: str, delim: str) -> Iterator[tuple[int, list[Any]]]:
    csv.field_size_limit(1 << 24)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    n = 0
    while True:
        try:
            values = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise _unreadable(path) from exc
        n += 1
        yield n, values


def _delimiter_order(text: str) -> list[str]:
    """Delimiters most likely first: the one splitting the first rows into the most fields."""
    head = "\n".join(text[:200_000].splitlines()[:SNIFF_ROWS])
    widths = {}
    for d in CSV_DELIMITERS:
        try:
            widths[d] = max((len(r) for r in csv.reader(io.StringIO(head), delimiter=d)),
                            default=0)
        except csv.Error:
            widths[d] = 0
    return sorted(CSV_DELIMITERS, key=lambda d: -widths[d])
