"""Taking in replies (反馈): one typed or pasted, or many from a file (.xlsx / .csv with an
order-number column and a reply column, or a returned dispatch sheet). Each reply is
reviewed at intake (domain.review, against the replies of other orders) and its verdict is
stored with it; the order moves to 已反馈 through Event.REPLY, in the same transaction.

    take_reply(engine, "A1", text="...", contact_by="张三", handler="李四", handler_phone="...")
    import_replies(engine, "回复.xlsx") -> ReplyImportResult(taken, unchanged, unmatched)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlmodel import Session, col, select

from hotline_tui.domain.states import Event, Status, TransitionError, next_status
from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.reply_store import (
    FIELDS,
    ReplyFields,
    current_reply,
    write_reply,
)
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder

SOURCES = ("typed", "import", "sheet")
HEADER_SCAN_ROWS = 30
NOTE_CHARS = 300  # characters of the reply repeated in the history note


@dataclass(frozen=True)
class ReplyInfo:
    """A reply just taken in, with the review's verdict at intake."""

    reply_id: int
    order_no: str
    received_at: datetime
    source: str
    acceptable: bool
    score: int
    reason_codes: tuple[str, ...]
    reasons: tuple[str, ...]  # sentences for the clerk (and the unit)
    copy_of: str | None  # the other order whose reply this one repeats


def _check_source(source: str) -> str:
    if source not in SOURCES:
        raise ValueError(f"source must be one of {SOURCES}")
    return source


def _history_note(fields: ReplyFields, source: str) -> str:
    from hotline_tui.i18n import t

    body = fields.text if len(fields.text) <= NOTE_CHARS else fields.text[:NOTE_CHARS] + "..."
    return t(f"replies.note.{source}") + body


def _can_reply(order: WorkOrder) -> bool:
    try:
        next_status(Status(order.status), Event.REPLY)
    except TransitionError:
        return False
    return True


def _info(order: WorkOrder, row: Any, verdict: Any) -> ReplyInfo:
    from hotline_tui.services.review_text import reason_text

    return ReplyInfo(
        row.id, order.order_no, row.received_at, row.source, bool(verdict.acceptable),
        int(verdict.score), tuple(r.code for r in verdict.reasons),
        tuple(reason_text(r) for r in verdict.reasons), verdict.copy_of,
    )


def _take(s: Session, order: WorkOrder, fields: ReplyFields, *, source: str, at: datetime,
          actor: str, note_suffix: str = "") -> tuple[Any, Any]:
    from hotline_tui.services.triage import apply_event

    row, verdict = write_reply(s, order, fields, source=source, at=at)
    apply_event(s, order, Event.REPLY, changes={"replied_at": at}, actor=actor, at=at,
                note=_history_note(fields, source) + note_suffix,
                extra_changes={"reply_id": [None, row.id]})
    return row, verdict


def take_reply(
    engine: Engine,
    order_no: str,
    *,
    text: str,
    contact_by: str = "",
    contacted_at: str = "",
    contact_method: str = "",
    result: str = "",
    policy_basis: str = "",
    handler: str = "",
    handler_phone: str = "",
    source: str = "typed",
    actor: str | None = None,
) -> ReplyInfo:
    """Take in one reply: the reply row, its near-copy keys, its verdict and Event.REPLY
    (-> 已反馈) in one transaction. UserError for an empty reply, an unknown order, or an
    order that cannot take a reply (not dispatched yet, closed, merged...). A second reply
    to an order still waiting for the review replaces the first (kept, marked superseded)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name
    from hotline_tui.services.triage import load_order

    _check_source(source)
    fields = ReplyFields.build(
        text, contact_by=contact_by, contacted_at=contacted_at, contact_method=contact_method,
        result=result, policy_basis=policy_basis, handler=handler, handler_phone=handler_phone)
    if not fields.text:
        raise UserError("replies.error.empty", order_no=(order_no or "").strip())
    too_long = fields.too_long()
    if too_long:
        raise UserError("replies.error.too_long", field=t(f"replies.field.{too_long}"))
    at = clock.now().replace(microsecond=0)
    with session(engine) as s:
        try:
            lock_for_write(s)
            order = load_order(s, order_no)
            if not _can_reply(order):
                raise UserError("replies.error.state", order_no=order.order_no,
                                status=t(f"status.{order.status}"))
            who = actor if actor is not None else clerk_name(s)
            row, verdict = _take(s, order, fields, source=source, at=at, actor=who)
            info = _info(order, row, verdict)
            s.commit()
        except BaseException:
            s.rollback()
            raise
    return info


# ---- import ----------------------------------------------------------------------------------

R_UNKNOWN = "unknown_order"
R_EMPTY = "empty_reply"
R_CLOSED = "order_closed"
R_STATE = "order_state"
R_DUPLICATE = "duplicate_row"
R_NO_ORDER_NO = "no_order_no"
R_TOO_LONG = "too_long"
REASONS = (R_UNKNOWN, R_EMPTY, R_CLOSED, R_STATE, R_DUPLICATE, R_NO_ORDER_NO, R_TOO_LONG)


@dataclass(frozen=True)
class UnmatchedRow:
    """A row of the file that was not taken in: its row number (as the spreadsheet shows
    it), the order number read, and why."""

    row_no: int
    order_no: str
    reason_text: str
    reason: str = ""  # one of REASONS
    sheet: str = ""


@dataclass
class ReplyImportResult:
    taken: int = 0
    unchanged: int = 0
    unmatched: list[UnmatchedRow] = field(default_factory=list)
    file: str = ""
    source: str = "import"  # "sheet" when the file is a returned dispatch sheet
    replies: list[ReplyInfo] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "source": self.source,
            "taken": self.taken,
            "unchanged": self.unchanged,
            "unmatched": [{"row": u.row_no, "sheet": u.sheet, "order_no": u.order_no,
                           "reason": u.reason, "message": u.reason_text}
                          for u in self.unmatched],
            "replies": [{"order_no": r.order_no, "verdict":
                         "acceptable" if r.acceptable else "send_back", "score": r.score,
                         "reasons": list(r.reason_codes)} for r in self.replies],
        }


# header aliases of a reply file, most specific first (normalised: NFKC, no spaces, lower)
ALIASES: dict[str, tuple[str, ...]] = {
    "order_no": ("工单编号", "工单号", "诉求编号", "受理编号", "工单编码", "orderno", "orderno."),
    "text": ("回复内容", "反馈内容", "答复内容", "回复意见", "反馈意见", "办理情况(反馈)",
             "办理情况", "处理情况", "办理意见", "处理意见", "回复", "反馈", "reply"),
    "result": ("办理结果", "处理结果", "result"),
    "contact_by": ("联系人", "联系人员", "联系群众人员", "contactedby"),
    "contacted_at": ("联系时间", "联系日期", "contactedat"),
    "contact_method": ("联系方式", "联系途径", "contactmethod"),
    "handler": ("办理人", "经办人", "承办人", "首接负责人", "填报人", "handler"),
    "handler_phone": ("办理人电话", "经办人电话", "承办人电话", "负责人电话", "联系电话",
                      "电话", "handlerphone", "phone"),
    "policy_basis": ("政策依据", "法律依据", "政策法规依据", "依据", "policybasis"),
}
# the order column of our own dispatch sheet reads "工单编号\n受理时间"
ORDER_PREFIXES = ("工单编号", "工单号", "orderno")
FOOTER_WORDS = ("合计", "总计", "说明", "备注", "注：", "注:", "填表", "签字", "盖章", "审核")
_PHONE = re.compile(r"^[\d\-+()（） ]{7,}$")


def norm_header(value: object) -> str:
    s = unicodedata.normalize("NFKC", str(value or "")).lower()
    return re.sub(r"[\s*：:]+", "", s)


def _sheet_heads() -> dict[str, set[str]]:
    """Heads our own dispatch sheets print (every UI language): order, owner, phone, reply."""
    from hotline_tui.i18n import catalogs

    keys = {"order_no": ("dispatch.sheet.col.order", "dispatch.sheet.col.order_no"),
            "handler": ("dispatch.sheet.col.owner", "dispatch.sheet.col.reply_by"),
            "handler_phone": ("dispatch.sheet.col.owner_phone",),
            "text": ("dispatch.sheet.col.reply",)}
    out: dict[str, set[str]] = {k: set() for k in keys}
    for cat in catalogs().values():
        for fld, ks in keys.items():
            out[fld].update(norm_header(cat[k]) for k in ks if k in cat)
    return out


@dataclass(frozen=True)
class _Header:
    columns: dict[str, int]
    is_sheet: bool


def match_columns(values: Sequence[Any]) -> _Header | None:
    """Field -> column for a header row with an order number and a reply column. A file
    with 办理结果 but no other reply column takes its replies from 办理结果."""
    ours = _sheet_heads()
    best: dict[str, tuple[int, int]] = {}
    is_sheet = False
    for i, v in enumerate(values):
        h = norm_header(v)
        if not h:
            continue
        for fld, aliases in ALIASES.items():
            rank = None
            if h in ours.get(fld, ()):
                rank = -1
                if fld == "text":
                    is_sheet = True
            elif h in aliases:
                rank = aliases.index(h)
            elif fld == "order_no" and h.startswith(ORDER_PREFIXES):
                rank = len(aliases)
            if rank is not None and (fld not in best or rank < best[fld][0]):
                best[fld] = (rank, i)
    cols = {f: c for f, (_r, c) in best.items()}
    if "text" not in cols and "result" in cols:
        cols["text"] = cols.pop("result")
    if "order_no" in cols and "text" in cols:
        return _Header(cols, is_sheet)
    return None


@dataclass(frozen=True)
class _Row:
    sheet: str
    row_no: int
    order_no: str
    fields: ReplyFields


def _cell(values: Sequence[Any], i: int | None) -> Any:
    if i is None or i >= len(values):
        return None
    return values[i]


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _first_line(value: object) -> str:
    from hotline_tui.domain.normalize import clean_key

    if isinstance(value, int | float) and not isinstance(value, bool):
        return clean_key(value)
    for line in str(value or "").replace("\r", "\n").split("\n"):
        key = clean_key(line)
        if key:
            return key
    return ""


def _is_footer(values: Sequence[Any]) -> bool:
    from hotline_tui.domain.normalize import clean_text

    for v in values:
        if not _blank(v):
            return clean_text(v).replace(" ", "").startswith(FOOTER_WORDS)
    return False


def read_reply_rows(path: Path) -> tuple[list[_Row], bool]:
    """The rows of every sheet with a reply header (rows, whether it is our dispatch
    sheet). UserError when the file cannot be read or has no such header."""
    from hotline_tui.services.importer.reading import open_sheets

    if path.suffix.lower() == ".docx":
        raise UserError("replies.import.error.docx", file=path.name)
    rows: list[_Row] = []
    found = False
    is_sheet = False
    with open_sheets(path) as sheets:
        is_csv = all(s.label in ("','", "'\\t'", "';'") for s in sheets)
        for sheet in sheets:
            header: _Header | None = None
            label = "" if is_csv else sheet.label
            for n, values in sheet.rows:
                if header is None:
                    if n > HEADER_SCAN_ROWS:
                        break
                    header = match_columns(values)
                    continue
                cols = header.columns
                raw_no = _cell(values, cols["order_no"])
                raw_text = _cell(values, cols["text"])
                if all(_blank(v) for v in values):
                    continue
                if _is_footer(values) and _blank(raw_text):
                    continue  # 合计 / 说明 / 填表人 under the data
                if _blank(raw_no) and _blank(raw_text):
                    continue
                order_no = _first_line(raw_no)
                vals = {f: _cell(values, cols.get(f)) for f in FIELDS if f in cols}
                method = vals.get("contact_method")
                if isinstance(method, int | float) or (
                        isinstance(method, str) and _PHONE.match(method.strip())):
                    # 联系方式 holding a phone number: the handler's phone, not the method
                    if _blank(vals.get("handler_phone")):
                        vals["handler_phone"] = method
                    vals["contact_method"] = ""
                rows.append(_Row(label, n, order_no, ReplyFields.build(raw_text, **vals)))
            if header is not None:
                found = True
                is_sheet = is_sheet or header.is_sheet
                if is_csv:
                    break  # the first delimiter that gives the heads is the right one
    if not found:
        raise UserError("replies.import.error.no_header", file=path.name,
                        rows=HEADER_SCAN_ROWS)
    return rows, is_sheet


def import_replies(engine: Engine, path: str | Path, *, actor: str | None = None
                   ) -> ReplyImportResult:
    """Take in the replies of a file in one transaction (a file that cannot be read, or a
    database error, writes nothing). Rows that cannot be used are listed in `unmatched`
    with the reason; a row whose reply is already the order's current reply, word for word,
    counts as unchanged (importing the same file twice changes nothing)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import lock_for_write
    from hotline_tui.services.settings import clerk_name

    path = Path(path)
    rows, is_sheet = read_reply_rows(path)
    source = "sheet" if is_sheet else "import"
    result = ReplyImportResult(file=str(path), source=source)

    def miss(r: _Row, reason: str, **extra: object) -> None:
        msg = t(f"replies.import.reason.{reason}", order_no=r.order_no, **extra)
        result.unmatched.append(UnmatchedRow(r.row_no, r.order_no, msg, reason, r.sheet))

    at = clock.now().replace(microsecond=0)
    try:
        with session(engine) as s:
            try:
                lock_for_write(s)
                who = actor if actor is not None else clerk_name(s)
                orders = _orders(s, [r.order_no for r in rows if r.order_no])
                first_row: dict[str, int] = {}
                for r in rows:
                    if not r.order_no:
                        miss(r, R_NO_ORDER_NO)
                        continue
                    if r.order_no in first_row:
                        miss(r, R_DUPLICATE, row=first_row[r.order_no])
                        continue
                    first_row[r.order_no] = r.row_no
                    order = orders.get(r.order_no)
                    if order is None:
                        miss(r, R_UNKNOWN)
                        continue
                    if not r.fields.text:
                        miss(r, R_EMPTY)
                        continue
                    too_long = r.fields.too_long()
                    if too_long:
                        miss(r, R_TOO_LONG, field=t(f"replies.field.{too_long}"))
                        continue
                    last = current_reply(s, order.id)
                    if last is not None and r.fields.same_as(last) and \
                            last.decision != "superseded":
                        result.unchanged += 1
                        continue
                    if not _can_reply(order):
                        reason = R_CLOSED if order.status == Status.CLOSED.value else R_STATE
                        miss(r, reason, status=t(f"status.{order.status}"))
                        continue
                    where = t("replies.note.row", file=path.name, row=r.row_no)
                    row, verdict = _take(s, order, r.fields, source=source, at=at, actor=who,
                                         note_suffix=where)
                    result.replies.append(_info(order, row, verdict))
                    result.taken += 1
                s.commit()
            except BaseException:
                s.rollback()
                raise
    except (OperationalError, IntegrityError) as exc:
        raise UserError("replies.import.error.db", file=path.name, reason=str(exc.orig)) from exc
    return result


def _orders(s: Session, numbers: list[str]) -> dict[str, WorkOrder]:
    nos = list(dict.fromkeys(numbers))
    out: dict[str, WorkOrder] = {}
    for i in range(0, len(nos), 500):
        q = select(WorkOrder).where(col(WorkOrder.order_no).in_(nos[i : i + 500]))
        out.update({o.order_no: o for o in s.exec(q)})
    return out

