"""Replies and callbacks of the demo county, written on the raw SQLite connection.

- Reply rows for every reply event of the orders replied in the last REPLY_DAYS days and of
  every order still waiting for the review or sent back (older closed orders keep only their
  history: "replies kept since the tool came in"). A sent-back round is a perfunctory reply
  (decision sent_back, the history's note); the accepted round mostly a substantive one; the
  pending ones a mix (about 55% substantive, 30% perfunctory, 15% copied from another order
  of the same unit). Pending replies carry the review's verdict at intake (domain.review,
  without the copy check: `review_order` does that when the clerk opens them); older rounds
  carry none (reviewed before the tool).
- Near-copy keys and fingerprints exactly as domain.review computes them, made fast: a reply
  is a few sentences each ending in a punctuation mark, and the copy normalisation never
  reaches across such a mark, so the normalised text is the sentences' normalised texts put
  together and its MinHash is the element-wise minimum of the sentences' (cached) and of the
  few shingles across the joins. The first texts are checked against domain.review's own
  functions; on any difference every text goes through them (slow, still right).
- Callbacks (回访) for CALLBACK_SHARE of the closed orders, a few days after closing: ~92%
  reached, of those ~86% satisfied or basically satisfied. An unsatisfied (or unsolved) one
  reopens the order through the state machine (Event.REOPEN, rework_count + 1, a new
  deadline); when there was time, the unit replied again and the order closed again.
- work_order.rework_count = the order's send_back + reopen events.
Everything is decided by the demo's seed, so the same seed gives the same rows.

Two ways in: `ChunkReplies` makes them with each chunk of the generator (services.demo:
in the helper process of a large load, order and search rows left final, chunk k from its
own random stream); `fill_demo_replies` / `fill_demo_replies_sqlite` make them afterwards
from the tables of a database that has the orders (one random stream), same rules.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sqlite3
import struct
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

REPLY_DAYS = 7
CALLBACK_SHARE = 0.15
CHECK_FIRST = 40  # texts checked against domain.review's own fingerprint and band keys
FMT = "%Y-%m-%d %H:%M:%S"
SEND_BACK_NOTE = "反馈未写明联系来电人的时间和处理结果，退回重办。"
REWORK_NOTE = "重新办理：再次到现场核实并整改完毕，已电话告知来电人，来电人表示认可。"

LAZY = (
    "已收悉，正在处理。", "已转相关部门处理。", "我单位高度重视，已安排专人处理。",
    "经查，反映情况不属实。", "该问题不属于我单位职责范围。", "正在协调，请耐心等待。",
    "按相关规定办理。", "已责成相关人员整改，下一步将加强管理。",
)
OPEN = (
    "{unit}接到工单后高度重视，", "{unit}收到交办工单后，", "接到工单后，{unit}立即组织核查，",
    "{unit}当日签收工单，", "针对来电人反映的问题，{unit}", "{unit}首接负责人签收后，",
)
CONTACT = (
    "于{m}月{d}日上午{h}时由工作人员{name}电话联系来电人，", "{m}月{d}日下午{h2}时工作人员{name}与来电人电话沟通，",
    "于{m}月{d}日安排工作人员{name}上门走访来电人，", "{m}月{d}日工作人员{name}约来电人到现场共同查看，",
    "于{m}月{d}日由{name}通过电话与来电人取得联系，", "{m}月{d}日经办人{name}到来电人家中了解情况，",
)
FOUND = (
    "经现场核实，来电人反映的{title}情况属实。", "经查，{title}问题确实存在。",
    "现场查看发现，{title}的情况基本属实。", "经调查核实，来电人所反映的{title}问题部分属实。",
    "核查情况：{title}一事属实。",
)
DONE_LEAD = ("{m}月{d}日，", "随后，", "当日，", "{m}月{d}日起，", "经协调，")
RESULT = (
    "目前问题已解决。", "截至{m}月{d}日，整改已全部完成。", "现已恢复正常。",
    "目前已处理完毕，并将持续跟踪。", "问题已得到解决，后续将定期巡查。",
    "整改完成后已组织复查，未再出现类似情况。",
)
BASIS = (
    "依据《{law}》第{n}条办理。", "处理依据为《{law}》有关规定。", "",
)
LAWS = ("西山县城市管理办法", "城市照明管理规定", "环境噪声污染防治法", "物业管理条例",
        "消费者权益保护法", "社会保险法", "道路交通安全法", "西山县农村人居环境整治实施方案")
ATTITUDE = (
    "来电人表示满意。", "来电人对处理结果表示认可。", "来电人表示基本满意。", "来电人表示理解。",
    "来电人未接电话，已短信告知处理结果。", "已电话告知来电人处理结果，来电人无异议。",
)
HANDLER = ("经办人{name}，电话{phone}。", "联系人：{name}，联系电话{phone}。", "经办人及电话：{name} {phone}。")
SOURCES = ("typed", "sheet", "import")
METHODS = ("电话", "上门", "现场", "电话", "短信")
SATISFACTION = (("satisfied", 0.65), ("basic", 0.21), ("unsatisfied", 0.14))
REPLY_COLS = ("order_id", "received_at", "source", "text", "contact_by", "contacted_at",
              "contact_method", "result", "policy_basis", "handler", "handler_phone",
              "fingerprint", "verdict", "score", "reasons", "reviewed_at", "decision",
              "decided_at", "decided_by", "decision_note")
HIST_COLS = ("order_id", "at", "actor", "event", "old_status", "new_status", "changes", "note")
_DIGITS = re.compile(r"\d+")
_FIELD = re.compile(r"\{(\w+)\}")


def fill_demo_replies(engine: Any) -> None:
    """The demo's replies and callbacks (SQLite only; other databases get none), with the
    seed and time of the demo run recorded in the settings."""
    if engine.dialect.name != "sqlite":
        return
    raw = engine.raw_connection()
    try:
        db = raw.driver_connection
        row = db.execute("SELECT value FROM setting WHERE key = 'demo'").fetchone()
        info = json.loads(row[0]) if row else {}
        now = datetime.fromisoformat(info["generated_at"]) if "generated_at" in info \
            else datetime.now().replace(microsecond=0)
        fill_demo_replies_sqlite(db, replies_rng(int(info.get("seed", 1))), now)
        raw.commit()
    except BaseException:
        raw.rollback()
        raise
    finally:
        raw.close()


def replies_rng(seed: int) -> random.Random:
    """The random stream of the replies and callbacks of a demo made with `seed`."""
    return random.Random(seed * 7 + 3)


# ---- the text and its copy keys ------------------------------------------------------------


class _Keys:
    """fingerprint + band keys of a reply made of sentences (see the module docstring)."""

    def __init__(self) -> None:
        from hotline_tui.domain import review_copy as rc

        self.rc = rc
        self.norm: dict[str, str] = {}
        self.sig: dict[str, tuple[int, ...] | None] = {}
        self.sh: dict[str, tuple[int, ...]] = {}
        self.pieces: dict[str, tuple[str, tuple[int, ...] | None]] = {}
        self.checked = 0
        self.exact = False
        self.band_struct = struct.Struct(f">B{rc.ROWS_PER_BAND}Q")

    def _sh(self, s: str) -> tuple[int, ...]:
        t = self.sh.get(s)
        if t is None:
            rc = self.rc
            x = rc._h64(s)
            t = self.sh[s] = tuple((a * x + b) % rc._PRIME for a, b in rc._PERMS)
        return t

    def _piece(self, piece: str) -> tuple[str, tuple[int, ...] | None]:
        got = self.pieces.get(piece)
        if got is None:
            got = self.pieces[piece] = self._piece_new(piece)
        return got

    def _piece_new(self, piece: str) -> tuple[str, tuple[int, ...] | None]:
        canon = _DIGITS.sub("1", piece)  # digits never survive the normalisation
        n = self.norm.get(canon)
        if n is None:
            n = self.norm[canon] = self.rc.normalize_for_copy(canon)
        if n not in self.sig:
            k = self.rc.SHINGLE
            tuples = [self._sh(n[i : i + k]) for i in range(len(n) - k + 1)]
            self.sig[n] = tuple(map(min, zip(*tuples, strict=True))) if tuples else None
        return n, self.sig[n]

    def keys(self, pieces: list[str]) -> tuple[str, list[int]]:
        text = "".join(pieces)
        if self.exact:
            return self.rc.fingerprint(text), self.rc.band_keys(text)
        rc = self.rc
        k = rc.SHINGLE
        parts = [self._piece(p) for p in pieces]
        norm = "".join(n for n, _ in parts)
        if len(norm) <= k:
            out = rc.fingerprint(text), rc.band_keys(text)
        else:
            sigs = [s for _, s in parts if s is not None]
            starts: set[int] = set()
            pos = 0
            for n, _ in parts[:-1]:
                pos += len(n)
                starts.update(i for i in (pos - 2, pos - 1) if 0 <= i <= len(norm) - k)
            sigs.extend(self._sh(norm[i : i + k]) for i in starts)
            sig = list(map(min, zip(*sigs, strict=True)))
            rows = rc.ROWS_PER_BAND
            pack = self.band_struct.pack  # band number (1 byte), then its rows (8 bytes each)
            blake, from_bytes = hashlib.blake2b, int.from_bytes
            band_keys = [
                from_bytes(blake(pack(band, *sig[band * rows : (band + 1) * rows]),
                                 digest_size=8).digest(), "big", signed=True) >> 1
                for band in range(rc.NUM_BANDS)]
            fp = hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()
            out = fp, band_keys
        if self.checked < CHECK_FIRST:
            self.checked += 1
            if out != (rc.fingerprint(text), rc.band_keys(text)):
                self.exact = True
                return rc.fingerprint(text), rc.band_keys(text)
        return out


class _Writer:
    """Makes the reply texts of one demo run."""

    def __init__(self, db: sqlite3.Connection | None, rng: random.Random, *,
                 units: dict[int, str] | None = None,
                 owners: dict[int, tuple[str, str]] | None = None,
                 raw: dict[str, Any] | None = None) -> None:
        """From the database `db` (units, owners, the shipped county), or without one from
        `units` (id -> short name), `owners` (id -> (name, phone)) and the county's `raw`."""
        self.rng = rng
        self.keys = _Keys()
        if db is not None:
            units = {i: (s or n) for i, n, s in db.execute(
                "SELECT id, name, short_name FROM unit")}
            owners = {i: (n, p) for i, n, p in db.execute("SELECT id, name, phone FROM owner")}
        self.units = units or {}
        self.owners = owners or {}
        self.actions: dict[str, list[str]] = {}
        self.townships: list[str] = ["城关镇"]
        try:
            if raw is None:
                from hotline_tui.services.demo_text import County

                raw = County.load().raw
            for topic in raw["topics"]:
                self.actions.setdefault(topic["category"], []).extend(topic["actions"])
            self.townships = [t["name"] for t in raw["townships"]] or self.townships
        except (KeyError, OSError, ValueError):
            pass
        self.last_good: dict[int, list[str]] = defaultdict(list)  # unit -> recent good texts

    def _fill(self, template: str, **v: Any) -> str:
        """`template` with its fields: the given ones, else random numbers and places."""
        r = self.rng

        def one(m: re.Match[str]) -> str:
            k = m.group(1)
            if k in v:
                return str(v[k])
            if k == "money":
                return str(r.randint(2, 90) * 100)
            if k in ("n", "h", "days", "m", "d"):
                return str(r.randint(2, 12))
            if k == "township":
                return r.choice(self.townships)
            if k == "law":
                return r.choice(LAWS)
            return "现场"

        return _FIELD.sub(one, template)

    def _prepare(self) -> None:
        """Everything but the order's own words rendered once (three variants of each
        action with its numbers and places; the laws of the basis)."""
        self._actions = {c: [self._fill(a) + "。" for a in acts for _ in range(3)]
                         for c, acts in self.actions.items()}
        self._basis = [self._fill(b) for b in BASIS for _ in range(4)]
        self._prepared = True

    def good(self, order: tuple, at: datetime) -> tuple[list[str], dict[str, str]]:
        """A substantive reply (its sentences, each ending in a punctuation mark) and its
        fields."""
        if not getattr(self, "_prepared", False):
            self._prepare()
        rnd = self.rng.random
        _oid, _st, title, category, unit_id, owner_id = order[:6]
        unit = self.units.get(unit_id, "我单位")
        name, phone = self.owners.get(owner_id, ("", "")) if owner_id else ("", "")
        if not name:
            name, phone = "王强", "13800000000"
        day = at - timedelta(days=1 + int(rnd() * 4))
        m, d = day.month, day.day
        actions = self._actions.get(category) or ["已安排人员现场处理。"]

        def pick(seq: Sequence[str]) -> str:
            return seq[int(rnd() * len(seq))]

        pieces = [
            pick(OPEN).format(unit=unit),
            pick(CONTACT).format(name=name, m=m, d=d, h=8 + int(rnd() * 4), h2=2 + int(rnd() * 4)),
            pick(FOUND).format(title=title or "所反映"),
            pick(DONE_LEAD).format(m=m, d=min(28, d + 1)) + pick(actions),
            pick(RESULT).format(m=at.month, d=at.day),
        ]
        basis = pick(self._basis)
        if basis:
            pieces.append(basis)
        pieces.append(pick(ATTITUDE))
        pieces.append(pick(HANDLER).format(name=name, phone=phone))
        fields = {"contact_by": name, "contacted_at": f"{day:%Y-%m-%d}",
                  "contact_method": pick(METHODS), "handler": name, "handler_phone": phone}
        return pieces, fields

    def lazy(self) -> list[str]:
        return [self.rng.choice(LAZY)]


def _review_row(order: tuple, text: str, fields: dict[str, str]) -> tuple[str, int, str]:
    from hotline_tui.domain.review import ReplyText, RequestText, review

    _oid, _st, title, category, _unit_id, _owner, content, rtype, order_no = order
    v = review(RequestText(title or "", content or "", rtype or "", category or "", order_no),
               ReplyText(text, **fields))
    reasons = json.dumps([{"code": x.code, "params": dict(x.params or {})} for x in v.reasons],
                         ensure_ascii=False, default=str)
    return ("acceptable" if v.acceptable else "send_back"), int(v.score), reasons


def _t(dt: datetime | None) -> str | None:
    return None if dt is None else dt.strftime(FMT)


def _p(s: str | None) -> datetime | None:
    return None if s is None else datetime.fromisoformat(s[:19])


# ---- the fill ----------------------------------------------------------------------------------


def _order_replies(w: _Writer, rng: random.Random, o: tuple, evs: list[tuple[str, str]],
                   clerk: str) -> list[tuple[tuple, list[int]]]:
    """The reply rows (REPLY_COLS) of one order with their band keys. `o`: (id, status, title,
    category, unit_id, owner_id, content, request_type, order_no, closed_at); `evs`: its
    reply events kept (see the module docstring) and all its send-back / reopen events,
    oldest first, as (event, at)."""
    from hotline_tui.domain.states import Status

    r = rng.random
    oid, status, closed_at = o[0], o[1], o[9]
    out: list[tuple[tuple, list[int]]] = []
    for k, (ev, at) in enumerate(evs):
        if ev != "reply":
            continue
        after = evs[k + 1] if k + 1 < len(evs) else None
        fields: dict[str, str] = {}
        verdict = score = None
        reasons = "[]"
        reviewed = decided = None
        note = ""
        if after is not None and after[0] == "send_back":
            decision, decided = "sent_back", after[1]
            pieces, note = w.lazy(), SEND_BACK_NOTE
        elif after is None and status == Status.REPLIED.value:
            decision = "pending"
            x = r()
            if x < 0.55:
                pieces, fields = w.good(o, _p(at))
            elif x < 0.85 or not w.last_good[o[4]]:
                pieces = w.lazy()
            else:  # pasted from another order of the same unit
                pieces = list(rng.choice(w.last_good[o[4]]))
        elif after is None and status == Status.CLOSED.value:
            decision, decided = "accepted", closed_at
            if r() < 0.92:
                pieces, fields = w.good(o, _p(at))
            else:
                pieces = w.lazy()
        else:
            continue
        text = "".join(pieces)
        if fields and decision == "accepted":
            recent = w.last_good[o[4]]
            recent.append(tuple(pieces))
            if len(recent) > 20:
                del recent[0]
        fp, keys = w.keys.keys(pieces)
        if decision == "pending":
            verdict, score, reasons = _review_row(o[:9], text, fields)
            reviewed = at
        out.append(((
            oid, at, rng.choices(SOURCES, (7, 2, 1))[0],
            text, fields.get("contact_by", ""), fields.get("contacted_at", ""),
            fields.get("contact_method", ""), "", "", fields.get("handler", ""),
            fields.get("handler_phone", ""), fp, verdict, score, reasons, reviewed,
            decision, decided, clerk if decided else "", note), keys))
    return out


_LEVELS = tuple(lv for lv, _ in SATISFACTION)
_WEIGHTS = tuple(p for _, p in SATISFACTION)
_LEVEL_TEXT = {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"}


def _callback(rng: random.Random, w: _Writer, now: datetime, since: datetime, clerk: str,
              oid: int, closed_at: str, tier: int | None, version: int, rework: int,
              order_text: Any) -> tuple | None:
    """The callback of one closed order, or None (not called back, or not yet). Returns
    (callback row, history rows, update, reply or None, reopened): update is (status or
    None, due_at, replied_at, closed_at, version, id) as _callbacks writes it; the reply is
    (REPLY_COLS row, band keys). `rework`: the order's rework count before;
    `order_text(oid)`: its (title, category, unit_id, owner_id)."""
    r = rng.random
    if r() >= CALLBACK_SHARE:
        return None
    c_at = _p(closed_at) + timedelta(hours=rng.randint(20, 96), minutes=rng.randint(0, 59))
    if c_at > now:
        return None
    closed_s, rework_s, replied_s = "closed", "rework", "replied"
    reached = r() < 0.92
    level = solved = None
    if reached:
        level = rng.choices(_LEVELS, _WEIGHTS)[0]
        solved = level != "unsatisfied" if r() < 0.8 else level == "satisfied"
    cb_row = (oid, _t(c_at), clerk, reached, solved, level, "")
    summary = "回访：" + ("已联系上" if reached else "未联系上")
    if reached:
        summary += "，" + ("已解决" if solved else "未解决") + "，" + _LEVEL_TEXT[level]
    hist = [(oid, _t(c_at), clerk, "callback", closed_s, closed_s, "{}", summary)]
    version += 1
    if not (reached and (level == "unsatisfied" or solved is False)):
        return cb_row, hist, (None, None, None, None, version, oid), None, False
    # reopened: a new deadline of the tier in working days (weekdays in the demo)
    due = _add_weekdays(c_at, tier or 3)
    hist.append((oid, _t(c_at), clerk, "reopen", closed_s, rework_s,
                 json.dumps({"due_at": [None, _t(due)], "closed_at": [closed_at, None],
                             "rework_count": [rework, rework + 1]}),
                 "回访不满意，重新办理。" + summary))
    version += 1
    rep_at = c_at + timedelta(hours=rng.randint(24, 96))
    acc_at = rep_at + timedelta(hours=rng.randint(2, 30))
    if acc_at > now:  # still with the unit
        return cb_row, hist, (rework_s, _t(due), None, None, version, oid), None, True
    recent = rep_at >= since
    if recent:
        pieces, fields = w.good((oid, closed_s, *order_text(oid)), rep_at)
        text = "".join(pieces)
    else:  # older than the replies kept: the history's note only
        text = REWORK_NOTE
    hist.append((oid, _t(rep_at), clerk, "reply", rework_s, replied_s,
                 json.dumps({"replied_at": [None, _t(rep_at)]}), text))
    hist.append((oid, _t(acc_at), clerk, "accept", replied_s, closed_s,
                 json.dumps({"closed_at": [None, _t(acc_at)]}), ""))
    version += 2
    reply = None
    if recent:
        fp, keys = w.keys.keys(pieces)
        reply = ((oid, _t(rep_at), "typed", text, fields["contact_by"], fields["contacted_at"],
                  fields["contact_method"], "", "", fields["handler"], fields["handler_phone"],
                  fp, None, None, "[]", None, "accepted", _t(acc_at), clerk, ""), keys)
    return cb_row, hist, (closed_s, _t(due), _t(rep_at), _t(acc_at), version, oid), reply, True


def _check_states() -> None:
    from hotline_tui.domain.states import Event, Status, next_status

    assert next_status(Status.CLOSED, Event.REOPEN) == Status.REWORK
    assert next_status(Status.REWORK, Event.REPLY) == Status.REPLIED
    assert next_status(Status.REPLIED, Event.ACCEPT) == Status.CLOSED


def fill_demo_replies_sqlite(db: sqlite3.Connection, rng: random.Random | int,
                             now: datetime) -> dict[int, tuple[str, str]]:
    """See the module docstring. Works inside the caller's transaction on `db`. Returns
    the orders whose status it changed, {id: (old, new)} (the bulk load, whose search
    triggers are off, brings the search index up to date with it)."""
    rng = rng if isinstance(rng, random.Random) else random.Random(rng)
    since = _t(now - timedelta(days=REPLY_DAYS))
    clerk_row = db.execute("SELECT value FROM setting WHERE key = 'clerk_name'").fetchone()
    clerk = json.loads(clerk_row[0]) if clerk_row else "clerk"
    # the reply / send-back / reopen events that matter, oldest first per order
    events: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for oid, ev, at in db.execute(
        "SELECT order_id, event, at FROM order_history WHERE event IN ('send_back', 'reopen') "
        "OR (event = 'reply' AND (at >= ? OR order_id IN (SELECT id FROM work_order WHERE "
        "status IN ('replied', 'rework')))) ORDER BY order_id, id", (since,)):
        events[oid].append((ev, at))
    rework = {oid: sum(1 for e, _ in evs if e != "reply") for oid, evs in events.items()}
    with_reply = sorted(oid for oid, evs in events.items() if any(e == "reply" for e, _ in evs))
    orders: dict[int, tuple] = {}
    for i in range(0, len(with_reply), 500):
        chunk = with_reply[i : i + 500]
        for row in db.execute(
            "SELECT id, status, title, category, unit_id, owner_id, content, request_type, "
            f"order_no, closed_at FROM work_order WHERE id IN ({','.join('?' * len(chunk))})",
                chunk):
            orders[row[0]] = row
    w = _Writer(db, rng)
    replies: list[tuple] = []
    bands: list[tuple[int, int, int]] = []
    next_id = (db.execute("SELECT max(id) FROM reply").fetchone()[0] or 0) + 1
    for oid in with_reply:
        o = orders.get(oid)
        if o is None:
            continue
        for row, keys in _order_replies(w, rng, o, events[oid], clerk):
            replies.append(row)
            bands.extend((key, next_id, oid) for key in dict.fromkeys(keys))
            next_id += 1
    reply_sql = (f"INSERT INTO reply({', '.join(REPLY_COLS)}) "
                 f"VALUES ({', '.join('?' * len(REPLY_COLS))})")
    db.executemany(reply_sql, replies)
    if bands:
        bands.sort()
        db.executemany("INSERT INTO reply_band(band_key, reply_id, order_id) VALUES (?, ?, ?)",
                       bands)
    changed = _callbacks(db, rng, now, clerk, w, rework)
    if rework:
        db.executemany("UPDATE work_order SET rework_count = ? WHERE id = ?",
                       [(n, oid) for oid, n in sorted(rework.items()) if n])
    return changed


def _callbacks(db: sqlite3.Connection, rng: random.Random, now: datetime, clerk: str,
               w: _Writer, rework: dict[int, int]) -> dict[int, tuple[str, str]]:
    """Callbacks of closed orders; unsatisfied ones reopen (and close again when there was
    time). Adds to `rework` the reopens. Returns the orders left in another status."""
    cb_rows: list[tuple] = []
    hist: list[tuple] = []
    updates: list[tuple] = []
    reply_rows: list[tuple] = []
    band_rows: list[tuple] = []
    next_id = (db.execute("SELECT max(id) FROM reply").fetchone()[0] or 0) + 1
    closed = db.execute(
        "SELECT id, closed_at, tier_days, version "
        # +status: a plain scan (the partial index of closed orders would read each row apart)
        "FROM work_order WHERE +status = 'closed' AND closed_at IS NOT NULL ORDER BY id"
    ).fetchall()

    def order_text(oid: int) -> tuple:  # the few reopened orders replied to again recently
        return db.execute("SELECT title, category, unit_id, owner_id FROM work_order "
                          "WHERE id = ?", (oid,)).fetchone()

    _check_states()
    since = now - timedelta(days=REPLY_DAYS)
    for oid, closed_at, tier, version in closed:
        got = _callback(rng, w, now, since, clerk, oid, closed_at, tier, version,
                        rework.get(oid, 0), order_text)
        if got is None:
            continue
        cb_row, h, update, reply, reopened = got
        cb_rows.append(cb_row)
        hist.extend(h)
        updates.append(update)
        if reopened:
            rework[oid] = rework.get(oid, 0) + 1
        if reply is not None:
            reply_rows.append(reply[0])
            band_rows.extend((k, next_id, oid) for k in dict.fromkeys(reply[1]))
            next_id += 1
    db.executemany("INSERT INTO callback(order_id, at, \"by\", reached, solved, satisfaction, "
                   "remark) VALUES (?, ?, ?, ?, ?, ?, ?)", cb_rows)
    hist.sort(key=lambda h: (h[0], h[1]))
    db.executemany(f"INSERT INTO order_history({', '.join(HIST_COLS)}) VALUES "
                   f"({', '.join('?' * len(HIST_COLS))})", hist)
    # version of every order called back; reopened ones: state (the search index triggers
    # follow), deadline; closed again: reply and closing times
    db.executemany("UPDATE work_order SET version = ? WHERE id = ?",
                   [(ver, oid) for _st, _due, _rep, _acc, ver, oid in updates])
    db.executemany(
        "UPDATE work_order SET status = ?, due_at = ?, closed_at = NULL WHERE id = ?",
        [(st, due, oid) for st, due, _rep, acc, _ver, oid in updates if st == "rework"])
    db.executemany(
        "UPDATE work_order SET due_at = ?, replied_at = ?, closed_at = ? WHERE id = ?",
        [(due, rep, acc, oid) for _st, due, rep, acc, _ver, oid in updates if acc])
    if reply_rows:
        db.executemany(f"INSERT INTO reply({', '.join(REPLY_COLS)}) "
                       f"VALUES ({', '.join('?' * len(REPLY_COLS))})", reply_rows)
        band_rows.sort()
        db.executemany("INSERT INTO reply_band(band_key, reply_id, order_id) VALUES (?, ?, ?)",
                       band_rows)
    return {oid: ("closed", st) for st, _due, _rep, _acc, _ver, oid in updates
            if st is not None and st != "closed"}


# ---- with the generator: one chunk at a time ----------------------------------------------


class ChunkReplies:
    """The replies and callbacks of the demo's orders made chunk by chunk, beside the orders
    (services.demo._make_chunk, in the helper process of a large load): the same rules as
    fill_demo_replies_sqlite, the order rows (status, times, version, rework_count) and
    search rows left final, so nothing is updated afterwards. Chunk k draws from its own
    random stream (seed, k); a pending reply pasted from another order takes one of the
    same unit in the same chunk. Build once per process."""

    def __init__(self, seed: int, now: datetime, clerk: str, units: dict[int, str],
                 owners: dict[int, tuple[str, str]], raw: dict[str, Any]) -> None:
        from hotline_tui.services.demo_text import ORDER_COLUMNS

        _check_states()
        self.seed = seed
        self.now = now
        self.since = now - timedelta(days=REPLY_DAYS)
        self.since_t = _t(self.since)
        self.clerk = clerk
        # the actions' numbers and places are drawn once, from the run's seed
        self.w = _Writer(None, replies_rng(seed), units=units, owners=owners, raw=raw)
        self.w._prepare()
        self.col = {c: i for i, c in enumerate(ORDER_COLUMNS)}

    def make(self, chunk_no: int, orders: list[tuple], search: list[tuple],
             hist: list[tuple]) -> tuple[list[tuple[tuple, list[int]]], list[tuple]]:
        """Replies and callbacks of one chunk (orders, search and history rows as
        ChunkMaker.make gives them, changed in place: order and search rows replaced, the
        callbacks' history rows added). Returns (replies as (REPLY_COLS row, band keys),
        callback rows)."""
        if not orders:
            return [], []
        rng = random.Random(f"demo replies {self.seed} {chunk_no}")
        w = self.w
        w.rng = rng
        w.last_good = defaultdict(list)
        c = self.col
        c_st, c_title, c_cat, c_unit, c_owner = (c["status"], c["title"], c["category"],
                                                 c["unit_id"], c["owner_id"])
        c_content, c_type, c_no, c_closed = (c["content"], c["request_type"], c["order_no"],
                                             c["closed_at"])
        first = orders[0][0]
        since = self.since_t
        events: dict[int, list[tuple[str, str]]] = defaultdict(list)
        for h in hist:
            ev = h[3]
            if ev == "send_back" or (ev == "reply" and (
                    h[1] >= since or orders[h[0] - first][c_st] in ("replied", "rework"))):
                events[h[0]].append((ev, h[1]))
        replies: list[tuple[tuple, list[int]]] = []
        for oid, evs in sorted(events.items()):
            if not any(e == "reply" for e, _ in evs):
                continue
            row = orders[oid - first]
            o = (oid, row[c_st], row[c_title], row[c_cat], row[c_unit], row[c_owner],
                 row[c_content], row[c_type], row[c_no], row[c_closed])
            replies.extend(_order_replies(w, rng, o, evs, self.clerk))

        def order_text(oid: int) -> tuple:
            row = orders[oid - first]
            return row[c_title], row[c_cat], row[c_unit], row[c_owner]

        c_tier, c_ver, c_rw, c_due, c_rep = (c["tier_days"], c["version"], c["rework_count"],
                                             c["due_at"], c["replied_at"])
        cb_rows: list[tuple] = []
        cb_hist: list[tuple] = []
        for k, row in enumerate(orders):
            if row[c_st] != "closed" or row[c_closed] is None:
                continue
            oid = row[0]
            got = _callback(rng, w, self.now, self.since, self.clerk, oid, row[c_closed],
                            row[c_tier], row[c_ver], row[c_rw], order_text)
            if got is None:
                continue
            cb_row, h, (st, due, rep, acc, ver, _oid), reply, reopened = got
            cb_rows.append(cb_row)
            cb_hist.extend(h)
            new = list(row)
            new[c_ver] = ver
            if reopened:
                new[c_rw] += 1
            if st == "rework":
                new[c_st], new[c_due], new[c_closed] = st, due, None
                key, doc, _st, u = search[k]
                search[k] = (key, doc, "s" + st, u)
            elif acc:
                new[c_due], new[c_rep], new[c_closed] = due, rep, acc
            orders[k] = tuple(new)
            if reply is not None:
                replies.append(reply)
        cb_hist.sort(key=lambda h: (h[0], h[1]))
        hist.extend(cb_hist)
        return replies, cb_rows


def _add_weekdays(at: datetime, n: int) -> datetime:
    """The end of the n-th weekday after `at` (the demo counts weekdays only)."""
    day = at.date()
    left = n
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            left -= 1
    return datetime.combine(day, datetime.max.time()).replace(microsecond=0)
