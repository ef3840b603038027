"""Sign-for (签收) rules: the owner's name and phone as the clerk may record them, the sign-for
limit in working days and lateness, and the 签收率 / 按时签收率 formulas.

Pure: no database, no UI. The sign-for limit is the deadline of an N-working-day order
(domain/deadlines.compute_due with the office's counting rule), N = `sign_limit_workdays`
(default 1): an order dispatched on Friday is due for sign-for by the end of Monday, one
dispatched before a holiday by the end of the first working day after it (调休 workdays
count). An order is signed late when it was signed after that end, or, not yet signed, when
now is after it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from hotline_tui.domain.deadlines import DEFAULT_RULE, DueRule, compute_due
from hotline_tui.domain.normalize import clean_phone, clean_text, to_halfwidth
from hotline_tui.domain.workdays import WorkCalendar

# ---- the owner's name and phone ------------------------------------------------------------


class BadPhone(ValueError):
    """Not a mobile number (11 digits, starting with 1) or a landline with its area code."""


class BadName(ValueError):
    """An empty or implausible person's name."""


_MOBILE = re.compile(r"(?:\+?86)?(1[3-9]\d{9})")
# 010 / 02x (3 digits) or 0xxx (4 digits), then a 7-8 digit local number, optional extension
_LANDLINE = re.compile(
    r"\(?(0(?:10|2\d|[3-9]\d{2}))\)?-?([1-9]\d{6,7})(?:(?:-|转|ext\.?|x)(\d{1,5}))?"
)
NAME_MAX = 20


def normalize_phone(raw: object) -> str:
    """A phone number as it is stored: 13812345678, 0371-12345678 or 0371-12345678-123.

    Full-width digits, spaces, dashes and numbers stored as numbers are folded first
    (normalize.clean_phone); several numbers (separated by , ; / 、) are each checked and
    kept in order, joined by ",". Raises BadPhone otherwise."""
    text = clean_phone(raw)
    if not text:
        raise BadPhone("")
    out: list[str] = []
    for part in text.split(","):
        p = part.replace("－", "-").replace("—", "-").strip("-")
        p = re.sub(r"[（(]", "(", p)
        p = re.sub(r"[）)]", ")", p)
        flat = p.replace("-", "").replace("(", "").replace(")", "")
        m = _MOBILE.fullmatch(flat)
        if m:
            out.append(m.group(1))
            continue
        m = _LANDLINE.fullmatch(p.replace(")-", ")")) or _LANDLINE.fullmatch(flat)
        if m:
            area, local, ext = m.groups()
            out.append(f"{area}-{local}" + (f"-{ext}" if ext else ""))
            continue
        raise BadPhone(part)
    return ",".join(dict.fromkeys(out))


_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"


def normalize_name(raw: object) -> str:
    """A person's name: trimmed, full-width letters folded, spaces between Chinese characters
    removed (张 三 -> 张三), other runs of spaces single. Raises BadName when empty or long."""
    s = clean_text(to_halfwidth(clean_text(raw))).replace("\n", " ")
    s = re.sub(rf"(?<={_CJK})\s+(?={_CJK})", "", s)
    s = s.strip(" .,;:，。；：、")
    if not s or len(s) > NAME_MAX or re.fullmatch(r"[\d\s\-+()]+", s):
        raise BadName(s)
    return s


# ---- the sign-for limit --------------------------------------------------------------------


SIGN_ON_TIME = "on_time"  # signed by the end of the limit
SIGN_LATE = "late"  # signed after it
SIGN_WAITING = "waiting"  # not signed, limit not reached yet
SIGN_OVERDUE = "overdue"  # not signed, limit passed


class SignLimits:
    """The sign-for limit of any dispatch time, for one calendar, N and counting rule
    (the rule's end of day and whether the dispatch day counts).

    The limit depends only on the dispatch date and on whether the dispatch came at or after
    the rule's end of day (compute_due then moves it by a working day), so answers are cached
    per date: fast enough to run over every order of a month in Python, and `day_table` gives
    the same answers to SQL."""

    def __init__(
        self, calendar: WorkCalendar, workdays: int = 1, rule: DueRule = DEFAULT_RULE
    ) -> None:
        if workdays < 0:
            raise ValueError("the sign-for limit must be 0 working days or more")
        self.calendar = calendar
        self.workdays = int(workdays)
        # Nobody signs for on a day off: a same-day limit always rolls to the next working
        # day. (It also keeps the limit from getting earlier for a later dispatch, which
        # unsigned_late_cutoff relies on.)
        self.rule = replace(rule, same_day_rolls_to_next_workday=True)
        self._days: dict[date, tuple[datetime, datetime]] = {}

    def _day(self, d: date) -> tuple[datetime, datetime]:
        hit = self._days.get(d)
        if hit is None:
            before = compute_due(self.calendar, datetime.combine(d, time()), self.workdays,
                                 rule=self.rule).due_at
            at_eod = compute_due(self.calendar, datetime.combine(d, self.rule.end_of_day),
                                 self.workdays, rule=self.rule).due_at
            hit = (before, at_eod)
            self._days[d] = hit
        return hit

    def end_for(self, dispatched_at: datetime) -> datetime:
        """The end of the sign-for limit of an order dispatched at `dispatched_at`."""
        before, at_eod = self._day(dispatched_at.date())
        return before if dispatched_at.time() < self.rule.end_of_day else at_eod

    def is_late(self, dispatched_at: datetime, signed_at: datetime | None, now: datetime) -> bool:
        """Signed after the limit, or not signed and `now` is after it."""
        return (signed_at if signed_at is not None else now) > self.end_for(dispatched_at)

    def state(self, dispatched_at: datetime, signed_at: datetime | None, now: datetime) -> str:
        """One of SIGN_ON_TIME, SIGN_LATE, SIGN_WAITING, SIGN_OVERDUE."""
        late = self.is_late(dispatched_at, signed_at, now)
        if signed_at is not None:
            return SIGN_LATE if late else SIGN_ON_TIME
        return SIGN_OVERDUE if late else SIGN_WAITING

    def unsigned_late_cutoff(self, now: datetime) -> datetime:
        """The instant T such that an order dispatched at t and not signed is past its limit
        at `now` exactly when t < T (the limit never gets earlier as t grows), for counting
        in SQL with `dispatched_at < T`."""
        d = now.date()
        eod = self.rule.end_of_day
        for _ in range(800):  # more than two years of days off in a row would be a data error
            before, at_eod = self._day(d)
            if at_eod < now:
                return datetime.combine(d + timedelta(days=1), time())
            if before < now:
                return datetime.combine(d, eod)
            d -= timedelta(days=1)
        return datetime.combine(d, time())

    def day_table(self, first: date, last: date) -> list[tuple[date, datetime, datetime, datetime]]:
        """(dispatch date, that date's end of day, limit when dispatched before it, limit when
        dispatched at or after it) for every date from `first` to `last`: SQL joins on the date
        and compares `signed_at` with the right one of the two limits."""
        out = []
        d = first
        while d <= last:
            before, at_eod = self._day(d)
            out.append((d, datetime.combine(d, self.rule.end_of_day), before, at_eod))
            d += timedelta(days=1)
        return out


def waited_text(dispatched_at: datetime, now: datetime) -> str:
    """How long an order has waited for sign-for, short: '3h', '2d5h' (language-neutral)."""
    secs = max(0, int((now - dispatched_at).total_seconds()))
    days, rest = divmod(secs, 86400)
    hours = rest // 3600
    if days:
        return f"{days}d{hours}h" if hours else f"{days}d"
    if hours:
        return f"{hours}h"
    return f"{rest // 60}m"


# ---- rates ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rate:
    """A rate that always carries its numerator and denominator (reports state both)."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        """numerator / denominator, None when nothing was counted."""
        return self.numerator / self.denominator if self.denominator else None

    def percent(self, digits: int = 1) -> str:
        """'97.5%'; '-' when the denominator is 0."""
        v = self.value
        return "-" if v is None else f"{v * 100:.{digits}f}%"

    def text(self, digits: int = 1) -> str:
        """'97.5% (39/40)'."""
        return f"{self.percent(digits)} ({self.numerator}/{self.denominator})"

    def as_dict(self) -> dict[str, object]:
        v = self.value
        return {
            "numerator": self.numerator,
            "denominator": self.denominator,
            "value": None if v is None else round(v, 4),
        }


def sign_rate(signed: int, dispatched: int) -> Rate:
    """签收率 = signed for / dispatched."""
    return Rate(signed, dispatched)


def on_time_sign_rate(signed_on_time: int, dispatched: int) -> Rate:
    """按时签收率 = signed for on time / dispatched."""
    return Rate(signed_on_time, dispatched)


@dataclass(frozen=True)
class SignCounts:
    """The counts behind both rates for one unit (or the total) and one period.

    `dispatched`: orders dispatched in the period; `signed`: of those, signed for (by the
    time of the report); `signed_on_time`: signed by the end of their limit; `waiting`: not
    signed and the limit not yet reached (they may still be signed on time)."""

    dispatched: int = 0
    signed: int = 0
    signed_on_time: int = 0
    waiting: int = 0

    @property
    def sign_rate(self) -> Rate:
        return sign_rate(self.signed, self.dispatched)

    @property
    def on_time_rate(self) -> Rate:
        return on_time_sign_rate(self.signed_on_time, self.dispatched)

    def __add__(self, other: SignCounts) -> SignCounts:
        return SignCounts(
            self.dispatched + other.dispatched,
            self.signed + other.signed,
            self.signed_on_time + other.signed_on_time,
            self.waiting + other.waiting,
        )


def month_bounds(month: str) -> tuple[datetime, datetime]:
    """'2026-11' (also 2026/11, 2026年11月, 202611) -> [start, next month's start)."""
    s = to_halfwidth(month).strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.年]\s*(\d{1,2})\s*月?|(\d{2}))", s)
    if not m:
        raise ValueError(month)
    y = int(m.group(1))
    mo = int(m.group(2) or m.group(3))
    if not 1 <= mo <= 12:
        raise ValueError(month)
    start = datetime(y, mo, 1)
    end = datetime(y + (mo == 12), mo % 12 + 1, 1)
    return start, end
