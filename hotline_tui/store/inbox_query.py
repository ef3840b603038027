"""Paged reads of the order list for the inbox and `hotline list`: one window at a time,
plain rows, never whole tables; fast at 1,000,000 orders.

Every page is found in two steps: an ordered *key query* picks the ids of the window
(`LIMIT/OFFSET` over an index or the search index, never over whole rows), then one *row
query* reads those rows. Plans, on SQLite:

- no text: the index of the sort, `(status, ...)` indexes merged per status
  (`UNION ALL ... ORDER BY`, a streaming merge) when states are chosen;
- text, newest first: the FTS5 search index (store/search.py), whose rowids are in
  received order: hits come sorted, `OFFSET` steps through the index in C;
- text, sorted by deadline or unit: up to SORT_ALL hits are read and sorted; beyond that
  the sort's index is walked and each order is checked against the search index
  (common words: the first pages are quick, a page deep in the list costs more).

Pages past the middle are read backwards from the end when the total is known (given as
`total=`, or remembered from `count_orders` while nothing has changed), so the last page
of a million is as cheap as the first.

Other databases (PostgreSQL later) get the same results through portable SQLAlchemy
statements with LIKE, without the speed.
"""

from __future__ import annotations

import threading
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.engine import Connection

from hotline_tui.store import search as S
from hotline_tui.store.models import Unit, WorkOrder

WO = WorkOrder.__table__.c
UN = Unit.__table__.c

SORTS = ("received", "due", "unit")
SORT_ALL = 20_000  # text + deadline/unit sort: sort the hits when there are at most this many
_REVERSE_FROM = 2_000  # offsets below this are read forwards anyway


@dataclass(frozen=True)
class InboxFilter:
    """What the list shows. `text`: words separated by spaces, each must match (a
    substring of number, title, content, caller, phone, area, address or upstream unit;
    or the unit by name, pinyin initials or full pinyin prefix). `statuses`: any of these
    (none = all). `sort`: received (newest first) | due (earliest deadline first, none
    last) | unit (by unit, newest first within one; none last)."""

    text: str = ""
    statuses: tuple[str, ...] = ()
    sort: str = "received"  # received | due | unit


@dataclass(frozen=True)
class InboxRow:
    id: int
    order_no: str
    received_at: datetime
    request_type: str
    title: str  # the title, or the start of the content when there is none
    area: str
    unit_name: str  # short name of the unit, else its name, else the upstream unit
    status: str
    due_at: datetime | None
    caller_name: str
    caller_phone: str
    confidential: bool
    urgent: bool = False
    anonymous: bool = False


# ------------------------------------------------------------------------- helpers

def words_of(text: str) -> list[str]:
    """The filter's words: split on any white space (including the full-width one)."""
    return text.split()


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def matching_units(conn: Connection, word: str) -> list[int]:
    """Ids of the units `word` names: a part of the name or short name, or (letters and
    digits only) the start of a pinyin reading or of its initials."""
    w = _fold(word)
    if not w:
        return []
    spelled = w.isascii() and w.isalnum() and any(c.isalpha() for c in w)
    out = []
    for uid, name, short, pinyin, initials in conn.execute(
        select(UN.id, UN.name, UN.short_name, UN.pinyin, UN.initials)
    ):
        if w in _fold(name or "") or (short and w in _fold(short)):
            out.append(uid)
        elif spelled and any(
            key.startswith(w) for key in f"{pinyin or ''} {initials or ''}".split()
        ):
            out.append(uid)
    return out


def _has_search_index(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":
        return False
    info = conn.connection.info
    have = info.get("hotline_search_index")
    if have is None:
        have = conn.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (S.TABLE,)
        ).first() is not None
        info["hotline_search_index"] = have
    return bool(have)


def _expression(conn: Connection, f: InboxFilter, words: list[str]) -> str | None:
    return S.match_expression(((w, matching_units(conn, w)) for w in words), f.statuses)


# ------------------------------------------------------------- remembered totals

_totals: OrderedDict[tuple, tuple[tuple, int]] = OrderedDict()
_totals_lock = threading.Lock()


def _stamp(conn: Connection) -> tuple:
    """Changes whenever the lists can: every change of an order writes a history row, the
    schema version moves when the demo data is replaced, and the units' names and pinyin
    decide which orders a unit word finds."""
    hist = conn.exec_driver_sql("SELECT max(id) FROM order_history").scalar()
    schema = conn.exec_driver_sql("PRAGMA schema_version").scalar()
    orders = conn.exec_driver_sql("SELECT max(id) FROM work_order").scalar()
    units = conn.exec_driver_sql(
        "SELECT group_concat(id || name || short_name || pinyin || initials, '|') FROM unit"
    ).scalar()
    return (hist, orders, schema, units)


def _db_key(conn: Connection, f: InboxFilter) -> tuple:
    return (str(conn.engine.url), f.text.strip(), tuple(sorted(f.statuses)))


def _remember(conn: Connection, f: InboxFilter, total: int) -> None:
    key = _db_key(conn, f)
    stamp = _stamp(conn)
    with _totals_lock:
        _totals[key] = (stamp, total)
        _totals.move_to_end(key)
        while len(_totals) > 64:
            _totals.popitem(last=False)


def _recall(conn: Connection, f: InboxFilter) -> int | None:
    with _totals_lock:
        got = _totals.get(_db_key(conn, f))
    if got is None:
        return None
    stamp, total = got
    return total if stamp == _stamp(conn) else None


# ------------------------------------------------------------------------- count

def count_orders(conn: Connection, f: InboxFilter) -> int:
    """How many orders the filter shows. Cost at 1,000,000 orders on SQLite: no text, a
    few ms (one index range per state); with text, one pass over the search index's hits
    (~10-100 ms for the commonest words). Meant for a background worker."""
    words = words_of(f.text)
    if conn.dialect.name == "sqlite":
        total = _count_sqlite(conn, f, words)
        _remember(conn, f, total)
        return total
    return _count_portable(conn, f, words)


def _count_sqlite(conn: Connection, f: InboxFilter, words: list[str]) -> int:
    if words and _has_search_index(conn):
        expr = _expression(conn, f, words)
        if expr is not None:
            return int(conn.exec_driver_sql(
                f"SELECT count(*) FROM {S.TABLE} WHERE {S.TABLE} MATCH ?", (expr,)).scalar())
        words = []
    if words:
        return _count_portable(conn, f, words)
    if not f.statuses:
        return int(conn.exec_driver_sql("SELECT count(*) FROM work_order").scalar())
    marks = ", ".join("?" * len(f.statuses))
    return int(conn.exec_driver_sql(
        f"SELECT count(*) FROM work_order WHERE status IN ({marks})", tuple(f.statuses)
    ).scalar())


# -------------------------------------------------------------------------- pages

def fetch_page(conn: Connection, f: InboxFilter, offset: int, limit: int, *,
               total: int | None = None) -> list[InboxRow]:
    """Rows offset .. offset+limit-1 of the filtered, sorted list. `total` (the count of
    the same filter, if the caller has it) lets a page past the middle be read from the
    end; without it the last count_orders of this filter is used while nothing changed."""
    offset = max(0, int(offset))
    limit = max(0, int(limit))
    if limit == 0:
        return []
    words = words_of(f.text)
    if conn.dialect.name != "sqlite":
        return _page_portable(conn, f, words, offset, limit)
    if total is None and offset >= _REVERSE_FROM:
        total = _recall(conn, f)
    if total is not None and offset >= total:
        return []
    reverse = total is not None and offset >= _REVERSE_FROM and offset + limit / 2 > total / 2
    if reverse:
        assert total is not None
        end = min(total, offset + limit)
        ids = _keys_sqlite(conn, f, words, total - end, end - offset, reverse=True)
        ids.reverse()
    else:
        ids = _keys_sqlite(conn, f, words, offset, limit, reverse=False)
    return _rows(conn, ids)


def _keys_sqlite(conn: Connection, f: InboxFilter, words: list[str], offset: int, limit: int,
                 *, reverse: bool) -> list[int]:
    expr = None
    if words and _has_search_index(conn):
        expr = _expression(conn, f, words)
        if expr is None:  # nothing searchable in the words: like no text
            words = []
    elif words:  # no search index (an old file): the portable plan
        return [r.id for r in _page_portable(conn, f, words, offset, limit, reverse=reverse)]
    if expr is None:
        return _keys_index(conn, f, offset, limit, reverse)
    if f.sort not in ("due", "unit"):
        order = "ASC" if reverse else "DESC"
        rows = conn.exec_driver_sql(
            f"SELECT rowid FROM {S.TABLE} WHERE {S.TABLE} MATCH ? ORDER BY rowid {order} "
            "LIMIT ? OFFSET ?", (expr, limit, offset)).all()
        return [r[0] & S.ID_MASK for r in rows]
    return _keys_text_sorted(conn, f, expr, offset, limit, reverse)


# The order of each sort: (column, ascending, nulls last). A nulls-last column sorts on
# `(col IS NULL)` first; the indexes of migration 0002 are built on the same expressions.
_ORDER: dict[str, tuple[tuple[str, bool, bool], ...]] = {
    "received": (("received_at", False, False), ("id", False, False)),
    "due": (("due_at", True, True), ("id", True, False)),
    "unit": (("unit_id", True, True), ("received_at", False, False), ("id", False, False)),
}
# the index each sort walks when text is checked order by order
_SORT_INDEX = {"due": "ix_order_due_nulls_last", "unit": "ix_order_unit_received"}


def _order_terms(sort: str, reverse: bool, prefix: str = "") -> list[tuple[str, str]]:
    """(expression, ASC|DESC) for ORDER BY, flipped when reading backwards."""
    out = []
    for col, asc, nulls_last in _ORDER[sort]:
        if nulls_last:
            out.append((f"({prefix}{col} IS NULL)", "ASC" if not reverse else "DESC"))
        out.append((f"{prefix}{col}", "ASC" if asc != reverse else "DESC"))
    return out


def _order_sql(sort: str, reverse: bool, prefix: str = "") -> str:
    return ", ".join(f"{e} {d}" for e, d in _order_terms(sort, reverse, prefix))


def _keys_index(conn: Connection, f: InboxFilter, offset: int, limit: int,
                reverse: bool) -> list[int]:
    """No text: walk the sort's index; with states, one ordered arm per state merged by
    SQLite (a compound SELECT with ORDER BY merges its arms' streams)."""
    sort = f.sort if f.sort in SORTS else "received"
    statuses = tuple(dict.fromkeys(f.statuses))
    if len(statuses) <= 1:
        where = "WHERE status = ? " if statuses else ""
        sql = (f"SELECT id FROM work_order {where}ORDER BY {_order_sql(sort, reverse)} "
               "LIMIT ? OFFSET ?")
        rows = conn.exec_driver_sql(sql, (*statuses, limit, offset)).all()
        return [r[0] for r in rows]
    terms = _order_terms(sort, reverse)
    cols = ", ".join(e for e, _ in terms)
    arms = " UNION ALL ".join(f"SELECT {cols} FROM work_order WHERE status = ?"
                              for _ in statuses)
    by = ", ".join(f"{i} {d}" for i, (_, d) in enumerate(terms, start=1))
    id_at = [e for e, _ in terms].index("id")
    rows = conn.exec_driver_sql(f"{arms} ORDER BY {by} LIMIT ? OFFSET ?",
                                (*statuses, limit, offset)).all()
    return [r[id_at] for r in rows]


def _keys_text_sorted(conn: Connection, f: InboxFilter, expr: str, offset: int, limit: int,
                      reverse: bool) -> list[int]:
    """Text with the deadline or unit sort. Up to SORT_ALL hits: read and sort them. More:
    walk the sort's index and keep the orders that match, checked either one by one
    against the search index (cheap for the first pages of a common word) or against a
    per-connection temporary table of the hits (made once per filter and connection while
    nothing changes; then any page costs one walk of the index up to it)."""
    few = conn.exec_driver_sql(
        f"SELECT count(*) FROM (SELECT 1 FROM {S.TABLE} WHERE {S.TABLE} MATCH ? LIMIT ?)",
        (expr, SORT_ALL + 1)).scalar()
    order = _order_sql(f.sort, reverse, prefix="o.")
    index = _SORT_INDEX[f.sort]
    if few <= SORT_ALL:
        sql = (f"SELECT o.id FROM (SELECT rowid & {S.ID_MASK} AS i FROM {S.TABLE} "
               f"WHERE {S.TABLE} MATCH ?) AS h JOIN work_order AS o ON o.id = h.i "
               f"ORDER BY {order} LIMIT ? OFFSET ?")
        return [r[0] for r in conn.exec_driver_sql(sql, (expr, limit, offset)).all()]
    if conn.connection.info.get(_HITS) != (expr, _stamp(conn)):
        hits = _recall(conn, f)
        if hits is None:
            hits = count_orders(conn, f)
        everything = conn.exec_driver_sql("SELECT count(*) FROM work_order").scalar() or 1
        walked = (offset + limit) * everything / max(hits, 1)
        if walked * _PROBE_COST < hits * _HIT_COST:
            sql = (f"SELECT o.id FROM work_order AS o INDEXED BY {index} WHERE EXISTS ("
                   f"SELECT 1 FROM {S.TABLE} WHERE {S.TABLE} MATCH ? AND rowid = "
                   f"{S.KEY_SQL.format(t='o')}) ORDER BY {order} LIMIT ? OFFSET ?")
            return [r[0] for r in conn.exec_driver_sql(sql, (expr, limit, offset)).all()]
        _hits_table(conn, expr)
    # `+o.id`: test membership row by row; without the + SQLite looks up every hit instead
    sql = (f"SELECT o.id FROM work_order AS o INDEXED BY {index} "
           f"WHERE +o.id IN (SELECT id FROM temp.{_HITS}) ORDER BY {order} LIMIT ? OFFSET ?")
    return [r[0] for r in conn.exec_driver_sql(sql, (limit, offset)).all()]


_PROBE_COST = 30.0  # relative cost of checking one order against the search index
_HIT_COST = 1.0  # relative cost of putting one hit in the temporary table
_HITS = "hotline_inbox_hits"


def _hits_table(conn: Connection, expr: str) -> None:
    """Fill temp.hotline_inbox_hits with the ids matching `expr`, unless it holds them."""
    info = conn.connection.info
    stamp = _stamp(conn)
    if info.get(_HITS) == (expr, stamp):
        return
    conn.exec_driver_sql(f"CREATE TEMP TABLE IF NOT EXISTS {_HITS} (id INTEGER PRIMARY KEY)")
    conn.exec_driver_sql(f"DELETE FROM temp.{_HITS}")
    conn.exec_driver_sql(
        f"INSERT INTO temp.{_HITS}(id) SELECT rowid & {S.ID_MASK} FROM {S.TABLE} "
        f"WHERE {S.TABLE} MATCH ?", (expr,))
    info[_HITS] = (expr, stamp)


_ROW_SQL = (
    "SELECT o.id, o.order_no, o.received_at, o.request_type, o.title, "
    "substr(o.content, 1, 60), o.area, "
    "coalesce(nullif(u.short_name, ''), nullif(u.name, ''), o.upstream_unit), "
    "o.status, o.due_at, o.caller_name, o.caller_phone, o.confidential, o.urgent, o.anonymous "
    "FROM work_order AS o LEFT JOIN unit AS u ON u.id = o.unit_id WHERE o.id IN ({})"
)


def _dt(v: Any) -> datetime | None:
    if v is None or isinstance(v, datetime):
        return v
    return datetime.fromisoformat(v)


def _rows(conn: Connection, ids: list[int]) -> list[InboxRow]:
    """The rows of `ids`, in that order."""
    if not ids:
        return []
    got = {}
    for r in conn.exec_driver_sql(_ROW_SQL.format(", ".join("?" * len(ids))), tuple(ids)):
        got[r[0]] = _make_row(r[0], r[1], _dt(r[2]), r[3], r[4], r[5], r[6], r[7], r[8],
                              _dt(r[9]), r[10], r[11], r[12], r[13], r[14])
    return [got[i] for i in ids if i in got]


def _make_row(id_, order_no, received_at, request_type, title, content, area, unit_name,
              status, due_at, caller_name, caller_phone, confidential, urgent,
              anonymous) -> InboxRow:  # noqa: ANN001
    if not title:
        title = " ".join((content or "").split())[:40]
    return InboxRow(id_, order_no, received_at, request_type or "", title, area or "",
                    unit_name or "", status, due_at, caller_name or "", caller_phone or "",
                    bool(confidential), bool(urgent), bool(anonymous))


# ------------------------------------------------------------ portable (LIKE) plan

_TEXT_COLUMNS = (WO.order_no, WO.title, WO.content, WO.caller_name, WO.caller_phone, WO.area,
                 WO.address, WO.upstream_unit)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _where_portable(conn: Connection, f: InboxFilter, words: list[str]):  # noqa: ANN202
    conds = []
    if f.statuses:
        conds.append(WO.status.in_(f.statuses))
    for word in words:
        like = f"%{_escape_like(word)}%"
        alts = [c.like(like, escape="\\") for c in _TEXT_COLUMNS]
        units = matching_units(conn, word)
        if units:
            alts.append(WO.unit_id.in_(units))
        conds.append(or_(*alts))
    return and_(*conds) if conds else None


def _order_portable(sort: str, reverse: bool) -> list:
    def d(col, asc: bool):  # noqa: ANN001, ANN202
        return col.asc() if asc != reverse else col.desc()

    if sort == "due":
        nulls = case((WO.due_at.is_(None), 1), else_=0)
        return [d(nulls, True), d(WO.due_at, True), d(WO.id, True)]
    if sort == "unit":
        nulls = case((WO.unit_id.is_(None), 1), else_=0)
        return [d(nulls, True), d(WO.unit_id, True), d(WO.received_at, False), d(WO.id, False)]
    return [d(WO.received_at, False), d(WO.id, False)]


def _count_portable(conn: Connection, f: InboxFilter, words: list[str]) -> int:
    q = select(func.count()).select_from(WorkOrder.__table__)
    w = _where_portable(conn, f, words)
    if w is not None:
        q = q.where(w)
    return int(conn.execute(q).scalar() or 0)


def _page_portable(conn: Connection, f: InboxFilter, words: list[str], offset: int,
                   limit: int, *, reverse: bool = False) -> list[InboxRow]:
    sort = f.sort if f.sort in SORTS else "received"
    unit_name = func.coalesce(func.nullif(UN.short_name, ""), func.nullif(UN.name, ""),
                              WO.upstream_unit)
    q = (
        select(WO.id, WO.order_no, WO.received_at, WO.request_type, WO.title,
               func.substr(WO.content, 1, 60), WO.area, unit_name, WO.status, WO.due_at,
               WO.caller_name, WO.caller_phone, WO.confidential, WO.urgent, WO.anonymous)
        .select_from(WorkOrder.__table__.outerjoin(Unit.__table__, UN.id == WO.unit_id))
        .order_by(*_order_portable(sort, reverse))
        .offset(offset)
        .limit(limit)
    )
    w = _where_portable(conn, f, words)
    if w is not None:
        q = q.where(w)
    return [_make_row(*r) for r in conn.execute(q)]
