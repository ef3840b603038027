"""What a dispatch sheet (交办单) shows, independent of the file format: one `UnitSheet` per
unit with its orders, caller data already masked as the rules require, text made safe."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, inspect, text
from sqlmodel import Session, col, select

from hotline_tui.domain.masking import caller_for_output
from hotline_tui.store.models import Unit, WorkOrder

FORMATS = ("xlsx", "docx")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_UNSAFE_NAME = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')


def printable(value: object) -> str:
    """User text as it may go into a file: no XML-illegal control characters, no \\r."""
    if value is None:
        return ""
    s = str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return _CONTROL.sub("", s).strip()


def safe_filename(name: str, fallback: str = "unit") -> str:
    """A unit name usable as part of a file name: no path separators or reserved
    characters, no leading dots, at most 60 characters."""
    s = _UNSAFE_NAME.sub("_", printable(name)).strip(" ._")
    return s[:60].rstrip(" .") or fallback


def fmt_dt(dt: datetime | None) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


def fmt_date(d: date | None) -> str:
    from hotline_tui.i18n import t

    return t("dispatch.sheet.date", y=d.year, m=d.month, d=d.day) if d else ""


@dataclass(frozen=True)
class SheetOrder:
    """One order as printed. `caller_masked` is False only when the full name and phone are
    on the sheet (asked for, and the order is not confidential)."""

    order_id: int
    order_no: str
    received_at: datetime | None
    request_type: str
    urgent: bool
    confidential: bool
    title: str
    content: str
    place: str
    caller_name: str
    caller_phone: str
    caller_masked: bool
    tier_days: int | None
    tier_name: str
    dispatched_at: datetime | None
    due_at: datetime | None
    assist_units: tuple[str, ...]


@dataclass(frozen=True)
class UnitSheet:
    """The sheet of one unit: heading data and its orders, in order of receipt."""

    title: str
    unit_id: int
    unit_name: str
    unit_phone: str
    dispatch_dates: tuple[date, ...]
    sign_limit_workdays: int
    orders: tuple[SheetOrder, ...]

    @property
    def dispatch_date_text(self) -> str:
        if not self.dispatch_dates:
            return ""
        first, last = self.dispatch_dates[0], self.dispatch_dates[-1]
        return fmt_date(first) if first == last else f"{fmt_date(first)} - {fmt_date(last)}"

    def file_stem(self) -> str:
        """交办单_2026-11-06_黑龙河乡 (the first dispatch day; unit name made safe)."""
        from hotline_tui.i18n import t

        day = self.dispatch_dates[0].isoformat() if self.dispatch_dates else "undated"
        return f"{safe_filename(t('dispatch.sheet.file_prefix'), 'sheet')}_{day}_" \
               f"{safe_filename(self.unit_name, f'unit{self.unit_id}')}"


def tier_names(s: Session) -> dict[int, str]:
    from hotline_tui.services.settings import get_setting

    out: dict[int, str] = {}
    for tier in get_setting(s, "tiers") or []:
        try:
            out[int(tier["days"])] = str(tier.get("name") or "")
        except (KeyError, TypeError, ValueError):
            continue
    return out


def tier_label(days: int | None, names: dict[int, str]) -> str:
    from hotline_tui.i18n import t

    if days is None:
        return ""
    name = names.get(days) or (t("dispatch.sheet.same_day") if days == 0
                                else t("dispatch.sheet.n_days", n=days))
    if days == 0:
        return name
    if str(days) in name:  # "3日" says the count already: "3个工作日"
        return t("dispatch.sheet.workdays", n=days)
    return t("dispatch.sheet.tier_workdays", name=name, n=days)


def assist_units(s: Session, order_ids: Sequence[int]) -> dict[int, list[str]]:
    """Assisting units (协办) per order; empty when the database has no such table."""
    conn = s.connection()
    if not order_ids or not inspect(conn).has_table("order_assist"):
        return {}
    q = text(
        "SELECT a.order_id, u.name FROM order_assist a JOIN unit u ON u.id = a.unit_id "
        "WHERE a.order_id IN :ids ORDER BY a.order_id, u.name"
    ).bindparams(bindparam("ids", expanding=True))
    out: dict[int, list[str]] = {}
    ids = list(order_ids)
    for i in range(0, len(ids), 500):
        for oid, name in conn.execute(q, {"ids": ids[i : i + 500]}):
            out.setdefault(oid, []).append(printable(name))
    return out


def build_sheets(s: Session, orders: Sequence[WorkOrder], *, unmask: bool = False) -> list[UnitSheet]:
    """Group `orders` (dispatched, with a unit) into one sheet per unit, units by name."""
    from hotline_tui.i18n import t
    from hotline_tui.services.settings import get_setting

    office = printable(get_setting(s, "office_name") or "")
    title = t("dispatch.sheet.title", office=office)
    sign_days = int(get_setting(s, "sign_limit_workdays") or 1)
    names = tier_names(s)
    unit_ids = sorted({o.unit_id for o in orders if o.unit_id is not None})
    units = {u.id: u for u in s.exec(select(Unit).where(col(Unit.id).in_(unit_ids)))}
    assists = assist_units(s, [o.id for o in orders])
    grouped: dict[int, list[SheetOrder]] = {}
    for o in sorted(orders, key=lambda o: (o.received_at or datetime.min, o.id)):
        shown = unmask and not o.confidential
        name, phone = caller_for_output(o.caller_name, o.caller_phone,
                                        confidential=o.confidential, unmask=unmask)
        place = " ".join(p for p in (printable(o.area), printable(o.address)) if p)
        grouped.setdefault(o.unit_id, []).append(
            SheetOrder(
                order_id=o.id, order_no=printable(o.order_no), received_at=o.received_at,
                request_type=printable(o.request_type), urgent=bool(o.urgent),
                confidential=bool(o.confidential), title=printable(o.title),
                content=printable(o.content), place=place, caller_name=printable(name),
                caller_phone=printable(phone), caller_masked=not shown,
                tier_days=o.tier_days, tier_name=tier_label(o.tier_days, names),
                dispatched_at=o.dispatched_at, due_at=o.due_at,
                assist_units=tuple(assists.get(o.id, ())),
            )
        )
    sheets = []
    for uid, rows in grouped.items():
        u = units.get(uid)
        days = sorted({r.dispatched_at.date() for r in rows if r.dispatched_at})
        sheets.append(
            UnitSheet(
                title=title, unit_id=uid, unit_name=printable(u.name if u else ""),
                unit_phone=printable(u.phone if u else ""), dispatch_dates=tuple(days),
                sign_limit_workdays=sign_days, orders=tuple(rows),
            )
        )
    return sorted(sheets, key=lambda sh: (sh.unit_name, sh.unit_id))
