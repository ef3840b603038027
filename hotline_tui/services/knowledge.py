"""The knowledge base of approved answers (知识库) and direct answers (直办) from it.

Seeding: the shipped answers (data/knowledge_base.json) are loaded into an empty table the
first time the knowledge base is used (`list_answers`, `search_answers`, `suggest_answers`,
...) or by an explicit `seed_knowledge(engine)`. A setting `knowledge_seeded` remembers it,
so answers the office retired or changed are never brought back by a later start.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.settings import get_setting, set_setting
from hotline_tui.services.triage import apply_event, bump_stats, load_order, unit_names
from hotline_tui.store.engine import session
from hotline_tui.store.models_triage import KnowledgeAnswer, OrderAssist

K = KnowledgeAnswer.__table__.c
SEEDED_KEY = "knowledge_seeded"


@dataclass(frozen=True)
class Answer:
    id: int
    topic: str
    keywords: tuple[str, ...]
    answer: str
    basis: str
    active: bool
    updated_at: Any


@dataclass(frozen=True)
class AnswerHit:
    answer: Answer
    score: float
    matched: tuple[str, ...]  # the words that matched


@dataclass(frozen=True)
class DirectAnswerResult:
    order_no: str
    status: str
    answer_id: int
    topic: str
    closed_at: Any


_SPLIT = re.compile(r"[\s,，、;；/|]+")


def split_keywords(text: str | Any) -> tuple[str, ...]:
    if isinstance(text, list | tuple):
        text = " ".join(str(x) for x in text)
    words = [w for w in _SPLIT.split(unicodedata.normalize("NFKC", text or "")) if w]
    return tuple(dict.fromkeys(words))


def _answer(r: Any) -> Answer:
    return Answer(r.id, r.topic, split_keywords(r.keywords), r.answer, r.basis,
                  bool(r.active), r.updated_at)


# ---------------------------------------------------------------- seeding


def seed_file() -> Path:
    from hotline_tui.config import shipped_data

    return shipped_data("knowledge_base.json")


def seed_knowledge(engine: Engine, path: str | Path | None = None, force: bool = False) -> int:
    """Load the shipped answers when the table is empty (or `force`: add those whose topic
    is not there yet). Returns how many answers were added."""
    path = Path(path) if path else seed_file()
    with session(engine) as s:
        have = {r for r in s.exec(select(K.topic)).scalars()}
        if have and not force:
            set_setting(s, SEEDED_KEY, True)
            s.commit()
            return 0
        try:
            items = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError("kb.seed_unreadable", file=str(path), reason=str(exc)) from exc
        if isinstance(items, dict):
            items = items.get("answers", [])
        now = clock.now()
        added = 0
        for item in items:
            topic = str(item.get("topic", "")).strip()
            text = str(item.get("answer", "")).strip()
            if not topic or not text or topic in have:
                continue
            s.add(KnowledgeAnswer(topic=topic, keywords=" ".join(split_keywords(
                item.get("keywords", ""))), answer=text, basis=str(item.get("basis", "")).strip(),
                active=True, updated_at=now))
            have.add(topic)
            added += 1
        set_setting(s, SEEDED_KEY, True)
        s.commit()
        return added


def _ensure_seeded(engine: Engine) -> None:
    with session(engine) as s:
        if get_setting(s, SEEDED_KEY):
            return
    if seed_file().exists():
        seed_knowledge(engine)


# ---------------------------------------------------------------- reading and search


def _all(engine: Engine, include_retired: bool = False) -> list[Answer]:
    _ensure_seeded(engine)
    q = select(KnowledgeAnswer.__table__).order_by(K.topic)
    if not include_retired:
        q = q.where(K.active.is_(True))
    with engine.connect() as conn:
        return [_answer(r) for r in conn.execute(q)]


def list_answers(engine: Engine, include_retired: bool = False) -> list[Answer]:
    """All active answers by topic (retired ones too on request)."""
    return _all(engine, include_retired)


def get_answer(engine: Engine, answer_id: int) -> Answer:
    _ensure_seeded(engine)
    with engine.connect() as conn:
        r = conn.execute(select(KnowledgeAnswer.__table__).where(K.id == answer_id)).first()
    if r is None:
        raise UserError("kb.not_found", id=answer_id)
    return _answer(r)


def _bigrams(text: str) -> set[str]:
    s = re.sub(r"[^0-9a-z\u3400-\u9fff]+", "", unicodedata.normalize("NFKC", text).lower())
    return {s[i : i + 2] for i in range(len(s) - 1)}


def _score(a: Answer, words: list[str], text: str) -> tuple[float, tuple[str, ...]]:
    """Score an answer for query words and/or an order text.

    A keyword of the answer found in the text: 3 + its length (longer = more specific);
    a query word in the topic: 4, in the keywords: 3, in the answer text: 1; topic pairs
    shared with the text: 0.5 each."""
    score = 0.0
    matched: list[str] = []
    if text:
        for kw in a.keywords:
            if len(kw) >= 2 and kw in text:
                score += 3 + len(kw)
                matched.append(kw)
        if a.topic in text:
            score += 6
            matched.append(a.topic)
        score += 0.5 * len(_bigrams(a.topic) & _bigrams(text))
    for w in words:
        hit = False
        if w in a.topic:
            score += 4
            hit = True
        if any(w in kw or kw in w for kw in a.keywords if len(kw) >= 2):
            score += 3
            hit = True
        if w in a.answer:
            score += 1
            hit = True
        if hit:
            matched.append(w)
    return score, tuple(dict.fromkeys(matched))


def search_answers(engine: Engine, words: str, limit: int = 20,
                   include_retired: bool = False) -> list[AnswerHit]:
    """Answers for the words typed (space-separated; a run of Chinese without spaces is
    also matched by its character pairs), best first. Empty words list everything."""
    answers = _all(engine, include_retired)
    query = unicodedata.normalize("NFKC", words or "").strip()
    if not query:
        return [AnswerHit(a, 0.0, ()) for a in answers[:limit]]
    parts = split_keywords(query)
    hits = []
    for a in answers:
        score, matched = _score(a, list(parts), "")
        if score == 0 and len(query) >= 2:  # no word matched whole: try its pairs
            pairs = _bigrams(query)
            hay = _bigrams(a.topic + " ".join(a.keywords))
            common = pairs & hay
            if pairs and len(common) / len(pairs) >= 0.5:
                score, matched = 2.0 * len(common) / len(pairs), tuple(sorted(common))
        if score > 0:
            hits.append(AnswerHit(a, round(score, 2), matched))
    hits.sort(key=lambda h: (-h.score, h.answer.topic))
    return hits[:limit]


def suggest_answers(engine: Engine, order: Any, limit: int = 5) -> list[AnswerHit]:
    """Answers whose keywords or topic appear in an order's title and content, best first
    (an order: a TriageItem, a WorkOrder or an order number)."""
    if isinstance(order, str):
        from hotline_tui.services.triage import get_triage_item

        order = get_triage_item(engine, order)
    text = unicodedata.normalize("NFKC", f"{order.title or ''} {order.content or ''}")
    hits = []
    for a in _all(engine):
        score, matched = _score(a, [], text)
        if score >= 3:
            hits.append(AnswerHit(a, round(score, 2), matched))
    hits.sort(key=lambda h: (-h.score, h.answer.topic))
    return hits[:limit]


# ---------------------------------------------------------------- changes


def _check(topic: str, answer: str) -> tuple[str, str]:
    topic = (topic or "").strip()
    answer = (answer or "").strip()
    if not topic:
        raise UserError("kb.topic_required")
    if not answer:
        raise UserError("kb.answer_required")
    return topic, answer


def add_answer(engine: Engine, topic: str, answer: str, keywords: str | list[str] = "",
               basis: str = "") -> Answer:
    topic, answer = _check(topic, answer)
    _ensure_seeded(engine)
    with session(engine) as s:
        row = KnowledgeAnswer(topic=topic, keywords=" ".join(split_keywords(keywords)),
                              answer=answer, basis=(basis or "").strip(), active=True,
                              updated_at=clock.now())
        s.add(row)
        s.commit()
        return _answer(row)


def edit_answer(engine: Engine, answer_id: int, *, topic: str | None = None,
                answer: str | None = None, keywords: str | list[str] | None = None,
                basis: str | None = None) -> Answer:
    """Change an answer (None keeps a field). Orders answered before keep the text they got
    (it is in their history)."""
    with session(engine) as s:
        row = s.get(KnowledgeAnswer, answer_id)
        if row is None:
            raise UserError("kb.not_found", id=answer_id)
        new_topic, new_answer = _check(topic if topic is not None else row.topic,
                                       answer if answer is not None else row.answer)
        row.topic, row.answer = new_topic, new_answer
        if keywords is not None:
            row.keywords = " ".join(split_keywords(keywords))
        if basis is not None:
            row.basis = basis.strip()
        row.updated_at = clock.now()
        s.add(row)
        s.commit()
        return _answer(row)


def retire_answer(engine: Engine, answer_id: int, retired: bool = True) -> Answer:
    """Take an answer out of use (or back with retired=False); it is never deleted."""
    with session(engine) as s:
        row = s.get(KnowledgeAnswer, answer_id)
        if row is None:
            raise UserError("kb.not_found", id=answer_id)
        row.active = not retired
        row.updated_at = clock.now()
        s.add(row)
        s.commit()
        return _answer(row)


def count_answers(engine: Engine) -> int:
    _ensure_seeded(engine)
    with engine.connect() as conn:
        return int(conn.execute(
            select(func.count()).select_from(KnowledgeAnswer.__table__)
            .where(K.active.is_(True))).scalar() or 0)


# ---------------------------------------------------------------- direct answer


def direct_answer(engine: Engine, order_no: str, answer_id: int, actor: str | None = None,
                  expected_version: int | None = None) -> DirectAnswerResult:
    """Close a new or triaged order as 直办 with a knowledge-base answer: Event.DIRECT_ANSWER,
    closed_at set, the answer's text and basis in the history note and its id and topic in
    the history changes. A lead unit or assists chosen before are cleared (recorded)."""
    _ensure_seeded(engine)
    with session(engine) as s:
        row = s.get(KnowledgeAnswer, answer_id)
        if row is None:
            raise UserError("kb.not_found", id=answer_id)
        if not row.active:
            raise UserError("kb.retired", id=answer_id, topic=row.topic)
        order = load_order(s, order_no)
        now = clock.now()
        a = OrderAssist.__table__
        assists = list(s.exec(select(a.c.unit_id).where(a.c.order_id == order.id)).scalars())
        old_unit = order.unit_id
        note = t("kb.history_note", id=row.id, topic=row.topic, answer=row.answer)
        if row.basis:
            note += "\n" + t("kb.history_basis", basis=row.basis)
        extra: dict[str, list[Any]] = {"knowledge_answer": [None, {"id": row.id,
                                                                    "topic": row.topic}]}
        if assists:
            names = unit_names(s, assists)
            extra["assist"] = [[names[i] for i in assists], []]
        apply_event(s, order, Event.DIRECT_ANSWER,
                    changes={"closed_at": now, "unit_id": None, "tier_days": None},
                    note=note, actor=actor, at=now, extra_changes=extra,
                    expected_version=expected_version)
        if assists:
            s.exec(a.delete().where(a.c.order_id == order.id))
        bump_stats(s, order, old_unit, -1)
        from hotline_tui.services.merge import close_merged_with

        close_merged_with(s, order)  # orders merged into this one close with it
        s.commit()
        return DirectAnswerResult(order.order_no, order.status, row.id, row.topic, now)
