"""Repeat hint: earlier orders (last 90 days) from the same phone, at the same address, or
with nearly the same text, with their state. Indexed lookups only, so it stays fast at a
million orders: phone (ix_order_phone_received), address (ix_order_address_received), and for the
text the newest orders of the same area and category (ix_order_area_category_received)
and of the same area, at most TEXT_CANDIDATES."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.engine import Engine

from hotline_tui.domain.repeats import compare_shingles, order_text, shingles
from hotline_tui.store.models import WorkOrder

OC = WorkOrder.__table__.c

DEFAULT_DAYS = 90
# How many earlier orders are compared by text, newest first: of the same area and category,
# and of the same area whatever the category. At a county's volume (a few hundred orders a
# day) that is the whole 90 days of an area; at a city's it reaches back weeks.
TEXT_SAME_CATEGORY = 600
TEXT_RECENT = 200
TEXT_CANDIDATES = TEXT_SAME_CATEGORY + TEXT_RECENT
# How much of a candidate's content is read for the comparison.
TEXT_CHARS = 160
PER_REASON_LIMIT = 50
MIN_ADDRESS_CHARS = 6
# An address names one place (and so counts as 'same address') only with a house number or
# a spot in it; "西山县长岭镇长岭村" or "...西关社区" alone is shared by thousands of orders.
_SPECIFIC_ADDRESS = re.compile(r"\d|[号楼栋幢室]|单元|门口|门前|路口|旁|树下|对面|附近")
MIN_PHONE_DIGITS = 7

WHY_PHONE = "phone"
WHY_ADDRESS = "address"
WHY_TEXT = "text"


@dataclass(frozen=True)
class RepeatHint:
    order_no: str
    received_at: datetime
    status: str
    why: tuple[str, ...]  # phone / address / text, strongest first
    title: str
    similarity: float  # text likeness 0..1 (0 when not compared or not alike)


def _phones(phone: str) -> list[str]:
    parts = [p for p in re.split(r"[,;，；/、\s]+", phone or "") if p]
    out = [phone] + parts
    return [p for p in dict.fromkeys(out) if sum(c.isdigit() for c in p) >= MIN_PHONE_DIGITS]


def _load(engine: Engine, order: Any) -> Any:
    if isinstance(order, str):
        from hotline_tui.services.triage import get_triage_item

        return get_triage_item(engine, order)
    return order


def _text_candidates(order: Any, window: tuple[Any, ...]) -> list[Any]:
    """The queries for the orders compared by text: the newest of the same area and
    category (index area + category + time), and the newest of the same area whatever their
    category (walking the time index; `area || ''` keeps SQLite off the area index, which
    would sort the whole window of a busy area)."""
    cols = (OC.id, OC.order_no, OC.received_at, OC.status, OC.title,
            func.substr(OC.content, 1, TEXT_CHARS).label("head"))
    area = (order.area or "").strip()
    category = (order.category or "").strip()
    newest = OC.received_at.desc()
    queries = []
    if area and category:
        queries.append(select(*cols).where(OC.area == area, OC.category == category, *window)
                       .order_by(newest).limit(TEXT_SAME_CATEGORY))
    recent = select(*cols).where(*window)
    if area:
        recent = recent.where(OC.area.concat("") == area)
    queries.append(recent.order_by(newest).limit(TEXT_RECENT))
    return queries


def repeat_hints(engine: Engine, order: Any, days: int = DEFAULT_DAYS,
                 limit: int = 20) -> list[RepeatHint]:
    """Earlier orders within `days` before this one (a TriageItem, WorkOrder or order
    number) from the same phone, at the same address, or with near-same text; the ones
    with more reasons first, then the newest."""
    order = _load(engine, order)
    end: datetime = order.received_at
    start = end - timedelta(days=days)
    window = (OC.received_at >= start, OC.received_at <= end, OC.id != order.id)
    cols = (OC.id, OC.order_no, OC.received_at, OC.status, OC.title)
    found: dict[int, dict[str, Any]] = {}

    def add(row: Any, why: str, sim: float = 0.0) -> None:
        rec = found.setdefault(row.id, {"row": row, "why": [], "sim": 0.0})
        if why not in rec["why"]:
            rec["why"].append(why)
        rec["sim"] = max(rec["sim"], sim)

    with engine.connect() as conn:
        phones = _phones(order.caller_phone)
        if phones:
            q = (select(*cols).where(OC.caller_phone.in_(phones), *window)
                 .order_by(OC.received_at.desc()).limit(PER_REASON_LIMIT))
            for r in conn.execute(q):
                add(r, WHY_PHONE)
            # the number first in a list "138...,0372-...": an index range (',' + 1 is '-');
            # the window is checked here, a time condition would steer SQLite off the index.
            # A number further inside a list is not looked for.
            for p in phones:
                q = (select(*cols).where(OC.caller_phone >= p + ",", OC.caller_phone < p + "-")
                     .limit(PER_REASON_LIMIT * 4))
                for r in conn.execute(q):
                    if start <= r.received_at <= end and r.id != order.id:
                        add(r, WHY_PHONE)
        address = (order.address or "").strip()
        if (len(address) >= MIN_ADDRESS_CHARS and address != (order.area or "").strip()
                and _SPECIFIC_ADDRESS.search(address)):
            q = (select(*cols).where(OC.address == address, *window)
                 .order_by(OC.received_at.desc()).limit(PER_REASON_LIMIT))
            for r in conn.execute(q):
                add(r, WHY_ADDRESS)
        mine = shingles(order_text(order.title, (order.content or "")[:TEXT_CHARS]))
        if mine:
            seen: dict[str, Any] = {}  # text -> likeness: identical texts are compared once
            for q in _text_candidates(order, window):
                for r in conn.execute(q):
                    if r.id in found and WHY_TEXT in found[r.id]["why"]:
                        continue
                    text = order_text(r.title, r.head or "")
                    like = seen.get(text)
                    if like is None:
                        like = seen[text] = compare_shingles(mine, shingles(text))
                    if like.near_same:
                        add(r, WHY_TEXT, like.score)
    hints = [
        RepeatHint(rec["row"].order_no, rec["row"].received_at, rec["row"].status,
                   tuple(rec["why"]), rec["row"].title, round(rec["sim"], 3))
        for rec in found.values()
    ]
    hints.sort(key=lambda h: (-len(h.why), -h.received_at.timestamp(), h.order_no))
    return hints[:limit]
