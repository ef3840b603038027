"""The overdue queue (超期催办队列) for the screen and the CLI: running orders, most overdue
first, then due today, then due inside the warning window; each with its unit, owner and
phone, deadline, lateness in working days and hours, chases so far and the next chase date.
Optional grouping by unit or by owner, and a "chase today" view.

    page = queue_page(engine, view="all" | "today", group=None | "unit" | "owner",
                      offset=0, limit=100)
    page.rows -> [QueueRow, ...]; page.total; page.counts; page.groups

One call per screen refresh. The plain view is one walk of the partial deadline index with
LIMIT/OFFSET; grouped and chase-today views read the keys of the whole view (index-only
for the deadline and unit) and then the details of one page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from hotline_tui.domain.escalation import (
    Bucket,
    EscalationRules,
    Lateness,
    Stage,
    bucket,
    first_chase_day,
    lateness,
    stage,
    start_of,
    unchased_due_before,
    window_end,
)
from hotline_tui.domain.workdays import WorkCalendar
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.store import queue_query as qq

Db = Engine | Session | Connection
VIEWS = ("all", "today")
GROUPS = ("unit", "owner")
_SETTING_KEYS = ("warn_hours", "escalate_after_workdays", "sponsor_after_chases",
                 "chase_every_workdays", "sponsor_report_days", "repeat_window_days",
                 "repeat_min_orders")


def _run(db: Db, fn):  # noqa: ANN001, ANN202
    if isinstance(db, Engine):
        with db.connect() as conn:
            return fn(conn)
    if isinstance(db, Session):
        return fn(db.connection())
    return fn(db)


def escalation_rules(db: Db) -> EscalationRules:
    """The office's thresholds from the settings; a broken setting is a UserError."""
    from hotline_tui.services.settings import get_setting

    values = _run(db, lambda c: {k: get_setting(c, k) for k in _SETTING_KEYS})
    try:
        return EscalationRules.from_settings({k: v for k, v in values.items() if v is not None})
    except (TypeError, ValueError) as exc:
        raise UserError("queue.error.bad_settings", reason=str(exc)) from exc


# ---- lateness as words -------------------------------------------------------------------------


def late_text(late: Lateness) -> str:
    """'超期2个工作日（57小时）', '超期5小时', '今日到期（剩5小时）', '剩1个工作日（30小时）'."""
    from hotline_tui.i18n import t

    if late.overdue:
        if late.workdays:
            return t("queue.late.days", days=late.workdays, hours=late.hours)
        return t("queue.late.hours", hours=late.hours)
    if late.workdays == 0:
        return t("queue.left.today", hours=late.hours)
    return t("queue.left.days", days=late.workdays, hours=late.hours)


# ---- rows ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    """One order of the queue, ready to show."""

    order_id: int
    order_no: str
    title: str
    status: str
    confidential: bool
    unit_id: int | None
    unit_name: str
    unit_phone: str
    owner_id: int | None
    owner_name: str  # "" until signed for
    owner_phone: str
    dispatched_at: datetime | None
    due_at: datetime
    bucket: str  # overdue | today | soon | later (Bucket)
    stage: str  # ok | warn | overdue | escalate (Stage)
    warn_hours: int | None  # the narrowest warning window the order is in
    overdue: bool
    workdays: int  # working days late (overdue) or left
    hours: int  # clock hours late (overdue) or left
    late_text: str
    chase_count: int
    last_chase_at: datetime | None
    last_method: str  # phone | sms | visit | notice | ""
    next_chase_on: date
    next_chase_suggested: bool  # not set by a chase: the first chase day
    chase_due: bool  # the next chase date is today or past
    sponsored: bool
    extension_pending: bool
    merged_count: int  # repeats merged into this order
    group_key: str = ""

    @property
    def late_workdays(self) -> int:
        return self.workdays if self.overdue else 0

    @property
    def late_hours(self) -> int:
        return self.hours if self.overdue else 0

    def as_json(self) -> dict[str, Any]:
        return {
            "order_no": self.order_no, "title": self.title, "status": self.status,
            "unit": self.unit_name, "owner": self.owner_name, "owner_phone": self.owner_phone,
            "due_at": self.due_at, "bucket": self.bucket, "stage": self.stage,
            "overdue": self.overdue, "late_workdays": self.late_workdays,
            "late_hours": self.late_hours,
            "left_workdays": 0 if self.overdue else self.workdays,
            "left_hours": 0 if self.overdue else self.hours,
            "chase_count": self.chase_count, "last_chase_at": self.last_chase_at,
            "next_chase_on": self.next_chase_on,
            "next_chase_suggested": self.next_chase_suggested, "chase_due": self.chase_due,
            "sponsored": self.sponsored, "extension_pending": self.extension_pending,
            "merged_count": self.merged_count,
        }


@dataclass(frozen=True)
class QueueGroup:
    """A group of the grouped views: a unit, or an owner (orders not yet signed for are
    grouped by their unit). `start` is the index of its first row in the view."""

    key: str
    label: str
    phone: str
    count: int
    overdue: int
    start: int


@dataclass(frozen=True)
class QueuePage:
    now: datetime
    view: str
    group: str | None
    offset: int
    total: int  # rows in this view
    counts: qq.QueueCounts  # the whole queue: overdue / today / soon
    rows: list[QueueRow]
    groups: list[QueueGroup] = field(default_factory=list)
    warning: str = ""  # years counted weekends-only, when any

    def group_at(self, index: int) -> QueueGroup | None:
        """The group the row at view index `index` belongs to."""
        found = None
        for g in self.groups:
            if g.start <= index:
                found = g
            else:
                break
        return found


# ---- building ----------------------------------------------------------------------------------


def _row(d: qq.QueueDetail, cal: WorkCalendar, now: datetime, rules: EscalationRules,
         group_key: str = "") -> QueueRow:
    late = lateness(cal, d.due_at, now)
    st = stage(cal, d.due_at, now, rules)
    today = now.date()
    suggested = d.next_chase_on is None
    nxt = first_chase_day(cal, today, d.due_at) if suggested else d.next_chase_on
    return QueueRow(
        order_id=d.id, order_no=d.order_no, title=d.title, status=d.status,
        confidential=d.confidential, unit_id=d.unit_id, unit_name=d.unit_name,
        unit_phone=d.unit_phone, owner_id=d.owner_id, owner_name=d.owner_name,
        owner_phone=d.owner_phone, dispatched_at=d.dispatched_at, due_at=d.due_at,
        bucket=bucket(d.due_at, now, rules).value, stage=st.stage.value,
        warn_hours=st.warn_hours, overdue=late.overdue, workdays=late.workdays,
        hours=late.hours, late_text=late_text(late), chase_count=d.chase_count,
        last_chase_at=d.last_chase_at, last_method=d.last_method, next_chase_on=nxt,
        next_chase_suggested=suggested, chase_due=nxt <= today, sponsored=d.sponsored,
        extension_pending=d.extension_pending, merged_count=d.merged_count,
        group_key=group_key,
    )


def _groups(conn: Connection, keys: list[qq.QueueKey], group: str, now: datetime,
            end: datetime) -> tuple[list[int], list[QueueGroup], dict[int, str]]:
    """Ids reordered group by group (the group with the most overdue order first; inside a
    group by deadline), the groups, and each order's group key. Orders not yet signed for
    have no owner: grouped by owner, they are grouped by their unit instead."""
    from hotline_tui.i18n import t

    owner_of = qq.running_owners(conn, end=end) if group == "owner" else {}
    members: dict[str, list[qq.QueueKey]] = {}
    for k in keys:  # keys come by deadline: each group's list stays by deadline
        oid = owner_of.get(k[0])
        key = (f"owner:{oid}" if oid is not None else f"unsigned:{k[2] or 0}") \
            if group == "owner" else f"unit:{k[2] or 0}"
        members.setdefault(key, []).append(k)
    units = qq.names_of(conn, "unit", {k[2] for k in keys})
    owners = qq.names_of(conn, "owner", set(owner_of.values()))
    owner_units = qq.owner_units(conn, set(owner_of.values())) if owner_of else {}

    def label(key: str, first: qq.QueueKey) -> tuple[str, str]:
        kind, _, ident = key.partition(":")
        if kind == "owner":
            name, phone = owners.get(int(ident), ("", ""))
            unit_id = owner_units.get(int(ident), first[2])
            unit = units.get(unit_id or 0, ("", ""))[0] or t("queue.group.no_unit")
            return t("queue.group.owner", owner=name, unit=unit), phone
        unit = units.get(first[2] or 0, ("", ""))[0] or t("queue.group.no_unit")
        if kind == "unsigned":
            return t("queue.group.unsigned", unit=unit), ""
        return unit, ""

    now_key = qq.db_time(conn, now)
    labels = {key: label(key, rows[0]) for key, rows in members.items()}
    order = sorted(members.items(), key=lambda kv: (kv[1][0][1], labels[kv[0]][0], kv[0]))
    ids: list[int] = []
    groups: list[QueueGroup] = []
    key_of: dict[int, str] = {}
    for key, rows in order:
        text, phone = labels[key]
        overdue = sum(1 for r in rows if r[1] < now_key)
        groups.append(QueueGroup(key, text, phone, len(rows), overdue, len(ids)))
        for r in rows:
            key_of[r[0]] = key
            ids.append(r[0])
    return ids, groups, key_of


def queue_page(
    db: Db,
    *,
    view: str = "all",
    group: str | None = None,
    offset: int = 0,
    limit: int | None = 100,
    now: datetime | None = None,
    unit_id: int | None = None,
) -> QueuePage:
    """One page of the queue (see the module doc). `limit=None`: the whole view;
    `unit_id`: only that unit's orders (filtered on the index keys, before any detail)."""
    from hotline_tui.services.calendar import calendar_for, fallback_warning

    if view not in VIEWS:
        raise UserError("queue.error.bad_view", view=view, choices=" / ".join(VIEWS))
    if group not in (None, *GROUPS):
        raise UserError("queue.error.bad_group", group=group, choices=" / ".join(GROUPS))
    now = (now or clock.now()).replace(microsecond=0)
    offset = max(0, int(offset))

    def read(conn: Connection) -> QueuePage:
        rules = escalation_rules(conn)
        cal = calendar_for(conn)
        end = window_end(now, rules)
        today_end = start_of(now.date() + timedelta(days=1))
        counts = qq.queue_counts(conn, now=now, today_end=today_end, end=end)
        groups: list[QueueGroup] = []
        key_of: dict[int, str] = {}
        if view == "all" and group is None and unit_id is None:
            total = counts.total
            n = total if limit is None else limit
            ids = qq.queue_page_ids(conn, end=end, offset=offset, limit=n) if n > 0 else []
        else:
            if view == "today":
                keys = qq.chase_today_keys(conn, today=now.date(),
                                           unchased_before=unchased_due_before(cal, now.date()))
            else:
                keys = qq.queue_keys(conn, end=end)
            if unit_id is not None:
                keys = [k for k in keys if k[2] == unit_id]
            if group is not None:
                all_ids, groups, key_of = _groups(conn, keys, group, now, end)
            else:
                all_ids = [k[0] for k in keys]
            total = len(all_ids)
            stop = None if limit is None else offset + limit
            ids = all_ids[offset:stop]
        details = qq.order_details(conn, ids)
        rows = [_row(details[i], cal, now, rules, key_of.get(i, "")) for i in ids
                if i in details and details[i].due_at is not None]
        warning = ""
        if rows:
            years = cal.fallback_years(min(r.due_at for r in rows), now)
            years |= cal.fallback_years(now, max(r.due_at for r in rows))
            warning = fallback_warning(years)
        return QueuePage(now, view, group, offset, total, counts, rows, groups, warning)

    return _run(db, read)


def queue_rows(db: Db, *, view: str = "all", group: str | None = None,
               now: datetime | None = None, unit_id: int | None = None) -> list[QueueRow]:
    """The whole view, in screen order (for the CLI and exports); `unit_id`: one unit's."""
    return queue_page(db, view=view, group=group, limit=None, now=now, unit_id=unit_id).rows


def queue_rows_of(db: Db, ids: list[int] | tuple[int, ...], *,
                  now: datetime | None = None) -> dict[int, QueueRow]:
    """The queue rows of the orders `ids` as they are now, by id: a cheap re-read of a few
    rows after a chase or an extension (primary-key lookups only), so a screen can refresh
    them in place. Orders without a deadline are left out; the group key is not set."""
    from hotline_tui.services.calendar import calendar_for

    now = (now or clock.now()).replace(microsecond=0)
    wanted = list(dict.fromkeys(ids))

    def read(conn: Connection) -> dict[int, QueueRow]:
        if not wanted:
            return {}
        rules = escalation_rules(conn)
        cal = calendar_for(conn)
        details = qq.order_details(conn, wanted)
        return {i: _row(details[i], cal, now, rules) for i in wanted
                if i in details and details[i].due_at is not None}

    return _run(db, read)


def order_stage(db: Db, due_at: datetime, now: datetime | None = None) -> tuple[Stage, Lateness]:
    """The stage and lateness of one deadline at `now` (for a detail pane)."""
    from hotline_tui.services.calendar import calendar_for

    now = now or clock.now()

    def calc(conn: Connection) -> tuple[Stage, Lateness]:
        cal = calendar_for(conn)
        rules = escalation_rules(conn)
        return stage(cal, due_at, now, rules).stage, lateness(cal, due_at, now)

    return _run(db, calc)


__all__ = [
    "Bucket", "GROUPS", "QueueGroup", "QueuePage", "QueueRow", "Stage", "VIEWS",
    "escalation_rules", "late_text", "order_stage", "queue_page", "queue_rows",
    "queue_rows_of",
]
