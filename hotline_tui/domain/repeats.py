"""Near-same text of two work orders (repeat complaints): normalised characters and
character pairs compared by Jaccard and by containment. Pure functions, no I/O.

How it works: both texts are folded (NFKC, lower case), stripped of the phrases nearly every
order carries (市民来电反映 / 希望相关部门尽快处理 ...), of function characters (的 了 在 ...)
and of everything but letters and digits. What is compared is the set of single characters
plus overlapping character pairs (幸福小区 -> 幸 福 小 区 幸福 福小 小区): no word segmenter
is needed, pairs keep the words, single characters keep a re-worded report close
(三天 / 三天了, 饭店 / 餐馆 share nothing, but most of the rest does).

Known limit: a report re-told in quite other words (tested examples score 0.31-0.37) is
not caught by text; the same phone or address usually catches those.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Two texts are near-same when their feature sets overlap this much (|A & B| / |A | B|).
# Calibrated on the table in tests/test_repeats_text.py: re-reports of one matter in
# similar words score 0.40-0.66 (copies 1.0); different matters of one topic or place (two
# noise complaints in different places, two wage claims on the same template, a street lamp
# and a manhole on the same street) score at most 0.36. The threshold sits between.
NEAR_SAME_JACCARD = 0.38
# ... or when the smaller set lies almost wholly inside the larger (|A & B| / min(|A|,|B|)),
# e.g. a short re-report of a longer earlier order. Only for sets of at least
# MIN_CONTAIN_FEATURES features: short texts are contained in many others by chance
# (different matters of the table reach 0.61).
NEAR_SAME_CONTAINMENT = 0.72
MIN_CONTAIN_FEATURES = 16
# Texts with fewer features than this after normalising are never called near-same.
MIN_FEATURES = 8
# Only the start of long texts is compared: the matter is stated first; the tail is history.
MAX_CHARS = 300
# Characters that carry grammar, not the matter; dropped before cutting pairs.
FUNCTION_CHARS = frozenset("的了在是和与及于对有我你他她们这那请被把将等并也都就要能会其某着过吗呢吧啊")

# Phrases of the hotline's own wording; they say nothing about the matter.
BOILERPLATE: tuple[str, ...] = (
    "市民来电反映", "市民来电咨询", "市民来电求助", "市民来电投诉", "市民来电举报", "市民来电",
    "来电人反映", "来电人称", "来电反映", "来电咨询", "来电求助", "来电投诉", "来电表示",
    "来电人", "群众反映", "网民反映", "网友反映", "市民反映", "反映人", "诉求人",
    "希望相关部门尽快处理", "希望相关部门尽快解决", "请相关部门尽快处理", "请相关部门核实处理",
    "请相关部门处理", "希望相关部门", "请相关部门", "相关部门", "希望尽快解决", "希望尽快处理",
    "要求尽快解决", "要求尽快处理", "请尽快处理", "请尽快解决", "尽快处理", "尽快解决",
    "请予处理", "请核实处理", "望处理", "望解决", "望回复", "请回复", "给予解决", "给予答复",
    "多次反映未解决", "多次反映", "至今未解决", "至今无人处理", "无人处理", "没有人管",
    "望相关部门予以重视", "请求相关部门核实处理", "请求相关部门", "予以重视", "核实处理",
    "诉求", "关于", "的问题", "问题", "情况",
)
# Longest first, so a long phrase is removed before a shorter one inside it.
_BOILERPLATE_RE = re.compile("|".join(re.escape(p) for p in sorted(BOILERPLATE, key=len,
                                                                         reverse=True)))
_NOT_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")


# Full-width ASCII (０-９ Ａ-Ｚ ａ-ｚ) and the ideographic space to half-width: the part of
# NFKC that matters here (NFKC itself is ~10x slower on Chinese text), applied only to texts
# that hold such characters.
_FULL_WIDTH = re.compile("[\uff01-\uff5e\u3000]")
_FOLD = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}
# Everything but letters, digits and CJK, and the function characters: one pass.
_DROP = re.compile("[^0-9a-z\u3400-\u9fff]|[" + "".join(sorted(FUNCTION_CHARS)) + "]")


def normalize(text: str) -> str:
    """Fold, drop boilerplate, function characters and everything but letters, digits and
    CJK characters."""
    s = (text or "")[: MAX_CHARS * 2]
    if _FULL_WIDTH.search(s):
        s = s.translate(_FOLD)
    s = s.lower()
    if not s.isascii() and not unicodedata.is_normalized("NFKC", s):
        s = _NOT_WORD.sub(" ", s)  # punctuation out first: what is left is mostly normal
        if not unicodedata.is_normalized("NFKC", s):
            s = unicodedata.normalize("NFKC", s)
    s = _BOILERPLATE_RE.sub(" ", s)
    return _DROP.sub("", s)[:MAX_CHARS]


def shingles(text: str) -> frozenset[str]:
    """The features of a text: its normalised characters and character pairs."""
    s = normalize(text)
    return frozenset(s).union(map(str.__add__, s, s[1:]))


@dataclass(frozen=True)
class Likeness:
    jaccard: float
    containment: float
    near_same: bool

    @property
    def score(self) -> float:
        """One number for ranking: the stronger of the two measures."""
        return max(self.jaccard, self.containment * NEAR_SAME_JACCARD / NEAR_SAME_CONTAINMENT)


def compare_shingles(a: frozenset[str], b: frozenset[str]) -> Likeness:
    """Compare two bigram sets (precompute one side with `shingles` when comparing many)."""
    if not a or not b:
        return Likeness(0.0, 0.0, False)
    inter = len(a & b)
    if inter == 0:
        return Likeness(0.0, 0.0, False)
    small = min(len(a), len(b))
    jac = inter / (len(a) + len(b) - inter)
    con = inter / small
    near = small >= MIN_FEATURES and (
        jac >= NEAR_SAME_JACCARD
        or (small >= MIN_CONTAIN_FEATURES and con >= NEAR_SAME_CONTAINMENT)
    )
    return Likeness(round(jac, 3), round(con, 3), near)


def compare(a: str, b: str) -> Likeness:
    """How alike two order texts are, and whether they count as near-same."""
    return compare_shingles(shingles(a), shingles(b))


def is_near_same(a: str, b: str) -> bool:
    return compare(a, b).near_same


def order_text(title: str, content: str) -> str:
    """The text of an order as compared: title and the start of the content."""
    title = title or ""
    content = content or ""
    if title and content.startswith(title):
        return content
    return f"{title} {content}"
