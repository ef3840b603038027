"""Pinyin of unit and place names, for lookups like `hlh` or `heilonghe` -> 黑龙河乡.

Pure: no database. pypinyin (~0.3 s to import) is imported on the first call only, so store
the results (unit.pinyin / unit.initials) instead of computing them while painting a screen.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Readings pypinyin gets wrong in place names (its phrase data covers many, not these).
# Each key is replaced by its syllables before the rest is handed to pypinyin.
PLACE_READINGS: dict[str, tuple[str, ...]] = {
    "朝阳": ("chao", "yang"),
    "朝天": ("chao", "tian"),
    "长岭": ("chang", "ling"),
    "长治": ("chang", "zhi"),
    "长安": ("chang", "an"),
    "长沙": ("chang", "sha"),
    "长春": ("chang", "chun"),
    "长兴": ("chang", "xing"),
    "长寿": ("chang", "shou"),
    "长乐": ("chang", "le"),
    "长坡": ("chang", "po"),
    "长滩": ("chang", "tan"),
    "长沟": ("chang", "gou"),
    "长街": ("chang", "jie"),
    "长青": ("chang", "qing"),
    "长丰": ("chang", "feng"),
    "乐亭": ("lao", "ting"),
    "乐安": ("le", "an"),
    "六安": ("lu", "an"),
    "蚌埠": ("beng", "bu"),
    "重庆": ("chong", "qing"),
    "大厦": ("da", "sha"),
    "堡子": ("pu", "zi"),
    "十里堡": ("shi", "li", "pu"),
    "行政": ("xing", "zheng"),
    "银行": ("yin", "hang"),
    "供电": ("gong", "dian"),
    "供水": ("gong", "shui"),
    "供热": ("gong", "re"),
    "调解": ("tiao", "jie"),
    "调查": ("diao", "cha"),
}

# Surnames with a reading of their own, as the first syllable of "<surname>家..." villages.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng", "单": "shan", "解": "xie", "查": "zha", "区": "ou", "仇": "qiu",
    "朴": "piao", "尉": "yu", "盖": "ge", "乐": "yue", "缪": "miao", "翟": "zhai",
}

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_KEYS = sorted(PLACE_READINGS, key=len, reverse=True)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def _lazy_pinyin(chunk: str) -> list[str]:
    from pypinyin import lazy_pinyin  # heavy import, deferred to the first use

    return lazy_pinyin(chunk, errors="ignore")


def _cjk_syllables(chunk: str) -> list[str]:
    """Syllables of a run of Chinese characters, with the place-name readings applied."""
    out: list[str] = []
    i = 0
    plain_start = 0
    while i < len(chunk):
        key = next((k for k in _KEYS if chunk.startswith(k, i)), None)
        surname = (
            chunk[i] in SURNAME_READINGS and chunk[i + 1 : i + 2] == "家"
            and (i == 0 or chunk[i - 1] in "村镇乡庄屯")
        )
        if key is None and not surname:
            i += 1
            continue
        if plain_start < i:
            out.extend(_lazy_pinyin(chunk[plain_start:i]))
        if key is not None:
            out.extend(PLACE_READINGS[key])
            i += len(key)
        else:
            out.append(SURNAME_READINGS[chunk[i]])
            i += 1
        plain_start = i
    if plain_start < len(chunk):
        out.extend(_lazy_pinyin(chunk[plain_start:]))
    return out


@lru_cache(maxsize=4096)
def pinyin_of(text: str) -> tuple[str, str]:
    """(full pinyin, initials) of `text`, lower case, no spaces or tones.

    黑龙河乡 -> ("heilonghexiang", "hlhx"). Letters and digits are kept as they are in both
    (full-width folded): 县12345办 -> ("xian12345ban", "x12345b"); other signs are dropped.
    """
    folded = _fold(text)
    full: list[str] = []
    initials: list[str] = []
    pos = 0
    for m in _CJK.finditer(folded):
        _other(folded[pos : m.start()], full, initials)
        for syl in _cjk_syllables(m.group()):
            if syl:
                full.append(syl)
                initials.append(syl[0])
        pos = m.end()
    _other(folded[pos:], full, initials)
    return "".join(full), "".join(initials)


def _other(chunk: str, full: list[str], initials: list[str]) -> None:
    kept = "".join(ch for ch in chunk if ch.isascii() and ch.isalnum())
    if kept:
        full.append(kept)
        initials.append(kept)


def _variants(name: str) -> list[str]:
    """The name and the part after a leading "...县" (县住建局 -> 住建局), if any."""
    out = [name]
    cut = name.find("县")
    if 0 <= cut <= 4 and cut < len(name) - 1:
        out.append(name[cut + 1 :])
    return out


def search_keys(name: str, short_name: str = "") -> tuple[str, str]:
    """(pinyin words, initials words) for a unit, each a space-separated list of readings
    of its name, its short name and both without a leading "...县", so that `hlh`,
    `heilonghe`, `zjj` (县住建局) and `xzjj` all find their unit by word prefix.

    The first word is `pinyin_of(name)`; code matching these columns should test
    "some word starts with the term" (`' ' || initials LIKE '% ' || term || '%'`)."""
    fulls: list[str] = []
    inits: list[str] = []
    for text in (name, short_name):
        for variant in _variants(text) if text else ():
            full, initials = pinyin_of(variant)
            if full and full not in fulls:
                fulls.append(full)
            if initials and initials not in inits:
                inits.append(initials)
    return " ".join(fulls), " ".join(inits)
