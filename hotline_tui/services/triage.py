"""Triage (分拣): the new orders one at a time, lead unit + assisting units + tier + type +
urgent flag, alone or for several marked orders; and the unit suggestions behind it.

Suggestions read the small table `triage_stat` (how often each unit was chosen per area,
category and title word). Every triage / re-triage / return / direct answer keeps it up to
date in the same transaction; `rebuild_triage_stats` recomputes it from the orders (after
the demo generator or a bulk load, or on demand).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.engine import Engine
from sqlmodel import Session

from hotline_tui.domain.kinds import RequestType, parse_request_type
from hotline_tui.domain.states import Event, Status, TransitionError
from hotline_tui.domain.suggest import (
    ANY_AREA,
    AREA_FEATURE,
    order_features,
    rank_units,
    title_words,
)
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services.orders import OrderNotFound, StaleOrder, find_order, record
from hotline_tui.services.settings import get_setting
from hotline_tui.services.units import UnitInfo, name_variants, resolve_unit, unit_from_row
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder
from hotline_tui.store.models_triage import OrderAssist, TriageStat

OC = WorkOrder.__table__.c
U = Unit.__table__.c
A = OrderAssist.__table__.c
ST = TriageStat.__table__


# ---------------------------------------------------------------- orders and errors


def load_order(s: Session, order_no: str) -> WorkOrder:
    """The order with that number, or UserError."""
    try:
        return find_order(s, order_no)
    except OrderNotFound:
        raise UserError("error.order_not_found", order_no=order_no) from None


def apply_event(s: Session, order: WorkOrder, event: Event, **kwargs: Any) -> WorkOrder:
    """`orders.record` with the state machine's refusals turned into UserError."""
    try:
        return record(s, order, event, **kwargs)
    except TransitionError as exc:
        status = t(f"status.{exc.status.value}") if exc.status else "-"
        raise UserError("error.transition", order_no=order.order_no, status=status,
                        event=t(f"event.{exc.event.value}")) from None
    except StaleOrder:
        raise UserError("error.stale", order_no=order.order_no) from None


# ---------------------------------------------------------------- tiers and types


@dataclass(frozen=True)
class Tier:
    days: int  # working days; 0 = same day
    name: str


def list_tiers(db: Engine | Session) -> list[Tier]:
    """The difficulty tiers of the settings (当日 / 3日 / 5日 / 15日 by default)."""
    if isinstance(db, Engine):
        with session(db) as s:
            raw = get_setting(s, "tiers")
    else:
        raw = get_setting(db, "tiers")
    out = []
    for item in raw or []:
        try:
            out.append(Tier(int(item["days"]), str(item.get("name") or f"{item['days']}日")))
        except (KeyError, TypeError, ValueError):
            continue
    return sorted(out, key=lambda x: x.days)


_DAYS = re.compile(r"^(\d+)\s*(日|天|d|day|days|工作日|个工作日)?$")


def resolve_tier(tiers: Sequence[Tier], value: int | str | Tier) -> Tier:
    """A tier by its day count (0 = same day; 3, '3', '3日', '3天') or its name."""
    if isinstance(value, Tier):
        value = value.days
    if isinstance(value, int) and not isinstance(value, bool):
        days: int | None = value
    else:
        text = unicodedata.normalize("NFKC", str(value)).strip().lower()
        for tier in tiers:
            if text == unicodedata.normalize("NFKC", tier.name).lower():
                return tier
        m = _DAYS.match(text)
        days = int(m.group(1)) if m else None
        if days is None and text in ("当日", "当天", "same", "sameday", "today"):
            days = 0
    for tier in tiers:
        if tier.days == days:
            return tier
    raise UserError("triage.bad_tier", tier=str(value),
                    choices=" / ".join(f"{x.days} {x.name}" for x in tiers))


def request_types() -> list[str]:
    return [rt.value for rt in RequestType]


def resolve_request_type(value: str) -> str:
    """A request type by its word (咨询 ... 其他) or an upstream alias; else UserError."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    if text in request_types():
        return text
    rt = parse_request_type(text)
    if rt is RequestType.OTHER and text not in ("其它", "其他"):
        by_name = {r.name.lower(): r.value for r in RequestType}
        if text.lower() in by_name:
            return by_name[text.lower()]
        raise UserError("triage.bad_type", type=value, choices=" ".join(request_types()))
    return rt.value


# ---------------------------------------------------------------- the queue of new orders


@dataclass(frozen=True)
class TriageItem:
    """A new order as the triage screen shows it, with its full text."""

    id: int
    order_no: str
    received_at: datetime
    status: str
    request_type: str
    category: str
    title: str
    content: str
    area: str
    address: str
    caller_name: str
    caller_phone: str
    source: str
    urgency: str
    urgent: bool
    confidential: bool
    anonymous: bool
    upstream_unit: str
    upstream_due_at: datetime | None
    unit_id: int | None
    tier_days: int | None
    version: int
    assist_ids: tuple[int, ...] = ()


_ITEM_COLS = (
    OC.id, OC.order_no, OC.received_at, OC.status, OC.request_type, OC.category, OC.title, OC.content,
    OC.area, OC.address, OC.caller_name, OC.caller_phone, OC.source, OC.urgency, OC.urgent,
    OC.confidential, OC.anonymous, OC.upstream_unit, OC.upstream_due_at, OC.unit_id, OC.tier_days,
    OC.version,
)


def _item(conn: Any, row: Any) -> TriageItem:
    assists = tuple(conn.execute(
        select(A.unit_id).where(A.order_id == row.id).order_by(A.unit_id)).scalars())
    return TriageItem(
        row.id, row.order_no, row.received_at, row.status, row.request_type, row.category,
        row.title, row.content, row.area, row.address, row.caller_name, row.caller_phone,
        row.source, row.urgency, bool(row.urgent), bool(row.confidential),
        bool(row.anonymous), row.upstream_unit, row.upstream_due_at, row.unit_id,
        row.tier_days, row.version, assists,
    )


def _after_clause(conn: Any, after_id: int | None, backwards: bool = False) -> Any:
    if after_id is None:
        return None
    at = conn.execute(select(OC.received_at).where(OC.id == after_id)).scalar()
    if at is None:
        return None
    # (received_at, id) after the given order; written so the time index bounds the scan
    if backwards:
        return and_(OC.received_at <= at, or_(OC.received_at < at, OC.id < after_id))
    return and_(OC.received_at >= at, or_(OC.received_at > at, OC.id > after_id))


def next_new_order(engine: Engine, after_id: int | None = None) -> TriageItem | None:
    """The oldest new (待分拣) order, or the next one after order `after_id` in the same
    order (received time, id); None when there is no more."""
    with engine.connect() as conn:
        q = select(*_ITEM_COLS).where(OC.status == Status.NEW.value)
        after = _after_clause(conn, after_id)
        if after is not None:
            q = q.where(after)
        row = conn.execute(q.order_by(OC.received_at, OC.id).limit(1)).first()
        return _item(conn, row) if row else None


def previous_new_order(engine: Engine, before_id: int) -> TriageItem | None:
    """The new order just before order `before_id` (for going back one)."""
    with engine.connect() as conn:
        q = select(*_ITEM_COLS).where(OC.status == Status.NEW.value)
        before = _after_clause(conn, before_id, backwards=True)
        if before is not None:
            q = q.where(before)
        row = conn.execute(q.order_by(OC.received_at.desc(), OC.id.desc()).limit(1)).first()
        return _item(conn, row) if row else None


def get_triage_item(engine: Engine, order_no: str) -> TriageItem:
    """Any order (new or not) as a TriageItem; UserError when there is none."""
    with engine.connect() as conn:
        row = conn.execute(select(*_ITEM_COLS).where(OC.order_no == order_no.strip())).first()
        if row is None:
            raise UserError("error.order_not_found", order_no=order_no)
        return _item(conn, row)


@dataclass(frozen=True)
class NewOrderRow:
    """One line of the list of new orders (for marking several)."""

    id: int
    order_no: str
    received_at: datetime
    request_type: str
    area: str
    title: str


def list_new_orders(engine: Engine, after_id: int | None = None, limit: int = 100) -> list[NewOrderRow]:
    """A page of new orders, oldest first, after order `after_id` (keyset paging)."""
    with engine.connect() as conn:
        q = select(OC.id, OC.order_no, OC.received_at, OC.request_type, OC.area, OC.title,
                   func.substr(OC.content, 1, 60).label("head")).where(
            OC.status == Status.NEW.value)
        after = _after_clause(conn, after_id)
        if after is not None:
            q = q.where(after)
        rows = conn.execute(q.order_by(OC.received_at, OC.id).limit(max(0, limit))).all()
    return [NewOrderRow(r.id, r.order_no, r.received_at, r.request_type, r.area,
                        r.title or (r.head or "").replace("\n", " ")) for r in rows]


def count_new_orders(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(
            select(func.count()).select_from(WorkOrder.__table__)
            .where(OC.status == Status.NEW.value)).scalar() or 0)


# ---------------------------------------------------------------- statistics


def _feature_keys(order: Any) -> list[tuple[str, str]]:
    return order_features(order.area, order.category, order.title, order.content)


def bump_stats(s: Session, order: Any, unit_id: int | None, delta: int) -> None:
    """Count (delta=+1) or un-count (-1) `unit_id` as the unit chosen for `order`."""
    if unit_id is None or delta == 0:
        return
    c = ST.c
    for feature, area in _feature_keys(order):
        res = s.exec(
            update(ST).where(c.feature == feature, c.area == area, c.unit_id == unit_id)
            .values(n=c.n + delta)
        )
        if res.rowcount == 0 and delta > 0:
            s.exec(insert(ST).values(feature=feature, area=area, unit_id=unit_id, n=delta))
    if delta < 0:
        s.exec(delete(ST).where(c.unit_id == unit_id, c.n <= 0))


def triage_stat_counts(
    groups: Iterable[tuple[str | None, str | None, int, int]],
    texts: Iterable[tuple[str | None, str | None, int, int]],
) -> tuple[Counter[tuple[str, str, int]], int]:
    """The suggestion statistics from grouped orders that have a lead unit:
    `groups` (area, category, unit_id, n) and `texts` (title, content head, unit_id, n).
    Returns {(feature, area, unit_id): n} and how many orders were counted."""
    counts: Counter[tuple[str, str, int]] = Counter()
    total = 0
    for area, cat, unit_id, n in groups:
        area = (area or "").strip()
        cat = (cat or "").strip()
        total += n
        counts[(AREA_FEATURE, ANY_AREA, unit_id)] += n
        if area:
            counts[(AREA_FEATURE, area, unit_id)] += n
        if cat:
            counts[(f"c:{cat}", ANY_AREA, unit_id)] += n
            if area:
                counts[(f"c:{cat}", area, unit_id)] += n
    for title, head, unit_id, n in texts:
        for w in title_words(title or "", head or ""):
            counts[(f"w:{w}", ANY_AREA, unit_id)] += n
    return counts, total


TRIAGE_STAT_INSERT = "INSERT INTO triage_stat(feature, area, unit_id, n) VALUES (?, ?, ?, ?)"


def write_triage_stats_sqlite(db: Any, counts: Counter[tuple[str, str, int]]) -> None:
    """Replace triage_stat with `counts` on a raw sqlite3 connection (the caller's
    transaction)."""
    db.execute("DELETE FROM triage_stat")
    db.executemany(TRIAGE_STAT_INSERT, [(f, a, u, n) for (f, a, u), n in counts.items()])


def rebuild_triage_stats(engine: Engine) -> int:
    """Recompute the suggestion statistics from every order that has a lead unit.

    Returns how many orders were counted. About 10-20 s per million orders; call it after
    a bulk load (the TUI and the CLI keep it current otherwise; the demo generator counts
    its own choices with `triage_stat_counts` instead).
    """
    with engine.connect() as conn:
        grouped = conn.execute(
            select(OC.area, OC.category, OC.unit_id, func.count().label("n"))
            .where(OC.unit_id.is_not(None)).group_by(OC.area, OC.category, OC.unit_id)
        ).all()
        head = func.substr(OC.content, 1, 40)
        text = select(OC.title, head.label("head"), OC.unit_id, func.count().label("n")).where(
            OC.unit_id.is_not(None)).group_by(OC.title, head, OC.unit_id)
        counts, total = triage_stat_counts(
            grouped, conn.execution_options(stream_results=True).execute(text))
    with engine.begin() as conn:
        conn.execute(delete(ST))
        rows = [{"feature": f, "area": a, "unit_id": u, "n": n} for (f, a, u), n in counts.items()]
        for i in range(0, len(rows), 5000):
            conn.execute(insert(ST), rows[i : i + 5000])
    return total


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class UnitSuggestion:
    unit: UnitInfo
    score: float  # 0..1 from earlier choices, +0.6 for the upstream unit
    reason: str  # one short sentence for the screen


_UPSTREAM_CLEAN = re.compile(r"[\s()（）]+")


def match_upstream(units: Sequence[UnitInfo], upstream: str) -> UnitInfo | None:
    """The known unit the upstream 承办单位 text names, if exactly one fits."""
    text = _UPSTREAM_CLEAN.sub("", unicodedata.normalize("NFKC", upstream or ""))
    if not text:
        return None
    for u in units:
        if text in (u.name, u.short_name):
            return u
    hits = [u for u in units if text in name_variants(u.name, u.short_name)]
    if not hits:
        hits = [u for u in units
                if (u.short_name and len(u.short_name) >= 2 and text.endswith(u.short_name))
                or (len(u.name) >= 3 and u.name in text)]
    return hits[0] if len(hits) == 1 else None


def _active_units(conn: Any) -> dict[int, UnitInfo]:
    rows = conn.execute(select(Unit.__table__).where(U.retired.is_(False))).all()
    return {r.id: unit_from_row(r) for r in rows}


def _as_order(engine: Engine, order: Any) -> Any:
    if isinstance(order, str):
        return get_triage_item(engine, order)
    return order


def _reason(vote: Any, upstream_hit: bool) -> str:
    if vote.reason == "upstream" or upstream_hit:
        base = t("suggest.upstream")
        if vote.hits:
            base += t("suggest.sep") + t("suggest.history", hits=vote.hits, total=vote.total)
        return base
    key = {
        "area_category": "suggest.area_category",
        "category": "suggest.category",
        "words": "suggest.words",
        "area": "suggest.area",
    }[vote.reason]
    return t(key, hits=vote.hits, total=vote.total, word=vote.word)


def suggest_unit(engine: Engine, order: Any, limit: int = 5) -> list[UnitSuggestion]:
    """Units for an order (a TriageItem, a WorkOrder or an order number), best first: the
    unit most often chosen for earlier orders of the same area and category or sharing
    title words, and the upstream 承办单位 when it names a known unit. Retired units never."""
    order = _as_order(engine, order)
    keys = [k for k in _feature_keys(order) if k != ("*", "")]
    with engine.connect() as conn:
        units = _active_units(conn)
        counts: dict[tuple[str, str], dict[int, int]] = {}
        if keys:
            c = ST.c
            wanted = set(keys)
            # feature IN (...) walks the primary key; (feature, area) IN would scan
            rows = conn.execute(select(c.feature, c.area, c.unit_id, c.n).where(
                c.feature.in_({f for f, _ in keys})))
            for r in rows:
                if (r.feature, r.area) in wanted:
                    counts.setdefault((r.feature, r.area), {})[r.unit_id] = r.n
    up = match_upstream(list(units.values()), getattr(order, "upstream_unit", ""))
    retired = {uid for by in counts.values() for uid in by if uid not in units}
    votes = rank_units(order.area, order.category, order.title, order.content, counts,
                       upstream_unit_id=up.id if up else None, exclude=retired, limit=limit)
    return [
        UnitSuggestion(units[v.unit_id], v.score, _reason(v, up is not None and up.id == v.unit_id))
        for v in votes
        if v.unit_id in units
    ]


# ---------------------------------------------------------------- triage


@dataclass(frozen=True)
class TriageResult:
    order_no: str
    event: str  # triage | retriage | '' when nothing changed
    status: str
    unit_id: int
    unit_name: str
    tier_days: int
    tier_name: str
    request_type: str
    urgent: bool
    assists: tuple[str, ...]
    version: int

    @property
    def changed(self) -> bool:
        return bool(self.event)


def _assist_ids(s: Session, order_id: int) -> list[int]:
    return list(s.exec(
        select(A.unit_id).where(A.order_id == order_id).order_by(A.unit_id)).scalars())


def unit_names(s: Session, ids: Iterable[int]) -> dict[int, str]:
    ids = list(ids)
    if not ids:
        return {}
    return {r.id: r.name for r in s.exec(select(U.id, U.name).where(U.id.in_(ids)))}


def _triage_one(
    s: Session,
    order: WorkOrder,
    unit: UnitInfo | None,
    tier: Tier | None,
    request_type: str | None,
    assist: list[UnitInfo] | None,
    urgent: bool | None,
    tiers: Sequence[Tier],
    actor: str | None,
    expected_version: int | None = None,
) -> TriageResult:
    status = Status(order.status)
    event = Event.RETRIAGE if status is Status.TRIAGED else Event.TRIAGE
    unit_id = unit.id if unit else order.unit_id
    if unit_id is None:
        raise UserError("triage.unit_required", order_no=order.order_no)
    tier_days = tier.days if tier else order.tier_days
    if tier_days is None:
        raise UserError("triage.tier_required", order_no=order.order_no)
    changes: dict[str, Any] = {"unit_id": unit_id, "tier_days": tier_days}
    if request_type is not None:
        changes["request_type"] = request_type
    if urgent is not None:
        changes["urgent"] = bool(urgent)

    old_assists = _assist_ids(s, order.id)
    new_assists = old_assists if assist is None else sorted(
        {u.id for u in assist if u.id != unit_id})
    names = unit_names(s, {*old_assists, *new_assists, unit_id,
                            *([order.unit_id] if order.unit_id else [])})
    extra: dict[str, list[Any]] = {}
    if new_assists != old_assists:
        extra["assist"] = [[names[i] for i in old_assists], [names[i] for i in new_assists]]
    if order.unit_id != unit_id:
        extra["unit"] = [names.get(order.unit_id) if order.unit_id else None, names[unit_id]]

    changed = any(getattr(order, k) != v for k, v in changes.items()) or bool(extra)
    old_unit = order.unit_id
    done = event.value
    if status is Status.TRIAGED and not changed:
        done = ""  # a confirmation with nothing new: no history row
    else:
        apply_event(s, order, event, changes=changes, actor=actor, extra_changes=extra or None,
                    expected_version=expected_version)
        if old_unit != unit_id:
            bump_stats(s, order, old_unit, -1)
            bump_stats(s, order, unit_id, +1)
        if new_assists != old_assists:
            s.exec(delete(OrderAssist.__table__).where(A.order_id == order.id))
            if new_assists:
                s.exec(insert(OrderAssist.__table__),
                   params=[{"order_id": order.id, "unit_id": u} for u in new_assists])
    tier_name = next((x.name for x in tiers if x.days == tier_days), f"{tier_days}日")
    return TriageResult(order.order_no, done, order.status, unit_id, names[unit_id], tier_days,
                        tier_name, order.request_type, bool(order.urgent),
                        tuple(names[i] for i in new_assists), order.version)


def _resolve_inputs(
    s: Session, unit: Any, tier_days: Any, request_type: str | None, assist: Any
) -> tuple[UnitInfo | None, Tier | None, str | None, list[UnitInfo] | None, list[Tier]]:
    tiers = list_tiers(s)
    u = resolve_unit(s, unit) if unit not in (None, "") else None
    tier = resolve_tier(tiers, tier_days) if tier_days not in (None, "") else None
    rtype = resolve_request_type(request_type) if request_type else None
    assists = None if assist is None else [resolve_unit(s, a) for a in _split_refs(assist)]
    return u, tier, rtype, assists, tiers


def _split_refs(refs: Any) -> list[Any]:
    if isinstance(refs, str | int | UnitInfo):
        refs = [refs]
    out: list[Any] = []
    for r in refs:
        if isinstance(r, str):
            out += [p for p in re.split(r"[,，、;；]+", r) if p.strip()]
        else:
            out.append(r)
    return out


def triage(
    engine: Engine,
    order_no: str,
    unit: int | str | UnitInfo | None,
    tier_days: int | str | Tier | None,
    request_type: str | None = None,
    assist: Iterable[int | str | UnitInfo] | None = None,
    urgent: bool | None = None,
    actor: str | None = None,
    expected_version: int | None = None,
) -> TriageResult:
    """Triage one order: lead unit (id, name, short name or unambiguous initials), tier
    (day count or name), request type, assisting units, urgent flag; one transaction.

    None keeps what the order has (assist=None keeps the assists, () clears them). A new
    order gets Event.TRIAGE, a triaged one Event.RETRIAGE; a re-triage that changes
    nothing writes nothing. UserError for unknown/ambiguous/retired units, bad tiers or
    types, and orders not in 待分拣/已分拣.
    """
    with session(engine) as s:
        u, tier, rtype, assists, tiers = _resolve_inputs(s, unit, tier_days, request_type,
                                                         assist)
        order = load_order(s, order_no)
        res = _triage_one(s, order, u, tier, rtype, assists, urgent, tiers, actor,
                          expected_version)
        s.commit()
        return res


def triage_many(
    engine: Engine,
    order_nos: Iterable[str],
    unit: int | str | UnitInfo | None = None,
    tier_days: int | str | Tier | None = None,
    request_type: str | None = None,
    assist: Iterable[int | str | UnitInfo] | None = None,
    urgent: bool | None = None,
    actor: str | None = None,
) -> list[TriageResult]:
    """Apply the same unit / tier / type / assists / urgent flag to several orders in one
    transaction (one history row per changed order). All or nothing: the first order that
    cannot be triaged stops the batch with a UserError naming it."""
    nos = list(dict.fromkeys(n.strip() for n in order_nos if n and n.strip()))
    if not nos:
        raise UserError("triage.none_marked")
    with session(engine) as s:
        u, tier, rtype, assists, tiers = _resolve_inputs(s, unit, tier_days, request_type,
                                                         assist)
        out = []
        for no in nos:
            order = load_order(s, no)
            out.append(_triage_one(s, order, u, tier, rtype, assists, urgent, tiers, actor))
        s.commit()
        return out


def order_assists(engine: Engine, order_no: str) -> list[UnitInfo]:
    """The assisting units (协办) of an order."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Unit.__table__).join(OrderAssist.__table__, A.unit_id == U.id)
            .join(WorkOrder.__table__, OC.id == A.order_id)
            .where(OC.order_no == order_no.strip()).order_by(U.id)
        ).all()
    return [unit_from_row(r) for r in rows]
