"""延期: a request before the deadline, approval across the 2025 National Day holiday (new
deadline in working days from the old deadline's day, at the end of day), refusal, both
in the history, and the clear refusal of a request after the deadline."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from test_queue_support import add_unit, eod, events, make_order, order

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.extension import (
    approve_extension,
    extensions_of,
    pending_extensions,
    refuse_extension,
    request_extension,
)
from hotline_tui.store.engine import session

SEPT_29 = datetime(2025, 9, 29, 10, 0)  # Monday before National Day 2025


@pytest.fixture(autouse=True)
def _clock():
    clock.set_fixed(SEPT_29)
    yield
    clock.set_fixed(None)


@pytest.fixture
def seeded(engine):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        make_order(s, "E1", u, eod(date(2025, 9, 30)), status="signed",
                   dispatched_at=datetime(2025, 9, 25, 9, 0))
        make_order(s, "E2", u, eod(date(2025, 9, 26)), status="signed",
                   dispatched_at=datetime(2025, 9, 23, 9, 0))
        make_order(s, "E3", u, eod(date(2025, 10, 10)), status="replied",
                   dispatched_at=datetime(2025, 9, 26, 9, 0))
        s.commit()
    return engine


def test_request_then_approve_across_national_day(seeded):
    req = request_extension(seeded, "E1", days=3, reason="需协调供电公司更换线路")
    assert req.status == "pending" and req.days == 3
    # proposal shown at once: 9-30 + 3 working days skips 10-1..10-8 -> 10-11 (make-up Sat)
    assert req.new_due_at == datetime(2025, 10, 11, 23, 59, 59)
    assert order(seeded, "E1").due_at == eod(date(2025, 9, 30))  # unchanged until approved
    assert [p.order_no for p in pending_extensions(seeded)] == ["E1"]

    clock.set_fixed(datetime(2025, 9, 30, 16, 0))
    ok = approve_extension(seeded, "E1", note="同意")
    assert ok.status == "approved"
    assert ok.old_due_at == eod(date(2025, 9, 30))
    assert ok.new_due_at == datetime(2025, 10, 11, 23, 59, 59)
    assert order(seeded, "E1").due_at == datetime(2025, 10, 11, 23, 59, 59)
    evs = [e for e in events(seeded, "E1") if e.event == "extend"]
    assert len(evs) == 2 and "申请延期 3 个工作日" in evs[0].note
    assert "同意延期 3 个工作日" in evs[1].note
    assert json.loads(evs[1].changes)["due_at"] == ["2025-09-30 23:59:59",
                                                    "2025-10-11 23:59:59"]
    assert pending_extensions(seeded) == []
    assert [x.status for x in extensions_of(seeded, "E1")] == ["approved"]


def test_refusal_keeps_the_deadline_and_both_stay_in_history(seeded):
    request_extension(seeded, "E1", days=2, reason="人手不足")
    no = refuse_extension(seeded, "E1", note="理由不充分")
    assert no.status == "refused" and no.decision_note == "理由不充分"
    assert order(seeded, "E1").due_at == eod(date(2025, 9, 30))
    notes = [e.note for e in events(seeded, "E1") if e.event == "extend"]
    assert len(notes) == 2 and "不同意延期" in notes[1] and "理由不充分" in notes[1]
    # a new request may follow a refusal
    assert request_extension(seeded, "E1", days=1, reason="补充材料").status == "pending"
    assert [x.status for x in extensions_of(seeded, "E1")] == ["refused", "pending"]


def test_request_after_deadline_is_refused_with_a_sentence(seeded):
    with pytest.raises(UserError) as e:
        request_extension(seeded, "E2", days=2, reason="来不及")
    msg = str(e.value)
    assert "E2" in msg and "2025-09-26 23:59" in msg and "超期后不能再申请延期" in msg
    assert extensions_of(seeded, "E2") == []
    assert not [x for x in events(seeded, "E2") if x.event == "extend"]


def test_approval_after_the_deadline_of_a_timely_request(seeded):
    request_extension(seeded, "E1", days=1, reason="等待检测结果")
    clock.set_fixed(datetime(2025, 10, 9, 9, 0))  # decided after the holiday
    ok = approve_extension(seeded, "E1")
    assert ok.new_due_at == datetime(2025, 10, 9, 23, 59, 59)


@pytest.mark.parametrize(("no", "kwargs", "word"), [
    ("E3", {"days": 2, "reason": "x"}, "已反馈"),
    ("E1", {"days": 0, "reason": "x"}, "0"),
    ("E1", {"days": 2, "reason": "  "}, "理由"),
    ("NOPE", {"days": 2, "reason": "x"}, "NOPE"),
])
def test_request_errors(seeded, no, kwargs, word):
    with pytest.raises(UserError) as e:
        request_extension(seeded, no, **kwargs)
    assert word in str(e.value)


def test_one_pending_at_a_time_and_nothing_to_decide(seeded):
    with pytest.raises(UserError) as e:
        approve_extension(seeded, "E1")
    assert "没有待审批" in str(e.value)
    request_extension(seeded, "E1", days=2, reason="x")
    with pytest.raises(UserError) as e:
        request_extension(seeded, "E1", days=3, reason="y")
    assert "待审批" in str(e.value)


def test_upstream_deadline_warning(engine):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        make_order(s, "U1", u, eod(date(2025, 9, 30)), status="signed",
                   upstream_due_at=datetime(2025, 10, 9, 18, 0))
        s.commit()
    req = request_extension(engine, "U1", days=3, reason="x")
    assert req.warnings and "2025-10-09 18:00" in req.warnings[0]
