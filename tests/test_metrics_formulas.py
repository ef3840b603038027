"""The figures' formulas (domain/metrics.py) on small hand-built cases: each rate's
numerator and denominator, empty periods ("—", no division by zero), the edges of the period,
unit kinds, the ranking and the red / black lists; and the SQL counts (store/metrics_query)
agree with counting the same orders in Python."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select

from hotline_tui.domain import metrics as dm
from hotline_tui.domain.metrics import (
    CallbackFact,
    Counts,
    OrderFact,
    Ratio,
    ReturnFact,
    UnitFigures,
    count_facts,
    figures,
)

START, END = datetime(2026, 11, 1), datetime(2026, 12, 1)
AS_OF = datetime(2026, 12, 3, 9, 0)
D = datetime


def test_empty_period_has_no_rate_and_no_division_by_zero():
    f = figures(Counts())
    for code in dm.RATE_CODES:
        r = f[code]
        assert r.value is None
        assert r.percent() == "—"
        assert r.text() == "— (0/0)"
        assert r.as_dict() == {"numerator": 0, "denominator": 0, "value": None}
    assert f["overdue"] == 0 and f["received"] == 0
    assert count_facts(START, END, AS_OF) == {}


def test_ratio_text_and_sum():
    r = Ratio(39, 40)
    assert r.percent() == "97.5%" and r.text() == "97.5% (39/40)"
    assert (Ratio(1, 2) + Ratio(2, 3)) == Ratio(3, 5)
    assert dm.cell_text(Ratio(0, 0)) == "—" and dm.cell_text(1234) == "1,234"


def _o(**kw) -> OrderFact:  # noqa: ANN003
    base = dict(unit_id=1, received_at=D(2026, 11, 5, 9), status="closed")
    base.update(kw)
    return OrderFact(**base)


def test_period_edges_first_second_counts_next_month_does_not():
    orders = [
        _o(received_at=D(2026, 11, 1, 0, 0, 0)),  # 00:00 of the 1st: in
        _o(received_at=D(2026, 11, 30, 23, 59, 59)),  # last second: in
        _o(received_at=D(2026, 12, 1, 0, 0, 0)),  # next month's first second: out
        _o(received_at=D(2026, 10, 31, 23, 59, 59)),  # the month before: out
    ]
    c = count_facts(START, END, AS_OF, orders)[1]
    assert c.received == 2


def test_sign_and_close_rates_over_the_dispatch_cohort():
    disp = D(2026, 11, 2, 10)
    limit = D(2026, 11, 3, 23, 59, 59)
    due = D(2026, 11, 9, 23, 59, 59)
    orders = [
        # signed on time, closed, reply before the deadline
        _o(dispatched_at=disp, signed_at=D(2026, 11, 2, 11), sign_limit_end=limit, due_at=due,
           replied_at=D(2026, 11, 8, 9)),
        # signed late, closed, reply after the deadline
        _o(dispatched_at=disp, signed_at=D(2026, 11, 5, 9), sign_limit_end=limit, due_at=due,
           replied_at=D(2026, 11, 10, 9)),
        # signed on time, still running (not closed)
        _o(status="signed", dispatched_at=disp, signed_at=D(2026, 11, 3, 9),
           sign_limit_end=limit, due_at=due),
        # not signed at all
        _o(status="dispatched", dispatched_at=disp, sign_limit_end=limit, due_at=due),
        # dispatched last month: not in this cohort
        _o(dispatched_at=D(2026, 10, 30), signed_at=D(2026, 10, 30, 11),
           sign_limit_end=D(2026, 10, 31), due_at=due, replied_at=D(2026, 11, 1)),
    ]
    f = figures(count_facts(START, END, AS_OF, orders)[1])
    assert f["dispatched"] == 4
    assert f["sign_rate"] == Ratio(3, 4)  # signed / dispatched
    assert f["on_time_sign_rate"] == Ratio(2, 4)  # signed on time / dispatched
    assert f["close_rate"] == Ratio(2, 4)  # closed / dispatched
    assert f["on_time_close_rate"] == Ratio(1, 2)  # closed on time / CLOSED


def test_signed_after_the_report_time_does_not_count():
    o = _o(status="signed", dispatched_at=D(2026, 11, 2), signed_at=D(2026, 12, 5),
           sign_limit_end=D(2026, 11, 3))
    assert figures(count_facts(START, END, AS_OF, [o])[1])["sign_rate"] == Ratio(0, 1)


def test_direct_rate_is_over_received_and_rework_over_replied():
    orders = [
        _o(unit_id=None, direct=True),
        _o(unit_id=None, direct=True),
        _o(unit_id=None, status="new"),
        _o(unit_id=None, status="triaged"),
    ]
    office = dm.total(count_facts(START, END, AS_OF, orders).values())
    assert figures(office)["direct_rate"] == Ratio(2, 4)
    disp = D(2026, 11, 2)
    orders = [
        _o(dispatched_at=disp, replied_at=D(2026, 11, 3), rework_count=2),
        _o(dispatched_at=disp, replied_at=D(2026, 11, 3), rework_count=0),
        _o(status="rework", dispatched_at=disp, replied_at=D(2026, 11, 3), rework_count=1),
        _o(status="signed", dispatched_at=disp),  # no reply yet: not in the denominator
    ]
    assert figures(count_facts(START, END, AS_OF, orders)[1])["rework_rate"] == Ratio(2, 3)


def test_return_rate_counts_returns_in_the_denominator():
    orders = [_o(dispatched_at=D(2026, 11, 2)) for _ in range(3)]
    returns = [ReturnFact(1, D(2026, 11, 4)), ReturnFact(1, D(2026, 12, 1))]  # 2nd: next month
    f = figures(count_facts(START, END, AS_OF, orders, returns)[1])
    assert f["return_rate"] == Ratio(1, 4)


def test_satisfaction_counts_valid_callbacks_only():
    cbs = [
        CallbackFact(1, D(2026, 11, 10), True, "satisfied"),
        CallbackFact(1, D(2026, 11, 10), True, "basic"),
        CallbackFact(1, D(2026, 11, 10), True, "unsatisfied"),
        CallbackFact(1, D(2026, 11, 10), False, None),  # not reached: not valid
        CallbackFact(1, D(2026, 11, 10), True, None),  # no answer: not valid
    ]
    f = figures(count_facts(START, END, AS_OF, callbacks=cbs)[1])
    assert f["satisfaction_rate"] == Ratio(2, 3)


@pytest.mark.parametrize(("status", "due", "replied", "late"), [
    ("signed", D(2026, 11, 20), None, True),  # owed, deadline passed
    ("rework", D(2026, 11, 20), D(2026, 11, 1), True),  # old reply, new deadline passed
    ("closed", D(2026, 11, 20), D(2026, 11, 21), True),  # replied after the deadline
    ("closed", D(2026, 11, 20), D(2026, 11, 19), False),
    ("replied", D(2026, 11, 20), D(2026, 11, 20), False),  # at the deadline: on time
    ("signed", D(2026, 12, 2), None, False),  # deadline in the next period
])
def test_overdue(status, due, replied, late):  # noqa: ANN001
    o = _o(status=status, dispatched_at=D(2026, 11, 1), due_at=due, replied_at=replied)
    c = count_facts(START, END, AS_OF, [o]).get(1, Counts())
    assert c.overdue == int(late)


def test_overdue_waits_for_the_deadline_to_pass():
    o = _o(status="signed", dispatched_at=D(2026, 11, 1), due_at=D(2026, 11, 20))
    assert count_facts(START, END, D(2026, 11, 19), [o]).get(1, Counts()).due == 0
    assert count_facts(START, END, D(2026, 11, 21), [o])[1].overdue == 1


def _unit(uid: int, kind: str, dispatched: int, closed: int, overdue: int = 0) -> UnitFigures:
    return UnitFigures(uid, f"单位{uid}", kind,
                       Counts(dispatched=dispatched, closed=closed, closed_on_time=closed,
                              overdue=overdue))


def test_kinds_rank_and_red_black_lists():
    units = [
        _unit(1, "township", 20, 10),  # 50%
        _unit(2, "township", 20, 18),  # 90%
        _unit(3, "department", 20, 18, overdue=3),  # 90%, more overdue: worse than 2
        _unit(4, "department", 0, 0),  # nothing dispatched: "—", last
        _unit(5, "department", 5, 0),  # 0% but too few orders for the lists
    ]
    kinds = dm.by_kind(units)
    assert kinds["township"].dispatched == 40 and kinds["department"].dispatched == 25
    assert [u.unit_id for u in dm.rank(units)] == [5, 1, 3, 2, 4]
    assert [u.unit_id for u in dm.rank(units, worst_first=False)] == [2, 3, 1, 5, 4]
    # overdue: higher is worse
    assert [u.unit_id for u in dm.rank(units, "overdue")][0] == 3
    best, worst = dm.honour_lists(units, size=1)
    assert [u.unit_id for u in best] == [2] and [u.unit_id for u in worst] == [1]
    best, worst = dm.honour_lists(units, size=2)
    assert {u.unit_id for u in best} & {u.unit_id for u in worst} == set()


def test_last_months_and_shift():
    months = dm.last_months(D(2026, 2, 14), 3)
    assert [m for m, _s, _e in months] == ["2025-12", "2026-01", "2026-02"]
    assert months[-1][2] == D(2026, 3, 1)
    assert dm.shift_month(D(2026, 1, 1), -1) == D(2025, 12, 1)


# ---- SQL against the formulas --------------------------------------------------------------


def test_sql_counts_agree_with_the_formulas(engine):  # noqa: ANN001
    from hotline_tui.services.demo import generate
    from hotline_tui.services.metrics import period_figures
    from hotline_tui.services.owners import sign_limits
    from hotline_tui.store.models import WorkOrder
    from hotline_tui.store.models_queue import OrderMerge

    now = D(2026, 11, 27, 10)
    generate(engine, 800, now=now, workers=0)
    with engine.begin() as conn:  # some sent back
        conn.execute(WorkOrder.__table__.update().where(WorkOrder.__table__.c.id % 7 == 0)
                     .where(WorkOrder.__table__.c.replied_at.isnot(None))
                     .values(rework_count=1))
    for month in ("2026-10", "2026-11"):
        got = period_figures(engine, month, now=now)
        start = datetime(2026, int(month[5:]), 1)
        end = dm.shift_month(start, 1)
        c = WorkOrder.__table__.c
        with engine.connect() as conn:
            limits = sign_limits(conn)
            merged = set(conn.execute(select(OrderMerge.__table__.c.order_id)).scalars())
            rows = conn.execute(select(c.unit_id, c.received_at, c.status, c.dispatched_at,
                                       c.signed_at, c.due_at, c.replied_at, c.rework_count,
                                       c.id)).all()
        facts = [OrderFact(
            r.unit_id, r.received_at, r.status, r.dispatched_at, r.signed_at,
            limits.end_for(r.dispatched_at) if r.dispatched_at else None, r.due_at,
            r.replied_at, r.rework_count,
            direct=r.status == "closed" and r.dispatched_at is None and r.id not in merged,
        ) for r in rows]
        want = count_facts(start, end, now, facts)
        by_unit = {u.unit_id: u.counts for u in got.units}
        for uid, counts in want.items():
            have = by_unit.get(uid, got.unassigned if uid is None else Counts())
            for name in ("received", "direct", "dispatched", "signed", "signed_on_time",
                         "closed", "closed_on_time", "replies", "sent_back", "due", "overdue"):
                assert getattr(have, name) == getattr(counts, name), (month, uid, name)
        assert got.office.dispatched > 0
