"""What the reply services share: the review of one reply against its request and the
replies of other orders (found by fingerprint and near-copy keys, at most MAX_SIMILAR), and
the writing of one reply row with its keys and verdict inside the caller's transaction.

The review rules themselves are pure (domain/review.py); this module feeds them from the
database.
"""

from __future__ import annotations

import json
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, text

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection
    from sqlmodel import Session

    from hotline_tui.domain.review import SimilarReply, Verdict
    from hotline_tui.store.models import WorkOrder
    from hotline_tui.store.models_reply import Reply

MAX_SIMILAR = 50  # candidate replies of other orders read per review
PER_KEY = 60  # rows read per near-copy key (a boilerplate key is shared by thousands)
MAX_TEXT = 20_000  # characters of one reply
MAX_FIELD = 500  # characters of one of the short fields (who, when, how, handler, phone)
FIELDS = ("contact_by", "contacted_at", "contact_method", "result", "policy_basis", "handler",
          "handler_phone")
LONG_FIELDS = ("result", "policy_basis")


def clean_reply_text(value: object) -> str:
    """A reply as it may be stored: NFC, line breaks as \\n, no trailing spaces per line,
    no blank lines at either end."""
    if value is None:
        return ""
    s = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    s = s.replace("\t", " ").replace("\x00", "")
    lines = [ln.rstrip() for ln in s.split("\n")]
    return "\n".join(lines).strip()


def clean_field(value: object) -> str:
    """A short field on one line."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = unicodedata.normalize("NFC", str(value)).replace("\r", " ").replace("\n", " ")
    return " ".join(s.split())


@dataclass(frozen=True)
class ReplyFields:
    """One reply as the unit gave it (text cleaned)."""

    text: str
    contact_by: str = ""
    contacted_at: str = ""
    contact_method: str = ""
    result: str = ""
    policy_basis: str = ""
    handler: str = ""
    handler_phone: str = ""

    @classmethod
    def build(cls, text: object, **fields: object) -> ReplyFields:
        vals = {}
        for f in FIELDS:
            v = fields.get(f)
            vals[f] = clean_reply_text(v) if f in LONG_FIELDS else clean_field(v)
        return cls(clean_reply_text(text), **vals)

    def same_as(self, r: Reply) -> bool:
        return self.text == r.text and all(getattr(self, f) == (getattr(r, f) or "")
                                           for f in FIELDS)

    def too_long(self) -> str | None:
        """The name of a field over its limit, or None."""
        if len(self.text) > MAX_TEXT:
            return "text"
        for f in FIELDS:
            limit = MAX_TEXT if f in LONG_FIELDS else MAX_FIELD
            if len(getattr(self, f)) > limit:
                return f
        return None


def request_of(order: Any) -> Any:
    from hotline_tui.domain.review import RequestText

    return RequestText(order.title or "", order.content or "", order.request_type or "",
                       order.category or "", order.order_no or "")


def reply_text_of(r: Any, unit: str = "") -> Any:
    from hotline_tui.domain.review import ReplyText

    return ReplyText(r.text or "", r.contact_by or "", r.contacted_at or "",
                     r.contact_method or "", r.result or "", r.policy_basis or "",
                     r.handler or "", r.handler_phone or "", unit)


def unit_name(conn: Connection, unit_id: int | None) -> str:
    if unit_id is None:
        return ""
    return conn.execute(text("SELECT name FROM unit WHERE id = :i"), {"i": unit_id}).scalar() or ""


def keys_of(text_: str) -> tuple[str, list[int]]:
    """The exact-copy fingerprint and the near-copy keys of a reply text (keys unique)."""
    from hotline_tui.domain.review import band_keys, fingerprint

    return fingerprint(text_), list(dict.fromkeys(int(k) for k in band_keys(text_)))


_BY_FP = text(
    "SELECT id, order_id FROM reply WHERE fingerprint = :fp AND order_id <> :oid "
    "ORDER BY order_id DESC LIMIT :n"
)
_BY_KEY = text(
    "SELECT reply_id, order_id FROM reply_band WHERE band_key = :k AND order_id <> :oid "
    "ORDER BY reply_id DESC LIMIT :n"
)
_TEXTS = text(
    "SELECT r.id, r.order_id, o.order_no, r.text FROM reply r "
    "JOIN work_order o ON o.id = r.order_id WHERE r.id IN :ids"
).bindparams(bindparam("ids", expanding=True))


def similar_replies(conn: Connection, order_id: int, fp: str, keys: list[int],
                    limit: int = MAX_SIMILAR) -> list[SimilarReply]:
    """Replies of other orders that may be copies of this one: the same fingerprint first
    (most recent orders first), then those sharing the most near-copy keys; one reply per
    other order (its latest), at most `limit`. Every read is an index seek with a LIMIT."""
    from hotline_tui.domain.review import SimilarReply

    score: dict[int, int] = {}
    order_of: dict[int, int] = {}
    exact: list[int] = []
    if fp:
        for rid, oid in conn.execute(_BY_FP, {"fp": fp, "oid": order_id, "n": limit}):
            exact.append(rid)
            order_of[rid] = oid
    for k in keys:
        for rid, oid in conn.execute(_BY_KEY, {"k": k, "oid": order_id, "n": PER_KEY}):
            score[rid] = score.get(rid, 0) + 1
            order_of[rid] = oid
    exact_set = set(exact)
    ranked = exact + sorted((r for r in score if r not in exact_set),
                            key=lambda r: (-score[r], -r))
    chosen: list[int] = []
    seen_orders: set[int] = set()
    for rid in ranked:
        oid = order_of[rid]
        if oid in seen_orders:
            continue
        seen_orders.add(oid)
        chosen.append(rid)
        if len(chosen) >= limit:
            break
    if not chosen:
        return []
    rows = {rid: (no, txt) for rid, _oid, no, txt in conn.execute(_TEXTS, {"ids": chosen})}
    return [SimilarReply(rows[r][0], rows[r][1] or "") for r in chosen if r in rows]


def review_full(conn: Connection, order: WorkOrder, reply: Any
                ) -> tuple[Verdict, str, list[int], list[SimilarReply]]:
    """The verdict on `reply` (a Reply row or ReplyFields) for `order`, against the similar
    replies of other orders; with the fingerprint, the keys and the replies compared."""
    from hotline_tui.domain.review import review

    fp, keys = keys_of(reply.text or "")
    similar = similar_replies(conn, order.id, fp, keys)
    reply_text = reply_text_of(reply, unit_name(conn, order.unit_id))
    return review(request_of(order), reply_text, tuple(similar)), fp, keys, similar


def review_reply(conn: Connection, order: WorkOrder, reply: Any
                 ) -> tuple[Verdict, str, list[int]]:
    """`review_full` without the replies compared."""
    verdict, fp, keys, _similar = review_full(conn, order, reply)
    return verdict, fp, keys


def reasons_json(verdict: Verdict) -> str:
    return json.dumps([{"code": r.code, "params": dict(r.params or {})} for r in verdict.reasons],
                      ensure_ascii=False, default=str)


def reason_codes(raw: str | None) -> tuple[str, ...]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        return ()
    return tuple(str(i.get("code", "")) for i in items if isinstance(i, dict))


def write_reply(s: Session, order: WorkOrder, fields: ReplyFields, *, source: str,
                at: datetime) -> tuple[Reply, Verdict]:
    """Add the reply row (reviewed now), its near-copy keys, and mark an earlier undecided
    reply of the order superseded. The caller records the event and commits."""
    from hotline_tui.store.models_reply import Reply, ReplyBand

    conn = s.connection()
    verdict, fp, keys = review_reply(conn, order, fields)
    from hotline_tui.store.types import LocalDateTime

    s.execute(
        text("UPDATE reply SET decision = 'superseded', decided_at = :at "
             "WHERE order_id = :oid AND decision = 'pending'"
             ).bindparams(bindparam("at", type_=LocalDateTime)),
        {"at": at, "oid": order.id},
    )
    row = Reply(
        order_id=order.id, received_at=at, source=source, text=fields.text,
        **{f: getattr(fields, f) for f in FIELDS},
        fingerprint=fp, verdict="acceptable" if verdict.acceptable else "send_back",
        score=int(verdict.score), reasons=reasons_json(verdict), reviewed_at=at,
        decision="pending",
    )
    s.add(row)
    s.flush()
    if keys:
        s.add_all(ReplyBand(band_key=k, reply_id=row.id, order_id=order.id) for k in keys)
        s.flush()
    return row, verdict


def current_reply(s: Session, order_id: int) -> Reply | None:
    from sqlmodel import select

    from hotline_tui.store.models_reply import Reply

    q = select(Reply).where(Reply.order_id == order_id).order_by(Reply.id.desc()).limit(1)
    return s.exec(q).first()


def history_reply_text(s: Session, order_id: int) -> str:
    """The note of the order's last REPLY history row: the reply of an order replied before
    replies had a table of their own (and of the demo's older rows)."""
    row = s.execute(
        text("SELECT note FROM order_history WHERE order_id = :oid AND event = 'reply' "
             "ORDER BY id DESC LIMIT 1"), {"oid": order_id}).first()
    return row[0] if row else ""
