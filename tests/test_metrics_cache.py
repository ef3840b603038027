"""The kept monthly counts (store/metrics_cache.py, migration 0011) always give the figures a
direct count gives: after every kind of change to orders, merges and callbacks made with
plain SQL (the triggers, not the services, mark what changed), for months that are running
and months that have ended, with and without repeat complaints; and a reply only marks its
cells for the cheap recount."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from clock_support import fixed_clock
from sqlalchemy import func, insert, select, text, update

from hotline_tui.domain import metrics as dm
from hotline_tui.services.demo import generate
from hotline_tui.services.metrics import count_period, period_figures, trend
from hotline_tui.store import metrics_cache as mc
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_queue import OrderMerge
from hotline_tui.store.models_reply import Callback

NOW = datetime(2026, 11, 20, 10, 0)
MONTHS = ("2026-08", "2026-09", "2026-10", "2026-11")
WO = WorkOrder.__table__.c


_clock = fixed_clock(NOW)


@pytest.fixture
def demo(engine):  # noqa: ANN001
    generate(engine, 900, now=NOW, workers=0)
    with engine.begin() as conn:
        mc.clear(conn)
    return engine


def _shape(figs) -> tuple:  # noqa: ANN001
    return (sorted((u.unit_id, u.counts) for u in figs.units), figs.unassigned)


def _assert_same(engine, now: datetime = NOW) -> None:  # noqa: ANN001
    for label in MONTHS:
        for repeats in (False, True):
            kept = period_figures(engine, label, now=now, repeats=repeats)
            _l, s, e = dm.month_range(label)
            with engine.connect() as conn:
                direct = count_period(conn, label, s, e, now, repeats=repeats, cache=False)
            assert _shape(kept) == _shape(direct), (label, repeats)
    with engine.connect() as conn:
        direct_trend = trend(conn, months=5, until="2026-11", now=now)
    assert trend(engine, months=5, until="2026-11", now=now) == direct_trend


def _ids(conn, rng: random.Random, n: int) -> list[int]:  # noqa: ANN001
    ids = list(conn.execute(select(WO.id)).scalars())
    return rng.sample(ids, n)


def _edit(conn, rng: random.Random) -> str:  # noqa: ANN001, C901
    """One random change of the kinds that move the figures; returns its name."""
    units = list(conn.execute(select(Unit.__table__.c.id)).scalars())
    kind = rng.choice(["close", "reply", "unit", "phone", "received", "due", "sign", "new",
                       "merge", "callback", "callback_edit", "unassign", "rework"])
    (i,) = _ids(conn, rng, 1)
    o = conn.execute(select(WorkOrder.__table__).where(WO.id == i)).one()
    at = (o.dispatched_at or o.received_at) + timedelta(days=rng.randint(0, 6))
    if kind == "close":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            status="closed", replied_at=o.replied_at or at, closed_at=at))
    elif kind == "reply":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            status="replied", replied_at=at))
    elif kind == "unit":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            unit_id=rng.choice(units)))
    elif kind == "unassign":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(unit_id=None))
    elif kind == "phone":
        (j,) = _ids(conn, rng, 1)
        other = conn.execute(select(WO.caller_phone).where(WO.id == j)).scalar()
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            caller_phone=other or "13800000000"))
    elif kind == "received":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            received_at=o.received_at + timedelta(days=rng.randint(-45, 45))))
    elif kind == "due":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            due_at=(o.due_at or at) + timedelta(days=rng.randint(-20, 20))))
    elif kind == "sign":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            signed_at=None if o.signed_at else at))
    elif kind == "rework":
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            rework_count=o.rework_count + 1))
    elif kind == "new":
        row = dict(o._mapping)
        row.update(id=conn.execute(select(func.max(WO.id))).scalar() + 1, order_no=f"T{rng.randrange(10**9)}",
                   received_at=o.received_at - timedelta(days=rng.randint(1, 60)))
        conn.execute(insert(WorkOrder.__table__), [row])
    elif kind == "merge":
        (j,) = _ids(conn, rng, 1)
        taken = conn.execute(select(func.count()).select_from(OrderMerge.__table__)
                             .where(OrderMerge.__table__.c.order_id == i)).scalar()
        if i != j and not taken:
            conn.execute(insert(OrderMerge.__table__), [dict(
                order_id=i, main_order_id=j, at=at, actor="t", reason="")])
            conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
                status="closed", closed_at=at))
    elif kind == "callback":
        conn.execute(insert(Callback.__table__), [dict(
            order_id=i, at=at, by="t", reached=True,
            satisfaction=rng.choice(["satisfied", "basic", "unsatisfied"]), remark="")])
    else:
        c = Callback.__table__.c
        cb = conn.execute(select(c.id).order_by(func.random()).limit(1)).scalar()
        if cb is not None:
            conn.execute(update(Callback.__table__).where(c.id == cb).values(
                satisfaction=rng.choice(["satisfied", "unsatisfied", None]),
                at=at))
    return kind


@pytest.mark.parametrize("seed", [1, 2])
def test_kept_counts_equal_direct_counts_after_random_changes(demo, seed):  # noqa: ANN001
    _assert_same(demo)  # every month counted and kept
    rng = random.Random(seed)
    done = set()
    for _round in range(5):
        with demo.begin() as conn:
            for _ in range(8):
                done.add(_edit(conn, rng))
        _assert_same(demo)  # dirty cells recounted
    assert len(done) >= 8  # the changes were of many kinds
    # a month read before it ended, then after: its deadlines are kept only once it ended
    _assert_same(demo, now=datetime(2026, 12, 3, 9, 0))
    _assert_same(demo)


def test_a_reply_marks_the_cheap_recount_a_phone_change_the_repeats(demo):  # noqa: ANN001
    _assert_same(demo)
    with demo.begin() as conn:
        i = conn.execute(select(WO.id).where(WO.dispatched_at >= datetime(2026, 11, 1),
                                             WO.status == "signed").limit(1)).scalar()
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            status="replied", replied_at=NOW))
        marks = conn.execute(text("SELECT month, what FROM metrics_dirty")).all()
    assert marks and {m for m, _ in marks} <= {"2026-10", "2026-11", "2026-12"}
    assert all(r == 0 for _, r in marks)
    _assert_same(demo)
    with demo.begin() as conn:
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(
            caller_phone="13912345678"))
        marks = conn.execute(text("SELECT what FROM metrics_dirty")).scalars().all()
    assert any(w & mc.REP for w in marks)
    _assert_same(demo)


def test_counted_cells_are_kept_and_cleared(demo):  # noqa: ANN001
    period_figures(demo, "2026-10", now=NOW)
    with demo.connect() as conn:
        kept = conn.execute(text("SELECT count(*) FROM metrics_cell WHERE month = '2026-10'"))
        assert kept.scalar() > 0
        assert conn.execute(text("SELECT due_final, repeats_done FROM metrics_month "
                                 "WHERE month = '2026-10'")).one() == (True, True)
    with demo.begin() as conn:
        mc.clear(conn)
    with demo.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM metrics_cell")).scalar() == 0


def test_sign_for_counts_are_kept_only_for_the_limits_and_times_they_hold(demo):  # noqa: ANN001
    from hotline_tui.services.settings import set_setting
    from hotline_tui.store.engine import session

    later = datetime(2026, 12, 10, 9, 0)
    _assert_same(demo, now=later)  # every month of MONTHS past its limits: kept
    with demo.connect() as conn:
        keys = dict(conn.execute(text("SELECT month, sign_key FROM metrics_month")).all())
    assert keys["2026-10"] and keys["2026-11"]
    # a longer limit changes 按时签收 of the last days of a month: the kept counts step aside
    with session(demo) as s:
        set_setting(s, "sign_limit_workdays", 3)
        s.commit()
    _assert_same(demo, now=later)
    with demo.connect() as conn:
        assert conn.execute(text("SELECT sign_key FROM metrics_month WHERE month = '2026-10'")
                            ).scalar() != keys["2026-10"]
    # a reading earlier than the kept count reads live: a late signing between the two
    # times counts for the later reading only
    with demo.begin() as conn:
        j = conn.execute(select(WO.id).where(WO.dispatched_at >= datetime(2026, 10, 1),
                                             WO.dispatched_at < datetime(2026, 11, 1),
                                             WO.signed_at.isnot(None)).limit(1)).scalar()
        conn.execute(update(WorkOrder.__table__).where(WO.id == j).values(
            signed_at=datetime(2026, 11, 25, 9, 0)))
    _assert_same(demo, now=later)
    _assert_same(demo)
    # a signing changed after the count: recounted
    with demo.begin() as conn:
        i = conn.execute(select(WO.id).where(WO.dispatched_at >= datetime(2026, 10, 1),
                                             WO.dispatched_at < datetime(2026, 11, 1),
                                             WO.signed_at.isnot(None)).limit(1)).scalar()
        conn.execute(update(WorkOrder.__table__).where(WO.id == i).values(signed_at=None))
    _assert_same(demo, now=later)
