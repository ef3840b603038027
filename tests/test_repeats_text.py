"""Near-same text (domain/repeats.py): a table of re-reports of one matter that must be
caught and of different matters (same topic, same place, same template) that must not."""

from __future__ import annotations

import pytest

from hotline_tui.domain import repeats as rp

NEAR_SAME = [
    # re-told by another caller in similar words
    ("幸福小区3号楼楼下烧烤摊每天夜里噪音扰民，油烟很大，希望相关部门管一管",
     "市民来电反映：幸福小区3号楼下面的烧烤摊夜间噪音大，油烟扰民，多次反映未解决"),
    ("城关镇人民路与解放路交叉口路灯不亮已经一周，晚上出行不安全",
     "人民路解放路交叉口的路灯一直不亮，已经一个星期了，晚上走路很危险，请尽快维修"),
    ("来电人反映其在西山县某建筑工地务工，工地老板拖欠其3个月工资共计15000元，要求协助讨薪",
     "来电人称在西山县某建筑工地打工，老板拖欠3个月工资15000元未付，希望帮助讨要"),
    ("咨询新生儿落户需要哪些材料", "咨询新生儿落户需要什么材料，在哪里办理"),
    ("市民来电反映，幸福家园小区物业公司不作为，小区垃圾堆积无人清理，电梯经常故障，希望相关部门督促物业整改",
     "幸福家园小区物业不作为，垃圾堆积没人清理，电梯经常坏，要求督促物业整改"),
    # copied by the platform with a different opening and closing
    ("市民来电反映：黑龙河乡李家村自来水已停水三天，无人通知，村民生活用水困难。",
     "来电人反映黑龙河乡李家村自来水已停水三天，无人通知，村民生活用水困难，请尽快处理。"),
    # a short re-report inside a longer earlier one
    ("东城街道和平小区5号楼地下室长期积水，蚊虫滋生，气味难闻，物业一直不处理，居民多次找物业无果",
     "和平小区5号楼地下室长期积水，蚊虫滋生，气味难闻"),
    # identical text, different punctuation and full-width digits
    ("建设路１８号餐馆油烟直排，影响楼上住户。", "建设路18号餐馆油烟直排 影响楼上住户"),
]

DIFFERENT = [
    # same topic, different place
    ("幸福小区3号楼楼下烧烤摊每天夜里噪音扰民", "阳光花园南门KTV夜间噪音扰民，影响休息"),
    ("黑龙河乡李家村自来水停水三天", "石门镇王庄村自来水停水两天"),
    # same place, different matter
    ("城关镇人民路路灯不亮", "城关镇人民路井盖缺失，存在安全隐患"),
    ("城关镇建设路18号餐馆油烟直排，影响楼上住户", "城关镇建设路26号工地夜间施工噪音扰民"),
    ("石门镇中学门口早晚上下学时段交通拥堵严重", "石门镇中心小学门口道路破损严重"),
    # same upstream template, different facts
    ("来电人反映其在西山县某建筑工地务工，工地老板拖欠其3个月工资共计15000元",
     "来电人反映其在某超市工作，超市老板拖欠其2个月工资共计6000元"),
    # same kind of question about different things
    ("咨询社保卡如何补办", "咨询医保异地备案如何办理"),
    ("咨询新生儿落户需要哪些材料", "咨询新生儿医保如何参保缴费"),
    ("幸福家园小区物业不作为，垃圾堆积没人清理", "阳光小区物业收费不合理，乱收停车费"),
    # long unrelated texts
    ("市民来电反映，其居住在城关镇幸福家园小区5号楼2单元，该小区物业公司长期不作为，小区内垃圾堆积"
     "无人清理，楼道灯损坏数月未修，电梯经常故障困人，业主多次向物业反映均无果。",
     "来电人反映，其在石门镇王庄村承包土地30亩种植玉米，今年夏季遭遇冰雹灾害，玉米大面积倒伏受损，"
     "已向村委会报告，但至今未见有人来核查登记，不知道能否享受农业保险理赔和救灾补助。"),
    # too short to judge
    ("路灯不亮", "路灯不亮了"),
]


@pytest.mark.parametrize("a,b", NEAR_SAME)
def test_near_same_pairs_are_caught(a, b):
    like = rp.compare(a, b)
    assert like.near_same, like
    assert rp.compare(b, a) == like  # symmetric


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_matters_are_not(a, b):
    like = rp.compare(a, b)
    assert not like.near_same, like


def test_thresholds_separate_the_table():
    """Every near-same pair scores above every different pair on the stronger measure."""
    worst_same = min(rp.compare(a, b).score for a, b in NEAR_SAME)
    best_other = max(rp.compare(a, b).score for a, b in DIFFERENT[:-1])
    assert worst_same > best_other


def test_normalize_drops_boilerplate_and_punctuation():
    assert rp.normalize("市民来电反映：人民路　路灯不亮！希望相关部门尽快处理。") == "人民路路灯不亮"
    assert rp.normalize("ＡＢＣ１２３") == "abc123"
    assert rp.shingles("") == frozenset()
    assert not rp.compare("", "路灯不亮").near_same


def test_order_text_does_not_repeat_the_title():
    assert rp.order_text("路灯不亮", "路灯不亮，已经一周") == "路灯不亮，已经一周"
    assert rp.order_text("路灯", "人民路") == "路灯 人民路"
