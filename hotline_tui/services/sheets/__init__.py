"""Dispatch sheets (交办单): one file per unit and format, written safely into a folder, and
recorded in the history of every order on them (what left the office, masked or not).

    write_sheets(engine, ["A1", "A2"] | date(2026, 11, 6), "out/") -> [Path, ...]
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from hotline_tui.domain.states import Event, Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.orders import record
from hotline_tui.services.settings import clerk_name
from hotline_tui.services.sheets.layout import (
    FORMATS,
    SheetOrder,
    UnitSheet,
    build_sheets,
    safe_filename,
)
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder

__all__ = [
    "FORMATS", "SheetOrder", "UnitSheet", "build_sheets", "check_formats", "default_sheets_dir",
    "prepare_out_dir",
    "safe_filename", "sheet_orders", "write_sheets", "write_sheets_by_unit",
]

# States in which an order has been dispatched (and so has a sheet to print).
_NOT_DISPATCHED = {Status.NEW.value, Status.TRIAGED.value}


def check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    out = tuple(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats))
    bad = [f for f in out if f not in FORMATS]
    if bad or not out:
        raise UserError("dispatch.error.bad_format", format=", ".join(bad) or "-",
                        choices=", ".join(FORMATS))
    return out


def prepare_out_dir(out_dir: str | os.PathLike[str]) -> Path:
    """The output folder, created if needed and checked for writing (UserError if not)."""
    out = Path(out_dir).expanduser()
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / f".hotline-write-test-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise UserError("dispatch.error.out_dir", path=out, reason=exc.strerror or str(exc)) from exc
    return out


def default_sheets_dir(db: Session | Engine) -> Path:
    """Where the TUI puts sheets unless told otherwise: the setting `sheets_dir`, else a
    folder 交办单 in the user's data folder."""
    from hotline_tui import config
    from hotline_tui.services.settings import get_setting

    if isinstance(db, Engine):
        with db.connect() as conn:
            value = get_setting(conn, "sheets_dir")
    else:
        value = get_setting(db, "sheets_dir")
    return Path(value).expanduser() if value else config.data_dir() / "交办单"


def sheet_orders(s: Session, which: Sequence[str] | date) -> list[WorkOrder]:
    """The dispatched orders named, or all dispatched on day `which` (any later state but a
    merge). A named order that is unknown or not dispatched is a UserError."""
    if isinstance(which, date):
        day = which.date() if isinstance(which, datetime) else which
        start = datetime.combine(day, datetime.min.time())
        q = (
            select(WorkOrder)
            .where(WorkOrder.dispatched_at >= start,
                   WorkOrder.dispatched_at < start + timedelta(days=1),
                   col(WorkOrder.unit_id).is_not(None),
                   col(WorkOrder.status).not_in([*_NOT_DISPATCHED, Status.MERGED.value]))
            .order_by(WorkOrder.unit_id, WorkOrder.received_at, WorkOrder.id)
        )
        return list(s.exec(q))
    if isinstance(which, str):
        which = [which]
    numbers = list(dict.fromkeys(str(n).strip() for n in which if str(n).strip()))
    found: dict[str, WorkOrder] = {}
    for i in range(0, len(numbers), 500):
        q = select(WorkOrder).where(col(WorkOrder.order_no).in_(numbers[i : i + 500]))
        found.update({o.order_no: o for o in s.exec(q)})
    out = []
    for no in numbers:
        o = found.get(no)
        if o is None:
            raise UserError("error.order_not_found", order_no=no)
        if o.status in _NOT_DISPATCHED or o.unit_id is None or o.dispatched_at is None:
            raise UserError("dispatch.error.not_dispatched", order_no=no)
        out.append(o)
    return out


def _writer(fmt: str) -> Callable[[UnitSheet, Path], None]:
    if fmt == "xlsx":
        from hotline_tui.services.sheets.xlsx_writer import write_xlsx

        return write_xlsx
    from hotline_tui.services.sheets.docx_writer import write_docx

    return write_docx


def _unique_path(out: Path, stem: str, ext: str, taken: set[Path]) -> Path:
    """`stem.ext`, or `stem-2.ext`, `stem-3.ext`... : never overwrite a sheet already there
    (it may have been edited or printed)."""
    n = 1
    while True:
        p = out / (f"{stem}.{ext}" if n == 1 else f"{stem}-{n}.{ext}")
        if p not in taken and not p.exists():
            taken.add(p)
            return p
        n += 1


def _remove(paths: Sequence[Path]) -> None:
    for p in paths:
        try:
            p.unlink()
        except OSError:
            pass


def write_sheets_by_unit(
    engine: Engine,
    which: Sequence[str] | date,
    out_dir: str | os.PathLike[str],
    *,
    formats: Sequence[str] = FORMATS,
    unmask: bool = False,
    actor: str | None = None,
) -> dict[str, list[Path]]:
    """Write one sheet per unit and format into `out_dir`; returns the files by unit name.

    Files go to temporary names first; the EXPORT history rows of all orders on them are
    written in one transaction; the files are moved into place just before the commit and
    removed again if it fails. `unmask` shows callers' names and phones in full, except on
    confidential (保密) orders, which never show them."""
    from hotline_tui.i18n import t

    fmts = check_formats(formats)
    out = prepare_out_dir(out_dir)
    result: dict[str, list[Path]] = {}
    temps: list[Path] = []
    placed: list[Path] = []
    with session(engine) as s:
        try:
            orders = sheet_orders(s, which)
            if not orders:
                return {}
            sheets = build_sheets(s, orders, unmask=unmask)
            who = actor if actor is not None else clerk_name(s)
            folder = str(out.resolve())
            by_id = {o.id: o for o in orders}
            moves: list[tuple[Path, Path]] = []
            taken: set[Path] = set()
            for sheet in sheets:
                stem = sheet.file_stem()
                files = []
                for fmt in fmts:
                    final = _unique_path(out, stem, fmt, taken)
                    tmp = out / f".{final.name}.{uuid.uuid4().hex[:8]}.tmp"
                    temps.append(tmp)
                    _writer(fmt)(sheet, tmp)
                    moves.append((tmp, final))
                    files.append(final)
                result.setdefault(sheet.unit_name, []).extend(files)
                names = ", ".join(f.name for f in files)
                for so in sheet.orders:
                    masking = t("dispatch.export.masked") if so.caller_masked else \
                        t("dispatch.export.unmasked")
                    if so.confidential and unmask:
                        masking = t("dispatch.export.confidential_kept")
                    record(
                        s, by_id[so.order_id], Event.EXPORT, actor=who, at=clock.now(),
                        note=t("dispatch.export.note", files=names, folder=folder,
                               masking=masking),
                    )
            s.flush()
            for tmp, final in moves:
                os.replace(tmp, final)
                placed.append(final)
            s.commit()
        except BaseException:
            s.rollback()
            _remove(temps)
            _remove(placed)
            raise
    return result


def write_sheets(
    engine: Engine,
    which: Sequence[str] | date,
    out_dir: str | os.PathLike[str],
    formats: Sequence[str] = FORMATS,
    unmask: bool = False,
    actor: str | None = None,
) -> list[Path]:
    """(Re)print the sheets of the named dispatched orders, or of a day's dispatch (a date);
    see `write_sheets_by_unit`. Returns the files written, by unit name then format."""
    by_unit = write_sheets_by_unit(engine, which, out_dir, formats=formats, unmask=unmask,
                                   actor=actor)
    return [p for files in by_unit.values() for p in files]

