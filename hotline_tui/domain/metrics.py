"""The figures the office is judged by (DOMAIN.md, Metrics): counts per unit for a period,
the rates with their numerator and denominator, sums per unit kind, the ranking and the
red / black lists. Pure: plain dataclasses in, plain dataclasses out; the store counts in
SQL (store/metrics_query.py) and the tests count hand-built order facts with `count_facts`.

Which orders form each figure (printed with every report, catalog keys metrics.def.*):
- the dispatch cohort: orders dispatched in the period, counted by their current unit.
  签收率 = signed for / dispatched; 按时签收率 = signed for by the sign-for limit /
  dispatched (the owner register's own counts, domain/signing.py); 办结率 = closed /
  dispatched; 按时办结率 = closed whose (last) reply came by the deadline / closed;
  重办率 = orders sent back to the unit at least once (退回重办, or reopened after an
  unsatisfied callback: work_order.rework_count) / orders that replied.
- the intake cohort: orders received in the period. 直办率 = answered directly by the office
  from the knowledge base / received (an office figure: units have no intake of their own);
  repeat complaints = received orders that repeat an earlier one: the same caller phone
  within the 90 days before, or merged into another order (并单).
- events in the period: 退单率 = orders a unit returned as not its business / (orders
  dispatched to it + those returned) (a returned order leaves the unit's dispatch cohort);
  满意率 = callbacks in the period answered 满意 or 基本满意 / valid callbacks
  (the caller was reached and gave an answer).
- the deadline cohort: overdue = orders whose deadline fell in the period and has passed,
  not replied by it (still owed, or replied after it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta

EMPTY = "—"  # a rate with nothing counted (in aligned columns: tui/text.column_text)

# the figures, in the order every table shows them
CODES: tuple[str, ...] = (
    "received", "dispatched", "sign_rate", "on_time_sign_rate", "close_rate",
    "on_time_close_rate", "direct_rate", "return_rate", "rework_rate", "satisfaction_rate",
    "overdue", "repeats",
)
RATE_CODES: tuple[str, ...] = tuple(c for c in CODES if c.endswith("_rate"))
COUNT_CODES: tuple[str, ...] = tuple(c for c in CODES if not c.endswith("_rate"))
# figures where a higher value is worse (ranking "worst first" puts high values first)
HIGHER_IS_WORSE: frozenset[str] = frozenset({"return_rate", "rework_rate", "overdue", "repeats"})
# the office-only figure (units have no intake of their own): left out of unit tables
OFFICE_ONLY: frozenset[str] = frozenset({"direct_rate"})

# code -> i18n key of the definition sentence every report prints (catalog_metrics.py)
DEFINITIONS: dict[str, str] = {code: f"metrics.def.{code}" for code in CODES}
# code -> i18n key of the figure's short name
NAMES: dict[str, str] = {code: f"metrics.name.{code}" for code in CODES}

SATISFIED = frozenset({"satisfied", "basic"})  # 满意 + 基本满意
RUNNING = frozenset({"dispatched", "signed", "rework"})  # a reply is owed: the deadline runs
REPEAT_DAYS = 90


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator; `value` None when the denominator is 0 (shown as "—")."""

    numerator: int
    denominator: int

    @property
    def value(self) -> float | None:
        return self.numerator / self.denominator if self.denominator else None

    def percent(self, digits: int = 1, empty: str = EMPTY) -> str:
        """'97.5%', or `empty` when nothing was counted."""
        v = self.value
        return empty if v is None else f"{v * 100:.{digits}f}%"

    def text(self, digits: int = 1, empty: str = EMPTY) -> str:
        """'97.5% (39/40)'; '— (0/0)' when nothing was counted."""
        return f"{self.percent(digits, empty)} ({self.numerator}/{self.denominator})"

    def as_dict(self) -> dict[str, object]:
        v = self.value
        return {"numerator": self.numerator, "denominator": self.denominator,
                "value": None if v is None else round(v, 4)}

    def __add__(self, other: Ratio) -> Ratio:
        return Ratio(self.numerator + other.numerator, self.denominator + other.denominator)


@dataclass(frozen=True)
class Counts:
    """What is counted for one group (a unit, a kind, the office) and one period."""

    received: int = 0  # orders received in the period
    direct: int = 0  # of those, answered directly by the office (直办)
    repeats: int = 0  # of those, repeat complaints
    dispatched: int = 0  # orders dispatched in the period (current unit)
    signed: int = 0  # of those, signed for (by the time of the report)
    signed_on_time: int = 0  # ... by the end of the sign-for limit
    closed: int = 0  # of those, closed (办结)
    closed_on_time: int = 0  # of the closed, the reply came by the deadline
    replies: int = 0  # of the dispatched, replied (反馈)
    sent_back: int = 0  # of those, sent back at least once (退回重办 / reopened)
    returned: int = 0  # 退单 made in the period
    callbacks: int = 0  # valid callbacks in the period (reached, with an answer)
    satisfied: int = 0  # of those, 满意 or 基本满意
    due: int = 0  # orders whose deadline fell in the period and has passed
    overdue: int = 0  # of those, not replied by the deadline

    def __add__(self, other: Counts) -> Counts:
        return Counts(**{f.name: getattr(self, f.name) + getattr(other, f.name)
                         for f in fields(self)})

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def figures(c: Counts) -> dict[str, Ratio | int]:
    """Every figure of CODES from the counts (rates as Ratio, counts as int)."""
    return {
        "received": c.received,
        "dispatched": c.dispatched,
        "sign_rate": Ratio(c.signed, c.dispatched),
        "on_time_sign_rate": Ratio(c.signed_on_time, c.dispatched),
        "close_rate": Ratio(c.closed, c.dispatched),
        "on_time_close_rate": Ratio(c.closed_on_time, c.closed),
        "direct_rate": Ratio(c.direct, c.received),
        "return_rate": Ratio(c.returned, c.dispatched + c.returned),
        "rework_rate": Ratio(c.sent_back, c.replies),
        "satisfaction_rate": Ratio(c.satisfied, c.callbacks),
        "overdue": c.overdue,
        "repeats": c.repeats,
    }


def figure(c: Counts, code: str) -> Ratio | int:
    return figures(c)[code]


def cell_text(value: Ratio | int, *, full: bool = False, empty: str = EMPTY) -> str:
    """A figure as a table shows it: '97.5%' (with '(39/40)' when `full`), '1,234'."""
    if isinstance(value, Ratio):
        return value.text(empty=empty) if full else value.percent(empty=empty)
    return f"{value:,}"


def as_json(c: Counts) -> dict[str, object]:
    """The counts and the figures, JSON-ready (rates with numerator, denominator, value)."""
    out: dict[str, object] = {}
    for code, v in figures(c).items():
        out[code] = v.as_dict() if isinstance(v, Ratio) else v
    out["counts"] = c.as_dict()
    return out


# ---- groups ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitFigures:
    """One unit's counts for the period."""

    unit_id: int
    name: str
    kind: str  # township | department | other (domain/kinds.UnitKind)
    counts: Counts

    def get(self, code: str) -> Ratio | int:
        return figure(self.counts, code)


def total(rows: Iterable[Counts]) -> Counts:
    out = Counts()
    for c in rows:
        out = out + c
    return out


def by_kind(units: Iterable[UnitFigures]) -> dict[str, Counts]:
    """kind -> the sum of its units' counts."""
    out: dict[str, Counts] = {}
    for u in units:
        out[u.kind] = out.get(u.kind, Counts()) + u.counts
    return out


# ---- ranking ---------------------------------------------------------------------------------


def sort_key(value: Ratio | int, code: str, *, worst_first: bool) -> tuple:
    """A key that puts the worst (or best) first; a rate with nothing counted goes last
    either way (there is nothing to judge)."""
    if isinstance(value, Ratio):
        v = value.value
        if v is None:
            return (1, 0.0)
        bad = v if code in HIGHER_IS_WORSE else -v  # larger `bad` = worse
        return (0, -bad if worst_first else bad)
    bad = value if code in HIGHER_IS_WORSE else -value
    return (0, -bad if worst_first else bad)


# The default ranking of the circular: 办结率, then 按时办结率, then fewer overdue, then more
# signed for on time (RANK_RULE below says it in words, catalog key metrics.rank_rule).
RANK_CODES: tuple[str, ...] = ("close_rate", "on_time_close_rate", "overdue",
                               "on_time_sign_rate")
RANK_RULE = "metrics.rank_rule"
HONOUR_RULE = "metrics.honour_rule"
HONOUR_MIN_DISPATCHED = 10
HONOUR_SIZE = 3


def rank(units: Sequence[UnitFigures], code: str | None = None, *, worst_first: bool = True,
         name_key: Callable[[UnitFigures], str] | None = None) -> list[UnitFigures]:
    """Units ordered by one figure (`code`), or by the circular's rule (RANK_CODES) when
    `code` is None; worst first by default. Ties by name, then id."""
    codes = (code,) if code else RANK_CODES
    name = name_key or (lambda u: u.name)

    def key(u: UnitFigures) -> tuple:
        return (*(sort_key(u.get(c), c, worst_first=worst_first) for c in codes),
                name(u), u.unit_id)

    return sorted(units, key=key)


def honour_lists(units: Sequence[UnitFigures], *, size: int = HONOUR_SIZE,
                 min_dispatched: int = HONOUR_MIN_DISPATCHED,
                 ) -> tuple[list[UnitFigures], list[UnitFigures]]:
    """红榜 and 黑榜: among units with at least `min_dispatched` orders dispatched in the
    period, the `size` best and the `size` worst by the circular's ranking; a unit is never
    on both (with few units the black list is shorter)."""
    judged = [u for u in units if u.counts.dispatched >= min_dispatched]
    best = rank(judged, worst_first=False)[:size]
    chosen = {u.unit_id for u in best}
    worst = [u for u in rank(judged, worst_first=True) if u.unit_id not in chosen][:size]
    return best, worst


# ---- counting plain facts (tests, small data) ------------------------------------------------


@dataclass(frozen=True)
class OrderFact:
    """One work order as the figures see it."""

    unit_id: int | None
    received_at: datetime
    status: str
    dispatched_at: datetime | None = None
    signed_at: datetime | None = None
    sign_limit_end: datetime | None = None  # end of the sign-for limit (domain/signing)
    due_at: datetime | None = None
    replied_at: datetime | None = None  # the last reply
    rework_count: int = 0  # rounds sent back (退回重办) or reopened
    direct: bool = False  # answered directly from the knowledge base
    repeat: bool = False  # a repeat complaint (same phone within 90 days, or merged)


@dataclass(frozen=True)
class ReturnFact:
    unit_id: int | None  # the unit that returned the order
    at: datetime


@dataclass(frozen=True)
class CallbackFact:
    unit_id: int | None
    at: datetime
    reached: bool
    satisfaction: str | None  # satisfied | basic | unsatisfied | None


def in_period(at: datetime | None, start: datetime, end: datetime) -> bool:
    """[start, end): 00:00:00 of the first day counts, 00:00:00 of the next period does not."""
    return at is not None and start <= at < end


def is_late(due_at: datetime | None, replied_at: datetime | None, status: str,
            as_of: datetime) -> bool:
    """Overdue: the deadline has passed and no reply came by it (a reply is still owed, or
    the last reply came after the deadline)."""
    if due_at is None or due_at >= as_of:
        return False
    if status in RUNNING:
        return True
    return replied_at is not None and replied_at > due_at


def count_facts(
    start: datetime, end: datetime, as_of: datetime, orders: Iterable[OrderFact] = (),
    returns: Iterable[ReturnFact] = (), callbacks: Iterable[CallbackFact] = (),
) -> dict[int | None, Counts]:
    """unit_id -> Counts for the period [start, end) as of `as_of` (None: no unit)."""
    acc: dict[int | None, dict[str, int]] = {}

    def add(uid: int | None, **kw: int) -> None:
        row = acc.setdefault(uid, {})
        for k, v in kw.items():
            row[k] = row.get(k, 0) + v

    for o in orders:
        if in_period(o.received_at, start, end):
            add(o.unit_id, received=1, direct=int(o.direct), repeats=int(o.repeat))
        if in_period(o.dispatched_at, start, end):
            signed = o.signed_at is not None and o.signed_at <= as_of
            on_time = signed and o.sign_limit_end is not None and o.signed_at <= o.sign_limit_end
            closed = o.status == "closed"
            closed_on_time = (closed and o.replied_at is not None and o.due_at is not None
                              and o.replied_at <= o.due_at)
            replied = o.replied_at is not None
            add(o.unit_id, dispatched=1, signed=int(signed), signed_on_time=int(on_time),
                closed=int(closed), closed_on_time=int(closed_on_time), replies=int(replied),
                sent_back=int(replied and o.rework_count > 0))
        if in_period(o.due_at, start, end) and o.due_at < as_of:
            add(o.unit_id, due=1, overdue=int(is_late(o.due_at, o.replied_at, o.status, as_of)))
    for r in returns:
        if in_period(r.at, start, end):
            add(r.unit_id, returned=1)
    for cb in callbacks:
        if in_period(cb.at, start, end) and cb.reached and cb.satisfaction:
            add(cb.unit_id, callbacks=1, satisfied=int(cb.satisfaction in SATISFIED))
    return {uid: Counts(**row) for uid, row in acc.items()}


# ---- periods ---------------------------------------------------------------------------------


def month_start(d: datetime) -> datetime:
    return datetime(d.year, d.month, 1)


def shift_month(start: datetime, months: int) -> datetime:
    """The first day of the month `months` after (or before) the month of `start`."""
    k = start.year * 12 + start.month - 1 + months
    return datetime(k // 12, k % 12 + 1, 1)


def month_label(start: datetime) -> str:
    return f"{start.year:04d}-{start.month:02d}"


def month_range(label_or_start: str | datetime) -> tuple[str, datetime, datetime]:
    """'2026-11' (or the month's first day) -> ('2026-11', start, next month's start)."""
    if isinstance(label_or_start, datetime):
        start = month_start(label_or_start)
    else:
        from hotline_tui.domain.signing import month_bounds

        start, _ = month_bounds(label_or_start)
    return month_label(start), start, shift_month(start, 1)


def last_months(end_month: datetime, n: int) -> list[tuple[str, datetime, datetime]]:
    """The `n` months ending with the month of `end_month`, oldest first."""
    first = shift_month(month_start(end_month), -(n - 1))
    return [month_range(shift_month(first, i)) for i in range(n)]


def repeat_window_start(received_at: datetime) -> datetime:
    return received_at - timedelta(days=REPEAT_DAYS)
