"""催办: the chase log, the per-order summary and the history row in one transaction,
marked orders chased together, the next-chase suggestion, all-or-nothing on errors."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from test_queue_support import NOW, add_owner, add_unit, eod, events, make_order

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.chase import chase, chase_log, parse_method, suggest_next_chase
from hotline_tui.store.engine import session
from hotline_tui.store.models import OrderHistory
from hotline_tui.store.models_queue import ChaseLog, ChaseState


@pytest.fixture(autouse=True)
def _clock():
    clock.set_fixed(NOW)  # Friday 2026-11-27 10:00
    yield
    clock.set_fixed(None)


@pytest.fixture
def seeded(engine):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        li = add_owner(s, u, "李四", "13900000001")
        make_order(s, "A1", u, eod(date(2026, 11, 25)), status="signed", owner=li)
        make_order(s, "A2", u, eod(date(2026, 12, 2)))
        make_order(s, "A3", u, eod(date(2026, 11, 20)), status="replied", owner=li)
        make_order(s, "C1", u, eod(date(2026, 11, 20)), status="closed", owner=li)
        s.commit()
    return engine


def _count(engine, model) -> int:
    with session(engine) as s:
        return s.execute(select(func.count()).select_from(model)).scalar()


def test_chase_writes_log_summary_and_history(seeded):
    done = chase(seeded, ["A1"], method="电话", said="单位称正在协调", promised_date=date(2026, 11, 30))
    d = done[0]
    # the owner is the default person chased; a promise for Monday -> check on Tuesday
    assert (d.whom, d.method, d.chase_count) == ("李四 13900000001", "phone", 1)
    assert d.next_chase_on == date(2026, 12, 1) and d.next_suggested
    log = chase_log(seeded, "A1")
    assert len(log) == 1 and log[0].said == "单位称正在协调"
    assert log[0].promised_on == date(2026, 11, 30)
    ev = events(seeded, "A1")[-1]
    assert ev.event == "chase" and ev.old_status == ev.new_status == "signed"
    assert "电话催办 李四 13900000001" in ev.note and "承诺 2026-11-30 前反馈" in ev.note
    assert json.loads(ev.changes)["chase_count"] == [0, 1]
    # a second chase counts on and keeps both entries
    d2 = chase(seeded, "A1", method="上门", whom="乡长办公室")[0]
    assert d2.chase_count == 2 and d2.whom == "乡长办公室"
    assert d2.next_chase_on == date(2026, 11, 30)  # overdue: the next working day
    with session(seeded) as s:
        st = s.get(ChaseState, events(seeded, "A1")[-1].order_id)
        assert (st.chase_count, st.last_method, st.next_chase_on) == (2, "visit",
                                                                       date(2026, 11, 30))
    assert [e.method for e in chase_log(seeded, "A1")] == ["phone", "visit"]


def test_marked_orders_chased_together(seeded):
    done = chase(seeded, ["A1", "A2", "A3"], method="sms", said="请尽快反馈")
    assert [d.order_no for d in done] == ["A1", "A2", "A3"]
    # each gets its own suggestion: overdue -> Monday; due Wednesday -> on Wednesday
    assert [d.next_chase_on for d in done] == [date(2026, 11, 30), date(2026, 12, 2),
                                               date(2026, 11, 30)]
    assert done[1].whom == ""  # A2 was not signed for: no owner to name
    assert _count(seeded, ChaseLog) == 3
    assert all(events(seeded, no)[-1].event == "chase" for no in ("A1", "A2", "A3"))
    # all at the same moment, in one transaction
    assert len({d.at for d in done}) == 1


def test_given_next_date_wins(seeded):
    d = chase(seeded, ["A2"], method="电话", next_chase=date(2026, 12, 1))[0]
    assert d.next_chase_on == date(2026, 12, 1) and not d.next_suggested


def test_all_or_nothing(seeded):
    before = _count(seeded, OrderHistory)
    with pytest.raises(UserError) as e:
        chase(seeded, ["A1", "C1"], method="电话")
    assert "C1" in str(e.value) and "已办结" in str(e.value)
    with pytest.raises(UserError) as e:
        chase(seeded, ["A1", "NOPE"], method="电话")
    assert "NOPE" in str(e.value)
    assert _count(seeded, OrderHistory) == before
    assert _count(seeded, ChaseLog) == 0 and _count(seeded, ChaseState) == 0


@pytest.mark.parametrize(("kwargs", "word"), [
    ({"method": "飞鸽"}, "飞鸽"),
    ({"method": "电话", "next_chase": NOW.date() - timedelta(days=1)}, "2026-11-26"),
    ({"method": "电话", "promised_date": date(2026, 11, 1)}, "2026-11-01"),
    ({"method": "电话", "said": "很长" * 1001}, "2000"),
])
def test_bad_input_is_one_sentence(seeded, kwargs, word):
    with pytest.raises(UserError) as e:
        chase(seeded, ["A1"], **kwargs)
    assert word in str(e.value) and "\n" not in str(e.value)
    assert _count(seeded, ChaseLog) == 0


def test_methods_and_suggestion(seeded):
    assert [parse_method(m) for m in ("电话", "短信", "上门", "书面催办单", "SMS")] == \
        ["phone", "sms", "visit", "notice", "sms"]
    assert suggest_next_chase(seeded, "A1") == date(2026, 11, 30)
    assert suggest_next_chase(seeded, "A2") == date(2026, 12, 2)
    assert suggest_next_chase(seeded, "A2", promised=date(2026, 12, 4)) == date(2026, 12, 7)
