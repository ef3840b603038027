"""Pinyin of unit and place names: full reading, initials, polyphones in place names."""

import pytest

from hotline_tui.domain.pinyin import pinyin_of, search_keys


@pytest.mark.parametrize(
    ("text", "full", "initials"),
    [
        ("黑龙河乡", "heilonghexiang", "hlhx"),
        ("长岭镇", "changlingzhen", "clz"),  # pypinyin alone says zhang
        ("朝阳街道", "chaoyangjiedao", "cyjd"),  # pypinyin alone says zhao
        ("曾家湾村", "zengjiawancun", "zjwc"),  # surname reading before 家
        ("重庆路", "chongqinglu", "cql"),
        ("县住建局", "xianzhujianju", "xzjj"),
        ("县行政审批局", "xianxingzhengshenpiju", "xxzspj"),
        ("县12345办", "xian12345ban", "x12345b"),
        ("ＡＢ路", "ablu", "abl"),  # full-width letters folded
        ("", "", ""),
    ],
)
def test_pinyin_of(text, full, initials):
    assert pinyin_of(text) == (full, initials)


def test_signs_are_dropped():
    assert pinyin_of("黑龙河乡（政府）") == pinyin_of("黑龙河乡政府")


def test_search_keys_have_every_reading_as_a_word():
    full, initials = search_keys("西山县住房和城乡建设局", "县住建局")
    words = initials.split()
    assert words[0] == pinyin_of("西山县住房和城乡建设局")[1]
    assert "zjj" in words  # the short name without 县
    assert "xzjj" in words
    assert "zhujianju" in full.split()
    assert len(set(words)) == len(words)


def test_search_keys_of_a_township():
    full, initials = search_keys("黑龙河乡", "黑龙河乡")
    assert (full, initials) == ("heilonghexiang", "hlhx")


def test_pypinyin_is_not_imported_until_used():
    import subprocess
    import sys

    code = ("import sys, hotline_tui.domain.pinyin as p; print('pypinyin' in sys.modules); "
            "p.pinyin_of('黑龙'); print('pypinyin' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["False", "True"]
