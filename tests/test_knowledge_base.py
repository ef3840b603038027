"""The knowledge base: seeded from data/ on first use (once), search by words, suggestions
from an order's words, add/edit/retire, and direct answers (直办) that close the order with
the answer in its history."""

from __future__ import annotations

import json

import pytest
from triage_helpers import add_order, add_units, dispatch, events, order

from hotline_tui.config import shipped_data
from hotline_tui.errors import UserError
from hotline_tui.services import knowledge as kb
from hotline_tui.services.triage import order_assists, triage


def test_shipped_seed_is_complete():
    items = json.loads(shipped_data("knowledge_base.json").read_text(encoding="utf-8"))
    assert len(items) >= 30
    topics = [i["topic"] for i in items]
    assert len(set(topics)) == len(topics)
    for i in items:
        assert i["topic"] and i["answer"] and i["basis"] and i["keywords"]
    for expected in ("社保卡办理", "低保申请条件", "新生儿落户", "集中供暖时间", "疫苗接种"):
        assert expected in topics


def test_seeded_on_first_use_and_only_once(engine):
    answers = kb.list_answers(engine)
    assert len(answers) >= 30
    first = answers[0]
    kb.retire_answer(engine, first.id)
    assert kb.seed_knowledge(engine) == 0  # the table is not empty: nothing added
    assert first.id not in [a.id for a in kb.list_answers(engine)]
    assert first.id in [a.id for a in kb.list_answers(engine, include_retired=True)]


def test_search_by_words(engine):
    hits = kb.search_answers(engine, "社保卡 补办")
    assert hits[0].answer.topic == "社保卡办理"
    assert "社保卡" in hits[0].matched
    assert kb.search_answers(engine, "公积金")[0].answer.topic.startswith("住房公积金")
    # a run of Chinese that is no keyword whole still finds by its pairs
    assert kb.search_answers(engine, "异地就医备案")[0].answer.topic == "医保异地就医备案"
    assert kb.search_answers(engine, "火星移民") == []
    assert len(kb.search_answers(engine, "", limit=5)) == 5


def test_suggest_answers_from_order_words(engine):
    add_order(engine, "K1", title="咨询新生儿怎么上户口",
              content="来电人咨询孩子刚出生，新生儿落户需要哪些材料，到哪里办理。")
    add_order(engine, "K2", title="暖气不热", content="小区暖气不热，室温只有十五度。")
    add_order(engine, "K3", title="路面坑洼", content="人民路路面坑洼严重。")
    assert kb.suggest_answers(engine, "K1")[0].answer.topic == "新生儿落户"
    assert kb.suggest_answers(engine, "K2")[0].answer.topic == "集中供暖时间"
    assert kb.suggest_answers(engine, "K3") == []


def test_add_edit_retire(engine):
    a = kb.add_answer(engine, "犬只登记", "携带犬只免疫证明到派出所登记。", "养狗 犬只 狗证",
                      basis="《西山县养犬管理规定》")
    assert a.keywords == ("养狗", "犬只", "狗证")
    assert kb.search_answers(engine, "狗证")[0].answer.id == a.id
    b = kb.edit_answer(engine, a.id, answer="携带犬只免疫证明到县公安局登记。")
    assert b.answer.startswith("携带犬只免疫证明到县公安局") and b.topic == "犬只登记"
    kb.retire_answer(engine, a.id)
    assert all(h.answer.id != a.id for h in kb.search_answers(engine, "狗证"))
    with pytest.raises(UserError):
        kb.add_answer(engine, "", "x")
    with pytest.raises(UserError):
        kb.edit_answer(engine, a.id, answer="  ")
    with pytest.raises(UserError, match="没有编号"):
        kb.edit_answer(engine, 99999, topic="x")


def test_direct_answer_closes_with_answer_in_history(engine):
    add_order(engine, "D1", title="社保卡丢了怎么办")
    ans = kb.search_answers(engine, "社保卡")[0].answer
    res = kb.direct_answer(engine, "D1", ans.id, actor="clerk")
    assert res.status == "closed" and res.topic == "社保卡办理"
    o = order(engine, "D1")
    assert o.status == "closed" and o.closed_at == res.closed_at
    event, changes, note = events(engine, "D1")[-1]
    assert event == "direct_answer"
    assert changes["knowledge_answer"][1] == {"id": ans.id, "topic": "社保卡办理"}
    assert ans.answer in note and ans.basis in note


def test_direct_answer_from_triaged_clears_units(engine):
    add_units(engine)
    add_order(engine, "D2", title="公积金提取")
    triage(engine, "D2", "hlh", 3, assist=["黑山镇"])
    ans = kb.search_answers(engine, "公积金")[0].answer
    kb.direct_answer(engine, "D2", ans.id)
    o = order(engine, "D2")
    assert o.unit_id is None and o.status == "closed"
    assert order_assists(engine, "D2") == []
    changes = events(engine, "D2")[-1][1]
    assert changes["assist"] == [["黑山镇"], []]


def test_direct_answer_refusals(engine):
    add_units(engine)
    add_order(engine, "D3")
    ans = kb.list_answers(engine)[0]
    triage(engine, "D3", "hlh", 3)
    dispatch(engine, "D3")
    with pytest.raises(UserError, match="已交办"):
        kb.direct_answer(engine, "D3", ans.id)
    add_order(engine, "D4")
    kb.retire_answer(engine, ans.id)
    with pytest.raises(UserError, match="已停用"):
        kb.direct_answer(engine, "D4", ans.id)
    with pytest.raises(UserError, match="没有编号"):
        kb.direct_answer(engine, "D4", 99999)
    assert order(engine, "D4").status == "new"
