"""Dispatch sheets: one .xlsx and one .docx per unit, laid out for A4, callers masked unless
asked (never for 保密 orders), formulas neutralised, every sheet in the orders' history."""

from __future__ import annotations

from datetime import date

import pytest
from test_dispatch_support import (
    FRIDAY,
    add_order,
    add_unit,
    docx_text,
    events,
    raw_text,
    xlsx_text,
)

from hotline_tui.errors import UserError
from hotline_tui.services.dispatch import dispatch
from hotline_tui.services.sheets import safe_filename, write_sheets
from hotline_tui.store.engine import session

PHONE_A = "13812345678"
PHONE_SECRET = "13955554444"


@pytest.fixture
def dispatched(engine):
    """Two units (one with a slash in its name), four orders, dispatched on FRIDAY."""
    with session(engine) as s:
        u1 = add_unit(s, "黑龙河乡", "黑龙河", "hlhx")
        u2 = add_unit(s, "市政/环卫所", "环卫", "szhws")
        add_order(s, "A1", u1, 3, caller_name="张三丰", caller_phone=PHONE_A,
                  title="路灯不亮", content="幸福路路灯坏了两周\x07，晚上看不见。")
        add_order(s, "A2", u1, 5, caller_name="王五", caller_phone="13700002222",
                  confidential=True, title="举报噪音", content="工地夜间施工。")
        add_order(s, "=1+2", u2, 15, caller_name="@SUM(A1)", caller_phone="+8613600003333",
                  title="-垃圾清运不及时", content="=HYPERLINK(\"http://x\",\"y\")")
        add_order(s, "B2", u2, 0, caller_name="赵六", caller_phone=PHONE_SECRET,
                  confidential=True)
        s.commit()
    r = dispatch(engine, at=FRIDAY)
    assert len(r.dispatched) == 4
    return engine


def _by_ext(paths, ext):
    return sorted(p for p in paths if p.suffix == f".{ext}")


def test_one_file_per_unit_and_format_in_the_folder(dispatched, tmp_path):
    out = tmp_path / "sheets"
    paths = write_sheets(dispatched, date(2026, 11, 6), out)
    assert len(paths) == 4
    assert all(p.parent == out and p.exists() for p in paths)
    names = sorted(p.name for p in paths)
    assert names == sorted([
        "交办单_2026-11-06_黑龙河乡.xlsx", "交办单_2026-11-06_黑龙河乡.docx",
        "交办单_2026-11-06_市政_环卫所.xlsx", "交办单_2026-11-06_市政_环卫所.docx",
    ])
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no temp files left


def test_xlsx_layout_and_contents(dispatched, tmp_path):
    from openpyxl import load_workbook

    paths = write_sheets(dispatched, ["A1", "A2"], tmp_path, formats=("xlsx",))
    assert len(paths) == 1
    wb = load_workbook(paths[0])
    ws = wb.active
    ps = ws.page_setup
    assert int(ps.paperSize) == int(ws.PAPERSIZE_A4) == 9
    assert ps.orientation == "landscape"
    assert int(ps.fitToWidth) == 1 and int(ps.fitToHeight) == 0
    assert ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$3:$3"
    heads = [c.value for c in ws[3]]
    for head in ("首接负责人", "负责人电话", "签收时间", "办理情况（反馈）"):
        assert head in heads
    blanks = [heads.index(h) for h in ("首接负责人", "负责人电话", "签收时间", "办理情况（反馈）")]
    rows = list(ws.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 2
    for row in rows:
        assert all(row[i] is None for i in blanks)
    text = xlsx_text(paths[0])
    assert "西山县12345热线工单交办单" in text
    assert "黑龙河乡" in text and "A1" in text and "A2" in text
    assert "2026-11-11 23:59" in text  # A1's deadline
    assert "幸福路路灯坏了两周，晚上看不见。" in text  # control character dropped
    assert ws["D4"].alignment.wrap_text
    assert ws.column_dimensions["D"].width > ws.column_dimensions["C"].width


def test_docx_layout_and_contents(dispatched, tmp_path):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Mm

    paths = write_sheets(dispatched, ["A1", "A2"], tmp_path, formats=("docx",))
    doc = Document(str(paths[0]))
    sec = doc.sections[0]
    assert abs(sec.page_width - Mm(210)) < Mm(1) and abs(sec.page_height - Mm(297)) < Mm(1)
    assert sec.left_margin >= Mm(15)
    rfonts = doc.styles["Normal"].element.rPr.rFonts
    assert rfonts.get(qn("w:eastAsia")) == "宋体"
    assert len(doc.tables) == 2  # one form per order
    text = docx_text(paths[0])
    for s in ("西山县12345热线工单交办单", "承办单位：黑龙河乡", "A1", "A2", "2026-11-11 23:59",
              "首接负责人", "负责人电话", "签收时间", "办理情况", "路灯不亮"):
        assert s in text, s


def test_masked_by_default(dispatched, tmp_path):
    paths = write_sheets(dispatched, ["A1", "A2"], tmp_path)
    for p in paths:
        raw = raw_text(p)
        assert PHONE_A not in raw and "张三丰" not in raw
        assert "13700002222" not in raw and "王五" not in raw
    text = xlsx_text(_by_ext(paths, "xlsx")[0]) + docx_text(_by_ext(paths, "docx")[0])
    assert "138****5678" in text and "张**" in text


def test_unmask_is_honoured_except_for_confidential_orders(dispatched, tmp_path):
    paths = write_sheets(dispatched, date(2026, 11, 6), tmp_path, unmask=True)
    for p in paths:
        raw = raw_text(p)
        assert PHONE_SECRET not in raw and "赵六" not in raw
        assert "13700002222" not in raw and "王五" not in raw
        # nor any masked form of the confidential phone
        assert "139****4444" not in raw and "137****2222" not in raw
    hlh = [p for p in paths if "黑龙河乡" in p.name]
    assert all(PHONE_A in raw_text(p) and "张三丰" in raw_text(p) for p in hlh)
    assert "保密" in docx_text(_by_ext(hlh, "docx")[0])


def test_formulas_written_as_text(dispatched, tmp_path):
    from openpyxl import load_workbook

    paths = write_sheets(dispatched, ["=1+2"], tmp_path, formats=("xlsx",), unmask=True)
    raw = raw_text(paths[0])
    assert "<f>" not in raw and "<f " not in raw
    ws = load_workbook(paths[0]).active
    starts = {}
    for row in ws.iter_rows(min_row=4):
        for c in row:
            if isinstance(c.value, str) and c.value[:1] in "=+-@":
                starts[c.value[:1]] = c
    assert "=" in starts and "@" in starts  # order number and caller name
    for c in starts.values():
        assert c.data_type == "s"
        assert c.quotePrefix


def test_put_marks_each_formula_start(tmp_path):
    from openpyxl import Workbook

    from hotline_tui.services.sheets.xlsx_writer import put

    ws = Workbook().active
    for i, v in enumerate(["=A1", "+1", "-1", "@x", "ok"], start=1):
        put(ws.cell(row=i, column=1), v)
    assert [ws.cell(row=i, column=1).data_type for i in range(1, 6)] == ["s"] * 5
    assert [bool(ws.cell(row=i, column=1).quotePrefix) for i in range(1, 6)] == [
        True, True, True, True, False]


def test_every_sheet_is_in_the_history(dispatched, tmp_path):
    paths = write_sheets(dispatched, ["A1", "A2"], tmp_path, actor="clerk")
    names = [p.name for p in paths]
    for no in ("A1", "A2"):
        ev = events(dispatched, no)[-1]
        assert (ev.event, ev.actor, ev.new_status) == ("export", "clerk", "dispatched")
        assert all(n in ev.note for n in names)
        assert "已遮蔽" in ev.note
    write_sheets(dispatched, ["A1", "A2"], tmp_path / "again", unmask=True)
    assert "未遮蔽" in events(dispatched, "A1")[-1].note
    assert "保密" in events(dispatched, "A2")[-1].note
    assert len([e for e in events(dispatched, "A1") if e.event == "export"]) == 2


def test_history_failure_removes_the_files(dispatched, tmp_path, monkeypatch):
    import hotline_tui.services.sheets as sheets

    def boom(*a, **kw):
        raise RuntimeError("db gone")

    monkeypatch.setattr(sheets, "record", boom)
    with pytest.raises(RuntimeError):
        write_sheets(dispatched, date(2026, 11, 6), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
    assert [e.event for e in events(dispatched, "A1")][-1] == "dispatch"


def test_commit_failure_removes_placed_files(dispatched, tmp_path, monkeypatch):
    from sqlmodel import Session

    def boom(self):
        raise RuntimeError("commit failed")

    monkeypatch.setattr(Session, "commit", boom)
    with pytest.raises(RuntimeError):
        write_sheets(dispatched, ["A1"], tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_writer_failure_leaves_no_files(dispatched, tmp_path, monkeypatch):
    import hotline_tui.services.sheets.docx_writer as dw

    def boom(sheet, path):
        path.write_bytes(b"half")
        raise OSError("no space left")

    monkeypatch.setattr(dw, "write_docx", boom)
    with pytest.raises(OSError):
        write_sheets(dispatched, date(2026, 11, 6), tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []
    assert events(dispatched, "A1")[-1].event == "dispatch"


def test_existing_sheets_are_never_overwritten(dispatched, tmp_path):
    first = write_sheets(dispatched, ["A1"], tmp_path, formats=("xlsx",))
    before = first[0].read_bytes()
    second = write_sheets(dispatched, ["A1"], tmp_path, formats=("xlsx",))
    assert second[0] != first[0] and second[0].name.endswith("-2.xlsx")
    assert first[0].read_bytes() == before


def test_only_dispatched_orders_have_sheets(engine, tmp_path):
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡")
        add_order(s, "T1", u, 3)
        s.commit()
    with pytest.raises(UserError) as exc:
        write_sheets(engine, ["T1"], tmp_path)
    assert "T1" in str(exc.value)
    with pytest.raises(UserError):
        write_sheets(engine, ["NOPE"], tmp_path)
    assert write_sheets(engine, date(2026, 11, 6), tmp_path) == []


def test_bad_format_is_a_user_error(dispatched, tmp_path):
    with pytest.raises(UserError):
        write_sheets(dispatched, ["A1"], tmp_path, formats=("pdf",))


def test_assisting_units_are_printed(dispatched, tmp_path):
    from sqlalchemy import inspect, text

    with dispatched.begin() as conn:
        if not inspect(conn).has_table("order_assist"):
            pytest.skip("order_assist table not in this schema")
        conn.execute(text(
            "INSERT INTO order_assist (order_id, unit_id) SELECT o.id, u.id "
            "FROM work_order o, unit u WHERE o.order_no = 'A1' AND u.name = '市政/环卫所'"))
    paths = write_sheets(dispatched, ["A1"], tmp_path)
    assert "市政/环卫所" in xlsx_text(_by_ext(paths, "xlsx")[0])
    assert "市政/环卫所" in docx_text(_by_ext(paths, "docx")[0])


@pytest.mark.parametrize("name", ["../../etc/passwd", "a\\b:c*d?", ".hidden", "/", "  "])
def test_file_names_from_unit_names_are_safe(name):
    s = safe_filename(name)
    assert s and not s.startswith(".")
    assert not any(c in s for c in '/\\:*?"<>|')


def test_office_name_setting_is_the_title(dispatched, tmp_path):
    from hotline_tui.services.settings import set_setting

    with session(dispatched) as s:
        set_setting(s, "office_name", "东山县12345热线")
        s.commit()
    paths = write_sheets(dispatched, ["A1"], tmp_path)
    for p in paths:
        raw = raw_text(p)
        assert "东山县12345热线工单交办单" in raw and "西山县" not in raw


def test_default_sheets_dir(engine, tmp_path):
    from hotline_tui import config
    from hotline_tui.services.settings import set_setting
    from hotline_tui.services.sheets import default_sheets_dir

    assert default_sheets_dir(engine) == config.data_dir() / "交办单"
    with session(engine) as s:
        set_setting(s, "sheets_dir", str(tmp_path / "print"))
        s.commit()
        assert default_sheets_dir(s) == tmp_path / "print"
