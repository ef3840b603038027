"""Taking in one reply: the reply row, its near-copy keys, its verdict at intake and the
REPLY event in one transaction; refusals are one sentence and write nothing."""

from __future__ import annotations

import pytest
from replies_support import GOOD, GOOD_2, LAZY, bands_of, fixed_clock, history, replies_of, seed

from hotline_tui.errors import UserError
from hotline_tui.services.replies import take_reply

__all__ = ["fixed_clock"]


def test_good_reply_is_stored_reviewed_and_recorded(engine, fixed_clock):
    ids = seed(engine, {"A1": "signed"})
    info = take_reply(engine, "A1", text=GOOD, contact_by="王强", contact_method="电话",
                      contacted_at="11月24日9时", handler="王强", handler_phone="13812345678")
    assert info.acceptable and info.score >= 60 and info.copy_of is None
    [r] = replies_of(engine, ids["A1"])
    assert (r.text, r.source, r.decision, r.verdict) == (GOOD, "typed", "pending", "acceptable")
    assert r.contact_method == "电话" and r.handler_phone == "13812345678"
    assert r.score == info.score and r.reviewed_at == fixed_clock and len(r.fingerprint) == 16
    assert 1 <= len(bands_of(engine, r.id)) <= 8
    ev, old, new, changes, note = history(engine, ids["A1"])[-1]
    assert (ev, old, new) == ("reply", "signed", "replied")
    assert changes["reply_id"] == [None, r.id] and "replied_at" in changes
    assert GOOD[:20] in note


def test_perfunctory_reply_is_taken_with_a_send_back_verdict_and_reasons(engine, fixed_clock):
    ids = seed(engine, {"A1": "dispatched"})
    info = take_reply(engine, "A1", text=LAZY)
    assert not info.acceptable
    assert "boilerplate" in info.reason_codes or "too_short" in info.reason_codes
    assert len(info.reasons) == len(info.reason_codes) and all(info.reasons)
    [r] = replies_of(engine, ids["A1"])
    assert r.verdict == "send_back" and ("boilerplate" in r.reasons or "too_short" in r.reasons)


def test_the_same_reply_on_another_order_is_a_copy(engine, fixed_clock):
    seed(engine, {"A1": "signed", "A2": "signed"})
    take_reply(engine, "A1", text=GOOD)
    # the same text with other names, dates and numbers is still the same reply
    pasted = GOOD.replace("11月24日", "11月26日").replace("3盏", "5盏").replace("王强", "赵刚")
    info = take_reply(engine, "A2", text=pasted)
    assert not info.acceptable and "copy_paste" in info.reason_codes
    assert info.copy_of == "A1"


def test_a_different_reply_is_not_a_copy(engine, fixed_clock):
    seed(engine, {"A1": "signed", "B垃圾": "signed"})
    take_reply(engine, "A1", text=GOOD)
    info = take_reply(engine, "B垃圾", text=GOOD_2)
    assert "copy_paste" not in info.reason_codes


def test_second_reply_before_the_review_supersedes_the_first(engine, fixed_clock):
    ids = seed(engine, {"A1": "signed"})
    take_reply(engine, "A1", text=LAZY)
    take_reply(engine, "A1", text=GOOD)
    first, second = replies_of(engine, ids["A1"])
    assert (first.decision, second.decision) == ("superseded", "pending")
    assert [h[0] for h in history(engine, ids["A1"])][-2:] == ["reply", "reply"]


def test_reply_to_a_sent_back_order_is_a_new_round(engine, fixed_clock):
    ids = seed(engine, {"A1": "rework"})
    take_reply(engine, "A1", text=GOOD)
    assert history(engine, ids["A1"])[-1][1:3] == ("rework", "replied")


@pytest.mark.parametrize(
    ("state", "text", "no", "key"),
    [
        ("signed", "  \n ", "A1", "replies.error.empty"),
        ("signed", GOOD, "NOPE", "error.order_not_found"),
        ("closed", GOOD, "A1", "replies.error.state"),
        ("triaged", GOOD, "A1", "replies.error.state"),
    ],
)
def test_refusals_write_nothing(engine, fixed_clock, state, text, no, key):
    ids = seed(engine, {"A1": state})
    before = history(engine, ids["A1"])
    with pytest.raises(UserError) as exc:
        take_reply(engine, no, text=text)
    assert exc.value.key == key and str(exc.value)
    assert replies_of(engine, ids["A1"]) == [] and history(engine, ids["A1"]) == before
