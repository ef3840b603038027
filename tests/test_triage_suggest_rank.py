"""The pure ranking of unit suggestions (domain/suggest.py): features of an order and the
vote of earlier choices, without a database."""

from __future__ import annotations

from hotline_tui.domain.suggest import (
    UPSTREAM_BONUS,
    order_features,
    rank_units,
    title_words,
)


def test_title_words_drop_stop_words_and_function_characters():
    words = title_words("关于人民路的路灯不亮问题的投诉")
    assert "路灯" in words and "人民" in words
    assert not {"关于", "问题", "投诉", "路的", "的路"} & set(words)
    assert title_words("", "小区停水三天了，没人管")[:2] == ["小区", "区停"]
    assert len(title_words("西山县黑龙河乡李家村至王家庄道路破损多处坑洼影响群众出行安全")) == 16


def test_order_features():
    keys = order_features("西城街道", "城市管理/路灯", "路灯不亮")
    assert ("*", "") in keys and ("*", "西城街道") in keys
    assert ("c:城市管理/路灯", "") in keys and ("c:城市管理/路灯", "西城街道") in keys
    assert ("w:路灯", "") in keys
    assert order_features("", "", "") == [("*", "")]


COUNTS = {
    ("c:城市管理/路灯", "西城街道"): {1: 9, 2: 1},
    ("c:城市管理/路灯", ""): {1: 30, 2: 10, 3: 5},
    ("w:路灯", ""): {1: 40, 3: 2},
    ("*", "西城街道"): {4: 500, 1: 100},
}


def test_same_area_and_category_wins():
    votes = rank_units("西城街道", "城市管理/路灯", "路灯不亮", "", COUNTS)
    assert [v.unit_id for v in votes][:2] == [1, 4]
    assert votes[0].reason == "area_category" and (votes[0].hits, votes[0].total) == (9, 10)
    assert 0 < votes[0].score <= 1


def test_excluded_units_are_never_ranked():
    votes = rank_units("西城街道", "城市管理/路灯", "路灯不亮", "", COUNTS, exclude=[1])
    assert 1 not in [v.unit_id for v in votes]


def test_upstream_unit_first_unless_history_is_clear():
    weak = rank_units("黑山镇", "", "", "", {}, upstream_unit_id=7)
    assert weak[0].unit_id == 7 and weak[0].reason == "upstream"
    assert weak[0].score == UPSTREAM_BONUS
    strong = {("c:劳动保障/欠薪", ""): {5: 200}, ("c:劳动保障/欠薪", "黑山镇"): {5: 50}}
    votes = rank_units("黑山镇", "劳动保障/欠薪", "", "", strong, upstream_unit_id=7)
    assert [v.unit_id for v in votes] == [5, 7]


def test_one_earlier_order_is_weak_evidence():
    one = rank_units("", "x", "", "", {("c:x", ""): {1: 1}})
    many = rank_units("", "x", "", "", {("c:x", ""): {1: 20}})
    assert one[0].score < many[0].score
    assert rank_units("", "", "", "", {}) == []
