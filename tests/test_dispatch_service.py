"""dispatch(): triaged orders get a dispatch time, a working-day deadline and 已交办, with one
history row each, in one transaction; anything else is skipped with a reason."""

from __future__ import annotations

import json
from datetime import date, datetime, time

import pytest
from test_dispatch_support import FRIDAY, add_order, add_unit, events, order, seed

from hotline_tui.errors import UserError
from hotline_tui.services import dispatch as dispatch_mod
from hotline_tui.services.dispatch import dispatch
from hotline_tui.store.engine import session


def test_dispatch_all_triaged(engine):
    ids = seed(engine)
    r = dispatch(engine, at=FRIDAY, actor="clerk")
    assert sorted(r.order_nos) == ["A1", "A2", "B1"]
    assert r.skipped == []  # N1 is new: not asked for by number, so not a skip
    assert {k: [d.order_no for d in v] for k, v in r.by_unit().items()} == {
        "县住房和城乡建设局": ["B1"], "黑龙河乡": ["A1", "A2"],
    }
    a1 = order(engine, "A1")
    assert a1.status == "dispatched"
    assert a1.dispatched_at == FRIDAY
    # Friday + 3 working days: Mon, Tue, Wed -> due at the end of Wednesday
    assert a1.due_at.date() == date(2026, 11, 11)
    assert a1.due_at.time() >= time(17, 0)
    assert order(engine, "A2").due_at.date() == date(2026, 11, 13)
    assert order(engine, "B1").unit_id == ids["u2"]
    assert order(engine, "N1").status == "new"
    last = events(engine, "A1")[-1]
    assert (last.event, last.old_status, last.new_status, last.actor) == (
        "dispatch", "triaged", "dispatched", "clerk")
    changes = json.loads(last.changes)
    assert changes["due_at"][1].startswith("2026-11-11")
    assert changes["dispatched_at"][1] == "2026-11-06 10:00:00"


def test_upstream_deadline_wins_only_when_earlier(engine):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        add_order(s, "E1", u, 5, upstream_due_at=datetime(2026, 11, 9, 12, 0))
        add_order(s, "L1", u, 3, upstream_due_at=datetime(2026, 11, 20, 12, 0))
        s.commit()
    r = dispatch(engine, at=FRIDAY)
    due = {d.order_no: d for d in r.dispatched}
    assert due["E1"].due_at == datetime(2026, 11, 9, 12, 0)
    assert due["E1"].upstream_won
    assert due["L1"].due_at.date() == date(2026, 11, 11)
    assert not due["L1"].upstream_won
    assert order(engine, "E1").due_at == datetime(2026, 11, 9, 12, 0)


def test_named_orders_skip_with_reasons(engine):
    seed(engine)
    r = dispatch(engine, ["A1", " N1 ", "NOPE", "A1"], at=FRIDAY)
    assert r.order_nos == ["A1"]
    assert [(s.order_no, s.reason, s.status) for s in r.skipped] == [
        ("N1", "not_triaged", "new"), ("NOPE", "not_found", None)]
    assert "待分拣" in r.skipped[0].message()
    assert order(engine, "A2").status == "triaged"
    # dispatching again: A1 is no longer triaged
    again = dispatch(engine, ["A1"], at=FRIDAY)
    assert again.dispatched == []
    assert again.skipped[0].reason == "not_triaged"
    assert len([e for e in events(engine, "A1") if e.event == "dispatch"]) == 1


def test_unit_filter(engine):
    seed(engine)
    r = dispatch(engine, unit="hlhx", at=FRIDAY)
    assert sorted(r.order_nos) == ["A1", "A2"]
    assert order(engine, "B1").status == "triaged"
    r2 = dispatch(engine, ["B1"], unit="黑龙河乡", at=FRIDAY)
    assert r2.dispatched == [] and r2.skipped[0].reason == "other_unit"


@pytest.mark.parametrize("ref", ["黑龙河乡", "黑龙河", "HLHX", "heilong"])
def test_unit_by_name_short_name_or_pinyin(engine, ref):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡", "黑龙河", "hlhx", "heilonghexiang")
        other = add_unit(s, "黑山镇", "黑山", "hsz", "heishanzhen")
        add_order(s, "H1", u, 3)
        add_order(s, "S1", other, 3)
        s.commit()
    assert dispatch(engine, unit=ref, at=FRIDAY).order_nos == ["H1"]
    assert order(engine, "S1").status == "triaged"


def test_ambiguous_unit_names_the_candidates(engine):
    with session(engine) as s:
        add_order(s, "H1", add_unit(s, "黑龙河乡", "", "hlhx", "heilonghexiang"), 3)
        add_unit(s, "黑山镇", "", "hsz", "heishanzhen")
        s.commit()
    with pytest.raises(UserError) as exc:
        dispatch(engine, unit="黑", at=FRIDAY)
    assert "黑龙河乡" in str(exc.value) and "黑山镇" in str(exc.value)
    assert order(engine, "H1").status == "triaged"

def test_unknown_unit_is_a_user_error_and_writes_nothing(engine):
    seed(engine)
    with pytest.raises(UserError):
        dispatch(engine, unit="zzz", at=FRIDAY)
    assert order(engine, "A1").status == "triaged"


def test_dry_run_writes_nothing(engine):
    seed(engine)
    r = dispatch(engine, at=FRIDAY, dry_run=True)
    assert len(r.dispatched) == 3 and r.dry_run
    assert order(engine, "A1").status == "triaged"
    assert order(engine, "A1").due_at is None
    assert [e.event for e in events(engine, "A1")] == ["create", "triage"]


def test_error_midway_leaves_nothing_half_written(engine, monkeypatch):
    seed(engine)
    real = dispatch_mod.record
    calls = []

    def failing(s, o, ev, **kw):
        calls.append(o.order_no)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(s, o, ev, **kw)

    monkeypatch.setattr(dispatch_mod, "record", failing)
    with pytest.raises(RuntimeError):
        dispatch(engine, at=FRIDAY)
    for no in ("A1", "A2", "B1"):
        o = order(engine, no)
        assert (o.status, o.dispatched_at, o.due_at) == ("triaged", None, None)
        assert [e.event for e in events(engine, no)] == ["create", "triage"]


def test_year_without_holiday_data_warns(engine):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        add_order(s, "D1", u, 15)
        s.commit()
    r = dispatch(engine, at=datetime(2026, 12, 28, 9, 0))
    assert 2027 in r.fallback_years
    assert r.warnings() and "2027" in r.warnings()[0]
    assert order(engine, "D1").due_at.year == 2027
    assert "2027" in events(engine, "D1")[-1].note


def test_same_day_tier_dispatched_on_saturday_rolls_to_monday(engine):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        add_order(s, "S1", u, 0)
        s.commit()
    r = dispatch(engine, at=datetime(2026, 11, 7, 9, 0))  # a Saturday
    assert r.dispatched[0].due_at.date() == date(2026, 11, 9)


@pytest.mark.sqlite_only  # SQLite's file write lock; PostgreSQL locks the rows (FOR UPDATE)
def test_write_lock_is_taken_before_reading(engine, tmp_path):
    """While one dispatch holds the transaction, another writer has to wait."""
    import sqlite3

    from hotline_tui.services.dispatch import lock_for_write

    seed(engine)
    with session(engine) as s:
        lock_for_write(s)
        other = sqlite3.connect(engine.url.database, timeout=0.05)
        with pytest.raises(sqlite3.OperationalError):
            other.execute("UPDATE work_order SET title = 'x'")
        other.close()
        s.rollback()
