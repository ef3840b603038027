"""Working days in China: chinesecalendar's statutory holidays and make-up workdays (调休),
days the office entered itself (they win), and a weekends-only fallback for unknown years.

Pure: no database, no UI. `WorkCalendar` is built once and answers with `bisect` over a
sorted list of working days per year (chinesecalendar itself scans every holiday per call
and raises `NotImplementedError` for years it does not carry; it is never called here, its
data dicts are read once).
"""

from __future__ import annotations

import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

HOLIDAY = "holiday"  # a day off (放假), also when it falls on a weekend inside a holiday
WORKDAY = "workday"  # a working day, notably a make-up workday on a weekend (调休上班)
KINDS = (HOLIDAY, WORKDAY)

# where the answer for a day comes from
SOURCE_ENTERED = "entered"  # the office entered it
SOURCE_PACKAGE = "package"  # chinesecalendar's data
SOURCE_RULE = "rule"  # an ordinary weekday/weekend of a year with data
SOURCE_FALLBACK = "fallback"  # a year with no data at all: weekends-only

_MIN_YEAR, _MAX_YEAR = 1900, 9998  # keeps arithmetic away from date.min/date.max


@dataclass(frozen=True)
class PackageData:
    """What chinesecalendar knows: the years it covers and its special days (Chinese names)."""

    years: frozenset[int]
    holidays: Mapping[date, str]
    workdays: Mapping[date, str]
    version: str = ""


@functools.cache
def package_data() -> PackageData:
    """chinesecalendar's data, read once; empty when the package is missing or unreadable."""
    try:
        import chinese_calendar as cc
    except Exception:  # noqa: BLE001 - the app must keep working without the package
        return PackageData(frozenset(), {}, {})

    def zh(value: object) -> str:
        try:
            return str(cc.Holiday(value).chinese)
        except Exception:  # noqa: BLE001 - an unknown name is shown as given
            return str(value)

    try:
        hol = {d: zh(v) for d, v in cc.holidays.items()}
        work = {d: zh(v) for d, v in cc.workdays.items()}
    except Exception:  # noqa: BLE001
        return PackageData(frozenset(), {}, {})
    if not hol:
        return PackageData(frozenset(), {}, {})
    # the package accepts exactly the years between its first and last holiday (inclusive)
    first, last = min(hol).year, max(hol).year
    return PackageData(
        frozenset(range(first, last + 1)), hol, work, str(getattr(cc, "__version__", ""))
    )


@dataclass(frozen=True)
class DayInfo:
    """One day as the calendar sees it."""

    day: date
    is_workday: bool
    kind: str  # "holiday" | "workday" | "weekend" | "weekday"
    name: str  # holiday name for special days, else ""
    source: str  # SOURCE_*


@dataclass(frozen=True)
class SpecialDay:
    """A holiday or make-up workday of a year, with where it comes from.

    `package_kind` is what chinesecalendar says about the same date when the office entered
    something different (or the same) for it; None when the package has nothing there."""

    day: date
    kind: str  # HOLIDAY | WORKDAY
    name: str
    source: str  # SOURCE_ENTERED | SOURCE_PACKAGE
    package_kind: str | None = None


@dataclass(frozen=True)
class YearCoverage:
    """Which data a year has: the package's, the office's, or none (weekends-only)."""

    year: int
    in_package: bool
    entered_holidays: int
    entered_workdays: int

    @property
    def entered(self) -> bool:
        return bool(self.entered_holidays or self.entered_workdays)

    @property
    def status(self) -> str:
        """'package' (package data, maybe with entered corrections), 'entered' or 'missing'."""
        if self.in_package:
            return "package"
        return "entered" if self.entered else "missing"

    @property
    def missing(self) -> bool:
        return self.status == "missing"


def as_date(d: date | datetime) -> date:
    return d.date() if isinstance(d, datetime) else d


class WorkCalendar:
    """Working days from the package's data plus the office's entries (entries win per date).

    `entered` maps a date to (kind, name) with kind "holiday" or "workday". A year counts as
    known when the package covers it or the office entered at least one day in it; any other
    year is counted weekends-only and reported by `fallback_years` / `missing_years`.
    """

    def __init__(
        self,
        entered: Mapping[date, tuple[str, str]] | None = None,
        *,
        package: PackageData | None = None,
        use_package: bool = True,
    ) -> None:
        self._pkg = (package or package_data()) if use_package else PackageData(
            frozenset(), {}, {}
        )
        ent: dict[date, tuple[str, str]] = {}
        for d, (kind, name) in (entered or {}).items():
            if kind not in KINDS:
                raise ValueError(f"unknown kind {kind!r} for {d}")
            ent[as_date(d)] = (kind, name or "")
        self._entered = ent
        self.package_years: frozenset[int] = self._pkg.years
        self.entered_years: frozenset[int] = frozenset(d.year for d in ent)
        self.known_years: frozenset[int] = self.package_years | self.entered_years
        self._year_days: dict[int, list[int]] = {}  # year -> sorted ordinals of working days

    # ---- what the calendar knows -------------------------------------------------------

    @property
    def package_version(self) -> str:
        return self._pkg.version

    @property
    def entered(self) -> Mapping[date, tuple[str, str]]:
        return dict(self._entered)

    def is_known_year(self, year: int) -> bool:
        return year in self.known_years

    def missing_years(self, years: Iterable[int]) -> set[int]:
        """The years among `years` that have no data (they are counted weekends-only)."""
        return {y for y in years if y not in self.known_years}

    def fallback_years(self, a: date | datetime, b: date | datetime) -> set[int]:
        """Years without data touched by the span between `a` and `b` (either order)."""
        ya, yb = as_date(a).year, as_date(b).year
        lo, hi = min(ya, yb), max(ya, yb)
        return self.missing_years(range(lo, hi + 1))

    def coverage(self, year: int) -> YearCoverage:
        hol = sum(1 for d, (k, _) in self._entered.items() if d.year == year and k == HOLIDAY)
        work = sum(1 for d, (k, _) in self._entered.items() if d.year == year and k == WORKDAY)
        return YearCoverage(year, year in self.package_years, hol, work)

    # ---- single days ---------------------------------------------------------------------

    def day_info(self, d: date | datetime) -> DayInfo:
        d = as_date(d)
        hit = self._entered.get(d)
        if hit is not None:
            kind, name = hit
            return DayInfo(d, kind == WORKDAY, kind, name, SOURCE_ENTERED)
        if d.year in self.package_years:
            if d in self._pkg.workdays:
                return DayInfo(d, True, WORKDAY, self._pkg.workdays[d], SOURCE_PACKAGE)
            if d in self._pkg.holidays:
                return DayInfo(d, False, HOLIDAY, self._pkg.holidays[d], SOURCE_PACKAGE)
        source = SOURCE_RULE if d.year in self.known_years else SOURCE_FALLBACK
        weekend = d.weekday() >= 5
        return DayInfo(d, not weekend, "weekend" if weekend else "weekday", "", source)

    def is_workday(self, d: date | datetime) -> bool:
        d = as_date(d)
        hit = self._entered.get(d)
        if hit is not None:
            return hit[0] == WORKDAY
        if d.year in self.package_years:
            if d in self._pkg.workdays:
                return True
            if d in self._pkg.holidays:
                return False
        return d.weekday() < 5

    def special_days(self, year: int) -> list[SpecialDay]:
        """The year's holidays and make-up workdays, entered ones marked, sorted by date."""
        out: dict[date, SpecialDay] = {}
        if year in self.package_years:
            for src, kind in ((self._pkg.holidays, HOLIDAY), (self._pkg.workdays, WORKDAY)):
                for d, name in src.items():
                    if d.year == year:
                        out[d] = SpecialDay(d, kind, name, SOURCE_PACKAGE)
        for d, (kind, name) in self._entered.items():
            if d.year == year:
                pkg = out.get(d)
                out[d] = SpecialDay(d, kind, name, SOURCE_ENTERED, pkg.kind if pkg else None)
        return [out[d] for d in sorted(out)]

    # ---- counting ------------------------------------------------------------------------

    def workdays_of_year(self, year: int) -> list[int]:
        """Sorted ordinals of the working days of `year` (cached)."""
        days = self._year_days.get(year)
        if days is None:
            start = date(year, 1, 1).toordinal()
            end = date(year, 12, 31).toordinal()
            days = [o for o in range(start, end + 1) if self.is_workday(date.fromordinal(o))]
            self._year_days[year] = days
        return days

    def next_workday_on_or_after(self, d: date | datetime) -> date:
        d = as_date(d)
        return d if self.is_workday(d) else self.add_workdays(d, 1)

    def previous_workday_on_or_before(self, d: date | datetime) -> date:
        d = as_date(d)
        return d if self.is_workday(d) else self.add_workdays(d, -1)

    def add_workdays(self, d: date | datetime, n: int) -> date:
        """The n-th working day after `d` (`d` itself never counts); n < 0 counts back;
        n == 0 gives `d` unchanged."""
        d = as_date(d)
        if n == 0:
            return d
        o = d.toordinal()
        year = d.year
        if n > 0:
            days = self.workdays_of_year(year)
            i = bisect_right(days, o)
            remaining = n
            while remaining > len(days) - i:
                remaining -= len(days) - i
                year += 1
                if year > _MAX_YEAR:
                    raise OverflowError("date out of range")
                days = self.workdays_of_year(year)
                i = 0
            return date.fromordinal(days[i + remaining - 1])
        days = self.workdays_of_year(year)
        i = bisect_left(days, o)  # working days strictly before d: days[:i]
        remaining = -n
        while remaining > i:
            remaining -= i
            year -= 1
            if year < _MIN_YEAR:
                raise OverflowError("date out of range")
            days = self.workdays_of_year(year)
            i = len(days)
        return date.fromordinal(days[i - remaining])

    def workdays_between(self, a: date | datetime, b: date | datetime) -> int:
        """Working days after `a` up to and including `b`; negative when `b` is before `a`.

        For lateness: `workdays_between(due_date, replied_date)` is how many working days
        late a reply was (0 on the due day or earlier working days count as <= 0)."""
        a, b = as_date(a), as_date(b)
        if b < a:
            return -self.workdays_between(b, a)
        count = 0
        for year in range(a.year, b.year + 1):
            days = self.workdays_of_year(year)
            lo = bisect_right(days, a.toordinal()) if year == a.year else 0
            hi = bisect_right(days, b.toordinal()) if year == b.year else len(days)
            count += hi - lo
        return count

    def workdays_in(self, a: date | datetime, b: date | datetime) -> list[date]:
        """The working days from `a` to `b`, both included."""
        a, b = as_date(a), as_date(b)
        out: list[date] = []
        for year in range(a.year, b.year + 1):
            days = self.workdays_of_year(year)
            lo = bisect_left(days, a.toordinal())
            hi = bisect_right(days, b.toordinal())
            out.extend(date.fromordinal(o) for o in days[lo:hi])
        return out


def iter_dates(a: date, b: date) -> Iterable[date]:
    """Every date from `a` to `b`, both included."""
    for i in range((b - a).days + 1):
        yield a + timedelta(days=i)
