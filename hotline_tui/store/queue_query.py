"""The overdue queue's reads: counts, one page of running orders by deadline, the keys of a
whole view for grouping, page details, and the batch reads behind the sponsorship
candidates. Plain rows only; the rules (stages, lateness) are applied in services/queue.py.

Every query over running orders repeats `RUNNING_WHERE` word for word so it can use the
partial deadline index `ix_order_running_due` (SQLite also gets `INDEXED BY`, so the plan
does not depend on ANALYZE having run).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Date, Integer, String, bindparam, text
from sqlalchemy.engine import Connection

from hotline_tui.store.models_queue import RUNNING_WHERE
from hotline_tui.store.types import LocalDateTime, to_db_text

_CHUNK = 500
OPEN_NOT_MERGED = "('new', 'triaged', 'dispatched', 'signed', 'replied', 'rework', 'meeting')"


def _sqlite(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite"


def _running_from(conn: Connection, alias: str = "w") -> str:
    hint = " INDEXED BY ix_order_running_due" if _sqlite(conn) else ""
    return f"work_order AS {alias}{hint}"


def _running_where(alias: str = "w") -> str:
    # the partial index's condition, word for word (the alias is only a qualifier)
    return f"{alias}." + RUNNING_WHERE


def _dt(name: str):  # noqa: ANN202 - a BindParameter
    return bindparam(name, type_=LocalDateTime)


# ---- counts and pages --------------------------------------------------------------------


@dataclass(frozen=True)
class QueueCounts:
    overdue: int
    today: int
    soon: int

    @property
    def total(self) -> int:
        return self.overdue + self.today + self.soon


def queue_counts(conn: Connection, *, now: datetime, today_end: datetime,
                 end: datetime) -> QueueCounts:
    """Running orders due before `end`: overdue (before `now`), due later today (before
    `today_end`), and the rest (inside the warning window). Reads the index only."""
    q = text(
        f"SELECT count(*) AS n, "
        f"coalesce(sum(CASE WHEN w.due_at < :now THEN 1 ELSE 0 END), 0) AS overdue, "
        f"coalesce(sum(CASE WHEN w.due_at >= :now AND w.due_at < :today_end THEN 1 ELSE 0 END),"
        f" 0) AS today "
        f"FROM {_running_from(conn)} WHERE {_running_where()} AND w.due_at < :end"
    ).bindparams(_dt("now"), _dt("today_end"), _dt("end"))
    r = conn.execute(q, {"now": now, "today_end": today_end, "end": end}).one()
    return QueueCounts(int(r.overdue), int(r.today), int(r.n) - int(r.overdue) - int(r.today))


def queue_page_ids(conn: Connection, *, end: datetime, offset: int, limit: int) -> list[int]:
    """One page of running orders due before `end`, by (deadline, unit, id) — the order of
    the partial deadline index, so SQLite walks it without sorting (most overdue first;
    orders due at the same moment, e.g. the end of one day, unit by unit)."""
    q = text(
        f"SELECT w.id FROM {_running_from(conn)} WHERE {_running_where()} AND w.due_at < :end "
        f"ORDER BY w.due_at, w.unit_id, w.id LIMIT :limit OFFSET :offset"
    ).bindparams(_dt("end"))
    return list(conn.execute(q, {"end": end, "limit": limit, "offset": offset}).scalars())


# A key of a view: (id, deadline as stored, unit id). The deadline is left as the driver
# returns it (SQLite: sortable text) so that reading a whole view parses nothing; compare
# it with `db_time(conn, dt)`.
QueueKey = tuple[int, Any, int | None]


def db_time(conn: Connection, dt: datetime) -> Any:
    """`dt` as the driver returns deadlines in a QueueKey (text on SQLite)."""
    return to_db_text(dt) if _sqlite(conn) else dt


def queue_keys(conn: Connection, *, end: datetime) -> list[QueueKey]:
    """Every running order due before `end`, by (deadline, unit, id): index only."""
    q = text(
        f"SELECT w.id, w.due_at, w.unit_id FROM {_running_from(conn)} "
        f"WHERE {_running_where()} AND w.due_at < :end ORDER BY w.due_at, w.unit_id, w.id"
    ).bindparams(_dt("end"))
    return [tuple(r) for r in conn.execute(q, {"end": end})]


def _chase_today_sql(conn: Connection) -> tuple[str, str]:
    """The two halves of the chase-today list: never given a chase date and due before
    :before; a chase date of :today or earlier."""
    q1 = (f"SELECT w.id, w.due_at, w.unit_id FROM {_running_from(conn)} "
          f"LEFT JOIN chase_state AS c ON c.order_id = w.id "
          f"WHERE {_running_where()} AND w.due_at < :before AND c.next_chase_on IS NULL")
    # CROSS JOIN: SQLite keeps the (small) chase table as the outer loop
    q2 = ("SELECT w.id, w.due_at, w.unit_id FROM chase_state AS c CROSS JOIN work_order AS w "
          f"WHERE w.id = c.order_id AND c.next_chase_on <= :today AND {_running_where()} "
          "AND w.due_at IS NOT NULL")
    return q1, q2


def chase_today_count(conn: Connection, *, today: date, unchased_before: datetime) -> int:
    """How many orders chase_today_keys lists, counted in SQL (the dashboard's counter)."""
    q1, q2 = _chase_today_sql(conn)
    q = text(f"SELECT count(*) FROM ({q1} UNION {q2}) AS chase").bindparams(
        _dt("before"), bindparam("today", type_=Date))
    return int(conn.execute(q, {"before": unchased_before, "today": today}).scalar() or 0)


def chase_today_keys(conn: Connection, *, today: date, unchased_before: datetime
                     ) -> list[QueueKey]:
    """Running orders to chase today: a next chase date today or past, or never given one
    and due before `unchased_before` (overdue or due by the next working day). By
    (deadline, unit, id)."""
    sql1, sql2 = _chase_today_sql(conn)
    q1 = text(sql1).bindparams(_dt("before"))
    q2 = text(sql2).bindparams(bindparam("today", type_=Date))
    rows = {r[0]: tuple(r) for r in conn.execute(q1, {"before": unchased_before})}
    rows.update((r[0], tuple(r)) for r in conn.execute(q2, {"today": today}))
    return sorted(rows.values(), key=lambda k: (k[1], k[2] or 0, k[0]))


def running_owners(conn: Connection, *, end: datetime) -> dict[int, int]:
    """order id -> owner id of the running orders due before `end` that have an owner
    (signed for or sent back), read through the owner register's partial index of owned
    open orders (its condition repeated word for word), not the table."""
    hint = ""
    if _sqlite(conn) and _has_index(conn, "ix_order_open_owner"):
        hint = " INDEXED BY ix_order_open_owner"
    q = text(
        f"SELECT w.id, w.owner_id FROM work_order AS w{hint} WHERE {_owned_open_where()} "
        f"AND w.status IN ('signed', 'rework') AND w.owner_id > 0 AND w.due_at < :end"
    ).bindparams(_dt("end"))
    return {r[0]: r[1] for r in conn.execute(q, {"end": end})}


def _has_index(conn: Connection, name: str) -> bool:
    q = text("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = :n")
    return conn.execute(q, {"n": name}).first() is not None


def _owned_open_where() -> str:
    from hotline_tui.store.models_owner import OWNED_OPEN_WHERE

    return "w." + OWNED_OPEN_WHERE


@dataclass(frozen=True)
class QueueDetail:
    """One order of a queue page as stored (services/queue.py adds the rules)."""

    id: int
    order_no: str
    status: str
    title: str
    area: str
    confidential: bool
    unit_id: int | None
    unit_name: str
    unit_short: str
    unit_phone: str
    owner_id: int | None
    owner_name: str
    owner_phone: str
    dispatched_at: datetime | None
    due_at: datetime | None
    upstream_due_at: datetime | None
    chase_count: int
    last_chase_at: datetime | None
    last_method: str
    next_chase_on: date | None
    sponsored: bool
    extension_pending: bool
    merged_count: int


_DETAIL_TYPES = {
    "id": Integer, "order_no": String, "status": String, "title": String, "area": String,
    "unit_id": Integer, "unit_name": String, "unit_short": String, "unit_phone": String,
    "owner_id": Integer, "owner_name": String, "owner_phone": String,
    "dispatched_at": LocalDateTime, "due_at": LocalDateTime, "upstream_due_at": LocalDateTime,
    "chase_count": Integer, "last_chase_at": LocalDateTime, "last_method": String,
    "next_chase_on": Date, "sponsored": Integer, "extension_pending": Integer,
    "merged_count": Integer,
}


def order_details(conn: Connection, ids: Sequence[int]) -> dict[int, QueueDetail]:
    """Unit, owner, chase summary, sponsorship and pending extension of the orders `ids`
    (a page: primary-key and small-index lookups only)."""
    q = text(
        "SELECT w.id, w.order_no, w.status, w.title, w.area, w.confidential, w.unit_id, "
        "coalesce(u.name, '') AS unit_name, coalesce(u.short_name, '') AS unit_short, "
        "coalesce(u.phone, '') AS unit_phone, w.owner_id, "
        "coalesce(o.name, '') AS owner_name, coalesce(o.phone, '') AS owner_phone, "
        "w.dispatched_at, w.due_at, w.upstream_due_at, "
        "coalesce(c.chase_count, 0) AS chase_count, c.last_chase_at, "
        "coalesce(c.last_method, '') AS last_method, c.next_chase_on, "
        "EXISTS (SELECT 1 FROM sponsorship sp WHERE sp.order_id = w.id "
        "AND sp.ended_at IS NULL) AS sponsored, "
        "EXISTS (SELECT 1 FROM extension_request x WHERE x.order_id = w.id "
        "AND x.status = 'pending') AS extension_pending, "
        "(SELECT count(*) FROM order_merge m WHERE m.main_order_id = w.id) AS merged_count "
        "FROM work_order AS w "
        "LEFT JOIN unit AS u ON u.id = w.unit_id "
        "LEFT JOIN owner AS o ON o.id = w.owner_id "
        "LEFT JOIN chase_state AS c ON c.order_id = w.id "
        "WHERE w.id IN :ids"
    ).bindparams(bindparam("ids", expanding=True)).columns(**_DETAIL_TYPES)
    out: dict[int, QueueDetail] = {}
    ids = list(dict.fromkeys(ids))
    for i in range(0, len(ids), _CHUNK):
        for r in conn.execute(q, {"ids": ids[i : i + _CHUNK]}):
            d = r._mapping
            out[d["id"]] = QueueDetail(
                **{k: d[k] for k in QueueDetail.__dataclass_fields__
                   if k not in ("confidential", "sponsored", "extension_pending")},
                confidential=bool(d["confidential"]), sponsored=bool(d["sponsored"]),
                extension_pending=bool(d["extension_pending"]),
            )
    return out


def names_of(conn: Connection, table: str, ids: Iterable[int]) -> dict[int, tuple[str, str]]:
    """(name, phone-or-short-name) of units (table 'unit': name, short name) or owners
    (table 'owner': name, phone) by id."""
    ids = sorted({i for i in ids if i is not None})
    if not ids:
        return {}
    second = "short_name" if table == "unit" else "phone"
    if table not in ("unit", "owner"):
        raise ValueError(table)
    q = text(f"SELECT id, name, {second} FROM {table} WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    out: dict[int, tuple[str, str]] = {}
    for i in range(0, len(ids), _CHUNK):
        for r in conn.execute(q, {"ids": ids[i : i + _CHUNK]}):
            out[r[0]] = (r[1] or "", r[2] or "")
    return out


def owner_units(conn: Connection, ids: Iterable[int]) -> dict[int, int]:
    """owner id -> the owner's unit id."""
    ids = sorted({i for i in ids if i is not None})
    q = text("SELECT id, unit_id FROM owner WHERE id IN :ids").bindparams(
        bindparam("ids", expanding=True))
    out: dict[int, int] = {}
    for i in range(0, len(ids), _CHUNK):
        out.update((r[0], r[1]) for r in conn.execute(q, {"ids": ids[i : i + _CHUNK]}))
    return out


# ---- sponsorship candidates ------------------------------------------------------------------


def escalated_ids(conn: Connection, *, due_before: datetime, limit: int) -> list[int]:
    """Running orders due before `due_before` (past the escalation stage) without an active
    sponsor, most overdue first."""
    q = text(
        f"SELECT w.id FROM {_running_from(conn)} WHERE {_running_where()} "
        f"AND w.due_at < :before AND NOT EXISTS (SELECT 1 FROM sponsorship sp "
        f"WHERE sp.order_id = w.id AND sp.ended_at IS NULL) "
        f"ORDER BY w.due_at, w.unit_id, w.id LIMIT :limit"
    ).bindparams(_dt("before"))
    return list(conn.execute(q, {"before": due_before, "limit": limit}).scalars())


def escalated_count(conn: Connection, *, due_before: datetime) -> int:
    q = text(
        f"SELECT count(*) FROM {_running_from(conn)} WHERE {_running_where()} "
        f"AND w.due_at < :before AND NOT EXISTS (SELECT 1 FROM sponsorship sp "
        f"WHERE sp.order_id = w.id AND sp.ended_at IS NULL)"
    ).bindparams(_dt("before"))
    return int(conn.execute(q, {"before": due_before}).scalar() or 0)


def much_chased_ids(conn: Connection, *, min_chases: int, limit: int) -> list[int]:
    """Open orders chased at least `min_chases` times without an active sponsor, most
    chased first."""
    q = text(
        "SELECT w.id FROM chase_state AS c CROSS JOIN work_order AS w "
        f"WHERE w.id = c.order_id AND c.chase_count >= :n AND w.status IN {OPEN_NOT_MERGED} "
        "AND NOT EXISTS (SELECT 1 FROM sponsorship sp WHERE sp.order_id = w.id "
        "AND sp.ended_at IS NULL) "
        "ORDER BY c.chase_count DESC, w.due_at, w.id LIMIT :limit"
    )
    return list(conn.execute(q, {"n": min_chases, "limit": limit}).scalars())


@dataclass(frozen=True)
class RepeatMember:
    id: int
    order_no: str
    received_at: datetime
    status: str
    caller_phone: str
    address: str
    area: str
    category: str
    title: str
    head: str  # the start of the content
    unit_id: int | None


_MEMBER_TYPES = {"id": Integer, "received_at": LocalDateTime, "unit_id": Integer}
_MEMBER_COLS = ("w.id, w.order_no, w.received_at, w.status, w.caller_phone, w.address, "
                "w.area, w.category, w.title, substr(w.content, 1, :chars) AS head, w.unit_id")


@dataclass(frozen=True)
class RepeatedValue:
    value: str
    count: int  # orders received in the window with this value
    open_count: int  # of which still open (not closed, not merged)
    last_at: datetime


def repeated_values(conn: Connection, column: str, *, since: datetime, min_count: int,
                    min_length: int) -> list[RepeatedValue]:
    """Phones (column 'caller_phone') or addresses ('address') of open orders received since
    `since` that at least `min_count` orders of the window share. Driven by the open orders
    of the window (the receipt index by state), each value then counted through its own
    index, so the cost follows the open orders, not the whole window."""
    if column not in ("caller_phone", "address"):
        raise ValueError(column)
    # the open orders of the window first (MATERIALIZED: SQLite would otherwise walk the
    # whole value index to save the GROUP BY sort), then each value counted by its index
    q = text(
        f"WITH seeds AS MATERIALIZED (SELECT s.{column} AS v, s.received_at AS at "
        f"FROM work_order AS s WHERE s.status IN {OPEN_NOT_MERGED} "
        f"AND s.received_at >= :since AND length(s.{column}) >= :minlen) "
        f"SELECT v, n_open, last_at, n FROM (SELECT v, count(*) AS n_open, "
        f"max(at) AS last_at, (SELECT count(*) FROM work_order AS w WHERE w.{column} = seeds.v "
        f"AND w.received_at >= :since) AS n FROM seeds GROUP BY v) AS g WHERE n >= :n"
    ).bindparams(_dt("since")).columns(last_at=LocalDateTime)
    return [RepeatedValue(r.v, int(r.n), int(r.n_open or 0), r.last_at)
            for r in conn.execute(q, {"since": since, "n": min_count, "minlen": min_length})]


def members_by_value(conn: Connection, column: str, values: Sequence[str], *,
                     since: datetime, chars: int, cap: int) -> list[RepeatMember]:
    """The newest `cap` orders received since `since` with each of these phones /
    addresses (one index range per value)."""
    if column not in ("caller_phone", "address"):
        raise ValueError(column)
    q = text(
        f"SELECT {_MEMBER_COLS} FROM work_order AS w WHERE w.{column} = :val "
        f"AND w.received_at >= :since ORDER BY w.received_at DESC LIMIT :cap"
    ).bindparams(_dt("since")).columns(**_MEMBER_TYPES)
    out: list[RepeatMember] = []
    for v in dict.fromkeys(values):
        out += [RepeatMember(*r) for r in conn.execute(
            q, {"val": v, "since": since, "chars": chars, "cap": cap})]
    return out


def recent_texts(conn: Connection, *, since: datetime, limit: int,
                 chars: int) -> list[RepeatMember]:
    """The newest `limit` orders received since `since` (for near-same text), newest first,
    walking the receipt index."""
    q = text(
        f"SELECT {_MEMBER_COLS} FROM work_order AS w WHERE w.received_at >= :since "
        f"ORDER BY w.received_at DESC LIMIT :limit"
    ).bindparams(_dt("since")).columns(**_MEMBER_TYPES)
    return [RepeatMember(*r) for r in conn.execute(q, {"since": since, "limit": limit,
                                                       "chars": chars})]


def active_sponsored(conn: Connection, ids: Sequence[int]) -> set[int]:
    """Which of these orders have an active sponsor."""
    q = text("SELECT order_id FROM sponsorship WHERE ended_at IS NULL AND order_id IN :ids"
             ).bindparams(bindparam("ids", expanding=True))
    out: set[int] = set()
    ids = list(ids)
    for i in range(0, len(ids), _CHUNK):
        out.update(conn.execute(q, {"ids": ids[i : i + _CHUNK]}).scalars())
    return out
