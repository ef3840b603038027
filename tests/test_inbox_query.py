"""The inbox's filter, sorts and paging (store.inbox_query) against a plain-Python reference
over a small demo database: every plan (search index, index walks, merged states, sorted
hits, hits table, read backwards) must give exactly the reference list."""

from __future__ import annotations

import unicodedata
from datetime import datetime

import pytest

from hotline_tui.store import inbox_query as iq
from hotline_tui.store.engine import make_engine
from hotline_tui.store.inbox_query import InboxFilter, count_orders, fetch_page

NOW = datetime(2026, 5, 20, 10, 30)
FIELDS = ("order_no", "title", "content", "caller_name", "caller_phone", "area", "address",
          "upstream_unit")
OPEN = ("new", "triaged", "dispatched", "signed", "replied", "rework", "meeting")


def fold(s: str | None) -> str:
    return unicodedata.normalize("NFKC", s or "").lower()


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    from hotline_tui.services import demo

    path = tmp_path_factory.mktemp("inbox") / "demo.db"
    demo.generate(path, 2000, seed=7, now=NOW, workers=0)
    eng = make_engine(path)
    with eng.connect() as conn:
        cols = ", ".join(f"o.{c}" for c in ("id", *FIELDS, "status", "unit_id", "received_at",
                                              "due_at"))
        orders = [dict(r._mapping) for r in conn.exec_driver_sql(
            f"SELECT {cols} FROM work_order AS o")]
        units = [dict(r._mapping) for r in conn.exec_driver_sql(
            "SELECT id, name, short_name, pinyin, initials FROM unit")]
    yield eng, orders, units
    eng.dispose()


def unit_ids(units, word):
    w = fold(word)
    spelled = w.isascii() and w.isalnum() and any(c.isalpha() for c in w)
    out = set()
    for u in units:
        if w in fold(u["name"]) or w in fold(u["short_name"]):
            out.add(u["id"])
        elif spelled and any(k.startswith(w) for k in f"{u['pinyin']} {u['initials']}".split()):
            out.add(u["id"])
    return out


def reference(data, f: InboxFilter) -> list[int]:
    _, orders, units = data
    words = f.text.split()
    hits = []
    for o in orders:
        if f.statuses and o["status"] not in f.statuses:
            continue
        ok = True
        for w in words:
            text = any(fold(w) in fold(o[c]) for c in FIELDS)
            if not (text or o["unit_id"] in unit_ids(units, w)):
                ok = False
                break
        if ok:
            hits.append(o)
    if f.sort == "due":
        hits.sort(key=lambda o: (o["due_at"] is None, o["due_at"] or "", o["id"]))
    elif f.sort == "unit":
        hits.sort(key=lambda o: o["id"], reverse=True)
        hits.sort(key=lambda o: o["received_at"], reverse=True)
        hits.sort(key=lambda o: (o["unit_id"] is None, o["unit_id"] or 0))
    else:
        hits.sort(key=lambda o: (o["received_at"], o["id"]), reverse=True)
    return [o["id"] for o in hits]


def all_ids(conn, f: InboxFilter, page: int = 37, **kw) -> list[int]:
    out: list[int] = []
    while True:
        rows = fetch_page(conn, f, len(out), page, **kw)
        out += [r.id for r in rows]
        if len(rows) < page:
            return out


def check(data, f: InboxFilter) -> list[int]:
    eng = data[0]
    want = reference(data, f)
    with eng.connect() as conn:
        iq._totals.clear()
        assert all_ids(conn, f) == want, f
        assert count_orders(conn, f) == len(want)
        # read backwards from the end (the total given, or remembered from the count)
        if want:
            tail = fetch_page(conn, f, max(0, len(want) - 5), 5, total=len(want))
            assert [r.id for r in tail] == want[-5:]
    return want


def sample(data, field: str, size: int, k: int = 0) -> str:
    """A `size`-character piece of `field` of some order (letters/digits only)."""
    for o in data[1][k * 37:]:
        v = o[field] or ""
        for i in range(len(v) - size + 1):
            piece = v[i:i + size]
            if piece.isalnum():
                return piece
    raise AssertionError(f"no {field} piece")


@pytest.mark.parametrize("field", FIELDS)
def test_each_field_is_searched(demo_db, field):
    size = 3 if field in ("caller_name", "area") else 4
    term = sample(demo_db, field, size)
    found = check(demo_db, InboxFilter(text=term))
    assert found, term


@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_chinese_terms_of_any_length(demo_db, size):
    term = sample(demo_db, "content", size, k=size)
    assert check(demo_db, InboxFilter(text=term))


def test_common_two_character_word(demo_db):
    assert len(check(demo_db, InboxFilter(text="反映"))) > 1000


def test_phone_and_order_number_fragments(demo_db):
    o = demo_db[1][123]
    assert o["id"] in check(demo_db, InboxFilter(text=o["caller_phone"][3:8]))
    assert o["id"] in check(demo_db, InboxFilter(text=o["order_no"][-7:]))
    assert check(demo_db, InboxFilter(text=o["order_no"])) == [o["id"]]


@pytest.mark.parametrize("term", ["hlh", "hlhx", "heilonghe", "heilonghexiang", "黑龙河"])
def test_unit_by_initials_pinyin_and_name(demo_db, term):
    eng, orders, units = demo_db
    hlh = next(u["id"] for u in units if u["name"] == "黑龙河乡")
    found = set(check(demo_db, InboxFilter(text=term)))
    assigned = {o["id"] for o in orders if o["unit_id"] == hlh}
    assert assigned and assigned <= found


def test_department_by_short_name_initials(demo_db):
    _, orders, units = demo_db
    zjj = next(u["id"] for u in units if u["short_name"] == "县住建局")
    found = set(check(demo_db, InboxFilter(text="zjj")))
    assert {o["id"] for o in orders if o["unit_id"] == zjj} <= found


def test_words_must_all_match(demo_db):
    both = check(demo_db, InboxFilter(text="路灯 黑龙河乡"))
    one = set(check(demo_db, InboxFilter(text="路灯")))
    assert both and set(both) <= one


def test_full_width_and_case_fold(demo_db):
    o = demo_db[1][50]
    wide = "".join(chr(ord(c) + 0xFEE0) if "0" <= c <= "9" or "A" <= c <= "Z" else c
                   for c in o["order_no"].upper())
    with demo_db[0].connect() as conn:
        assert [r.id for r in fetch_page(conn, InboxFilter(text=wide), 0, 5)] == [o["id"]]
        assert [r.id for r in fetch_page(conn, InboxFilter(text=o["order_no"].lower()), 0, 5)
                ] == [o["id"]]


def test_nothing_found(demo_db):
    assert check(demo_db, InboxFilter(text="不存在的词语乙丙")) == []


@pytest.mark.parametrize("sort", ["received", "due", "unit"])
@pytest.mark.parametrize("statuses", [(), ("closed",), ("signed",), OPEN])
def test_sorts_and_states_without_text(demo_db, sort, statuses):
    assert check(demo_db, InboxFilter(statuses=statuses, sort=sort))


@pytest.mark.parametrize("sort", ["received", "due", "unit"])
@pytest.mark.parametrize("statuses", [(), OPEN])
def test_sorts_and_states_with_text(demo_db, sort, statuses):
    check(demo_db, InboxFilter(text="小区", statuses=statuses, sort=sort))
    check(demo_db, InboxFilter(text="灯", statuses=statuses, sort=sort))


@pytest.mark.parametrize("probe_cost", [0.0, 1e9])
@pytest.mark.parametrize("sort", ["due", "unit"])
def test_many_hits_walk_the_sort_index(demo_db, monkeypatch, sort, probe_cost):
    """Past SORT_ALL hits: checked one by one (cheap probes) or through the hits table."""
    monkeypatch.setattr(iq, "SORT_ALL", 50)
    monkeypatch.setattr(iq, "_PROBE_COST", probe_cost)
    with demo_db[0].connect() as conn:
        conn.connection.info.pop(iq._HITS, None)
    assert len(check(demo_db, InboxFilter(text="反映", sort=sort))) > 50
    check(demo_db, InboxFilter(text="反映", statuses=("closed",), sort=sort))


def test_pages_concatenate_to_one_query(demo_db):
    f = InboxFilter(text="社区", sort="due")
    with demo_db[0].connect() as conn:
        one = [r.id for r in fetch_page(conn, f, 0, 10_000)]
        total = count_orders(conn, f)
        for size in (1, 7, 100):
            assert all_ids(conn, f, size) == one
        # the same pages read backwards from the end
        back: list[int] = []
        for start in range(0, total, 9):
            back += [r.id for r in fetch_page(conn, f, start, 9, total=total)]
        assert back == one
        assert fetch_page(conn, f, total, 10, total=total) == []
        assert fetch_page(conn, f, total + 50, 10) == []


def test_rows_carry_what_the_list_shows(demo_db):
    with demo_db[0].connect() as conn:
        rows = fetch_page(conn, InboxFilter(statuses=("dispatched",)), 0, 20)
    assert rows
    for r in rows:
        assert isinstance(r.received_at, datetime)
        assert r.due_at is None or isinstance(r.due_at, datetime)
        assert r.title and r.unit_name and r.status == "dispatched"
