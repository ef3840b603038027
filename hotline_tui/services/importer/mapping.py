"""One spreadsheet row -> the order fields it carries, normalised; or a reason to reject it."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, time
from typing import Any

from hotline_tui.domain.kinds import parse_request_type
from hotline_tui.domain.normalize import (
    BadDate,
    clean_key,
    clean_line,
    clean_phone,
    clean_text,
    is_urgent,
    parse_bool,
    parse_datetime,
)
from hotline_tui.i18n import t

EARLIEST_YEAR = 1990  # a date before this is a number that was not meant as a date
LATEST_YEAR = 2100

_FOOTER = re.compile(r"^(合计|总计|小计|共计|总数|共\d+(条|件|行))")
# "5个工作日", "3天", "24小时": a time limit, not a date; nothing to store as upstream_due_at
_DURATION = re.compile(r"^\d+(\.\d+)?\s*(个)?(工作日|自然日|天|日|小时|个小时|h|d)$", re.I)


class RowRejected(Exception):
    """The row cannot be imported; `reason` is a sentence for the clerk."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _request_type(v: Any) -> str:
    return parse_request_type(clean_line(v)).value


TEXT_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "caller_name": clean_line,
    "caller_phone": clean_phone,
    "request_type": _request_type,
    "category": clean_line,
    "title": clean_line,
    "content": clean_text,  # keeps its line breaks
    "area": clean_line,
    "address": clean_line,
    "upstream_unit": clean_line,
    "confidential": parse_bool,
    "anonymous": parse_bool,
    "urgency": clean_line,
    "source": clean_line,
}
DATE_FIELDS = ("received_at", "upstream_due_at")


def imported_fields(columns: Mapping[str, int]) -> tuple[str, ...]:
    """The order fields a file with these columns sets (urgent follows urgency)."""
    fields = [f for f in columns if f != "order_no"]
    if "urgency" in columns:
        fields.append("urgent")
    return tuple(fields)


def _shown(value: Any) -> str:
    s = clean_line(value)
    return s if len(s) <= 40 else s[:40] + "..."


def _date(value: Any, label: str) -> datetime | None:
    try:
        dt = parse_datetime(value)
    except BadDate:
        raise RowRejected(t("import.reason.bad_date", column=label, value=_shown(value))) from None
    if dt is not None and not (EARLIEST_YEAR <= dt.year < LATEST_YEAR):
        raise RowRejected(t("import.reason.bad_date", column=label, value=_shown(value)))
    return dt


def _due(value: Any, label: str) -> datetime | None:
    if isinstance(value, str):
        s = unicodedata.normalize("NFKC", value).strip()
        if _DURATION.match(s):
            return None
    dt = _date(value, label)
    if dt is not None and dt.time() == time(0, 0):
        dt = datetime.combine(dt.date(), time(23, 59, 59))  # a date alone: due by day's end
    return dt


def is_footer(values: Sequence[Any]) -> bool:
    """A 合计/总计/共 N 条 row under the data."""
    for v in values:
        if v is None or v == "":
            continue
        s = unicodedata.normalize("NFKC", str(v)).replace(" ", "").replace("\u3000", "")
        if not s:
            continue
        return bool(_FOOTER.match(s))
    return False


def map_row(
    values: Sequence[Any], columns: Mapping[str, int], labels: Mapping[str, str]
) -> dict[str, Any] | None:
    """The fields of one data row, or None for a row that carries no order (blank, footer,
    a lone note such as "制表人：..."). Raises RowRejected with the reason."""
    n = len(values)

    def cell(field: str) -> Any:
        i = columns[field]
        return values[i] if i < n else None

    order_no = clean_key(cell("order_no"))
    raw_received = cell("received_at")
    if not order_no:
        filled = sum(1 for v in values if v is not None and str(v).strip())
        if filled <= 1 or is_footer(values):
            return None
        raise RowRejected(t("import.reason.no_order_no"))
    if order_no == clean_key(labels["order_no"]):
        return None  # the header repeated on every printed page
    if is_footer([order_no]) or (raw_received in (None, "") and is_footer(values)):
        return None  # 合计 | 3条 | ... under the data
    out: dict[str, Any] = {"order_no": order_no}
    received = _date(raw_received, labels["received_at"])
    if received is None:
        raise RowRejected(t("import.reason.no_received_at", column=labels["received_at"]))
    out["received_at"] = received
    if "upstream_due_at" in columns:
        out["upstream_due_at"] = _due(cell("upstream_due_at"), labels["upstream_due_at"])
    for field, conv in TEXT_CONVERTERS.items():
        if field in columns:
            out[field] = conv(cell(field))
    if "urgency" in columns:
        out["urgent"] = is_urgent(out["urgency"])
    return out


def same_value(old: Any, new: Any) -> bool:
    """Whether an imported value equals the stored one. A time given less precisely (no
    seconds, as Excel's CSV often writes it; or a date alone) matches the stored time it
    rounds from, so re-importing a re-saved export does not rewrite history."""
    if old == new:
        return True
    if isinstance(old, datetime) and isinstance(new, datetime):
        if new.time() == time(0, 0):
            return old.date() == new.date()
        if new.second == 0:
            return old.replace(second=0) == new
    return False
