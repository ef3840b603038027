"""Shared set-up for the dispatch and sheet tests (no tests of its own): units, triaged
orders, and reading a whole .xlsx/.docx back as text."""

from __future__ import annotations

import html
import zipfile
from datetime import datetime
from pathlib import Path

from hotline_tui.domain.states import Event
from hotline_tui.services.orders import record
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder

FRIDAY = datetime(2026, 11, 6, 10, 0)  # no holiday near it


def add_unit(s, name: str, short: str = "", initials: str = "", pinyin: str = "",
             retired: bool = False) -> Unit:
    u = Unit(name=name, short_name=short, initials=initials, pinyin=pinyin, retired=retired)
    s.add(u)
    s.flush()
    return u


def add_order(s, no: str, unit: Unit | None = None, tier: int | None = 3, *,
              triaged: bool = True, **fields) -> WorkOrder:
    values = dict(
        received_at=datetime(2026, 11, 5, 9, 0), caller_name="张三丰",
        caller_phone="13812345678", request_type="投诉", title="路灯不亮",
        content="幸福路路灯坏了两周。", area="黑龙河乡", address="幸福路12号",
    )
    values.update(fields)
    o = WorkOrder(order_no=no, **values)
    record(s, o, Event.CREATE, actor="test")
    if triaged:
        record(s, o, Event.TRIAGE, actor="test",
               changes={"unit_id": unit.id if unit else None, "tier_days": tier})
    return o


def seed(engine) -> dict[str, int]:
    """黑龙河乡 (A1 3-day, A2 5-day), 县住房和城乡建设局 (B1 15-day), N1 still new."""
    with session(engine) as s:
        u1 = add_unit(s, "黑龙河乡", "黑龙河", "hlhx", "heilonghexiang")
        u2 = add_unit(s, "县住房和城乡建设局", "住建局", "xzfhcxjsj", "xianzhufanghechengxiangjianshe")
        add_order(s, "A1", u1, 3)
        add_order(s, "A2", u1, 5, received_at=datetime(2026, 11, 5, 9, 30))
        add_order(s, "B1", u2, 15, caller_phone="13900001111", caller_name="李四")
        add_order(s, "N1", triaged=False)
        s.commit()
        return {"u1": u1.id, "u2": u2.id}


def order(engine, no: str) -> WorkOrder:
    from hotline_tui.services.orders import find_order

    with session(engine) as s:
        return find_order(s, no)


def events(engine, no: str) -> list:
    from hotline_tui.services.orders import find_order, history

    with session(engine) as s:
        return history(s, find_order(s, no).id)


def raw_text(path: Path) -> str:
    """Every XML part of an Office file, joined, with character references (&#24352;, which
    openpyxl writes for Chinese) decoded: a search here sees whatever any reader could."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(html.unescape(z.read(n).decode("utf-8", "replace"))
                         for n in z.namelist() if n.endswith((".xml", ".rels")))


def xlsx_text(path: Path) -> str:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            out.extend(str(v) for v in row if v is not None)
    return "\n".join(out)


def docx_text(path: Path) -> str:
    from docx import Document

    doc = Document(str(path))
    out = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            out.extend(c.text for c in row.cells)
    for sec in doc.sections:
        out.extend(p.text for p in sec.footer.paragraphs)
    return "\n".join(out)
