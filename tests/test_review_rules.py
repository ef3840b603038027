"""Each reply-review rule fires on what it names and stays quiet on a substantive reply;
spans point at the words; the copy-paste keys behave (stable, distinct, near copies meet)."""

from __future__ import annotations

import time

import pytest

from hotline_tui import i18n
from hotline_tui.domain.review import (
    DEFAULT_RULES,
    REASON_CODES,
    RUBRIC,
    ReplyText,
    RequestText,
    ReviewRules,
    SimilarReply,
    band_keys,
    fingerprint,
    normalize_for_copy,
    review,
    similarity,
)
from hotline_tui.services.review_text import reason_text, rubric_label, send_back_text

LAMP = RequestText(
    "幸福路路灯不亮", "城关镇幸福路中段有5盏路灯坏了半个多月，晚上出行很不方便，希望尽快修复。",
    "求助", "市政设施/路灯",
)
GOOD_LAMP = (
    "6月3日上午，镇城建办刘建国电话联系来电人，了解路灯损坏位置。6月4日对幸福路中段5盏路灯"
    "进行检修，更换灯头3个、修复线路2处，当晚恢复照明。6月5日回访来电人，其表示满意。"
    "经办人：刘建国，电话：13935012345。"
)
WAGES = RequestText(
    "工地拖欠工资", "来电人在城南安置房项目做钢筋工，包工头拖欠其去年10月至今年1月工资共1.8万元。",
    "求助", "劳动保障/欠薪",
)


def codes(request: RequestText, text: str, **fields) -> tuple[str, ...]:
    return review(request, ReplyText(text, **fields)).codes


def spans_text(text: str, code: str, request: RequestText = LAMP) -> list[str]:
    reason = review(request, ReplyText(text)).reason(code)
    assert reason is not None, code
    return [text[s.start : s.end] for s in reason.spans]


def test_substantive_reply_passes_with_full_checklist():
    v = review(LAMP, ReplyText(GOOD_LAMP))
    assert v.acceptable and v.score == 100 and v.reasons == ()
    assert dict(v.checklist) == dict.fromkeys(RUBRIC, True)
    assert v.copy_of is None


# --- too_short ------------------------------------------------------------------------


def test_too_short_counts_characters_and_spans_the_text():
    v = review(LAMP, ReplyText("已处理完毕。"))
    r = v.reason("too_short")
    assert not v.acceptable and r is not None
    assert r.params == {"chars": 5, "min": DEFAULT_RULES.min_chars}
    assert [(s.start, s.end) for s in r.spans] == [(0, 6)]


def test_short_but_concrete_reply_is_not_too_short():
    text = "4月9日下午已在幸福路中段补装路灯灯头2个，当晚恢复照明，并电话告知来电人，其满意。"
    v = review(LAMP, ReplyText(text))
    assert "too_short" not in v.codes and v.acceptable


def test_min_chars_is_a_setting():
    text = "6月8日已更换幸福路2盏路灯，当晚恢复照明，已电话告知来电人，满意。"
    assert "too_short" not in codes(LAMP, text)
    strict = ReviewRules(min_chars=60)
    assert "too_short" in review(LAMP, ReplyText(text), rules=strict).codes


# --- boilerplate ----------------------------------------------------------------------


def test_boilerplate_only_is_caught_with_its_phrases():
    text = "我局高度重视，立即安排执法人员进行核查，下一步将进一步加强管理，确保问题得到妥善解决。"
    v = review(LAMP, ReplyText(text))
    r = v.reason("boilerplate")
    assert not v.acceptable and r is not None
    assert "高度重视" in r.params["phrases"]
    found = spans_text(text, "boilerplate")
    assert "高度重视" in found and "立即安排" in found and "下一步将" in found
    assert all(text.find(f) >= 0 for f in found)


def test_stock_phrases_around_concrete_work_are_not_boilerplate():
    text = (
        "接到工单后我镇高度重视，立即安排城建办人员于6月4日对幸福路中段5盏路灯进行检修，更换灯头3个，"
        "当晚恢复照明。6月5日电话回访来电人，其表示满意。下一步将加强巡查。"
    )
    v = review(LAMP, ReplyText(text))
    assert "boilerplate" not in v.codes and v.acceptable


# --- no_contact -----------------------------------------------------------------------


def test_no_contact_when_text_and_fields_are_silent():
    text = "3月20日，县城管局路灯所对幸福路中段5盏路灯进行了检修，更换灯具5套，当晚恢复照明。"
    v = review(LAMP, ReplyText(text))
    assert "no_contact" in v.codes
    assert dict(v.checklist)["contacted"] is False
    # advisory by default: a finished repair with figures is still acceptable, with fewer points
    assert v.acceptable and v.score < 100


def test_contact_fields_count_as_contact():
    text = "3月20日，县城管局路灯所对幸福路中段5盏路灯进行了检修，更换灯具5套，当晚恢复照明。"
    v = review(LAMP, ReplyText(text, contact_by="路灯所 王明", contact_method="电话",
                               contacted_at="2026-03-21"))
    assert "no_contact" not in v.codes and dict(v.checklist)["contacted"]


def test_no_contact_can_be_made_blocking():
    text = "3月20日，县城管局路灯所对幸福路中段5盏路灯进行了检修，更换灯具5套，当晚恢复照明。"
    rules = ReviewRules(blocking=DEFAULT_RULES.blocking + ("no_contact",))
    assert not review(LAMP, ReplyText(text), rules=rules).acceptable


# --- no_action ------------------------------------------------------------------------


def test_no_action_when_contacted_but_nothing_done():
    text = "已经电话联系了来电人，向其了解了相关情况，来电人对此表示理解，此事已经告一段落。"
    v = review(LAMP, ReplyText(text))
    assert "no_action" in v.codes and not v.acceptable
    assert dict(v.checklist)["concrete_action"] is False


def test_completed_repair_without_figures_is_an_action():
    text = "城建办已更换幸福路损坏的路灯灯头，现已恢复照明，并电话告知来电人，来电人表示满意。"
    v = review(LAMP, ReplyText(text))
    assert "no_action" not in v.codes and v.acceptable


# --- bare_denial ----------------------------------------------------------------------


def test_bare_denial_is_caught_at_the_phrase():
    text = "经工作人员现场核查，来电人反映的路灯不亮问题不属实，请来电人知悉并理解。"
    v = review(LAMP, ReplyText(text))
    assert "bare_denial" in v.codes and not v.acceptable
    assert spans_text(text, "bare_denial") == ["不属实"]


def test_denial_backed_by_a_dated_site_check_passes():
    text = (
        "5月11日晚8时，城建办王斌、李强到幸福路中段逐盏查看，5盏路灯均正常亮灯，现场拍照存档，"
        "来电人所说路灯不亮的情况不属实，系5月9日已由路灯所修复。5月12日电话告知来电人，其表示认可。"
    )
    v = review(LAMP, ReplyText(text))
    assert "bare_denial" not in v.codes and v.acceptable


# --- disclaimer_no_redirect -----------------------------------------------------------


def test_disclaimer_without_a_named_unit_is_caught():
    text = "该问题不属于我单位职责范围，请来电人咨询相关部门，感谢来电人对我们工作的理解和支持。"
    v = review(WAGES, ReplyText(text))
    assert "disclaimer_no_redirect" in v.codes and not v.acceptable
    assert spans_text(text, "disclaimer_no_redirect", WAGES)[0].startswith("不属于我单位")


def test_redirect_naming_the_unit_and_phone_passes():
    text = (
        "经核实，来电人反映的欠薪属劳动保障监察事项，不属于我镇职责。我镇已于6月3日将情况转告县人社局"
        "劳动保障监察大队（电话0358-6023145），并同日电话告知来电人可直接联系该大队。"
    )
    v = review(WAGES, ReplyText(text))
    assert "disclaimer_no_redirect" not in v.codes and v.acceptable
    assert dict(v.checklist)["basis_or_redirect"]


def test_naming_itself_is_not_a_redirect():
    text = "县住建局经研究认为该问题不属于我局职责，建议来电人通过法律途径解决，感谢理解。"
    v = review(WAGES, ReplyText(text, unit="县住建局"))
    assert "disclaimer_no_redirect" in v.codes


# --- stalling -------------------------------------------------------------------------


def test_stalling_without_a_date_is_caught():
    text = "该路段路灯改造工程此事正在研究，待上级批复资金后逐步解决，请来电人耐心等待。"
    v = review(LAMP, ReplyText(text))
    assert "stalling" in v.codes and not v.acceptable
    assert {"正在研究", "逐步解决"} <= set(spans_text(text, "stalling"))


def test_pending_with_a_dated_commitment_is_not_stalling():
    text = (
        "6月3日城建办到幸福路现场查看，5盏路灯因地下电缆老化损坏，需更换电缆约300米，正在协调施工队，"
        "计划于6月20日前完工。6月4日电话告知来电人，其表示理解。"
    )
    v = review(LAMP, ReplyText(text))
    assert "stalling" not in v.codes and v.acceptable


# --- copy_paste -----------------------------------------------------------------------


def test_copy_of_another_orders_reply_is_caught():
    other = SimilarReply("XS202606010001", GOOD_LAMP.replace("6月3日", "5月28日")
                         .replace("6月4日", "5月29日").replace("5盏", "2盏"))
    v = review(LAMP, ReplyText(GOOD_LAMP), [other])
    assert v.copy_of == "XS202606010001" and "copy_paste" in v.codes and not v.acceptable
    assert v.reason("copy_paste").params["other_order"] == "XS202606010001"


def test_a_different_reply_and_the_same_order_are_not_copies():
    different = SimilarReply(
        "XS202606010002",
        "7月2日，环卫中心安排作业车对东关街南侧垃圾点积存垃圾进行了清运，共清运约3吨，并冲洗消杀。",
    )
    same_order = SimilarReply("XS9", GOOD_LAMP)
    req = RequestText(LAMP.title, LAMP.content, LAMP.request_type, LAMP.category, order_no="XS9")
    v = review(req, ReplyText(GOOD_LAMP), [different, same_order])
    assert v.copy_of is None and "copy_paste" not in v.codes and v.acceptable


# --- off_topic ------------------------------------------------------------------------


def test_reply_about_something_else_is_off_topic():
    text = (
        "5月9日，我局养护站对建设路北段路面坑槽进行了修补，修补面积约20平方米，并设置警示标志。"
        "已电话告知来电人。"
    )
    bus = RequestText("12路公交车改线", "12路公交车突然改了线路，不经过人民医院了，老人看病很不方便，"
                      "希望恢复原线路。", "建议", "交通运输/公交")
    v = review(bus, ReplyText(text))
    assert "off_topic" in v.codes and not v.acceptable
    assert v.reason("off_topic").params["topic"] == "12路公交车改线"


def test_short_request_is_never_off_topic():
    text = "6月3日已安排电工更换2盏灯头，当晚恢复照明，已电话告知来电人，其满意。"
    v = review(RequestText("灯坏", "灯坏了"), ReplyText(text))
    assert "off_topic" not in v.codes


def test_same_matter_in_other_words_is_on_topic():
    dog = RequestText("邻居狗没拴", "和平小区有户人家养的狗不拴绳，经常追着小孩跑，很危险。", "投诉",
                      "城市管理/宠物")
    text = "5月6日社区网格员上门找到养犬户，当天已将犬只拴养并办理犬证，5月8日回访来电人，称已无此情况。"
    assert "off_topic" not in codes(dog, text)


# --- verdict, score, catalog ------------------------------------------------------------


def test_reasons_are_known_codes_and_blocking_ones_cap_the_score():
    v = review(LAMP, ReplyText("已收悉，正在处理。"))
    assert {r.code for r in v.reasons} <= set(REASON_CODES)
    assert v.score < DEFAULT_RULES.min_score and not v.acceptable
    assert [c for c, _ in v.checklist] == list(RUBRIC)


def test_rules_from_settings_mapping():
    rules = ReviewRules.from_mapping({"min_chars": 30, "copy_threshold": 0.9})
    assert rules.min_chars == 30 and rules.copy_threshold == 0.9
    with pytest.raises(ValueError):
        ReviewRules.from_mapping({"no_such_setting": 1})
    with pytest.raises(ValueError):
        ReviewRules(blocking=("not_a_code",))


def test_every_reason_and_rubric_item_has_a_sentence_in_both_languages():
    cats = i18n.catalogs()
    for code in REASON_CODES:
        assert f"review.reason.{code}" in cats["zh"] and f"review.reason.{code}" in cats["en"]
    for code in RUBRIC:
        assert f"review.rubric.{code}" in cats["zh"] and f"review.rubric.{code}" in cats["en"]
    v = review(LAMP, ReplyText("已处理完毕。"))
    sentence = reason_text(v.reason("too_short"))
    assert "5" in sentence and str(DEFAULT_RULES.min_chars) in sentence and "{" not in sentence
    assert rubric_label("contacted") != "review.rubric.contacted"
    note = send_back_text(v)
    assert note.startswith("1. ") and "{" not in note
    i18n.set_lang("en")
    try:
        assert "characters" in reason_text(v.reason("too_short"))
    finally:
        i18n.set_lang("zh")


# --- copy keys --------------------------------------------------------------------------


def test_normalize_strips_digits_dates_names_places_and_punctuation():
    a = "2026年6月3日，经办人：刘建国（13935012345）到幸福路5号楼查看，王先生表示满意。"
    b = "2026-07-15  经办人：张敏（0358-6023145）到育才街12号楼查看，李女士表示满意！"
    assert normalize_for_copy(a) == normalize_for_copy(b)
    assert "满意" in normalize_for_copy(a) and "查看" in normalize_for_copy(a)


def test_fingerprint_is_stable_under_digits_dates_and_spaces():
    a = "6月3日电话联系来电人，6月4日更换路灯灯头3个，当晚恢复照明。"
    b = "7月12日 电话联系来电人，7月13日更换路灯灯头 5 个，当晚恢复照明。"
    c = "７月１２日　电话联系来电人，７月１３日更换路灯灯头５个，当晚恢复照明。"
    assert fingerprint(a) == fingerprint(b) == fingerprint(c)
    assert len(fingerprint(a)) <= 16 and int(fingerprint(a), 16) >= 0
    assert fingerprint(a) != fingerprint("6月3日电话联系来电人，6月4日清运垃圾3吨，当晚冲洗路面。")


def test_fingerprint_is_the_same_in_another_process():
    import subprocess
    import sys

    text = "6月3日电话联系来电人，6月4日更换路灯灯头3个，当晚恢复照明。"
    code = (
        "from hotline_tui.domain.review import fingerprint, band_keys;"
        f"print(fingerprint({text!r}), band_keys({text!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONHASHSEED": "12345"}).stdout.strip()
    assert out == f"{fingerprint(text)} {band_keys(text)}"


NEAR = [
    (GOOD_LAMP, GOOD_LAMP.replace("幸福路", "育才街").replace("满意", "基本满意")),
    ("接单后，劳动保障监察大队电话联系来电人，核实其在项目做木工被拖欠工资，约谈施工单位项目负责人，"
     "下达限期改正指令书，责令5个工作日内支付，施工单位已将工资全额转入来电人银行卡，来电人确认收到。",
     "接单后，劳动保障监察大队电话联系了来电人，核实其在工地做木工被拖欠工资，约谈施工单位项目负责人，"
     "下达限期改正指令书，责令3个工作日内支付，施工单位已将工资全额转入来电人银行卡，来电人确认收到。"),
    ("执法中队在农贸市场东门开展占道经营专项整治，劝离流动摊贩17户，暂扣违规搭建遮阳棚2处，"
     "并引导商户进入市场内经营，已设置每日早晚两次固定巡查岗，电话回访来电人，其表示满意。",
     "执法中队在兴华街夜市开展占道经营专项整治，劝离流动摊贩9户，暂扣违规搭建遮阳棚1处，"
     "并引导商户进入市场内经营，已设置每日早晚两次固定巡查岗，电话回访来电人，其表示满意！"),
]
UNRELATED = [
    GOOD_LAMP,
    "县医保局待遇科电话答复来电人：省内异地住院起付线1200元，报销比例55%，出院时可直接结算。",
    "执法人员到兴华街老马烧烤检查，该店未安装油烟净化设施，当场下达责令整改通知书，限5日内安装。",
    "县教育局基教股电话联系来电人，经核查其户籍及房产均属县第二小学划片范围，学校已为其办理报名。",
    "供水公司接单后电话联系来电人，经查为供水管道爆裂导致停水，抢修人员完成管道更换后恢复供水。",
    "网格员入户走访，确认住户饲养的两只犬夜间吠叫，与犬主沟通后犬主承诺夜间将犬关在室内。",
    "县征收办工作人员约来电人当面沟通，核对评估报告，补偿款已全额支付，附属物复核后增补。",
]


def test_band_keys_are_shared_by_near_copies():
    for a, b in NEAR:
        ka, kb = band_keys(a), band_keys(b)
        assert 0 < len(ka) <= 8 and all(-(2**62) <= k < 2**62 for k in ka)
        assert similarity(a, b) >= 0.6
        assert set(ka) & set(kb), (a, b, similarity(a, b))


def test_band_keys_mostly_not_shared_by_unrelated_replies():
    pairs = [(a, b) for i, a in enumerate(UNRELATED) for b in UNRELATED[i + 1 :]]
    shared = sum(bool(set(band_keys(a)) & set(band_keys(b))) for a, b in pairs)
    assert shared <= len(pairs) // 10
    assert all(similarity(a, b) < 0.3 for a, b in pairs)
    assert band_keys("") == [] and band_keys("，。 123") == []


def test_similarity_is_symmetric_and_one_for_copies():
    a, b = NEAR[0]
    assert similarity(a, b) == pytest.approx(similarity(b, a))
    assert similarity(a, a) == 1.0 and similarity(a, "") == 0.0


def test_review_with_twenty_candidates_is_fast():
    candidates = [SimilarReply(f"XS{i}", UNRELATED[i % len(UNRELATED)] + f"（第{i}次）")
                  for i in range(20)]
    text = GOOD_LAMP + "下一步将加强巡查，确保路灯完好。" * 3
    review(LAMP, ReplyText(text), candidates)  # warm the caches of compiled patterns
    runs = []
    for i in range(20):
        fresh = ReplyText(text + f"编号{i}")  # a new reply text each time: no cached shingles
        t0 = time.perf_counter()
        review(LAMP, fresh, candidates)
        runs.append(time.perf_counter() - t0)
    runs.sort()
    median_ms = runs[len(runs) // 2] * 1000
    print(f"review() with 20 candidates: median {median_ms:.2f} ms")
    assert median_ms < 25  # target well under 5 ms; generous bound for a loaded machine
