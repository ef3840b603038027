"""Demo orders for the county in data/demo_county.json: realistic Chinese requests, callers,
places and a plausible life for each order (triage, dispatch, sign, reply, review).

Pure and deterministic: chunk k of a run depends only on (seed, k) and the plan, so chunks can
be made in any order or process. Times are whole seconds (naive local time, counted like
`calendar.timegm`), written as SQLite text 'YYYY-MM-DD HH:MM:SS'.
"""

from __future__ import annotations

import bisect
import calendar
import json
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import accumulate
from pathlib import Path
from typing import Any

from hotline_tui.domain.states import Event, Status, next_status
from hotline_tui.store.search import KEY_SHIFT, search_doc

DAY = 86_400
HOUR = 3_600
MINUTE = 60

# The columns written for each demo order, in this order.
ORDER_COLUMNS = (
    "id", "order_no", "is_local", "received_at", "caller_name", "caller_phone",
    "request_type", "category", "title", "content", "area", "address", "source", "urgency",
    "urgent", "confidential", "anonymous", "upstream_unit", "upstream_due_at", "status",
    "unit_id", "tier_days", "dispatched_at", "due_at", "signed_at", "replied_at", "closed_at",
    "is_demo", "version", "created_at", "updated_at", "owner_id", "rework_count",
)
TIME_COLUMNS = frozenset(
    {"received_at", "upstream_due_at", "dispatched_at", "due_at", "signed_at", "replied_at",
     "closed_at", "created_at", "updated_at"}
)
HISTORY_COLUMNS = ("order_id", "at", "actor", "event", "old_status", "new_status", "changes",
                   "note")

TIERS = ((0, 8), (3, 30), (5, 40), (15, 22))  # (working days, weight)


def to_seconds(dt: datetime) -> int:
    return calendar.timegm(dt.timetuple())


@lru_cache(maxsize=1)
def _hms() -> list[str]:
    return [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}" for s in range(DAY)]


@lru_cache(maxsize=4096)
def _day_text(day: int) -> str:
    y, m, d = _civil(day)
    return f"{y:04d}-{m:02d}-{d:02d}"


def _civil(day: int) -> tuple[int, int, int]:
    """Days since 1970-01-01 -> (year, month, day) (H. Hinnant's algorithm)."""
    z = day + 719468
    era = z // 146097
    doe = z - era * 146097
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    y = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    d = doy - (153 * mp + 2) // 5 + 1
    m = mp + 3 if mp < 10 else mp - 9
    return (y + (m <= 2), m, d)


def ts_text(ts: int) -> str:
    """SQLite text of a time in seconds."""
    return _day_text(ts // DAY) + " " + _hms()[ts % DAY]


def weekday(day: int) -> int:
    """0 = Monday for a day number (1970-01-01 was a Thursday)."""
    return (day + 3) % 7


def add_workdays(day: int, n: int) -> int:
    """The n-th weekday after `day` (n = 0: `day` itself, or the next weekday when it is a
    weekend). Demo data only: weekends off, no holidays."""
    if n == 0:
        while weekday(day) >= 5:
            day += 1
        return day
    while n:
        day += 1
        if weekday(day) < 5:
            n -= 1
    return day


@lru_cache(maxsize=8192)
def _add_workdays(day: int, n: int) -> int:
    return add_workdays(day, n)


def _weights(d: dict[str, float]) -> tuple[list[str], list[float]]:
    keys = list(d)
    return keys, list(accumulate(d[k] for k in keys))


@dataclass
class County:
    """The shipped county description, prepared for fast sampling."""

    raw: dict[str, Any]
    townships: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)  # townships then departments
    unit_id: dict[str, int] = field(default_factory=dict)  # name, short name -> number 1..n
    db_ids: dict[int, int] = field(default_factory=dict)  # unit number -> database id

    @classmethod
    def load(cls, path: Path | None = None) -> County:
        from hotline_tui.config import shipped_data

        p = path or shipped_data("demo_county.json")
        with open(p, encoding="utf-8") as fh:
            return cls.from_raw(json.load(fh))

    @classmethod
    def from_raw(cls, raw: dict[str, Any], db_ids: dict[int, int] | None = None) -> County:
        c = cls(raw)
        c.townships = raw["townships"]
        c.units = list(raw["townships"]) + list(raw["departments"])
        for i, u in enumerate(c.units, start=1):
            c.unit_id[u["name"]] = i
            c.unit_id[u["short_name"]] = i
        c.db_ids = dict(db_ids) if db_ids else {i: i for i in range(1, len(c.units) + 1)}
        return c


@dataclass(frozen=True)
class DayPlan:
    """How many orders fall on each day of the run, oldest day first."""

    days: tuple[int, ...]  # day numbers
    counts: tuple[int, ...]
    starts: tuple[int, ...]  # index of each day's first order
    now: int  # seconds

    def day_of(self, index: int) -> int:
        return bisect.bisect_right(self.starts, index) - 1


_HOUR_WEIGHTS = (1, 0.5, 0.3, 0.3, 0.3, 0.5, 1.5, 4, 9, 11, 10, 9, 6, 5, 8, 9, 9, 8, 6, 5, 5,
                 4, 3, 2)
_HOUR_CUM = list(accumulate(_HOUR_WEIGHTS))


def plan_days(total: int, now: datetime, *, days: int = 183, seed: int = 1) -> DayPlan:
    """Spread `total` orders over the `days` days up to `now` (fewer at weekends, a slow
    rise, some noise; today only up to the current hour)."""
    now_s = to_seconds(now)
    today = now_s // DAY
    rng = random.Random(seed * 7919 + 17)
    day_list = list(range(today - days + 1, today + 1))
    weights = []
    for i, d in enumerate(day_list):
        w = 1.0 if weekday(d) < 5 else (0.55 if weekday(d) == 5 else 0.45)
        w *= (0.85 + 0.3 * i / max(1, days - 1)) * rng.uniform(0.85, 1.15)
        if d == today:
            hour = (now_s % DAY) // HOUR
            w *= _HOUR_CUM[hour] / _HOUR_CUM[-1]
        weights.append(w)
    s = sum(weights) or 1.0
    exact = [total * w / s for w in weights]
    counts = [int(x) for x in exact]
    rest = total - sum(counts)
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - counts[i], reverse=True)[:rest]:
        counts[i] += 1
    starts = [0, *accumulate(counts)][:-1]
    return DayPlan(tuple(day_list), tuple(counts), tuple(starts), now_s)


@lru_cache(maxsize=64)
def _chain_states(events: tuple[str, ...]) -> tuple[tuple[str | None, str], ...]:
    """(old, new) status of each event of a chain, checked by the state machine."""
    out = []
    st: Status | None = None
    for e in events:
        new = next_status(st, Event(e))
        out.append((st.value if st else None, new.value))
        st = new
    return tuple(out)


class ChunkMaker:
    """Makes the rows of one chunk of demo orders. Build once per process.

    Requests come from a pool of rendered requests (topic, place, title, body), each made on
    first use and used by about ten orders in a large run, so the text of 1,000,000 orders is not rendered and
    tokenised 1,000,000 times; every order still gets its own caller, phone, number, times,
    wording around the request and life."""

    def __init__(self, county: County, plan: DayPlan, clerk: str, *, seed: int,
                 pool_size: int, owner_ids: dict[int, list[int]] | None = None) -> None:
        self.c = county
        self.plan = plan
        self.clerk = clerk
        self.seed = seed
        self.pool_size = max(1, pool_size)
        r = county.raw
        self.topics = r["topics"]
        self.topic_cum = list(accumulate(t["weight"] for t in self.topics))
        self.topic_types = [_weights(t["types"]) for t in self.topics]
        self.township_cum = list(accumulate(3.0 if t["urban"] else 1.0 for t in county.townships))
        self.sources, self.source_cum = _weights(r["sources"])
        self.surnames = r["surnames"]
        self.given = r["given_chars"]
        self.mobile = r["mobile_prefixes"]
        self.tier_days = [t for t, _ in TIERS]
        self.tier_cum = list(accumulate(w for _, w in TIERS))
        self.dept_ids = [county.unit_id[d["name"]] for d in r["departments"]]
        self.owners = self._owners()
        self.pieces = {
            k: [(text, search_doc(text)) for text in r[k]] for k in ("intros", "closings")
        }
        self.unit_docs = {u["name"]: search_doc(u["name"]) for u in county.units}
        self.area_docs = {t["name"]: search_doc(t["name"]) for t in county.townships}
        self._name_docs: dict[str, str] = {}
        self._reply_openings: dict[tuple[int, int, int], str] = {}
        self._pool: list[tuple | None] = [None] * self.pool_size
        self.samplers = self._samplers()
        self._days: dict[int, str] = {}
        self._hms = _hms()
        # the triage suggestion statistics of the orders made since the last take_stats():
        # (area, category, unit id) and (title, content head, unit id) -> orders
        self.group_counts: dict[tuple[str, str, int], int] = {}
        self.text_counts: dict[tuple[str, str, int], int] = {}
        # first-contact owners (database ids) per unit number: an order signed for gets
        # ids[order id % len(ids)], as services.owners.fill_demo_owners spreads them; and
        # the latest sign-for time per owner since the last take_stats() (last_used_at)
        self.owner_ids = {u: list(ids) for u, ids in (owner_ids or {}).items() if ids}
        self.owner_last: dict[int, str] = {}

    def _owners(self) -> dict[int, list[str]]:
        """Two or three first-contact owners per unit (name, title, phone), fixed per run."""
        rng = random.Random(4242)
        out: dict[int, list[str]] = {}
        titles = self.c.raw["owner_titles"]
        for i in range(1, len(self.c.units) + 1):
            out[i] = [
                f"{self._name(rng)}（{rng.choice(titles)}） {self._mobile(rng)}"
                for _ in range(rng.randint(2, 3))
            ]
        return out

    # -- small samplers ---------------------------------------------------------------
    def _name(self, rng: random.Random) -> str:
        rnd = rng.random
        given = self.given
        g = given[int(rnd() * len(given))]
        if rnd() < 0.7:
            g += given[int(rnd() * len(given))]
        return self.surnames[int(rnd() * len(self.surnames))] + g

    def _mobile(self, rng: random.Random) -> str:
        rnd = rng.random
        return self.mobile[int(rnd() * len(self.mobile))] + f"{int(rnd() * 100_000_000):08d}"

    def _phone(self, rng: random.Random) -> str:
        if rng.random() < 0.9:
            return self._mobile(rng)
        return f"{self.c.raw['area_code']}-{2_000_000 + int(rng.random() * 6_000_000)}"

    def _t(self, ts: int) -> str:
        day = ts // DAY
        d = self._days.get(day)
        if d is None:
            d = self._days[day] = _day_text(day)
        return d + " " + self._hms[ts % DAY]

    def _samplers(self) -> dict[str, Any]:
        r = self.c.raw
        ch = random.Random.choice
        first_compounds = self.c.townships[0]["compounds"]
        return {
            "place_short": lambda g, ts, k: ch(g, ts["places"]),
            "compound": lambda g, ts, k: ch(g, ts["compounds"] or first_compounds),
            "township": lambda g, ts, k: ts["name"],
            "spot": lambda g, ts, k: ch(g, r["spots"][k]),
            "office": lambda g, ts, k: ch(g, r["offices"][k]),
            "road": lambda g, ts, k: ch(g, r["roads"]),
            "road2": lambda g, ts, k: ch(g, r["roads"]),
            "company": lambda g, ts, k: ch(g, r["companies"]),
            "project": lambda g, ts, k: ch(g, r["projects"]),
            "shop": lambda g, ts, k: ch(g, r["shops"]),
            "restaurant": lambda g, ts, k: ch(g, r["restaurants"]),
            "bar": lambda g, ts, k: ch(g, r["bars"]),
            "supermarket": lambda g, ts, k: ch(g, r["supermarkets"]),
            "training": lambda g, ts, k: ch(g, r["trainings"]),
            "school": lambda g, ts, k: ch(g, r["schools"]),
            "hospital": lambda g, ts, k: ch(g, r["hospitals"]),
            "river": lambda g, ts, k: ch(g, r["rivers"]),
            "scenic": lambda g, ts, k: ch(g, r["scenics"]),
            "subsidy": lambda g, ts, k: ch(g, r["subsidies"]),
            "n": lambda g, ts, k: g.randint(2, 9),
            "days": lambda g, ts, k: g.randint(2, 20),
            "months": lambda g, ts, k: g.randint(2, 8),
            "money": lambda g, ts, k: ch(g, ("0.8", "1.2", "2.6", "3", "4.5", "6", "8.3", "12")),
            "hour": lambda g, ts, k: ch(g, (10, 11, 12)),
            "age": lambda g, ts, k: g.randint(45, 62),
            "years": lambda g, ts, k: g.randint(3, 9),
            "day_phrase": lambda g, ts, k: ch(g, ("前天", "上周", "昨天早上", "三天前", "上周五")),
        }

    def _slot(self, name: str, rng: random.Random, ts: dict[str, Any], urban: bool,
              got: dict[str, Any]) -> Any:
        if name in got:
            return got[name]
        if name == "place":
            if urban and rng.random() < 0.5:
                value = ts["name"] + self._slot("compound", rng, ts, urban, got)
            else:
                value = ts["name"] + self._slot("place_short", rng, ts, urban, got)
        else:
            value = self.samplers[name](rng, ts, "urban" if urban else "rural")
        got[name] = value
        return value

    def _fill(self, template: str, rng: random.Random, ts: dict[str, Any], urban: bool,
              got: dict[str, Any]) -> str:
        names = _slot_names(template)
        if not names:
            return template
        return template.format(**{n: self._slot(n, rng, ts, urban, got) for n in names})

    # -- the pool of rendered requests ------------------------------------------------
    def request(self, j: int) -> tuple:
        """Request j of the pool, made on first use from its own random stream: (topic
        index, township index, unit number, title, body, address, action, extra, title doc,
        body doc, address doc, extra doc, whether the title is blank to title_words)."""
        got_entry = self._pool[j]
        if got_entry is not None:
            return got_entry
        rng = random.Random(self.seed * 7_777_777 + j)
        c = self.c
        r = c.raw
        ti = bisect.bisect_right(self.topic_cum, rng.random() * self.topic_cum[-1])
        topic = self.topics[ti]
        ts_i = bisect.bisect_right(self.township_cum, rng.random() * self.township_cum[-1])
        ts = c.townships[ts_i]
        urban = ts["urban"]
        spec = topic["unit"]
        if isinstance(spec, dict):
            spec = spec["urban" if urban else "rural"]
        if spec == "@township":
            unit_id = ts_i + 1
        elif spec == "@any":
            unit_id = rng.choice(self.dept_ids) if rng.random() < 0.6 else ts_i + 1
        else:
            unit_id = c.unit_id[spec]
        got: dict[str, Any] = {"unit": c.units[unit_id - 1]["short_name"]}
        title = self._fill(rng.choice(topic["titles"]), rng, ts, urban, got)
        body = self._fill(rng.choice(topic["contents"]), rng, ts, urban, got)
        action = self._fill(rng.choice(topic["actions"]), rng, ts, urban, got)
        extra = ""
        if rng.random() < 0.3:
            extra = self._fill(rng.choice(r["extras"]), rng, ts, urban, got)
        place = got.get("place")
        if place:
            address = r["county"] + place
        else:
            address = r["county"] + ts["name"] + self._slot("place_short", rng, ts, urban, got)
        if rng.random() < 0.4:
            address += self._slot("spot", rng, ts, urban, got)
        entry = (ti, ts_i, unit_id, title, body, address, action, extra, search_doc(title),
                 search_doc(body), search_doc(address), search_doc(extra),
                 not unicodedata.normalize("NFKC", title).strip())
        self._pool[j] = entry
        return entry

    # -- one chunk --------------------------------------------------------------------
    def make(self, chunk_no: int, first_index: int, count: int, first_id: int
             ) -> tuple[list[tuple], list[tuple], list[tuple]]:
        """Rows for orders first_index .. first_index+count-1 of the plan: (orders,
        search rows, history rows). Order ids are first_id + offset."""
        rng = random.Random(self.seed * 1_000_003 + chunk_no)
        rnd = rng.random
        plan = self.plan
        pool = self._pool
        request = self.request
        npool = len(pool)
        orders: list[tuple] = []
        search: list[tuple] = []
        hist: list[tuple] = []
        c = self.c
        r = c.raw
        prefix = r["order_prefix"]
        townships = c.townships
        units = c.units
        intros, closings = self.pieces["intros"], self.pieces["closings"]
        n_intro, n_close = len(intros), len(closings)
        attitudes = r["reply_attitudes"]
        openings = r["reply_openings"]
        name_docs = self._name_docs
        t = self._t
        clerk = self.clerk
        db_ids = c.db_ids
        today = plan.now // DAY
        day_i = plan.day_of(first_index)
        group_counts, text_counts = self.group_counts, self.text_counts
        area_docs, unit_docs = self.area_docs, self.unit_docs
        owner_ids, owner_last = self.owner_ids, self.owner_last
        for k in range(count):
            index = first_index + k
            while day_i + 1 < len(plan.starts) and plan.starts[day_i + 1] <= index:
                day_i += 1
            day = plan.days[day_i]
            seq = index - plan.starts[day_i] + 1
            oid = first_id + k
            # when
            if day == today:
                latest = plan.now % DAY
                hour = bisect.bisect_right(_HOUR_CUM, rnd() * _HOUR_CUM[latest // HOUR])
                sec = min(latest, hour * HOUR + int(rnd() * HOUR))
            else:
                hour = bisect.bisect_right(_HOUR_CUM, rnd() * _HOUR_CUM[-1])
                sec = hour * HOUR + int(rnd() * HOUR)
            recv = day * DAY + sec
            # what and where
            j = int(rnd() * npool)
            (ti, ts_i, unit_id, title, body, address, action, extra, tdoc, bdoc, adoc,
             xdoc, blank_title) = pool[j] or request(j)
            topic = self.topics[ti]
            category = topic["category"]
            hint = _type_hint(title)
            if hint and rnd() < 0.9:
                rtype = hint
            else:
                tkeys, tcum = self.topic_types[ti]
                rtype = tkeys[bisect.bisect_right(tcum, rnd() * tcum[-1])]
            area = townships[ts_i]["name"]
            unit = units[unit_id - 1]
            intro, idoc = intros[int(rnd() * n_intro)]
            closing, cdoc = closings[int(rnd() * n_close)]
            if extra and rnd() < 0.5:
                extra = xdoc = ""
            content = intro + body + extra + closing
            # who
            anonymous = rnd() < 0.03
            confidential = rnd() < 0.02
            urgent = rnd() < 0.02
            caller = "" if anonymous else self._name(rng)
            phone = self._phone(rng)
            source = self.sources[bisect.bisect_right(self.source_cum, rnd() * self.source_cum[-1])]
            is_local = source == "本地登记"
            recv_txt = t(recv)
            order_no = f"{'BD' if is_local else prefix}{recv_txt[:10].replace('-', '')}{seq:05d}"
            upstream_unit = unit["name"] if (not is_local and rnd() < 0.5) else ""
            upstream_due = None
            if not is_local and rnd() < 0.25:
                upstream_due = (day + rng.choice((3, 5, 7, 10, 15))) * DAY + DAY - 1
            # its life
            events, fields = self._life(rng, recv, rtype, urgent, upstream_due)
            cut = [e for e in events if e[1] <= plan.now]
            states = _chain_states(tuple(e[0] for e in cut))
            status = states[-1][1]
            texts = [t(at) for _, at in cut]
            got = {ev: i for i, (ev, _) in enumerate(cut)}  # the last one of each event
            triaged = "triage" in got
            u_id = db_ids[unit_id] if triaged else None
            tier = fields["tier"] if triaged else None
            if triaged:  # what rebuild_triage_stats would count for this order
                key = (area, category, u_id)
                group_counts[key] = group_counts.get(key, 0) + 1
                key = (title, content[:40] if blank_title else "", u_id)
                text_counts[key] = text_counts.get(key, 0) + 1
            due_txt = None
            if "dispatch" in got:
                due_txt = t(fields["due"])
                due2_txt = t(fields["due2"]) if "send_back" in got else None
            i_dis, i_sign, i_rep = got.get("dispatch"), got.get("sign"), got.get("reply")
            owner_id = None
            if i_sign is not None:
                ids = owner_ids.get(unit_id)
                if ids:
                    owner_id = ids[oid % len(ids)]
                    signed = texts[i_sign]
                    if owner_last.get(owner_id, "") < signed:
                        owner_last[owner_id] = signed
            orders.append((
                oid, order_no, is_local, recv_txt, caller, phone, rtype, category,
                title, content, area, address, source, "紧急" if urgent else "一般",
                urgent, confidential, anonymous, upstream_unit,
                t(upstream_due) if upstream_due else None, status, u_id, tier,
                texts[i_dis] if i_dis is not None else None,
                (due2_txt or due_txt) if due_txt else None,
                texts[i_sign] if i_sign is not None else None,
                texts[i_rep] if i_rep is not None else None,
                texts[-1] if status == "closed" else None, True, len(cut), texts[0], texts[-1],
                owner_id, 1 if "send_back" in got else 0,
            ))
            ndoc = name_docs.get(caller)
            if ndoc is None:
                ndoc = name_docs[caller] = search_doc(caller)
            doc = " ".join(filter(None, (
                alnum_doc(order_no), tdoc, idoc, bdoc, xdoc, cdoc, ndoc, alnum_doc(phone),
                area_docs[area], adoc, unit_docs.get(upstream_unit, ""),
            )))
            search.append(((recv << KEY_SHIFT) + oid, doc, "s" + status, f"u{u_id or 0}"))
            # history: one row per event it went through
            for (ev, _), (old, new), at in zip(cut, states, texts, strict=True):
                changes = "{}"
                note = ""
                if ev == "triage":
                    changes = f'{{"unit_id": [null, {u_id}], "tier_days": [null, {tier}]}}'
                elif ev == "dispatch":
                    changes = f'{{"dispatched_at": [null, "{at}"], "due_at": [null, "{due_txt}"]}}'
                elif ev == "sign":
                    owners = self.owners[unit_id]
                    note = "首接负责人：" + owners[oid % len(owners)]
                    changes = f'{{"signed_at": [null, "{at}"]}}'
                elif ev == "reply":
                    i = int(rnd() * len(openings))
                    if openings[i].startswith("已"):  # a perfunctory one
                        note = openings[i]
                    else:
                        note = (self._opening(i, unit_id, oid) + action + "。"
                                + attitudes[int(rnd() * len(attitudes))])
                    changes = f'{{"replied_at": [null, "{at}"]}}'
                elif ev == "send_back":
                    note = "反馈未写明联系来电人的时间和处理结果，退回重办。"
                    changes = f'{{"due_at": ["{due_txt}", "{due2_txt}"]}}'
                elif ev == "accept":
                    changes = f'{{"closed_at": [null, "{at}"]}}'
                elif ev == "direct_answer":
                    changes = f'{{"closed_at": [null, "{at}"]}}'
                    note = "直办：" + action + "。"
                elif ev == "merge":
                    note = "与同一来电人此前工单重复，已并单。"
                elif ev == "to_meeting":
                    note = "职责不清，提交联席会议研究。"
                hist.append((oid, at, clerk, ev, old, new, changes, note))
        return orders, search, hist

    def take_stats(self) -> tuple[dict[tuple[str, str, int], int],
                                  dict[tuple[str, str, int], int], dict[int, str]]:
        """The statistics counted since the last call (and start afresh): the triage
        `groups` and `texts` of services.triage.triage_stat_counts, as {key: orders}, and
        the latest sign-for time per owner id."""
        out = self.group_counts, self.text_counts, self.owner_last
        self.group_counts, self.text_counts, self.owner_last = {}, {}, {}
        return out

    def _opening(self, i: int, unit_id: int, oid: int) -> str:
        """The first sentence of a substantive reply, with the unit and the handler."""
        openings = self.c.raw["reply_openings"]
        owners = self.owners[unit_id]
        j = oid % len(owners)
        key = (i, unit_id, j)
        text = self._reply_openings.get(key)
        if text is None:
            text = openings[i].format(unit=self.c.units[unit_id - 1]["short_name"],
                                      handler=owners[j].split("（")[0])
            self._reply_openings[key] = text
        return text

    def _life(self, rng: random.Random, recv: int, rtype: str, urgent: bool,
              upstream_due: int | None) -> tuple[list[tuple[str, int]], dict[str, int]]:
        """Every event the order will go through, with its time (some in the future)."""
        r = rng.random  # u(a, b) written out as random.uniform does: a + (b - a) * r()
        created = min(recv + int(5 + (240 - 5) * r()) * MINUTE, max(recv, self.plan.now))
        events = [("create", created)]
        f: dict[str, int] = {}
        x = rng.random()
        direct = 0.45 if rtype == "咨询" else 0.03
        if x < direct:
            events.append(("direct_answer", created + int((0.2 + (8 - 0.2) * r()) * HOUR)))
            return events, f
        if x < direct + 0.01:
            events.append(("merge", created + int((0.2 + (24 - 0.2) * r()) * HOUR)))
            return events, f
        tier = 0 if urgent else self.tier_days[
            bisect.bisect_right(self.tier_cum, rng.random() * self.tier_cum[-1])]
        f["tier"] = tier
        t_tri = created + int((0.1 + (20 - 0.1) * r()) * HOUR)
        events.append(("triage", t_tri))
        if x < direct + 0.013:
            events.append(("to_meeting", t_tri + int((1 + (72 - 1) * r()) * HOUR)))
            return events, f
        t_dis = t_tri + int((0.05 + (30 - 0.05) * r()) * HOUR)
        due = _add_workdays(t_dis // DAY, tier) * DAY + DAY - 1
        if upstream_due is not None and upstream_due < due:
            due = max(upstream_due, t_dis + HOUR)
        f["due"] = due
        events.append(("dispatch", t_dis))
        y = rng.random()
        if y < 0.01:
            return events, f  # never signed for
        t_sign = t_dis + int((0.3 + (30 - 0.3) * r()) * HOUR)
        events.append(("sign", t_sign))
        if y < 0.025:
            return events, f  # signed, never answered
        if rng.random() < 0.12 or due <= t_sign:
            t_rep = max(due, t_sign) + int((1 + (200 - 1) * r()) * HOUR)  # late
        else:
            t_rep = t_sign + int((0.05 + (0.95 - 0.05) * r()) * (due - t_sign))
        events.append(("reply", t_rep))
        if rng.random() < 0.07:
            t_back = t_rep + int((1 + (48 - 1) * r()) * HOUR)
            f["due2"] = _add_workdays(t_back // DAY, 3) * DAY + DAY - 1
            events.append(("send_back", t_back))
            t_rep = t_back + int((12 + (240 - 12) * r()) * HOUR)
            events.append(("reply", t_rep))
        events.append(("accept", t_rep + int((0.5 + (72 - 0.5) * r()) * HOUR)))
        return events, f


_TYPE_WORDS = (("咨询", "咨询"), ("举报", "举报"), ("建议", "建议"), ("表扬", "表扬"),
               ("感谢", "表扬"), ("投诉", "投诉"))


@lru_cache(maxsize=65536)
def _type_hint(title: str) -> str | None:
    """The request type a title names in its first words (咨询低保… is a 咨询)."""
    for word, rtype in _TYPE_WORDS:
        if title.startswith(word):
            return rtype
    return None


def alnum_doc(text: str) -> str:
    """`search_doc(text)` for order and phone numbers, quicker: a text of ASCII letters and
    digits is one run (its trigrams, then its last two and last character); anything
    else goes to search_doc."""
    if not (text.isascii() and text.isalnum()):
        return search_doc(text)
    run = text.lower()
    n = len(run)
    if n < 3:
        return search_doc(text)
    return " ".join([run[i:i + 3] for i in range(n - 2)]) + " " + run[-2:] + " " + run[-1]


@lru_cache(maxsize=512)
def _slot_names(template: str) -> tuple[str, ...]:
    import string

    return tuple(dict.fromkeys(n for _, n, _, _ in string.Formatter().parse(template) if n))


def unit_rows(county: County) -> list[dict[str, Any]]:
    """The demo county's units with their pinyin keys (ids 1..n in this order)."""
    from hotline_tui.domain.pinyin import search_keys

    out = []
    for i, u in enumerate(county.units, start=1):
        full, initials = search_keys(u["name"], u["short_name"])
        out.append({
            "id": i, "name": u["name"], "short_name": u["short_name"], "kind": u["kind"],
            "phone": u["phone"], "leader": u["leader"], "pinyin": full, "initials": initials,
            "retired": False,
        })
    return out
