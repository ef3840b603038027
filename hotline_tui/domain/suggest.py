"""Which unit to suggest for an order: the features of an order (area, category, title
words) and the vote of earlier choices counted per feature. Pure functions, no I/O.

The store keeps, for each feature, how often each unit was chosen (`triage_stat`). A
unit's score is a weighted mean of P(unit | feature) over the order's features, each
probability shrunk towards 0 when the feature was seen only a few times.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

ANY_AREA = ""
AREA_FEATURE = "*"  # with area=ANY_AREA: all choices of a unit (its usage count)

# Weights of the feature groups: the same category in the same area is the best evidence.
W_AREA_CATEGORY = 3.0
W_CATEGORY = 2.0
W_WORDS = 2.0
W_AREA = 1.0
# Added to the unit the upstream platform named (承办单位) when it is a known unit: it ranks
# first unless earlier choices point clearly (score > this) at another unit.
UPSTREAM_BONUS = 0.6
# A feature seen N times counts N / (N + SHRINK): one earlier order is weak evidence.
SHRINK = 2.0
MAX_WORDS = 16

# Pairs that say nothing about who is responsible.
STOP_WORDS = frozenset(
    "关于 投诉 举报 咨询 反映 问题 情况 市民 来电 处理 解决 要求 希望 相关 部门 建议 求助 表扬 "
    "诉求 工单 尽快 一直 已经 没有 不能 无法 进行 存在 严重 影响 多次 至今 政府 有关 如何 怎么 "
    "什么 哪里 是否 可以 需要 办理".split()
)
FUNCTION_CHARS = frozenset("的了在是和与及于对有我你他她们这那请被把将等并也都就要能会其某着过吗呢吧啊")
_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")


def title_words(title: str, content: str = "", limit: int = MAX_WORDS) -> list[str]:
    """Character pairs of the title (or of the content's start when there is no title),
    without pairs that hold a function character or are stop words; first `limit`, unique."""
    text = unicodedata.normalize("NFKC", title or "").strip()
    if not text:
        text = unicodedata.normalize("NFKC", content or "")[:40]
    out: list[str] = []
    seen: set[str] = set()
    for run in _CJK_RUN.findall(text):
        for i in range(len(run) - 1):
            w = run[i : i + 2]
            if w in seen or w in STOP_WORDS or w[0] in FUNCTION_CHARS or w[1] in FUNCTION_CHARS:
                continue
            seen.add(w)
            out.append(w)
            if len(out) >= limit:
                return out
    return out


def order_features(area: str, category: str, title: str, content: str = "") -> list[tuple[str, str]]:
    """(feature, area) keys counted for an order; area '' means county-wide."""
    area = (area or "").strip()
    category = (category or "").strip()
    keys: list[tuple[str, str]] = [(AREA_FEATURE, ANY_AREA)]
    if area:
        keys.append((AREA_FEATURE, area))
    if category:
        keys.append((f"c:{category}", ANY_AREA))
        if area:
            keys.append((f"c:{category}", area))
    keys += [(f"w:{w}", ANY_AREA) for w in title_words(title, content)]
    return keys


@dataclass(frozen=True)
class Vote:
    unit_id: int
    score: float
    reason: str  # area_category | category | words | area | upstream
    hits: int  # how often the unit was chosen for the strongest feature
    total: int  # how many choices that feature saw
    word: str = ""  # the strongest title word, for reason "words"


def _p(n: int, total: int) -> float:
    return (n / total) * (total / (total + SHRINK)) if total else 0.0


def rank_units(
    area: str,
    category: str,
    title: str,
    content: str,
    counts: Mapping[tuple[str, str], Mapping[int, int]],
    upstream_unit_id: int | None = None,
    exclude: Iterable[int] = (),
    limit: int = 5,
) -> list[Vote]:
    """Rank units for an order from `counts[(feature, area)][unit_id] = n`."""
    area = (area or "").strip()
    category = (category or "").strip()
    excluded = set(exclude)
    groups: list[tuple[str, float, list[tuple[str, str]]]] = []
    if area and category:
        groups.append(("area_category", W_AREA_CATEGORY, [(f"c:{category}", area)]))
    if category:
        groups.append(("category", W_CATEGORY, [(f"c:{category}", ANY_AREA)]))
    words = [(f"w:{w}", ANY_AREA) for w in title_words(title, content)]
    if words:
        groups.append(("words", W_WORDS, words))
    if area:
        groups.append(("area", W_AREA, [(AREA_FEATURE, area)]))

    score: dict[int, float] = {}
    best: dict[int, tuple[float, str, int, int, str]] = {}
    weight_sum = 0.0
    for name, weight, keys in groups:
        seen = [(k, counts[k]) for k in keys if counts.get(k)]
        if not seen:
            continue
        weight_sum += weight
        per_unit: dict[int, float] = {}
        for key, by_unit in seen:
            total = sum(by_unit.values())
            for uid, n in by_unit.items():
                if uid in excluded:
                    continue
                p = _p(n, total)
                per_unit[uid] = per_unit.get(uid, 0.0) + p / len(seen)
                contrib = weight * p
                if contrib > best.get(uid, (0.0,))[0]:
                    word = key[0][2:] if name == "words" else ""
                    best[uid] = (contrib, name, n, total, word)
        for uid, p in per_unit.items():
            score[uid] = score.get(uid, 0.0) + weight * p
    if weight_sum:
        score = {u: s / weight_sum for u, s in score.items()}
    votes = {
        u: Vote(u, round(s, 4), best[u][1], best[u][2], best[u][3], best[u][4])
        for u, s in score.items()
        if s > 0
    }
    if upstream_unit_id is not None and upstream_unit_id not in excluded:
        v = votes.get(upstream_unit_id)
        base = v.score if v else 0.0
        votes[upstream_unit_id] = Vote(upstream_unit_id, round(base + UPSTREAM_BONUS, 4),
                                       "upstream", v.hits if v else 0, v.total if v else 0)
    return sorted(votes.values(), key=lambda v: (-v.score, v.unit_id))[:limit]
