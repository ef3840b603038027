"""Orders entered by hand (a call to the office, a letter, a visit): numbered locally
(L20261127-0001) until the platform gives a number, added later without losing history."""

from __future__ import annotations

import re
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from hotline_tui.domain.kinds import RequestType, parse_request_type
from hotline_tui.domain.normalize import (
    BadDate,
    clean_key,
    clean_line,
    clean_phone,
    clean_text,
    parse_datetime,
)
from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.orders import OrderNotFound, find_order, record
from hotline_tui.services.settings import get_setting, set_setting
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder

LOCAL_PREFIX = "L"
LOCAL_NO = re.compile(r"^L(\d{8})-(\d{4,})$", re.I)
SEQ_SETTING = "local_order_seq"  # {"day": "20261127", "n": 3}: last local number handed out
_RETRIES = 5


def local_number(day: date, n: int) -> str:
    return f"{LOCAL_PREFIX}{day:%Y%m%d}-{n:04d}"


def is_local_number(order_no: str) -> bool:
    return bool(LOCAL_NO.match(order_no or ""))


def _request_type(value: str | RequestType | None) -> str:
    text = clean_line(value)
    rt = parse_request_type(text)
    if text and rt is RequestType.OTHER and text not in ("其他", "其它", "other"):
        raise UserError("entry.bad_type", value=text,
                        choices=" ".join(r.value for r in RequestType))
    return rt.value


def _received(value: datetime | str | None, now: datetime) -> datetime:
    if value is None or value == "":
        return now
    try:
        dt = parse_datetime(value)
    except BadDate:
        raise UserError("entry.bad_received", value=value) from None
    return dt or now


def _next_seq(s, day: date) -> int:  # noqa: ANN001 - a Session
    """One more than both the stored counter and the highest local number of the day, so a
    number is never handed out twice (renumbered orders no longer carry theirs)."""
    key = f"{day:%Y%m%d}"
    stored = get_setting(s, SEQ_SETTING) or {}
    last = int(stored.get("n", 0)) if stored.get("day") == key else 0
    prefix = f"{LOCAL_PREFIX}{key}-"
    nos = s.scalars(
        select(WorkOrder.order_no).where(WorkOrder.order_no.like(prefix + "%"))
    ).all()
    for no in nos:
        m = LOCAL_NO.match(no)
        if m:
            last = max(last, int(m.group(2)))
    return last + 1


def create_local_order(
    engine: Engine,
    *,
    title: str,
    content: str,
    caller_name: str = "",
    caller_phone: str = "",
    request_type: str = "其他",
    area: str = "",
    address: str = "",
    source: str = "来电",
    received_at: datetime | str | None = None,
    confidential: bool = False,
    anonymous: bool = False,
    actor: str | None = None,
) -> str:
    """Register an order by hand; returns its local number (L + day + sequence)."""
    title_s, content_s = clean_line(title), clean_text(content)
    if not title_s and not content_s:
        raise UserError("entry.need_text")
    rtype = _request_type(request_type)
    now = clock.now()
    received = _received(received_at, now)
    source_s = clean_line(source)
    for attempt in range(_RETRIES):
        with session(engine) as s:
            n = _next_seq(s, now.date())
            order_no = local_number(now.date(), n)
            order = WorkOrder(
                order_no=order_no, is_local=True, received_at=received,
                caller_name=clean_line(caller_name), caller_phone=clean_phone(caller_phone),
                request_type=rtype, title=title_s, content=content_s, area=clean_line(area),
                address=clean_line(address), source=source_s,
                confidential=bool(confidential), anonymous=bool(anonymous),
            )
            try:
                record(s, order, Event.CREATE, actor=actor, at=now,
                       note=t("entry.note_source", source=source_s or "-"))
                set_setting(s, SEQ_SETTING, {"day": f"{now:%Y%m%d}", "n": n})
                s.commit()
            except IntegrityError:  # another window took the same number first
                s.rollback()
                if attempt == _RETRIES - 1:
                    raise
                continue
            return order_no
    raise AssertionError("unreachable")


def assign_platform_number(
    engine: Engine, local_no: str, platform_no: str, *, actor: str | None = None
) -> str:
    """Give a locally numbered order the platform's number (history keeps old -> new).

    Afterwards an import of the platform's export matches the order by that number."""
    new_no = clean_key(platform_no)
    if not new_no:
        raise UserError("entry.need_platform_no")
    if is_local_number(new_no):
        raise UserError("entry.platform_no_local", platform_no=new_no)
    old_no = clean_key(local_no)
    if is_local_number(old_no):
        old_no = old_no.upper()
    with session(engine) as s:
        try:
            order = find_order(s, old_no)
        except OrderNotFound:
            raise UserError("error.order_not_found", order_no=old_no) from None
        if not order.is_local:
            raise UserError("entry.not_local", order_no=old_no)
        taken = s.scalars(select(WorkOrder.id).where(WorkOrder.order_no == new_no)).first()
        if taken is not None:
            raise UserError("entry.platform_no_taken", platform_no=new_no, local_no=old_no)
        try:
            record(s, order, Event.RENUMBER, changes={"order_no": new_no, "is_local": False},
                   actor=actor)
            s.commit()
        except IntegrityError:
            s.rollback()
            raise UserError("entry.platform_no_taken", platform_no=new_no,
                            local_no=old_no) from None
    return new_no
