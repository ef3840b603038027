"""The order search index (SQLite): an FTS5 table over character n-grams, newest first.

Why n-grams: most Chinese search words are 2 characters. FTS5's trigram tokenizer cannot
match fewer than 3, and on SQLite 3.40 `LIKE` against a trigram table is broken. So every
searchable field is lower-cased and cut into *runs*: letters/digits of one kind, ASCII
(order numbers, phone numbers, amounts) or not (Chinese), NFKC-folded (ＡＢ１ -> ab1).
Each run is written as overlapping n-grams, then its last n-1 characters as shorter tokens:
Chinese runs as bigrams ("黑龙河乡" -> "黑龙 龙河 河乡 乡"), ASCII runs as trigrams
("13812" -> "138 381 812 12 2"; digit bigrams are too common to find a number quickly).
A query run becomes the phrase of its n-grams (= an exact substring match); a run shorter
than n becomes a prefix query (`"灯" *`, `"13" *`). The short tokens that close every run
keep a phrase from running across two runs or fields, and let a word with signs inside
("0372-776") be one phrase: each inner run must end where the text's run ends.

The table `order_search(doc, st, u)` is contentless: it stores only the index (the text is in
`work_order`). Its rowid is a sort key, `received seconds << 28 | order id`, so FTS5 returns
hits newest first without a sort, and `LIMIT/OFFSET` walk the index in C. `st` holds the
status as one token (`snew`), `u` the unit (`u12`, `u0` when none), so a status filter and
a unit found by pinyin are plain FTS terms as well.

Triggers on `work_order` keep it in sync for every writer (ORM, Core, raw sqlite3): they
call the SQL function `hotline_search_doc(...)`, registered on every connection the app
opens (store.engine) and by the migration. A connection without it cannot write orders
("no such function") rather than silently desynchronise the index.

CHANGING `search_doc` OR THE KEY CHANGES WHAT THE TRIGGERS DELETE: ship a migration that
calls `rebuild(conn)` with it, or deletes will not find the old tokens.
"""

from __future__ import annotations

import calendar
import operator
import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime

TABLE = "order_search"
KEY_SHIFT = 28
ID_MASK = (1 << KEY_SHIFT) - 1  # order ids up to 268 million
MAX_ID = ID_MASK

# The fields the inbox filter searches, in the order hotline_search_doc takes them.
FIELDS = (
    "order_no", "title", "content", "caller_name", "caller_phone", "area", "address",
    "upstream_unit",
)

# letters/digits of one kind: ASCII, or any other script (after lower-casing)
_RUN = re.compile(r"[a-z0-9]+|[^\W_a-z0-9]+")
_add = operator.add
_is_nfkc = unicodedata.is_normalized
_nfkc = unicodedata.normalize
_runs_of = _RUN.findall


def runs(text: str | None) -> list[str]:
    """The searchable runs of `text`: lower case, NFKC-folded, split where letters/digits
    stop or change between ASCII and other scripts. Only runs are folded: punctuation
    such as ， is not searchable anyway, and that is ~20x cheaper than folding it all."""
    if not text:
        return []
    out = []
    for run in _runs_of(text.lower()):
        if run.isascii() or _is_nfkc("NFKC", run):
            out.append(run)
        else:
            out.extend(_runs_of(_nfkc("NFKC", run).lower()))
    return out


def _run_tokens(run: str, push) -> None:  # noqa: ANN001 - list.append
    n = len(run)
    if run.isascii():
        if n > 2:
            push(" ".join([run[i:i + 3] for i in range(n - 2)]))
        if n > 1:
            push(run[-2:])
    elif n > 1:
        push(" ".join(map(_add, run, run[1:])))
    push(run[-1])


def search_doc(*fields: str | None) -> str:
    """The token text indexed for one order (see the module docstring). The token sequence
    of several fields is the sequence of each field's tokens, one after the other."""
    out: list[str] = []
    push = out.append
    for field in fields:
        if not field:
            continue
        for run in _runs_of(field.lower()):
            if run.isascii() or _is_nfkc("NFKC", run):
                _run_tokens(run, push)
            else:
                for sub in _runs_of(_nfkc("NFKC", run).lower()):
                    _run_tokens(sub, push)
    return " ".join(out)


def search_key(received_at: datetime, order_id: int) -> int:
    """The FTS rowid of an order: newest first when sorted descending; same as the SQL
    `CAST(strftime('%s', received_at) AS INTEGER) * 268435456 + id` of the triggers."""
    if order_id > MAX_ID:
        raise ValueError(f"order id {order_id} is beyond the search index's key range")
    return (calendar.timegm(received_at.timetuple()) << KEY_SHIFT) + order_id


def status_token(status: str) -> str:
    return "s" + status


def unit_token(unit_id: int | None) -> str:
    return f"u{unit_id or 0}"


def register_functions(dbapi_conn) -> None:  # noqa: ANN001 - a sqlite3.Connection
    """Make `hotline_search_doc` available to the triggers on this connection."""
    dbapi_conn.create_function(
        "hotline_search_doc", len(FIELDS), search_doc, deterministic=True
    )


# --- queries -------------------------------------------------------------------------

def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _grams(run: str) -> list[str]:
    """The full-size n-grams of a run (trigrams for ASCII, bigrams otherwise)."""
    if run.isascii():
        return [run[i:i + 3] for i in range(len(run) - 2)]
    return list(map(_add, run, run[1:]))


def text_expression(word: str) -> str | None:
    """FTS5 expression matching `word` as a substring of some field (None: nothing
    searchable in it, e.g. only punctuation). Runs of the word that follow each other
    must follow each other in the text, across any signs between them."""
    parts = runs(word)
    if not parts:
        return None
    tokens: list[str] = []
    for run in parts[:-1]:  # inner runs end where a run of the text ends
        tokens.extend(_grams(run))
        if run.isascii() and len(run) > 1:
            tokens.append(run[-2:])
        tokens.append(run[-1])
    last = parts[-1]
    grams = _grams(last)
    if grams:
        return _quote(" ".join([*tokens, *grams]))
    return _quote(" ".join([*tokens, last])) + " *"  # shorter than an n-gram: a prefix


def match_expression(
    words: Iterable[tuple[str, Iterable[int]]], statuses: Iterable[str] = ()
) -> str | None:
    """The MATCH text for: every word (as text, or its matching unit ids) and a status."""
    clauses = []
    for word, unit_ids in words:
        alts = []
        text = text_expression(word)
        if text:
            alts.append(f"doc : ({text})")
        units = sorted(set(unit_ids))
        if units:
            alts.append("u : (" + " OR ".join(unit_token(u) for u in units) + ")")
        if not alts:
            continue
        clauses.append("(" + " OR ".join(alts) + ")")
    sts = sorted(set(statuses))
    if sts:
        clauses.append("st : (" + " OR ".join(status_token(s) for s in sts) + ")")
    if not clauses:
        return None
    return " AND ".join(clauses)


# --- maintenance ---------------------------------------------------------------------

KEY_SQL = "CAST(strftime('%s', {t}.received_at) AS INTEGER) * 268435456 + {t}.id"
DOC_SQL = "hotline_search_doc(" + ", ".join("{t}." + f for f in FIELDS) + ")"


def insert_select_sql(where: str = "") -> str:
    """SQL filling the index from `work_order` (needs the registered function)."""
    t = "w"
    return (
        f"INSERT INTO {TABLE}(rowid, doc, st, u) SELECT "
        f"{KEY_SQL.format(t=t)}, {DOC_SQL.format(t=t)}, 's' || {t}.status, "
        f"'u' || coalesce({t}.unit_id, 0) FROM work_order AS {t} {where}"
    )


def rebuild(dbapi_conn) -> None:  # noqa: ANN001 - a sqlite3.Connection (or DBAPI proxy)
    """Empty and refill the index from the orders (after a change of the tokenising)."""
    register_functions(dbapi_conn)
    dbapi_conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")
    dbapi_conn.execute(insert_select_sql())
    dbapi_conn.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
