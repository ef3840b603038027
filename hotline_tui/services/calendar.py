"""Working-day calendar and deadlines for the CLI and the TUI: the office's entered years in
the database, a cached `WorkCalendar`, the counting rule from the settings.

`db` arguments take an Engine, a Session or a Connection (a dispatch running inside a
session passes its session). The cached calendar is rebuilt whenever the entered days in the
database differ from the ones it was built from (also after another process changed them).
"""

from __future__ import annotations

import csv
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from hotline_tui.domain.deadlines import DueResult, DueRule
from hotline_tui.domain.deadlines import compute_due as _compute_due
from hotline_tui.domain.normalize import BadDate, clean_text, parse_datetime, to_halfwidth
from hotline_tui.domain.workdays import (
    HOLIDAY,
    WORKDAY,
    SpecialDay,
    WorkCalendar,
    YearCoverage,
    iter_dates,
)
from hotline_tui.errors import UserError
from hotline_tui.store.models_calendar import CalendarDay

Db = Engine | Session | Connection
DayEntry = tuple[date, str]  # (date, name)

_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary[Engine, tuple[tuple, WorkCalendar]] = (
    weakref.WeakKeyDictionary()
)


# ---- reading -------------------------------------------------------------------------------


def _engine_of(db: Db) -> Engine:
    if isinstance(db, Engine):
        return db
    if isinstance(db, Session):
        bind = db.get_bind()
        return bind if isinstance(bind, Engine) else bind.engine
    return db.engine


def _run(db: Db, fn: Callable[[Connection], Any]) -> Any:
    if isinstance(db, Engine):
        with db.connect() as conn:
            return fn(conn)
    if isinstance(db, Session):
        return fn(db.connection())
    return fn(db)


def _entered_rows(conn: Connection) -> tuple[tuple[date, str, str], ...]:
    rows = conn.execute(
        select(CalendarDay.day, CalendarDay.kind, CalendarDay.name).order_by(CalendarDay.day)
    ).all()
    return tuple((r[0], r[1], r[2]) for r in rows)


def calendar_for(db: Db) -> WorkCalendar:
    """The office's working-day calendar (package data + entered days), cached per database."""
    rows = _run(db, _entered_rows)
    engine = _engine_of(db)
    with _lock:
        hit = _cache.get(engine)
        if hit is not None and hit[0] == rows:
            return hit[1]
    cal = WorkCalendar({d: (k, n) for d, k, n in rows})
    with _lock:
        _cache[engine] = (rows, cal)
    return cal


def invalidate(db: Db | None = None) -> None:
    """Forget the cached calendar of `db` (all databases when None)."""
    with _lock:
        if db is None:
            _cache.clear()
        else:
            _cache.pop(_engine_of(db), None)


def due_rule(db: Db) -> DueRule:
    """The counting rule from the settings (`due_rule`); a broken setting is a UserError."""
    from hotline_tui.services.settings import get_setting

    if isinstance(db, Engine):
        with db.connect() as conn:
            value = get_setting(conn, "due_rule")
    else:
        value = get_setting(db, "due_rule")
    try:
        return DueRule.from_setting(value)
    except (ValueError, TypeError) as exc:
        raise UserError("calendar.error.bad_rule", reason=str(exc)) from exc


def save_due_rule(engine: Engine, rule: DueRule) -> None:
    from hotline_tui.services.settings import set_setting
    from hotline_tui.store.engine import session

    with session(engine) as s:
        set_setting(s, "due_rule", rule.to_setting())
        s.commit()


# ---- deadlines -------------------------------------------------------------------------------


def compute_due(
    db: Db,
    dispatched_at: datetime,
    tier_days: int,
    upstream_due: datetime | None = None,
) -> DueResult:
    """The deadline of one order: `due_at`, and `fallback_years` to warn about."""
    return due_calculator(db)(dispatched_at, tier_days, upstream_due)


def due_calculator(db: Db) -> Callable[[datetime, int, datetime | None], DueResult]:
    """For many orders at once (bulk dispatch): reads the calendar and the rule once."""
    cal = calendar_for(db)
    rule = due_rule(db)

    def calc(dispatched_at: datetime, tier_days: int, upstream_due: datetime | None = None):
        if tier_days < 0:
            raise UserError("calendar.error.bad_days", days=tier_days)
        return _compute_due(cal, dispatched_at, tier_days, rule=rule, upstream_due=upstream_due)

    return calc


def fallback_warning(years: Iterable[int]) -> str:
    """One sentence naming the years counted weekends-only ("" when none)."""
    from hotline_tui.i18n import t

    ys = sorted(set(years))
    if not ys:
        return ""
    return t("calendar.warn.fallback", years="、".join(str(y) for y in ys))


def upcoming_missing_years(db: Db, today: date | None = None, horizon_days: int = 45) -> list[int]:
    """Years without holiday data that deadlines from now on may run into (for a banner)."""
    from hotline_tui.services import clock

    start = today or clock.now().date()
    cal = calendar_for(db)
    return sorted(cal.fallback_years(start, start + timedelta(days=horizon_days)))


# ---- a year's arrangement ---------------------------------------------------------------------


@dataclass(frozen=True)
class YearView:
    """What `hotline calendar show` and the year screen display."""

    coverage: YearCoverage
    days: list[SpecialDay]

    @property
    def year(self) -> int:
        return self.coverage.year

    @property
    def status(self) -> str:
        return self.coverage.status


def year_status(db: Db, year: int) -> YearCoverage:
    """'package', 'entered' or 'missing' (`.status`), with the counts of entered days."""
    return calendar_for(db).coverage(year)


def year_view(db: Db, year: int) -> YearView:
    cal = calendar_for(db)
    return YearView(cal.coverage(year), cal.special_days(year))


def entered_days(db: Db, year: int) -> tuple[list[DayEntry], list[DayEntry]]:
    """The office's entries for `year` as (holidays, workdays): what a year screen edits."""
    rows = [r for r in _run(db, _entered_rows) if r[0].year == year]
    return (
        [(d, n) for d, k, n in rows if k == HOLIDAY],
        [(d, n) for d, k, n in rows if k == WORKDAY],
    )


YEAR_RANGE = (2000, 2100)  # years the office may enter


def _check_year(year: int) -> None:
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise UserError("calendar.error.bad_year", year=year)


def set_year(
    engine: Engine,
    year: int,
    holidays: Sequence[DayEntry],
    workdays: Sequence[DayEntry],
    *,
    actor: str | None = None,
) -> YearCoverage:
    """Replace the office's entries for `year` in one transaction (empty lists clear them)."""
    days = _validated({year: _merge(holidays, workdays)}, only_year=year)
    _replace_years(engine, days, actor)
    return year_status(engine, year)


def clear_year(engine: Engine, year: int) -> YearCoverage:
    return set_year(engine, year, [], [])


def _merge(holidays: Sequence[DayEntry], workdays: Sequence[DayEntry]) -> list[tuple]:
    # (date, kind, name, row): row is the file's row number for messages, None when typed
    out = [(d, HOLIDAY, n, None) for d, n in holidays]
    out += [(d, WORKDAY, n, None) for d, n in workdays]
    return out


def _validated(
    by_year: dict[int, list[tuple]], only_year: int | None = None
) -> dict[int, dict[date, tuple[str, str]]]:
    """Dates checked: inside their year, no date both a holiday and a workday."""
    out: dict[int, dict[date, tuple[str, str]]] = {}
    for year, entries in by_year.items():
        _check_year(year)
        days: dict[date, tuple[str, str]] = {}
        for d, kind, name, row in entries:
            if isinstance(d, datetime):
                d = d.date()
            if not isinstance(d, date):
                raise UserError("calendar.error.bad_date", text=str(d))
            if only_year is not None and d.year != only_year:
                raise UserError("calendar.error.outside_year", day=d.isoformat(), year=only_year)
            name = clean_text(name)
            prev = days.get(d)
            if prev is not None and prev[0] != kind:
                if row is None:
                    raise UserError("calendar.error.conflict", day=d.isoformat())
                raise UserError("calendar.error.conflict_row", day=d.isoformat(), row=row)
            if prev is None or (name and not prev[1]):
                days[d] = (kind, name)
        out[year] = days
    return out


def _replace_years(
    engine: Engine, by_year: dict[int, dict[date, tuple[str, str]]], actor: str | None
) -> None:
    from hotline_tui.services import clock
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.store.engine import session

    with session(engine) as s:
        who = actor if actor is not None else clerk_name(s)
        at = clock.now()
        for year, days in by_year.items():
            s.execute(
                delete(CalendarDay).where(
                    CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31)
                )
            )
            s.add_all(
                CalendarDay(day=d, kind=k, name=n, entered_at=at, entered_by=who)
                for d, (k, n) in sorted(days.items())
            )
        s.commit()
    invalidate(engine)


# ---- parsing what the clerk types or imports --------------------------------------------------

_HOLIDAY_WORDS = {"休", "放假", "假", "休息", "假日", "节假日", "holiday", "off", "rest", "h"}
_WORKDAY_WORDS = {
    "班", "上班", "补班", "调休上班", "调班", "工作日", "workday", "work", "w", "make-up",
}
_RANGE = re.compile(r"\s*(?:\.\.|~|～|至)\s*")


def parse_kind(text: object) -> str:
    """休/放假/holiday -> 'holiday'; 班/上班/workday -> 'workday'; ValueError otherwise."""
    s = to_halfwidth(str(text or "")).strip().lower()
    if s in _HOLIDAY_WORDS:
        return HOLIDAY
    if s in _WORKDAY_WORDS:
        return WORKDAY
    raise ValueError(str(text))


def parse_day(value: object) -> date:
    """A date from text (2027-01-01, 2027/1/1, 2027年1月1日) or a spreadsheet cell."""
    try:
        dt = parse_datetime(value)
    except BadDate as exc:
        raise ValueError(str(value)) from exc
    if dt is None or dt.time() != datetime.min.time():
        raise ValueError(str(value))
    return dt.date()


def parse_days(value: object) -> list[date]:
    """One date, or a range '2027-02-10..2027-02-17' (also ~ or 至), both ends included."""
    if isinstance(value, date | int | float) and not isinstance(value, bool):
        return [parse_day(value)]
    s = to_halfwidth(str(value or "")).strip()
    parts = _RANGE.split(s, maxsplit=1)
    if len(parts) == 2:
        a, b = parse_day(parts[0]), parse_day(parts[1])
        if b < a or (b - a).days > 366:
            raise ValueError(s)
        return list(iter_dates(a, b))
    return [parse_day(s)]


def parse_day_spec(text: str) -> list[DayEntry]:
    """CLI form 'DATE[:NAME]' or 'START..END[:NAME]' -> [(date, name), ...]."""
    s = to_halfwidth(text).strip()
    head, sep, name = s.partition(":")
    if not sep:
        head, sep, name = s.partition("：")
    try:
        days = parse_days(head)
    except ValueError as exc:
        raise UserError("calendar.error.bad_spec", text=text) from exc
    return [(d, name.strip()) for d in days]


_DATE_HEADERS = {"date", "日期", "date(日期)", "日期(date)"}
_KIND_HEADERS = {"kind", "类型", "性质", "休/班", "休班", "放假/上班", "kind(类型)"}
_NAME_HEADERS = {"name", "名称", "节日", "节假日", "说明", "备注", "name(名称)"}


def _read_rows(path: Path) -> list[list[object]]:
    suffix = path.suffix.lower()
    if suffix in {".xlsx", ".xlsm"}:
        try:
            from openpyxl import load_workbook

            wb = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - a broken file is the clerk's to fix
            raise UserError("calendar.error.unreadable", path=path, reason=str(exc)) from exc
        try:
            return [list(r) for r in wb.worksheets[0].iter_rows(values_only=True)]
        except Exception as exc:  # noqa: BLE001 - a damaged sheet part (zip/XML)
            raise UserError("calendar.error.unreadable", path=path, reason=str(exc)) from exc
        finally:
            wb.close()
    if suffix in {".csv", ".txt"}:
        from hotline_tui.services.importer.reading import decode_text

        try:  # BOMs, UTF-16, UTF-8, GB18030; binary refused (the order import's reader)
            text = decode_text(path, path.read_bytes())
            return [list(r) for r in csv.reader(text.splitlines())]
        except UserError as exc:
            raise UserError("calendar.error.unreadable", path=path, reason=str(exc)) from exc
        except (OSError, csv.Error) as exc:
            raise UserError("calendar.error.unreadable", path=path, reason=str(exc)) from exc
    raise UserError("calendar.error.file_type", path=path)


def _shown(value: object, width: int = 40) -> str:
    """A cell as quoted in a one-line message: line breaks and runs of spaces as one."""
    text = " ".join(str(value).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def read_year_file(path: str | Path) -> dict[int, list[tuple]]:
    """Rows of a holiday file grouped by year: (date, kind, name, row number).

    Columns date, kind, name (a header row with these or 日期/类型/名称 is optional; lines
    starting with # are comments). A bad row is a UserError naming its row number."""
    p = Path(path)
    if not p.is_file():
        raise UserError("calendar.error.no_file", path=p)
    rows = _read_rows(p)
    cols: tuple[int, int, int | None] = (0, 1, 2)
    by_year: dict[int, list[tuple]] = {}
    header_seen = False
    for lineno, row in enumerate(rows, start=1):
        texts = [c if isinstance(c, date | int | float) else clean_text(c) for c in row]
        if all(t in ("", None) for t in texts):
            continue
        first = texts[0] if texts else ""
        if isinstance(first, str) and first.startswith("#"):
            continue
        if not header_seen and not by_year:
            found = _header_columns(texts)
            if found is not None:
                cols, header_seen = found, True
                continue

        def cell(i: int | None, _texts: list = texts) -> object:
            return _texts[i] if i is not None and i < len(_texts) else ""

        try:
            days = parse_days(cell(cols[0]))
            if not all(YEAR_RANGE[0] <= d.year <= YEAR_RANGE[1] for d in days):
                raise ValueError("year")
        except ValueError as exc:
            raise UserError("calendar.error.bad_row_date", row=lineno,
                            value=_shown(cell(cols[0]))) from exc
        try:
            kind = parse_kind(cell(cols[1]))
        except ValueError as exc:
            raise UserError("calendar.error.bad_row_kind", row=lineno,
                            value=_shown(cell(cols[1]))) from exc
        name = cell(cols[2])
        for d in days:
            by_year.setdefault(d.year, []).append((d, kind, str(name or ""), lineno))
    if not by_year:
        raise UserError("calendar.error.empty_file", path=p)
    return by_year


def _header_columns(texts: list[object]) -> tuple[int, int, int | None] | None:
    norm = [to_halfwidth(str(t or "")).strip().lower().replace(" ", "") for t in texts]
    idx = {}
    for i, h in enumerate(norm):
        for key, names in (("date", _DATE_HEADERS), ("kind", _KIND_HEADERS),
                           ("name", _NAME_HEADERS)):
            if h in names and key not in idx:
                idx[key] = i
    if "date" in idx and "kind" in idx:
        return idx["date"], idx["kind"], idx.get("name")
    return None


def import_year_file(
    engine: Engine, path: str | Path, *, actor: str | None = None
) -> list[YearCoverage]:
    """Replace the entries of every year in the file (.csv or .xlsx) in one transaction."""
    days = _validated(read_year_file(path))
    _replace_years(engine, days, actor)
    cal = calendar_for(engine)
    return [cal.coverage(y) for y in sorted(days)]
