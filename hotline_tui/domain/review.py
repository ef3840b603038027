"""The reply quality review: reads a unit's reply (反馈) against the citizen's request and
against other orders' replies, and says whether it can go upstream or is sent back
(退回重办), with reasons the clerk can forward to the unit. Pure: no I/O, no UI strings
(a reason is a code + parameters + spans into the reply; i18n/catalog_review.py renders).

What is substantive (DOMAIN.md, Reply quality): when and how the citizen was contacted and
by whom, what was found, what was done with dates and numbers, the result, the basis where
relevant, if not solved why / next step / date, the handler and a phone.

The rules, in the order they are checked (all are explained, none is a model):

- too_short: fewer than `min_chars` letters, digits and Chinese characters.
- A sentence is *concrete* when it names a verb of doing, checking or talking together with
  a date or time, a quantity, or a document (《…》/第N条/编号), or when it reports a completed
  physical/administrative act (已更换 / 拆除了 / 进行了清运). Phone numbers are not quantities.
- boilerplate: stock phrases (高度重视, 立即安排, 下一步将 …) and no concrete sentence.
- bare_denial: a denial (不属实, 不存在…问题, 不符合…条件) and no concrete sentence (no site
  check with a date, no findings, no figures).
- disclaimer_no_redirect: "not ours" (不属于我单位职责, 非我局管辖, 民事纠纷, 通过法律途径,
  请来电人自行到…) without naming the responsible unit (a name ending in 局/公司/所/站/中心/
  股/窗口 …, not 相关部门 or the replying unit itself).
- stalling: pending phrases (正在研究, 待上级批复, 择机, 逐步解决, 请耐心等待 …) with no dated
  commitment (6月30日前, 5个工作日内, 自7月15日起, 月底前) and nothing done-and-finished;
  or a refusal without reasons (暂不具备条件) in a reply with no concrete sentence.
- no_action: no concrete sentence, and none of the four reasons above already says so (a
  proper redirect counts as the action).
- copy_paste: a reply of another order (from `similar`) with similarity >= copy_threshold
  on the normalised text; `copy_of` names it.
- off_topic: the request (title, content, category) has at least `off_topic_min_terms` key
  character pairs (after the hotline's own phrases and generic words are dropped), and a
  reply of at least `off_topic_min_reply_chars` characters shares at most
  `off_topic_max_shared` of those pairs and at most `off_topic_max_shared_chars` of the
  request's uncommon single characters (狗 / 拴 / 灯; a few synonyms are folded: 犬→狗,
  薪→资). Counts are absolute, so a long request only makes the rule more careful. Short
  requests are never judged off topic.
- no_contact: nothing in the text shows contact with the citizen (电话联系/告知来电人/回访/
  当面/上门到来电人家 …) and the contact fields (contact_by, contact_method, contacted_at)
  are empty. Advisory by default (not in `blocking`): a finished repair reported with date
  and numbers is not perfunctory for lacking it, but it costs the contact points.

Score: the weights of the rubric items passed (contacted, concrete_action, result_stated,
on_topic, basis_or_redirect, named_handler; 100 in all), less `hard_penalty` per blocking
reason; with any blocking reason the score is capped below `min_score`. The verdict is
acceptable when no blocking reason fires and the score reaches `min_score`. Reasons on an
acceptable verdict are advisory (the screen shows them, the reply may still go upstream).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields

from hotline_tui.domain import review_lexicon as lx
from hotline_tui.domain.review_copy import (
    band_keys,
    fingerprint,
    jaccard,
    normalize_for_copy,
    shingles,
    similarity,
)
from hotline_tui.domain.review_topic import key_chars, key_pairs, request_text, topic_text

__all__ = [
    "REASON_CODES", "RUBRIC", "DEFAULT_RULES", "RequestText", "ReplyText", "Span", "Reason",
    "SimilarReply", "Verdict", "ReviewRules", "review", "normalize_for_copy", "fingerprint",
    "band_keys", "similarity",
]

REASON_CODES = (
    "boilerplate", "too_short", "no_contact", "no_action", "bare_denial",
    "disclaimer_no_redirect", "stalling", "copy_paste", "off_topic",
)
RUBRIC = (
    "contacted", "concrete_action", "result_stated", "on_topic", "basis_or_redirect",
    "named_handler",
)


@dataclass(frozen=True)
class RequestText:
    """What the citizen asked."""

    title: str
    content: str
    request_type: str = ""  # 投诉/求助/咨询/建议/举报/...
    category: str = ""
    order_no: str = ""  # this order's number: a `similar` entry with it is ignored


@dataclass(frozen=True)
class ReplyText:
    """What the unit replied."""

    text: str
    contact_by: str = ""
    contacted_at: str = ""
    contact_method: str = ""
    result: str = ""
    policy_basis: str = ""
    handler: str = ""
    handler_phone: str = ""
    unit: str = ""  # the replying unit: naming itself is not a redirect


@dataclass(frozen=True)
class Span:
    start: int
    end: int


@dataclass(frozen=True)
class Reason:
    code: str
    params: dict
    spans: tuple[Span, ...] = ()


@dataclass(frozen=True)
class SimilarReply:
    order_no: str
    text: str


@dataclass(frozen=True)
class Verdict:
    acceptable: bool
    score: int
    reasons: tuple[Reason, ...]
    checklist: tuple[tuple[str, bool], ...]
    copy_of: str | None = None

    def reason(self, code: str) -> Reason | None:
        return next((r for r in self.reasons if r.code == code), None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.reasons)


@dataclass(frozen=True)
class ReviewRules:
    """Thresholds of the review; the office may tune them (settings)."""

    min_chars: int = 20
    copy_threshold: float = 0.8
    copy_min_chars: int = 20
    off_topic_min_terms: int = 6
    off_topic_min_reply_chars: int = 20
    off_topic_max_shared: int = 1
    off_topic_max_shared_chars: int = 2
    min_score: int = 60
    hard_penalty: int = 15
    weights: tuple[tuple[str, int], ...] = (
        ("contacted", 20), ("concrete_action", 30), ("result_stated", 20), ("on_topic", 10),
        ("basis_or_redirect", 10), ("named_handler", 10),
    )
    # Reasons that send a reply back by themselves; the others are advisory.
    blocking: tuple[str, ...] = (
        "boilerplate", "too_short", "no_action", "bare_denial", "disclaimer_no_redirect",
        "stalling", "copy_paste", "off_topic",
    )
    max_spans: int = field(default=12)

    def __post_init__(self) -> None:
        unknown = [c for c in self.blocking if c not in REASON_CODES]
        if unknown:
            raise ValueError(f"unknown reason codes in blocking: {unknown}")
        bad = [c for c, _ in self.weights if c not in RUBRIC]
        if bad:
            raise ValueError(f"unknown rubric items in weights: {bad}")
        if not 0 < self.copy_threshold <= 1:
            raise ValueError("copy_threshold must be in (0, 1]")

    @classmethod
    def from_mapping(cls, values: Mapping[str, object]) -> ReviewRules:
        """Rules from settings: known keys only (an unknown key raises ValueError)."""
        names = {f.name for f in fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"unknown review settings: {unknown}")
        kw = dict(values)
        if "weights" in kw and isinstance(kw["weights"], Mapping):
            kw["weights"] = tuple((str(k), int(v)) for k, v in kw["weights"].items())
        for key in ("blocking",):
            if key in kw:
                kw[key] = tuple(kw[key])  # type: ignore[arg-type]
        return cls(**kw)  # type: ignore[arg-type]


DEFAULT_RULES = ReviewRules()

_WORD_CHARS = re.compile(r"[0-9A-Za-z\u3400-\u9fff\uff10-\uff19]")
_SENTENCE = re.compile(r"[^。；;！!？?\n]+")


def _char_count(text: str) -> int:
    return len(_WORD_CHARS.findall(text))


def _spans(matches: Sequence[re.Match[str]], limit: int) -> tuple[Span, ...]:
    out: list[Span] = []
    for m in matches:
        if m.end() > m.start() and not any(s.start <= m.start() < s.end for s in out):
            out.append(Span(m.start(), m.end()))
        if len(out) >= limit:
            break
    return tuple(sorted(out, key=lambda s: s.start))


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """`text` with the matches of `pattern` replaced by spaces (offsets kept)."""
    return pattern.sub(lambda m: " " * len(m.group()), text)


def _concrete_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences that report something checkable."""
    masked = _mask(text, lx.PHONE_RE)
    masked = _mask(masked, lx.BOILERPLATE_RE)
    out = []
    for m in _SENTENCE.finditer(masked):
        s = m.group()
        has_specific = bool(
            lx.DATE_RE.search(s) or lx.QUANTITY_RE.search(s) or lx.DOCUMENT_RE.search(s)
        )
        if (has_specific and lx.ANY_VERB_RE.search(s)) or lx.DONE_RE.search(s):
            out.append((m.start(), m.end()))
    return out


def _named_units(text: str, own_unit: str) -> list[str]:
    names = []
    for m in lx.UNIT_NAME_RE.finditer(text):
        name = m.group()
        if lx.GENERIC_UNIT_RE.search(name):
            continue
        if own_unit and (name in own_unit or own_unit in name):
            continue
        names.append(name)
    return names


def _has_handler(reply: ReplyText) -> bool:
    if reply.handler.strip() and reply.handler_phone.strip():
        return True
    for m in re.finditer("经办人|承办人|联系人|办理人|维修人|责任人|负责人", reply.text):
        tail = reply.text[m.end() : m.end() + 30]
        if lx.PHONE_RE.search(tail):
            return True
    return False


def review(
    request: RequestText,
    reply: ReplyText,
    similar: Sequence[SimilarReply] = (),
    *,
    rules: ReviewRules = DEFAULT_RULES,
) -> Verdict:
    """Read `reply` against `request` and other orders' replies; see the module docstring."""
    text = reply.text or ""
    reasons: list[Reason] = []
    lim = rules.max_spans
    chars = _char_count(text)
    concrete = _concrete_sentences(text)
    is_concrete = bool(concrete)

    # --- contact
    contact_fields = any(
        v.strip() for v in (reply.contact_by, reply.contact_method, reply.contacted_at)
    )
    contacted = contact_fields or bool(lx.CONTACT_RE.search(text))

    # --- too short
    if chars < rules.min_chars:
        reasons.append(
            Reason("too_short", {"chars": chars, "min": rules.min_chars},
                   (Span(0, len(text)),) if text else ())
        )

    # --- disclaimer / redirect
    disclaim = list(lx.DISCLAIMER_RE.finditer(text))
    units = _named_units(text, reply.unit)
    redirect = bool(disclaim) and bool(units)
    if disclaim and not units:
        reasons.append(Reason("disclaimer_no_redirect", {"phrase": disclaim[0].group()},
                              _spans(disclaim, lim)))

    # --- bare denial
    denials = list(lx.DENIAL_RE.finditer(text))
    if denials and not is_concrete:
        reasons.append(Reason("bare_denial", {"phrase": denials[0].group()},
                              _spans(denials, lim)))

    # --- results
    done = [m for m in lx.RESULT_DONE_RE.finditer(text)
            if not lx.PROMISE_BEFORE_RE.search(text[max(0, m.start() - 4) : m.start()])]
    result_stated = bool(reply.result.strip()) or bool(done) or bool(
        lx.RESULT_WORDS_RE.search(text)) or (bool(denials) and is_concrete)

    # --- stalling
    stalls = list(lx.STALL_RE.finditer(text))
    dated = bool(lx.FUTURE_DATE_RE.search(_mask(text, lx.PHONE_RE)))
    vague_refusal = [] if is_concrete else list(lx.VAGUE_REFUSAL_RE.finditer(text))
    if (stalls and not dated and not done) or vague_refusal:
        found = sorted(stalls + vague_refusal, key=lambda m: m.start())
        reasons.append(Reason("stalling", {"phrase": found[0].group()}, _spans(found, lim)))

    # --- boilerplate / no action
    stock = list(lx.BOILERPLATE_RE.finditer(text))
    if stock and not is_concrete:
        phrases = list(dict.fromkeys(m.group() for m in stock))
        reasons.append(Reason("boilerplate", {"phrases": "、".join(phrases[:3]),
                                              "count": len(stock)}, _spans(stock, lim)))
    already = {r.code for r in reasons}
    if not is_concrete and not redirect and not already & {
        "too_short", "boilerplate", "bare_denial", "disclaimer_no_redirect", "stalling"
    }:
        reasons.append(Reason("no_action", {}))

    # --- copy-paste
    copy_of: str | None = None
    norm = normalize_for_copy(text)
    if len(norm) >= rules.copy_min_chars and similar:
        mine = shingles(text)
        best, best_no = 0.0, None
        for other in similar:
            if request.order_no and other.order_no == request.order_no:
                continue
            sim = jaccard(mine, shingles(other.text))
            if sim > best:
                best, best_no = sim, other.order_no
        if best_no is not None and best >= rules.copy_threshold:
            copy_of = best_no
            reasons.append(Reason("copy_paste",
                                  {"other_order": best_no, "similarity": round(best * 100)},
                                  (Span(0, len(text)),)))

    # --- on topic
    on_topic = True
    req_text = request_text(request.title, request.content, request.category)
    terms = key_pairs(req_text)
    if len(terms) >= rules.off_topic_min_terms and chars >= rules.off_topic_min_reply_chars:
        reply_norm = topic_text(text)
        shared = terms & key_pairs(reply_norm)
        req_chars = key_chars(req_text)
        shared_chars = req_chars & key_chars(reply_norm)
        if (
            len(shared) <= rules.off_topic_max_shared
            and len(shared_chars) <= rules.off_topic_max_shared_chars
        ):
            on_topic = False
            reasons.append(Reason("off_topic", {"topic": request.title.strip()[:30],
                                                "shared": len(shared), "terms": len(terms)}))

    if not contacted:
        reasons.append(Reason("no_contact", {}))

    # --- basis or redirect: required for denials, refusals, disclaimers and consultations
    has_basis = bool(reply.policy_basis.strip()) or bool(lx.DOCUMENT_RE.search(text)) or bool(
        re.search("(?:根据|依据|按照|依照|参照)[^，。；]{0,24}(?:法|条例|规定|办法|政策|意见|"
                  "通知|标准|细则|文件|方案|规划|合同|协议)", _mask(text, lx.BOILERPLATE_RE)))
    needs_basis = bool(denials or disclaim or vague_refusal) or any(
        t in request.request_type for t in lx.CONSULT_TYPES)
    basis_ok = has_basis or redirect or not needs_basis

    checklist = (
        ("contacted", contacted),
        ("concrete_action", is_concrete or redirect),
        ("result_stated", result_stated),
        ("on_topic", on_topic),
        ("basis_or_redirect", basis_ok),
        ("named_handler", _has_handler(reply)),
    )
    passed = dict(checklist)
    score = sum(w for code, w in rules.weights if passed.get(code))
    blocking = [r for r in reasons if r.code in rules.blocking]
    score -= rules.hard_penalty * len(blocking)
    if blocking:
        score = min(score, rules.min_score - 1)
    score = max(0, min(100, score))
    acceptable = not blocking and score >= rules.min_score
    order = {c: i for i, c in enumerate(REASON_CODES)}
    reasons.sort(key=lambda r: (r.code not in rules.blocking, order[r.code]))
    return Verdict(acceptable, score, tuple(reasons), checklist, copy_of)
