"""Candidates for leader sponsorship (包联督办), proposed on screen:
- orders overdue past the escalation stage (setting escalate_after_workdays),
- orders chased many times (setting sponsor_after_chases),
- repeat complaints: at least `repeat_min_orders` orders within `repeat_window_days` from the
  same phone, at the same address, or with nearly the same text, shown together as groups.

    sponsor_candidates(engine) -> SponsorCandidates

Batch reads, not the per-order repeat hint: phones and addresses are grouped in SQL over the
window; near-same text is found over the newest TEXT_SCOPE orders of the window, area by
area, with an inverted index of character pairs (each text probes only with its rarest
features, enough to find every partner the likeness rule of domain/repeats.py accepts)
and the same likeness rule as the repeat hint.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.engine import Connection, Engine

from hotline_tui.domain.escalation import escalate_due_before, lateness, star_groups
from hotline_tui.domain.repeats import (
    MIN_FEATURES,
    NEAR_SAME_JACCARD,
    compare_shingles,
    order_text,
    shingles,
)
from hotline_tui.domain.states import OPEN_STATUSES, Status
from hotline_tui.services import clock
from hotline_tui.store import queue_query as qq

WHY_PHONE, WHY_ADDRESS, WHY_TEXT = "phone", "address", "text"
TEXT_SCOPE = 5000  # newest orders of the window compared by text
MEMBER_CAP = 30  # orders listed per group (newest first)
TEXT_CHARS = 160
MIN_PHONE_CHARS = 7
# the least overlap two near-same texts have, relative to the smaller one's features:
# Jaccard >= J with |A| <= |B| gives |A & B| >= 2J/(1+J) |A|; containment asks more
_MIN_OVERLAP = 2 * NEAR_SAME_JACCARD / (1 + NEAR_SAME_JACCARD)
_OPEN = {s.value for s in OPEN_STATUSES}


@dataclass(frozen=True)
class CandidateOrder:
    order_no: str
    title: str
    status: str
    unit_name: str
    owner_name: str
    owner_phone: str
    due_at: datetime | None
    late_workdays: int
    late_hours: int
    chase_count: int


@dataclass(frozen=True)
class RepeatOrder:
    order_no: str
    received_at: datetime
    status: str
    title: str
    unit_name: str
    caller_phone: str
    address: str
    sponsored: bool
    why: tuple[str, ...]  # how it is linked to the others: phone / address / text


@dataclass(frozen=True)
class RepeatGroup:
    """Orders of one repeated matter, newest first."""

    reasons: tuple[str, ...]  # phone / address / text, the ones that link the group
    phones: tuple[str, ...]  # shared phones (shown in the office; masked on exports)
    addresses: tuple[str, ...]
    orders: tuple[RepeatOrder, ...]  # the newest ones, at most MEMBER_CAP
    open_count: int
    total: int  # orders of the group in the window (may be more than listed)
    first_at: datetime  # of the listed orders
    last_at: datetime

    @property
    def size(self) -> int:
        return self.total


@dataclass(frozen=True)
class SponsorCandidates:
    now: datetime
    escalate_workdays: int
    chase_many: int
    escalated: list[CandidateOrder]
    escalated_total: int
    much_chased: list[CandidateOrder]
    repeats: list[RepeatGroup]
    repeat_days: int
    text_scope: int = TEXT_SCOPE
    text_compared: int = 0  # how many orders the text comparison looked at
    warnings: list[str] = field(default_factory=list)


def _candidate_rows(conn: Connection, ids: list[int], cal, now: datetime  # noqa: ANN001
                    ) -> list[CandidateOrder]:
    details = qq.order_details(conn, ids)
    out = []
    for i in ids:
        d = details.get(i)
        if d is None:
            continue
        running = d.status in ("dispatched", "signed", "rework") and d.due_at is not None
        late = lateness(cal, d.due_at, now) if running else None
        out.append(CandidateOrder(
            d.order_no, d.title, d.status, d.unit_name, d.owner_name, d.owner_phone, d.due_at,
            late.late_workdays if late else 0, late.late_hours if late else 0, d.chase_count))
    return out


def _text_links(members: list[qq.RepeatMember]) -> tuple[dict[int, set[int]], dict[int, list[int]]]:
    """Near-same texts of the same area. Orders with identical features are one entry, named
    by its first order id; returns each entry's near-same entries and each entry's orders."""
    links: dict[int, set[int]] = defaultdict(set)
    copies: dict[int, list[int]] = {}
    by_area: dict[str, list[qq.RepeatMember]] = defaultdict(list)
    for m in members:
        by_area[(m.area or "").strip()].append(m)
    for rows in by_area.values():
        sets: dict[frozenset[str], list[int]] = {}
        for m in rows:
            f = shingles(order_text(m.title, m.head or ""))
            if len(f) >= MIN_FEATURES:
                sets.setdefault(f, []).append(m.id)
        entries = list(sets.items())
        for _f, ids in entries:
            copies[ids[0]] = ids
            links.setdefault(ids[0], set())  # several copies make a group by themselves
        df: dict[str, int] = defaultdict(int)
        index: dict[str, list[int]] = defaultdict(list)
        for n, (f, _ids) in enumerate(entries):
            for x in f:
                df[x] += 1
                index[x].append(n)
        sizes = [len(f) for f, _ in entries]
        rarity = {x: i for i, x in enumerate(sorted(df, key=lambda x: (df[x], x)))}
        for a, (fa, ids_a) in enumerate(entries):
            na = sizes[a]
            # a partner at least as large shares one of A's rarest (na - overlap + 1)
            need = _MIN_OVERLAP * na - 1e-9
            prefix = na - math.ceil(need) + 1
            rare = sorted(fa, key=rarity.__getitem__)[:prefix]
            seen: set[int] = set()
            for x in rare:
                for b in index[x]:
                    if b == a or b in seen:
                        continue
                    seen.add(b)
                    nb = sizes[b]
                    if nb < na or (nb == na and b < a):
                        continue  # each pair once, probed from its smaller side
                    fb = entries[b][0]
                    if len(fa & fb) < need:
                        continue  # too little in common for either rule
                    if compare_shingles(fa, fb).near_same:
                        ra, rb = ids_a[0], entries[b][1][0]
                        links[ra].add(rb)
                        links[rb].add(ra)
    return links, copies


def repeat_groups(conn: Connection, *, now: datetime, days: int, min_orders: int,
                  limit: int = 100, text_scope: int = TEXT_SCOPE,
                  member_cap: int = MEMBER_CAP) -> tuple[list[RepeatGroup], int]:
    """Repeat complaints of the last `days` days: groups of at least `min_orders` orders
    with at least one still open, the most open orders first, at most `limit` groups of at
    most `member_cap` orders shown each (newest first; `total` says how many). A phone's
    orders are one group, an address's one group, near-same texts one group per centre
    (domain.escalation.star_groups: no chains). A text group whose orders all share a
    repeated phone or address adds its reason to that group instead of showing twice.
    Also returns how many orders were compared by text."""
    from hotline_tui.services.repeats import _SPECIFIC_ADDRESS, MIN_ADDRESS_CHARS

    since = now - timedelta(days=days)
    phones = qq.repeated_values(conn, "caller_phone", since=since, min_count=min_orders,
                                min_length=MIN_PHONE_CHARS)
    addresses = [v for v in qq.repeated_values(conn, "address", since=since,
                                               min_count=min_orders,
                                               min_length=MIN_ADDRESS_CHARS)
                 if _SPECIFIC_ADDRESS.search(v.value)]
    recent = [m for m in qq.recent_texts(conn, since=since, limit=text_scope, chars=TEXT_CHARS)
              if m.received_at <= now]
    members: dict[int, qq.RepeatMember] = {m.id: m for m in recent}

    def is_open(i: int) -> bool:
        return members[i].status in _OPEN and members[i].status != Status.MERGED.value

    @dataclass
    class _G:
        reasons: set[str]
        value: tuple[str, str] | None  # (phone|address, the shared value)
        total: int
        open_count: int
        last_at: datetime
        ids: list[int] = field(default_factory=list)
        why: dict[int, set[str]] = field(default_factory=dict)

    groups: dict[tuple[str, str], _G] = {}
    for reason, found in ((WHY_PHONE, phones), (WHY_ADDRESS, addresses)):
        for v in found:
            if v.open_count > 0:
                groups[(reason, v.value)] = _G({reason}, (reason, v.value), v.count,
                                               v.open_count, v.last_at)
    texts: list[_G] = []
    links, copies = _text_links(recent)
    weight = {rep: len(ids) for rep, ids in copies.items()}
    for reps in star_groups(links, min_orders, weight):
        ids = [i for rep in reps for i in copies[rep]]
        rows = [members[i] for i in ids]
        host = None
        for reason, attr in ((WHY_PHONE, "caller_phone"), (WHY_ADDRESS, "address")):
            shared = {getattr(m, attr) for m in rows}
            if len(shared) == 1 and (reason, shared.pop()) in groups:
                host = groups[(reason, getattr(rows[0], attr))]
                break
        if host is not None:
            host.reasons.add(WHY_TEXT)
            for i in ids:
                host.why.setdefault(i, set()).add(WHY_TEXT)
            continue
        n_open = sum(1 for i in ids if is_open(i))
        if n_open:
            texts.append(_G({WHY_TEXT}, None, len(ids), n_open,
                            max(m.received_at for m in rows), list(ids),
                            {i: {WHY_TEXT} for i in ids}))
    chosen = sorted([*groups.values(), *texts],
                    key=lambda g: (-g.open_count, -g.total, -g.last_at.timestamp()))[:limit]
    for reason, column in ((WHY_PHONE, "caller_phone"), (WHY_ADDRESS, "address")):
        wanted = [g.value[1] for g in chosen if g.value and g.value[0] == reason]
        for m in qq.members_by_value(conn, column, wanted, since=since, chars=TEXT_CHARS,
                                     cap=member_cap):
            if m.received_at > now:
                continue
            members.setdefault(m.id, m)
            g = groups[(reason, getattr(m, column))]
            g.ids.append(m.id)
            g.why.setdefault(m.id, set()).add(reason)
    all_ids = {i for g in chosen for i in g.ids}
    sponsored = qq.active_sponsored(conn, sorted(all_ids))
    units = qq.names_of(conn, "unit", {members[i].unit_id for i in all_ids})
    order = (WHY_PHONE, WHY_ADDRESS, WHY_TEXT)
    out: list[RepeatGroup] = []
    for g in chosen:
        rows = sorted((members[i] for i in dict.fromkeys(g.ids)),
                      key=lambda m: (m.received_at, m.id), reverse=True)[:member_cap]
        if not rows:
            continue
        out.append(RepeatGroup(
            reasons=tuple(r for r in order if r in g.reasons),
            phones=(g.value[1],) if g.value and g.value[0] == WHY_PHONE else (),
            addresses=(g.value[1],) if g.value and g.value[0] == WHY_ADDRESS else (),
            orders=tuple(RepeatOrder(
                m.order_no, m.received_at, m.status, m.title or "",
                units.get(m.unit_id or 0, ("", ""))[0], m.caller_phone or "", m.address or "",
                m.id in sponsored, tuple(r for r in order if r in g.why.get(m.id, ())))
                for m in rows),
            open_count=g.open_count, total=g.total,
            first_at=rows[-1].received_at, last_at=rows[0].received_at,
        ))
    return out, len(recent)


def sponsor_candidates(engine: Engine, *, now: datetime | None = None,
                       limit: int = 100) -> SponsorCandidates:
    """The three kinds of candidates (see the module doc); `limit` per list."""
    from hotline_tui.services.calendar import calendar_for
    from hotline_tui.services.queue import escalation_rules

    now = (now or clock.now()).replace(microsecond=0)
    with engine.connect() as conn:
        rules = escalation_rules(conn)
        cal = calendar_for(conn)
        before = escalate_due_before(cal, now, rules)
        escalated = _candidate_rows(conn, qq.escalated_ids(conn, due_before=before, limit=limit),
                                    cal, now)
        total = qq.escalated_count(conn, due_before=before)
        chased = _candidate_rows(conn, qq.much_chased_ids(conn, min_chases=rules.chase_many,
                                                          limit=limit), cal, now)
        groups, compared = repeat_groups(conn, now=now, days=rules.repeat_days,
                                         min_orders=rules.repeat_min, limit=limit)
    return SponsorCandidates(now, rules.escalate_workdays, rules.chase_many, escalated, total,
                             chased, groups, rules.repeat_days,
                             text_compared=compared)
