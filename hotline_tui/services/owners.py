"""First-contact owners (首接负责制): sign-for with the owner's name and phone, bulk sign-for,
change of owner with the reason kept, the owner directory and its suggestions, the register
screen's reads, the roster export and the sign-for rates. The TUI and the CLI call these.

Every change of an order goes through services.orders.record (state machine + history row)
and each call is one transaction. After sign-for an order always has an owner: SIGN sets
`signed_at` and `owner_id` together, CHANGE_OWNER only replaces one owner with another.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import case, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col
from sqlmodel import select as sm_select

from hotline_tui.domain.signing import (
    BadName,
    BadPhone,
    SignCounts,
    SignLimits,
    month_bounds,
    normalize_name,
    normalize_phone,
)
from hotline_tui.domain.states import OPEN_STATUSES, Event, Status, TransitionError, next_status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store import register_query as rq
from hotline_tui.store.engine import session
from hotline_tui.store.models import OrderHistory, WorkOrder
from hotline_tui.store.models_owner import Owner

Db = Engine | Session | Connection
WO = WorkOrder.__table__.c
W = Owner.__table__.c
POST_MAX = 30
_CHUNK = 500


# ---- rows returned -------------------------------------------------------------------------


@dataclass(frozen=True)
class OwnerInfo:
    id: int
    unit_id: int
    name: str
    phone: str
    post: str = ""

    def label(self) -> str:
        """'张三 13812345678' (with the post in brackets when there is one)."""
        base = f"{self.name} {self.phone}"
        return f"{base} ({self.post})" if self.post else base


@dataclass(frozen=True)
class SignResult:
    """One order signed for: its owner and whether it came after the sign-for limit."""

    order_id: int
    order_no: str
    unit_id: int
    owner: OwnerInfo
    signed_at: datetime
    limit_end: datetime
    late: bool
    owner_created: bool  # a new entry in the directory
    version: int


@dataclass(frozen=True)
class OwnerChange:
    order_no: str
    old: OwnerInfo | None
    new: OwnerInfo
    reason: str
    version: int


@dataclass(frozen=True)
class PhoneUpdate:
    """`update_owner_phone`: the owner as it is now, the orders whose history got a row,
    and the entry it was merged into when that unit already had this name and number."""

    owner: OwnerInfo
    old_phone: str
    changed: bool
    open_orders: list[str]
    merged_from: int | None = None  # the id of the entry that was folded into `owner`


@dataclass(frozen=True)
class OwnerSuggestion:
    """A name the unit used before (for completion while typing)."""

    id: int
    name: str
    phone: str
    post: str
    last_used_at: datetime | None
    open_orders: int


@dataclass(frozen=True)
class UnitRates:
    unit_id: int
    unit_name: str
    counts: SignCounts


@dataclass
class RatesReport:
    """签收率 and 按时签收率 per unit for a period (orders dispatched in it), with the total."""

    period: str
    start: datetime
    end: datetime
    as_of: datetime
    sign_limit_workdays: int
    units: list[UnitRates] = field(default_factory=list)
    total: SignCounts = field(default_factory=SignCounts)

    def to_json(self) -> dict:
        def one(c: SignCounts) -> dict:
            return {
                "dispatched": c.dispatched, "signed": c.signed,
                "signed_on_time": c.signed_on_time, "waiting": c.waiting,
                "sign_rate": c.sign_rate.as_dict(), "on_time_sign_rate": c.on_time_rate.as_dict(),
            }

        return {
            "period": self.period, "start": self.start, "end": self.end, "as_of": self.as_of,
            "sign_limit_workdays": self.sign_limit_workdays,
            "units": [{"unit_id": u.unit_id, "unit": u.unit_name, **one(u.counts)}
                      for u in self.units],
            "total": one(self.total),
        }


# ---- settings, calendar ---------------------------------------------------------------------


def _run(db: Db, fn):  # noqa: ANN001, ANN202
    if isinstance(db, Engine):
        with db.connect() as conn:
            return fn(conn)
    if isinstance(db, Session):
        return fn(db.connection())
    return fn(db)


def sign_limit_workdays(db: Db) -> int:
    """The setting `sign_limit_workdays` (default 1); a broken value is a UserError."""
    from hotline_tui.services.settings import get_setting

    value = _run(db, lambda c: get_setting(c, "sign_limit_workdays"))
    try:
        n = int(value)
    except (TypeError, ValueError):
        raise UserError("owners.error.bad_limit_setting", value=value) from None
    if n < 0 or n > 60:
        raise UserError("owners.error.bad_limit_setting", value=value)
    return n


_limits_cache: dict[tuple[int, int, object], tuple[object, SignLimits]] = {}


def sign_limits(db: Db) -> SignLimits:
    """The sign-for limit calculator: the office's calendar, the setting, the counting rule.
    Kept while the three are unchanged, so its per-date answers are computed once."""
    from hotline_tui.services.calendar import calendar_for, due_rule

    cal, days, rule = calendar_for(db), sign_limit_workdays(db), due_rule(db)
    key = (id(cal), days, rule)
    hit = _limits_cache.get(key)
    if hit is not None and hit[0] is cal:
        return hit[1]
    limits = SignLimits(cal, days, rule)
    if len(_limits_cache) > 8:
        _limits_cache.clear()
    _limits_cache[key] = (cal, limits)
    return limits


def soon_hours(db: Db) -> int:
    """The widest warning window before a deadline (setting warn_hours, default 48)."""
    from hotline_tui.services.settings import get_setting

    value = _run(db, lambda c: get_setting(c, "warn_hours")) or [48]
    try:
        return max(int(h) for h in value) if isinstance(value, list) else int(value)
    except (TypeError, ValueError):
        return 48


# ---- validating input ----------------------------------------------------------------------


def check_phone(phone: object) -> str:
    try:
        return normalize_phone(phone)
    except BadPhone:
        raise UserError("owners.error.bad_phone", phone=str(phone or "").strip()) from None


def check_name(name: object) -> str:
    try:
        return normalize_name(name)
    except BadName:
        raise UserError("owners.error.bad_name", name=str(name or "").strip()) from None


def check_post(post: object) -> str:
    return normalize_post(post)[:POST_MAX]


def normalize_post(post: object) -> str:
    from hotline_tui.domain.normalize import clean_text

    return clean_text(post).replace("\n", " ")


def _pinyin(name: str) -> tuple[str, str]:
    from hotline_tui.domain.pinyin import pinyin_of

    return pinyin_of(name)


def _lock(s: Session) -> None:
    """Take the write lock now (SQLite), so two windows cannot sign the same order at once."""
    if s.get_bind().dialect.name == "sqlite":
        s.connection().exec_driver_sql("UPDATE setting SET key = key WHERE 0")


def _find(s: Session, order_no: str) -> WorkOrder:
    no = str(order_no or "").strip()
    order = s.exec(sm_select(WorkOrder).where(WorkOrder.order_no == no)).first()
    if order is None:
        raise UserError("error.order_not_found", order_no=no)
    return order


def _transition_error(order: WorkOrder, event: Event) -> UserError:
    from hotline_tui.i18n import t

    return UserError("error.transition", order_no=order.order_no,
                     status=t(f"status.{order.status}"), event=t(f"event.{event.value}"))


def _info(o: Owner) -> OwnerInfo:
    return OwnerInfo(int(o.id), o.unit_id, o.name, o.phone, o.post)


def _owner_row(s: Session, owner_id: int | None) -> Owner | None:
    return s.get(Owner, owner_id) if owner_id is not None else None


def get_or_create_owner(
    s: Session, unit_id: int, name: str, phone: str, post: str, used_at: datetime
) -> tuple[Owner, bool]:
    """The directory entry for unit + name + phone, created when new. A post given now
    replaces the stored one; `last_used_at` moves forward to `used_at`."""
    now = clock.now()
    row = s.exec(
        sm_select(Owner).where(Owner.unit_id == unit_id, Owner.name == name, Owner.phone == phone)
    ).first()
    if row is None:
        full, initials = _pinyin(name)
        row = Owner(unit_id=unit_id, name=name, phone=phone, post=post, pinyin=full,
                    initials=initials, created_at=now, updated_at=now, last_used_at=used_at)
        s.add(row)
        s.flush()
        return row, True
    if post and post != row.post:
        row.post = post
        row.updated_at = now
    if row.last_used_at is None or used_at > row.last_used_at:
        row.last_used_at = used_at
    s.add(row)
    s.flush()
    return row, False


def _check_sign_time(order: WorkOrder, at: datetime, now: datetime) -> None:
    if at > now:
        raise UserError("owners.error.future", order_no=order.order_no, at=f"{at:%Y-%m-%d %H:%M}")
    if order.dispatched_at is not None and at < order.dispatched_at:
        raise UserError("owners.error.before_dispatch", order_no=order.order_no,
                        at=f"{at:%Y-%m-%d %H:%M}", dispatched=f"{order.dispatched_at:%Y-%m-%d %H:%M}")


def _owner_changes(old: Owner | OwnerInfo | None, new: Owner | OwnerInfo) -> dict[str, list]:
    """The owner's name/phone/post as [old, new] pairs for the history (readable later even
    when the directory entry is edited)."""
    out: dict[str, list] = {}
    for key, attr in (("owner_name", "name"), ("owner_phone", "phone"), ("owner_post", "post")):
        a = getattr(old, attr) if old is not None else None
        b = getattr(new, attr)
        if a != b and (a or b):
            out[key] = [a, b]
    return out


def sign_in_session(
    s: Session, order: WorkOrder, *, name: str, phone: str, post: str, at: datetime,
    limits: SignLimits, actor: str | None = None, note: str = "",
    expected_version: int | None = None, owners_cache: dict | None = None,
) -> SignResult:
    """Sign one dispatched order for inside the caller's transaction (values already
    checked). Used by sign, sign_many and the returned-sheet import."""
    if order.status != Status.DISPATCHED.value:
        raise _transition_error(order, Event.SIGN)
    if order.unit_id is None:
        raise UserError("owners.error.no_unit", order_no=order.order_no)
    key = (order.unit_id, name, phone)
    hit = owners_cache.get(key) if owners_cache is not None else None
    if hit is None:
        owner, created = get_or_create_owner(s, order.unit_id, name, phone, post, at)
    else:
        owner, created = hit[0], False
        if post and post != owner.post:
            owner.post = post
            s.add(owner)
        if owner.last_used_at is None or at > owner.last_used_at:
            owner.last_used_at = at
            s.add(owner)
    if owners_cache is not None:
        owners_cache[key] = (owner, created)
    try:
        _record(s, order, Event.SIGN, changes={"signed_at": at, "owner_id": owner.id},
               extra_changes=_owner_changes(None, owner), note=note, actor=actor,
               expected_version=expected_version)
    except TransitionError:
        raise _transition_error(order, Event.SIGN) from None
    end = limits.end_for(order.dispatched_at or at)
    return SignResult(int(order.id), order.order_no, order.unit_id, _info(owner), at, end,
                      at > end, created, order.version)


def _record(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
    """services.orders.record, a version clash turned into the clerk's sentence."""
    from hotline_tui.services.orders import StaleOrder, record

    try:
        return record(*args, **kwargs)
    except StaleOrder as exc:
        raise UserError("error.stale", order_no=str(exc)) from None


# ---- sign-for --------------------------------------------------------------------------------


def sign(
    engine: Engine, order_no: str, *, name: str, phone: str, post: str = "",
    at: datetime | None = None, actor: str | None = None, expected_version: int | None = None,
) -> SignResult:
    """Register the first-contact owner of a dispatched order and its sign-for time (now
    by default): reuses or creates the unit's directory entry, SIGN (已交办 -> 已签收), one
    transaction. UserError (one sentence) for a bad name or phone, a time before dispatch
    or in the future, or an order that is not waiting for sign-for."""
    return sign_many(engine, [order_no], name=name, phone=phone, post=post, at=at,
                     actor=actor, expected_versions={str(order_no).strip(): expected_version}
                     if expected_version is not None else None)[0]


def sign_many(
    engine: Engine, order_nos: Sequence[str], *, name: str, phone: str, post: str = "",
    at: datetime | None = None, actor: str | None = None,
    expected_versions: dict[str, int] | None = None,
) -> list[SignResult]:
    """The same owner for several dispatched orders of one unit (marked in the screen), one
    transaction: if any order is unknown, not dispatched or of another unit, nothing is
    written and the UserError names them."""
    name_c, phone_c, post_c = check_name(name), check_phone(phone), check_post(post)
    numbers = list(dict.fromkeys(str(n).strip() for n in order_nos if str(n).strip()))
    if not numbers:
        raise UserError("owners.error.no_orders")
    now = clock.now()
    when = (at or now).replace(microsecond=0)
    with session(engine) as s:
        try:
            _lock(s)
            orders = _load_orders(s, numbers)
            missing = [n for n in numbers if n not in orders]
            if missing:
                if len(numbers) == 1:
                    raise UserError("error.order_not_found", order_no=missing[0])
                raise UserError("owners.error.many_not_found", orders=_list(missing))
            not_disp = [orders[n] for n in numbers if orders[n].status != Status.DISPATCHED.value]
            if not_disp:
                if len(numbers) == 1:
                    raise _not_signable(s, not_disp[0])
                raise UserError("owners.error.many_not_dispatched",
                                orders=_list(o.order_no for o in not_disp))
            units = {orders[n].unit_id for n in numbers}
            if len(units) > 1:
                raise UserError("owners.error.many_units", count=len(units))
            for n in numbers:
                _check_sign_time(orders[n], when, now)
            limits = sign_limits(s)
            cache: dict = {}
            out = [
                sign_in_session(
                    s, orders[n], name=name_c, phone=phone_c, post=post_c, at=when,
                    limits=limits, actor=actor, owners_cache=cache,
                    expected_version=(expected_versions or {}).get(n),
                )
                for n in numbers
            ]
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return out


def _list(nos) -> str:  # noqa: ANN001
    nos = list(nos)
    shown = "、".join(nos[:10])
    return shown + (f" ... ({len(nos)})" if len(nos) > 10 else "")


def _not_signable(s: Session, order: WorkOrder) -> UserError:
    owner = _owner_row(s, order.owner_id)
    if order.signed_at is not None and owner is not None:
        return UserError("owners.error.already_signed", order_no=order.order_no,
                         name=owner.name, phone=owner.phone, at=f"{order.signed_at:%Y-%m-%d %H:%M}")
    return _transition_error(order, Event.SIGN)


def _load_orders(s: Session, numbers: Sequence[str]) -> dict[str, WorkOrder]:
    out: dict[str, WorkOrder] = {}
    for i in range(0, len(numbers), _CHUNK):
        chunk = list(numbers[i : i + _CHUNK])
        for o in s.exec(sm_select(WorkOrder).where(col(WorkOrder.order_no).in_(chunk))):
            out[o.order_no] = o
    return out


# ---- change of owner ------------------------------------------------------------------------


def change_owner(
    engine: Engine, order_no: str, *, name: str, phone: str, post: str = "", reason: str,
    actor: str | None = None, expected_version: int | None = None,
) -> OwnerChange:
    """Hand a signed-for order to another person of the same unit. The reason is required;
    the history row (CHANGE_OWNER) keeps the old and the new owner and the reason."""
    from hotline_tui.domain.normalize import clean_text

    why = clean_text(reason)
    if not why:
        raise UserError("owners.error.reason_required")
    name_c, phone_c, post_c = check_name(name), check_phone(phone), check_post(post)
    with session(engine) as s:
        try:
            _lock(s)
            order = _find(s, order_no)
            try:
                next_status(Status(order.status), Event.CHANGE_OWNER)
            except TransitionError:
                raise _transition_error(order, Event.CHANGE_OWNER) from None
            if order.unit_id is None:
                raise UserError("owners.error.no_unit", order_no=order.order_no)
            old = _owner_row(s, order.owner_id)
            if old is not None and (old.name, old.phone) == (name_c, phone_c) and (
                not post_c or post_c == old.post
            ):
                raise UserError("owners.error.same_owner", order_no=order.order_no, name=old.name)
            old_info = _info(old) if old is not None else None
            new, _created = get_or_create_owner(s, order.unit_id, name_c, phone_c, post_c,
                                                clock.now())
            _record(s, order, Event.CHANGE_OWNER, changes={"owner_id": new.id},
                   extra_changes=_owner_changes(old_info, new), note=why, actor=actor,
                   expected_version=expected_version)
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return OwnerChange(order.order_no, old_info, _info(new), why, order.version)


# ---- the directory ---------------------------------------------------------------------------


def owner_of(engine: Engine, order_no: str) -> OwnerInfo | None:
    """The current owner of an order (None before sign-for)."""
    with session(engine) as s:
        order = _find(s, order_no)
        o = _owner_row(s, order.owner_id)
        return _info(o) if o is not None else None


def get_owner(engine: Engine, owner_id: int) -> OwnerInfo:
    with session(engine) as s:
        o = s.get(Owner, owner_id)
        if o is None:
            raise UserError("owners.error.owner_not_found", owner=owner_id)
        return _info(o)


_CJK = re.compile(r"[\u3400-\u9fff]")


def owner_suggestions(
    engine: Engine, unit_id: int, prefix: str = "", limit: int = 8
) -> list[OwnerSuggestion]:
    """Owners the unit used before, most recent first, whose name starts with `prefix`
    (Chinese, or pinyin / pinyin initials: 'zs', 'zhang', '张'; digits match the phone)."""
    from hotline_tui.domain.normalize import to_halfwidth

    p = to_halfwidth(prefix or "").strip()
    q = select(W.id, W.name, W.phone, W.post, W.last_used_at).where(W.unit_id == unit_id)
    if p:
        if _CJK.search(p):
            q = q.where(W.name.startswith(p, autoescape=True))
        elif p.isdigit():
            q = q.where(W.phone.startswith(p, autoescape=True))
        else:
            low = re.sub(r"\s+", "", p.lower())
            q = q.where(W.initials.startswith(low, autoescape=True)
                        | W.pinyin.startswith(low, autoescape=True)
                        | W.name.startswith(p, autoescape=True))
    q = q.order_by(W.last_used_at.is_(None), W.last_used_at.desc(), W.id.desc()).limit(
        max(0, limit))
    with engine.connect() as conn:
        rows = list(conn.execute(q))
        ids = [r.id for r in rows]
        counts = dict(
            conn.execute(
                select(WO.owner_id, func.count()).where(
                    WO.owner_id.in_(ids), rq.OWNED_OPEN_SQL
                ).group_by(WO.owner_id)
            ).all()
        ) if ids else {}
    return [OwnerSuggestion(r.id, r.name, r.phone, r.post, r.last_used_at, counts.get(r.id, 0))
            for r in rows]


def update_owner_phone(
    engine: Engine, owner_id: int, phone: str, *, actor: str | None = None
) -> PhoneUpdate:
    """Correct a wrong number once for all the owner's orders. Each open order gets a history
    row (UPDATE, owner_phone old -> new); all in one transaction. When the unit already has
    an entry with this name and the new number, the two entries are merged into that one
    (every order of the old entry moves to it, each with its history row)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.settings import clerk_name

    new_phone = check_phone(phone)
    with session(engine) as s:
        try:
            _lock(s)
            owner = s.get(Owner, owner_id)
            if owner is None:
                raise UserError("owners.error.owner_not_found", owner=owner_id)
            old_phone = owner.phone
            if new_phone == old_phone:
                return PhoneUpdate(_info(owner), old_phone, False, [])
            now = clock.now()
            twin = s.exec(sm_select(Owner).where(
                Owner.unit_id == owner.unit_id, Owner.name == owner.name,
                Owner.phone == new_phone)).first()
            target = twin if twin is not None else owner
            conn = s.connection()
            # orders whose history gets a row: the open ones, and on a merge every order
            cond = WO.owner_id == owner.id
            if twin is None:
                cond = cond & WO.status.in_([st.value for st in OPEN_STATUSES])
            rows = list(conn.execute(select(WO.id, WO.order_no, WO.status).where(cond)
                                     .order_by(WO.id)))
            who = actor if actor is not None else clerk_name(s)
            note = t("owners.note.phone_fixed", old=old_phone, new=new_phone)
            changes = {"owner_phone": [old_phone, new_phone]}
            if twin is not None:
                changes = {"owner_id": [owner.id, twin.id], **changes}
            history = []
            for r in rows:
                st = next_status(Status(r.status), Event.UPDATE).value
                history.append({
                    "order_id": r.id, "at": now, "actor": who, "event": Event.UPDATE.value,
                    "old_status": r.status, "new_status": st,
                    "changes": json.dumps(changes, ensure_ascii=False), "note": note,
                })
            ids = [r.id for r in rows]
            for i in range(0, len(ids), _CHUNK):
                values = {"version": WO.version + 1, "updated_at": now}
                if twin is not None:
                    values["owner_id"] = twin.id
                conn.execute(update(WorkOrder.__table__)
                             .where(WO.id.in_(ids[i : i + _CHUNK])).values(**values))
            if history:
                conn.execute(insert(OrderHistory.__table__), history)
            if twin is not None:
                if owner.last_used_at and (twin.last_used_at is None
                                           or owner.last_used_at > twin.last_used_at):
                    twin.last_used_at = owner.last_used_at
                if owner.post and not twin.post:
                    twin.post = owner.post
                twin.updated_at = now
                s.add(twin)
                s.flush()
                s.delete(owner)
            else:
                owner.phone = new_phone
                owner.updated_at = now
                s.add(owner)
            s.flush()
            s.commit()
            open_nos = [r.order_no for r in rows
                        if r.status in {st.value for st in OPEN_STATUSES}]
            return PhoneUpdate(_info(target), old_phone, True, open_nos,
                               owner_id if twin is not None else None)
        except BaseException:
            s.rollback()
            raise


# ---- the register screen ----------------------------------------------------------------------


def current_period(now: datetime | None = None) -> str:
    n = now or clock.now()
    return f"{n.year:04d}-{n.month:02d}"


def _period(month: str | None, now: datetime) -> tuple[str, datetime, datetime]:
    label = month or current_period(now)
    try:
        start, end = month_bounds(label)
    except ValueError:
        raise UserError("owners.error.bad_month", month=label) from None
    return f"{start.year:04d}-{start.month:02d}", start, end


def register_snapshot(
    engine: Engine, *, now: datetime | None = None, month: str | None = None,
    unit_id: int | None = None, waiting_limit: int = 100,
) -> rq.RegisterSnapshot:
    """Everything the register screen shows in one call: units with their owners (open,
    due within the warning window, overdue, signed late), the dispatched orders waiting
    for sign-for (past the limit first), and the month's 签收率 / 按时签收率 per unit."""
    at = now or clock.now()
    with engine.connect() as conn:
        limits = sign_limits(conn)
        return rq.register_snapshot(
            conn, now=at, limits=limits, soon_hours=soon_hours(conn),
            period=_period(month, at), waiting_limit=waiting_limit, unit_id=unit_id,
        )


def waiting_orders(
    engine: Engine, *, offset: int = 0, limit: int = 100, unit_id: int | None = None,
    now: datetime | None = None,
) -> list[rq.WaitingRow]:
    """A page of dispatched-not-signed orders, longest waiting first."""
    at = now or clock.now()
    with engine.connect() as conn:
        return rq.waiting_page(conn, now=at, limits=sign_limits(conn), offset=offset,
                               limit=limit, unit_id=unit_id)


def owner_orders(
    engine: Engine, owner_id: int, *, open_only: bool = True, offset: int = 0,
    limit: int = 100, now: datetime | None = None,
) -> list[rq.OwnerOrderRow]:
    """One owner's orders for the drill-in (open ones by default), soonest due first."""
    at = now or clock.now()
    with engine.connect() as conn:
        return rq.owner_orders(conn, owner_id, now=at, limits=sign_limits(conn),
                               soon_hours=soon_hours(conn), open_only=open_only,
                               offset=offset, limit=limit)


def roster(
    engine: Engine, *, unit: str | int | None = None, with_open_only: bool = False,
    now: datetime | None = None,
) -> list[rq.RosterRow]:
    """The owner roster (unit, owner, phone, open, overdue), optionally of one unit (id,
    name, short name or pinyin initials)."""
    at = now or clock.now()
    unit_id = resolve_unit_id(engine, unit) if unit is not None else None
    with engine.connect() as conn:
        return rq.roster_rows(conn, now=at, limits=sign_limits(conn), unit_id=unit_id,
                              with_open_only=with_open_only)


def resolve_unit_id(engine: Engine, unit: str | int) -> int:
    from hotline_tui.services.units import resolve_unit

    if isinstance(unit, str) and unit.strip().isdigit():
        unit = int(unit.strip())
    return resolve_unit(engine, unit, allow_retired=True).id


def sign_rates(
    engine: Engine, month: str | None = None, *, now: datetime | None = None,
    unit: str | int | None = None,
) -> RatesReport:
    """签收率 = signed for / dispatched and 按时签收率 = signed for on time / dispatched, per
    unit, over the orders dispatched in `month` ('2026-11'; default this month), as of now."""
    at = now or clock.now()
    label, start, end = _period(month, at)
    unit_id = resolve_unit_id(engine, unit) if unit is not None else None
    with engine.connect() as conn:
        limits = sign_limits(conn)
        counts = rq.sign_counts(conn, start=start, end=end, as_of=at, limits=limits,
                                unit_id=unit_id)
        names = rq.unit_names(conn, counts)
    report = RatesReport(label, start, end, at, limits.workdays)
    for uid, c in counts.items():
        report.units.append(UnitRates(uid, names.get(uid, ("", ""))[0], c))
        report.total = report.total + c
    report.units.sort(key=lambda u: (-(u.counts.on_time_rate.value or 0),
                                     -(u.counts.sign_rate.value or 0), u.unit_name))
    return report


# ---- roster export -----------------------------------------------------------------------------


def export_roster(
    engine: Engine, path: str | Path, *, unit: str | int | None = None,
    with_open_only: bool = False,
) -> Path:
    """Write the roster (unit, owner, post, phone, open, overdue) as .xlsx for the phone.
    Text that a spreadsheet would read as a formula (= + - @) is written as text."""
    from hotline_tui.i18n import t

    out = Path(path)
    if out.suffix.lower() != ".xlsx":
        out = out.with_suffix(".xlsx")
    if out.is_dir():
        raise UserError("owners.error.out_is_dir", path=out)
    rows = roster(engine, unit=unit, with_open_only=with_open_only)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = t("owners.roster.sheet")[:31]
    heads = [t("owners.col.unit"), t("owners.col.owner"), t("owners.col.post"),
             t("owners.col.phone"), t("owners.col.open"), t("owners.col.overdue")]
    ws.append(heads)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append([r.unit_name, r.name, r.post, r.phone, r.open, r.overdue])
    from hotline_tui.services.safe_cells import put

    for row in ws.iter_rows(min_row=1):
        for c in row:
            put(c, c.value)  # text stays text, never a formula
    for letter, width in zip("ABCDEF", (24, 10, 12, 16, 8, 8), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        wb.save(out)
    except OSError as exc:
        raise UserError("owners.error.cannot_write", path=out, reason=exc.strerror) from exc
    return out


# ---- demo data ---------------------------------------------------------------------------------

_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
_GIVEN = ("伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛",
          "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "国庆", "海燕", "志强", "晓东")
_POSTS = ("办公室主任", "副乡长", "信访办主任", "综治专干", "科员", "副局长", "股长", "")


def demo_owner_pool(
    db: Engine | Connection, unit_ids: Sequence[int], *, per_unit: tuple[int, int] = (2, 6),
    seed: int = 12345, people: dict[int, Sequence[tuple[str, str, str]]] | None = None,
) -> dict[int, list[int]]:
    """First-contact owners for demo units: unit id -> its owner ids, in the order given.
    `people` (unit id -> [(name, post, phone), ...]) names them; units not in it get
    made-up ones. Units that already have owners keep them (nothing added). For a demo
    generator writing orders itself: give each order with a sign-for time one of its unit's
    ids as `owner_id` (e.g. ids[i % len(ids)]); cheaper than `fill_demo_owners` afterwards."""
    if isinstance(db, Engine):
        with db.begin() as conn:
            return demo_owner_pool(conn, unit_ids, per_unit=per_unit, seed=seed,
                                   people=people)
    import random

    conn = db
    rnd = random.Random(seed)
    now = clock.now()
    out: dict[int, list[int]] = {}
    for uid in sorted(set(unit_ids)):
        ids = [i for (i,) in conn.execute(select(W.id).where(W.unit_id == uid).order_by(W.id))]
        if not ids:
            given = list((people or {}).get(uid) or [])
            rows = _demo_owner_rows(uid, given, rnd, per_unit, now)
            conn.execute(insert(Owner.__table__), list(rows.values()))
            ids = [i for (i,) in conn.execute(
                select(W.id).where(W.unit_id == uid).order_by(W.id))]
        out[uid] = ids
    return out


def _demo_owner_rows(uid: int, given: list[tuple[str, str, str]], rnd,  # noqa: ANN001
                     per_unit: tuple[int, int], now: datetime) -> dict[tuple[str, str], dict]:
    """The owner rows `demo_owner_pool` inserts for one unit without owners: `given`
    people, or made-up ones from `rnd` when there are none."""
    from hotline_tui.domain.pinyin import pinyin_of

    if not given:
        k = rnd.randint(*per_unit)
        while len({(n, ph) for n, _p, ph in given}) < k:
            given.append((rnd.choice(_SURNAMES) + rnd.choice(_GIVEN), rnd.choice(_POSTS),
                          f"1{rnd.choice('3589')}{rnd.randrange(10**9):09d}"))
    rows: dict[tuple[str, str], dict] = {}
    for name, post, phone in given:
        full, initials = pinyin_of(name)
        rows.setdefault((name, phone), {
            "unit_id": uid, "name": name, "phone": phone, "post": post,
            "pinyin": full, "initials": initials, "created_at": now, "updated_at": now,
            "last_used_at": None,
        })
    return rows


def fill_demo_owners_sqlite(
    db: sqlite3.Connection, *, per_unit: tuple[int, int] = (2, 6), seed: int = 12345,
) -> int:
    """`fill_demo_owners` for the demo generator's raw SQLite connection, inside its
    transaction and before the work_order indexes exist: the same owners (same random
    draws, same units in the same order) and the same order -> owner spread, in a few
    full passes instead of one indexed UPDATE per unit. Returns the orders filled."""
    import random

    demo = "is_demo = 1"
    db.execute("UPDATE work_order SET signed_at = dispatched_at WHERE status = ? "
               f"AND signed_at IS NULL AND dispatched_at IS NOT NULL AND {demo}",
               (Status.SIGNED.value,))
    units = [u for (u,) in db.execute(
        "SELECT DISTINCT unit_id FROM work_order WHERE owner_id IS NULL "
        f"AND signed_at IS NOT NULL AND unit_id IS NOT NULL AND {demo} ORDER BY unit_id")]
    if not units:
        return 0
    rnd = random.Random(seed)
    stamp = clock.now().replace(microsecond=0).isoformat(sep=" ")
    cols = ("unit_id", "name", "phone", "post", "pinyin", "initials", "created_at",
            "updated_at", "last_used_at")
    pool: dict[int, list[int]] = {}
    for uid in units:  # sorted, as in demo_owner_pool
        ids = [i for (i,) in db.execute("SELECT id FROM owner WHERE unit_id = ? ORDER BY id",
                                        (uid,))]
        if not ids:
            rows = _demo_owner_rows(uid, [], rnd, per_unit, stamp)  # type: ignore[arg-type]
            db.executemany(f"INSERT INTO owner({', '.join(cols)}) VALUES "
                           f"({', '.join('?' * len(cols))})",
                           [tuple(r[c] for c in cols) for r in rows.values()])
            ids = [i for (i,) in db.execute(
                "SELECT id FROM owner WHERE unit_id = ? ORDER BY id", (uid,))]
        pool[uid] = ids
    db.execute("CREATE TEMP TABLE demo_pick (unit_id INTEGER, k INTEGER, n INTEGER, "
               "owner_id INTEGER, PRIMARY KEY (unit_id, k)) WITHOUT ROWID")
    try:
        db.executemany("INSERT INTO demo_pick VALUES (?, ?, ?, ?)",
                       [(uid, k, len(ids), oid) for uid, ids in pool.items()
                        for k, oid in enumerate(ids)])
        db.execute("CREATE TEMP TABLE demo_n (unit_id INTEGER PRIMARY KEY, n INTEGER)")
        db.execute("INSERT INTO demo_n SELECT unit_id, max(n) FROM demo_pick GROUP BY unit_id")
        filled = db.execute(
            "UPDATE work_order SET owner_id = (SELECT p.owner_id FROM demo_pick p "
            "WHERE p.unit_id = work_order.unit_id AND p.k = abs(work_order.id) % "
            "(SELECT n.n FROM demo_n n WHERE n.unit_id = work_order.unit_id)) "
            "WHERE owner_id IS NULL AND signed_at IS NOT NULL AND unit_id IN "
            f"(SELECT unit_id FROM demo_n) AND {demo}").rowcount
        db.execute("UPDATE owner SET last_used_at = coalesce((SELECT m.at FROM "
                   "(SELECT owner_id, max(signed_at) AS at FROM work_order "
                   "WHERE owner_id IN (SELECT owner_id FROM demo_pick) GROUP BY owner_id) m "
                   "WHERE m.owner_id = owner.id), last_used_at) "
                   "WHERE id IN (SELECT owner_id FROM demo_pick)")
    finally:
        db.execute("DROP TABLE IF EXISTS temp.demo_pick")
        db.execute("DROP TABLE IF EXISTS temp.demo_n")
    return filled


def fill_demo_owners(
    engine: Engine, *, per_unit: tuple[int, int] = (2, 6), seed: int = 12345,
    only_demo: bool = True,
) -> int:
    """Give demo orders that were signed for (signed_at set) a first-contact owner from
    `demo_owner_pool`, spread over each unit's owners; returns the number of orders filled.
    For a demo database made without owners (about 20 s per million orders).

    Orders in 已签收 without a sign-for time first get their dispatch time as sign-for time
    (signed ones always have both). Bulk SQL (one UPDATE per unit), no history rows: this
    is part of creating demo data, not a change the clerk made. Real orders are left alone
    unless `only_demo` is False."""
    demo = (WO.is_demo.is_(True),) if only_demo else ()
    filled = 0
    with engine.begin() as conn:
        conn.execute(update(WorkOrder.__table__)
                     .where(WO.status == Status.SIGNED.value, WO.signed_at.is_(None),
                            WO.dispatched_at.isnot(None), *demo)
                     .values(signed_at=WO.dispatched_at))
        units = [u for (u,) in conn.execute(
            select(WO.unit_id).where(WO.owner_id.is_(None), WO.signed_at.isnot(None),
                                     WO.unit_id.isnot(None), *demo).distinct()
            .order_by(WO.unit_id))]
        pool = demo_owner_pool(conn, units, per_unit=per_unit, seed=seed)
        for uid, ids in pool.items():
            cond = (WO.unit_id == uid, WO.owner_id.is_(None), WO.signed_at.isnot(None), *demo)
            pick = func.abs(WO.id) % len(ids)  # orders spread over the unit's owners by id
            owner_expr = case(*((pick == i, oid) for i, oid in enumerate(ids)), else_=ids[0])
            filled += conn.execute(update(WorkOrder.__table__).where(*cond)
                                   .values(owner_id=owner_expr)).rowcount or 0
            last = (select(func.max(WO.signed_at)).where(WO.owner_id == W.id)
                    .scalar_subquery())
            conn.execute(update(Owner.__table__).where(W.unit_id == uid)
                         .values(last_used_at=func.coalesce(last, W.last_used_at)))
    return filled
