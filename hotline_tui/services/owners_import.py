"""Returned dispatch sheets (交办单 filled in by the units): register first-contact owners and
sign-for times in bulk, matched by order number.

The sheets services/sheets writes carry the heads 工单编号 (the cell also holds the receipt
time on a second line), 首接负责人, 负责人电话 and 签收时间; sheets retyped by a unit or saved as
.csv are matched by the usual aliases. Every row that cannot be used is listed with its row
number and the reason; all usable rows are signed in one transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from hotline_tui.domain.normalize import BadDate, clean_key, clean_text, parse_datetime
from hotline_tui.domain.signing import BadName, BadPhone, normalize_name, normalize_phone
from hotline_tui.domain.states import Status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.owners import (
    _load_orders,
    _lock,
    check_post,
    sign_in_session,
    sign_limits,
)
from hotline_tui.store.engine import session
from hotline_tui.store.models_owner import Owner

HEADER_SCAN_ROWS = 30

# reasons a row was not used (catalog keys owners.import.reason.<code>)
R_MISSING_ORDER_NO = "missing_order_no"
R_UNKNOWN_ORDER = "unknown_order"
R_DUPLICATE = "duplicate_row"
R_MISSING_NAME = "missing_name"
R_MISSING_PHONE = "missing_phone"
R_BAD_NAME = "bad_name"
R_BAD_PHONE = "bad_phone"
R_BAD_TIME = "bad_time"
R_NOT_DISPATCHED = "not_dispatched"
R_SIGNED_BY_OTHER = "signed_by_other"
R_BEFORE_DISPATCH = "before_dispatch"
R_FUTURE = "future_time"
R_NO_UNIT = "no_unit"
REASONS = (
    R_MISSING_ORDER_NO, R_UNKNOWN_ORDER, R_DUPLICATE, R_MISSING_NAME, R_MISSING_PHONE,
    R_BAD_NAME, R_BAD_PHONE, R_BAD_TIME, R_NOT_DISPATCHED, R_SIGNED_BY_OTHER,
    R_BEFORE_DISPATCH, R_FUTURE, R_NO_UNIT,
)

# column aliases, most specific first (normalised: no spaces, NFKC, lower case)
ALIASES: dict[str, tuple[str, ...]] = {
    "order_no": ("工单编号", "工单号", "诉求编号", "受理编号", "工单编码", "单号", "编号",
                 "orderno.", "orderno", "order"),
    "name": ("首接负责人姓名", "首接负责人", "首接责任人", "负责人姓名", "负责人", "签收人姓名",
             "签收人", "责任人", "姓名", "first-contactowner", "owner", "name"),
    "phone": ("首接负责人电话", "负责人电话", "负责人联系电话", "负责人手机", "签收人电话",
              "责任人电话", "联系电话", "电话", "手机", "手机号", "手机号码", "联系方式",
              "owner'sphone", "phone"),
    "signed_at": ("签收时间", "签收日期", "签收时间(年月日时)", "接收时间", "接收日期", "签收",
                  "signedforat", "signedat", "signedfor"),
    "post": ("首接负责人职务", "负责人职务", "职务", "岗位", "职务/岗位", "职务岗位", "职位",
             "post"),
}
# the order column of our own sheet reads "工单编号\n受理时间"
ORDER_PREFIXES = ("工单编号", "工单号", "orderno")
FOOTER_WORDS = ("合计", "总计", "说明", "备注", "注：", "注:", "填表", "签字", "盖章", "审核")


def norm_header(value: object) -> str:
    s = unicodedata.normalize("NFKC", str(value or "")).lower()
    return re.sub(r"[\s*：:]+", "", s)


def _sheet_heads() -> dict[str, set[str]]:
    """The heads our own dispatch sheets print, in every UI language."""
    from hotline_tui.i18n import catalogs

    keys = {"order_no": ("dispatch.sheet.col.order", "dispatch.sheet.col.order_no"),
            "name": ("dispatch.sheet.col.owner",),
            "phone": ("dispatch.sheet.col.owner_phone",),
            "signed_at": ("dispatch.sheet.col.signed_at",)}
    out: dict[str, set[str]] = {k: set() for k in keys}
    for cat in catalogs().values():
        for fld, ks in keys.items():
            for k in ks:
                if k in cat:
                    out[fld].add(norm_header(cat[k]))
    return out


def match_columns(values: Sequence[Any]) -> dict[str, int] | None:
    """Field -> column index for a header row, or None when it is not one (it needs the
    order number and the owner's name or phone)."""
    heads = [norm_header(v) for v in values]
    ours = _sheet_heads()
    best: dict[str, tuple[int, int]] = {}  # field -> (rank, column)
    for i, h in enumerate(heads):
        if not h:
            continue
        for fld, aliases in ALIASES.items():
            rank = None
            if h in ours.get(fld, ()):
                rank = -1
            elif h in aliases:
                rank = aliases.index(h)
            elif fld == "order_no" and h.startswith(ORDER_PREFIXES):
                rank = len(aliases)
            if rank is not None and (fld not in best or rank < best[fld][0]):
                best[fld] = (rank, i)
    cols = {f: c for f, (_r, c) in best.items()}
    if len(set(cols.values())) != len(cols):  # one column claimed twice: keep the better
        by_col: dict[int, tuple[int, str]] = {}
        for f, (r, c) in best.items():
            if c not in by_col or r < by_col[c][0]:
                by_col[c] = (r, f)
        cols = {f: c for c, (_r, f) in by_col.items()}
    if "order_no" in cols and ("name" in cols or "phone" in cols):
        return cols
    return None


# ---- results -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedRow:
    sheet: str
    row: int
    order_no: str
    name: str
    phone: str
    signed_at: datetime
    late: bool
    time_given: bool  # False: the sheet had no time, the import time was used


@dataclass(frozen=True)
class RejectedRow:
    sheet: str
    row: int
    order_no: str
    reason: str  # one of REASONS
    value: str = ""  # the offending value, or the current owner for signed_by_other

    def message(self) -> str:
        from hotline_tui.i18n import t

        return t(f"owners.import.reason.{self.reason}", order_no=self.order_no,
                 value=self.value)


@dataclass
class ReturnedSheetResult:
    """What `import_returned_sheets` did. `unchanged`: rows already recorded exactly so (an
    import of the same file again changes nothing)."""

    path: Path
    sheets: list[str] = field(default_factory=list)
    signed: list[SignedRow] = field(default_factory=list)
    unchanged: list[tuple[str, int, str]] = field(default_factory=list)  # sheet, row, order
    rejected: list[RejectedRow] = field(default_factory=list)
    owners_created: int = 0

    @property
    def late(self) -> int:
        return sum(1 for r in self.signed if r.late)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": str(self.path),
            "sheets": self.sheets,
            "signed": [
                {"sheet": r.sheet, "row": r.row, "order_no": r.order_no, "name": r.name,
                 "phone": r.phone, "signed_at": r.signed_at, "late": r.late,
                 "time_given": r.time_given}
                for r in self.signed
            ],
            "unchanged": [{"sheet": s, "row": n, "order_no": o} for s, n, o in self.unchanged],
            "rejected": [
                {"sheet": r.sheet, "row": r.row, "order_no": r.order_no, "reason": r.reason,
                 "value": r.value, "message": r.message()}
                for r in self.rejected
            ],
            "owners_created": self.owners_created,
        }


# ---- reading -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    sheet: str
    row: int
    order_no: str
    name: str
    phone: object
    post: str
    time: object


_PHONE_RUN = re.compile(r"(?:\+?86)?[\d０-９][\d０-９\-－()（） ]{5,}[\d０-９]")


def _split_name_phone(name: str, phone: object) -> tuple[str, object]:
    """A unit that wrote '张三 13812345678' into one cell: split it."""
    phone_text = clean_text(phone) if not isinstance(phone, int | float) else phone
    if name and not phone_text:
        m = _PHONE_RUN.search(name)
        if m:
            return (name[: m.start()] + name[m.end():]).strip(" ,，;；/、"), m.group()
    if not name and isinstance(phone_text, str) and phone_text:
        m = _PHONE_RUN.search(phone_text)
        rest = (phone_text[: m.start()] + phone_text[m.end():]).strip(" ,，;；/、") if m else ""
        if m and rest:
            return rest, m.group()
    return name, phone


def _first_line(value: object) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return clean_key(value)
    for line in str(value or "").replace("\r", "\n").split("\n"):
        key = clean_key(line)
        if key:
            return key
    return ""


def _cell(values: Sequence[Any], i: int | None) -> Any:
    if i is None or i >= len(values):
        return None
    return values[i]


def _is_blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _is_footer(values: Sequence[Any]) -> bool:
    """合计 / 说明 / 填表人 ... in the row's first filled cell."""
    for v in values:
        if not _is_blank(v):
            return clean_text(v).replace(" ", "").startswith(FOOTER_WORDS)
    return False


def read_rows(path: Path) -> tuple[list[str], list[_Row]]:
    """The filled-in rows of every sheet that has the heads (sheet names, rows)."""
    from hotline_tui.services.importer.reading import open_sheets

    if path.suffix.lower() == ".docx":
        raise UserError("owners.import.error.docx", file=path.name)
    found: list[str] = []
    rows: list[_Row] = []
    with open_sheets(path) as sheets:
        is_csv = path.suffix.lower() in (".csv", ".txt") or all(
            s.label in ("','", "'\\t'", "';'") for s in sheets)
        for sheet in sheets:
            cols: dict[str, int] | None = None
            label = "" if is_csv else sheet.label
            for n, values in sheet.rows:
                if cols is None:
                    if n > HEADER_SCAN_ROWS:
                        break
                    cols = match_columns(values)
                    continue
                order_raw = _cell(values, cols.get("order_no"))
                name_raw = _cell(values, cols.get("name"))
                phone_raw = _cell(values, cols.get("phone"))
                time_raw = _cell(values, cols.get("signed_at"))
                post_raw = _cell(values, cols.get("post"))
                if all(_is_blank(v) for v in (order_raw, name_raw, phone_raw, time_raw)):
                    continue
                if _is_footer(values) and _is_blank(phone_raw):
                    continue
                order_no = _first_line(order_raw)
                name = clean_text(name_raw).replace("\n", " ") if not _is_blank(name_raw) else ""
                name, phone_raw = _split_name_phone(name, phone_raw)
                rows.append(_Row(label, n, order_no, name, phone_raw, check_post(post_raw),
                                 time_raw))
            if cols is not None:
                found.append(label)
                if is_csv:
                    break  # the first delimiter that gives the heads is the right one
    if not found:
        raise UserError("owners.import.error.no_header", file=path.name)
    return found, rows


# ---- sign-for times as units write them ----------------------------------------------------------

_HAS_TIME = re.compile(r"\d\s*[:：时点]|\d{1,2}\s*时|上午|下午|[ap]m", re.I)
_MONTH_DAY = re.compile(
    r"^(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*[日号]?\s*"
    r"(?:(上午|下午)?\s*(\d{1,2})\s*[时点:：]\s*(?:(\d{1,2})\s*分?)?)?$"
)


def _has_time(raw: object) -> bool:
    if isinstance(raw, datetime):
        return raw.time() != datetime.min.time()
    if isinstance(raw, date):
        return False
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return not float(raw).is_integer()
    return bool(_HAS_TIME.search(str(raw)))


def parse_sign_time(raw: object, dispatched_at: datetime | None) -> datetime | None:
    """A sign-for time as a unit writes it: an Excel date, 2026-11-28 9:30, 2026年11月28日 9时,
    or without the year (11月28日 9时, 11-28 9:30: the year of the dispatch). A date alone
    means that day (on the dispatch day: the dispatch time). None when blank; BadDate when
    unreadable."""
    if _is_blank(raw):
        return None
    text = clean_text(raw) if isinstance(raw, str) else raw
    try:
        dt = parse_datetime(text)
    except BadDate:
        from hotline_tui.domain.normalize import to_halfwidth

        m = _MONTH_DAY.match(to_halfwidth(str(text)).strip())
        if not m:
            raise
        mo, d = int(m.group(1)), int(m.group(2))
        h = int(m.group(4) or 0)
        mi = int(m.group(5) or 0)
        if m.group(3) == "下午" and h < 12:
            h += 12
        year = (dispatched_at or clock.now()).year
        try:
            dt = datetime(year, mo, d, h, mi)
            if dispatched_at is not None and dt < dispatched_at - timedelta(days=180):
                dt = dt.replace(year=year + 1)  # dispatched in December, signed in January
        except ValueError as exc:
            raise BadDate(str(text)) from exc
    if dt is None:
        return None
    if dispatched_at is not None and not _has_time(raw) and dt.date() == dispatched_at.date():
        return max(dt, dispatched_at)
    return dt


# ---- the import ------------------------------------------------------------------------------------


def import_returned_sheets(
    engine: Engine, path: str | Path, *, actor: str | None = None
) -> ReturnedSheetResult:
    """Read a returned dispatch sheet (.xlsx, or .csv) and sign for every usable row: the
    owner's name and phone (directory entries reused or created per unit) and the sign-for
    time (the import time when the sheet has none). Rows that cannot be used are listed
    in `rejected` with their row number and reason; the others go in one transaction."""
    from hotline_tui.i18n import t

    p = Path(path)
    sheets, rows = read_rows(p)
    result = ReturnedSheetResult(p, sheets)
    now = clock.now()
    note = t("owners.note.from_sheet", file=p.name)
    with session(engine) as s:
        try:
            _lock(s)
            orders = _load_orders(s, sorted({r.order_no for r in rows if r.order_no}))
            owner_ids = {o.owner_id for o in orders.values() if o.owner_id is not None}
            owners = _owners(s, owner_ids)
            limits = sign_limits(s)
            cache: dict = {}
            seen: set[str] = set()
            for r in rows:
                rej = _check_row(r, orders, owners, seen, now, result)
                if rej is None:
                    continue
                if isinstance(rej, RejectedRow):
                    result.rejected.append(rej)
                    continue
                order, name, phone, at, given = rej
                res = sign_in_session(s, order, name=name, phone=phone, post=r.post, at=at,
                                      limits=limits, actor=actor, note=note,
                                      owners_cache=cache)
                if res.owner_created:
                    result.owners_created += 1
                result.signed.append(SignedRow(r.sheet, r.row, order.order_no, name, phone, at,
                                               res.late, given))
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return result


def _owners(s, ids: Iterable[int]) -> dict[int, Owner]:  # noqa: ANN001
    from sqlmodel import col, select

    ids = sorted(ids)
    out: dict[int, Owner] = {}
    for i in range(0, len(ids), 500):
        for o in s.exec(select(Owner).where(col(Owner.id).in_(ids[i : i + 500]))):
            out[o.id] = o
    return out


def _check_row(r: _Row, orders, owners, seen: set[str], now: datetime,  # noqa: ANN001
               result: ReturnedSheetResult):  # noqa: ANN202
    """None (row already recorded: added to `unchanged`), a RejectedRow, or what to sign:
    (order, name, phone, time, time given)."""

    def rej(reason: str, value: object = "") -> RejectedRow:
        return RejectedRow(r.sheet, r.row, r.order_no, reason, str(value or "").strip())

    if not r.order_no:
        return rej(R_MISSING_ORDER_NO)
    order = orders.get(r.order_no)
    if order is None:
        return rej(R_UNKNOWN_ORDER, r.order_no)
    if r.order_no in seen:
        return rej(R_DUPLICATE)
    seen.add(r.order_no)
    if not r.name:
        return rej(R_MISSING_NAME)
    if _is_blank(r.phone):
        return rej(R_MISSING_PHONE)
    try:
        name = normalize_name(r.name)
    except BadName:
        return rej(R_BAD_NAME, r.name)
    try:
        phone = normalize_phone(r.phone)
    except BadPhone:
        return rej(R_BAD_PHONE, r.phone if not isinstance(r.phone, float) else clean_key(r.phone))
    try:
        at = parse_sign_time(r.time, order.dispatched_at)
    except BadDate:
        return rej(R_BAD_TIME, r.time)
    if order.status != Status.DISPATCHED.value:
        owner = owners.get(order.owner_id) if order.owner_id is not None else None
        if owner is not None and order.signed_at is not None:
            if (owner.name, owner.phone) == (name, phone):
                result.unchanged.append((r.sheet, r.row, order.order_no))
                return None
            return rej(R_SIGNED_BY_OTHER, f"{owner.name} {owner.phone}")
        from hotline_tui.i18n import t

        return rej(R_NOT_DISPATCHED, t(f"status.{order.status}"))
    if order.unit_id is None:
        return rej(R_NO_UNIT)
    given = at is not None
    at = at or now
    if at > now:
        return rej(R_FUTURE, f"{at:%Y-%m-%d %H:%M}")
    if order.dispatched_at is not None and at < order.dispatched_at:
        return rej(R_BEFORE_DISPATCH, f"{at:%Y-%m-%d %H:%M}")
    return order, name, phone, at, given
