"""Returned dispatch sheets: the sheet the office printed (services/sheets), filled in by hand
the way a unit does it, mistakes included, is imported; good rows sign for, bad rows are
listed with their row number and reason; importing it again changes nothing."""

from datetime import datetime

import pytest
from clock_support import fixed_clock
from owners_data import make_order, make_unit
from sqlalchemy import text

from hotline_tui.errors import UserError
from hotline_tui.services import owners
from hotline_tui.services.orders import find_order, history
from hotline_tui.services.owners_import import import_returned_sheets, parse_sign_time
from hotline_tui.store.engine import session

NOW = datetime(2026, 11, 30, 10, 0)  # Monday
DISPATCHED = datetime(2026, 11, 27, 9, 0)  # Friday


_clock = fixed_clock(NOW)


def _printed_sheet(engine, tmp_path, numbers):
    """The .xlsx dispatch sheet as the office prints it for the unit."""
    from hotline_tui.services.sheets import write_sheets

    files = write_sheets(engine, numbers, tmp_path / "out", formats=("xlsx",))
    assert len(files) == 1
    return files[0]


def _heads(ws):
    for row in ws.iter_rows(min_row=1, max_row=10):
        texts = [str(c.value or "") for c in row]
        if "首接负责人" in texts:
            return row[0].row, {t: i + 1 for i, t in enumerate(texts)}
    raise AssertionError("no head row")


def _fill(path, entries, *, rename=None, extra_rows=()):
    """Write into the printed sheet like a clerk at the unit: owner, phone, time per order
    number (the order cell holds the number on its first line)."""
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb.active
    head, cols = _heads(ws)
    order_col = 2
    rows = {}
    for r in range(head + 1, ws.max_row + 1):
        v = ws.cell(row=r, column=order_col).value
        if v:
            rows[str(v).split("\n")[0]] = r
    for no, (name, phone, when) in entries.items():
        r = rows[no]
        ws.cell(row=r, column=cols["首接负责人"]).value = name
        ws.cell(row=r, column=cols["负责人电话"]).value = phone
        ws.cell(row=r, column=cols["签收时间"]).value = when
    for old, new in (rename or {}).items():  # a typo in an order number
        ws.cell(row=rows[old], column=order_col).value = new
    r = ws.max_row
    for no, name, phone, when in extra_rows:  # orders the unit added by hand
        r += 1
        ws.cell(row=r, column=order_col).value = no
        ws.cell(row=r, column=cols["首接负责人"]).value = name
        ws.cell(row=r, column=cols["负责人电话"]).value = phone
        ws.cell(row=r, column=cols["签收时间"]).value = when
    out = path.with_name("回收_" + path.name)
    wb.save(out)
    return out, rows


@pytest.fixture
def returned(engine, tmp_path):
    unit = make_unit(engine, "黑龙河乡", "黑龙河", "hlhx")
    nos = [f"GD20261127{i:03d}" for i in range(1, 12)]
    for no in nos:
        make_order(engine, no, unit, dispatched_at=DISPATCHED)
    make_order(engine, "GD20261126099", unit, dispatched_at=None)  # triaged, not dispatched
    sheet = _printed_sheet(engine, tmp_path, nos)
    # GD...011 was signed for by the clerk on the phone before the sheet came back
    owners.sign(engine, nos[10], name="孙七", phone="13600006666",
                at=datetime(2026, 11, 27, 10, 0))
    entries = {
        nos[0]: ("王芳", "１３８ ０１２３ ４５６７", "2026年11月28日 9时"),  # full-width, Chinese date
        nos[1]: ("李强", 13912345678, datetime(2026, 11, 27, 15, 30)),  # phone as a number
        nos[2]: (None, "13512345678", "2026-11-28"),  # no name
        nos[3]: ("赵六", "12345", "2026-11-28 10:00"),  # bad phone
        nos[4]: ("钱八", "13712345678", "明天上午"),  # unreadable time
        nos[5]: ("周九", "13812340000", "2026-11-26 10:00"),  # before the dispatch
        nos[6]: ("吴十", "13812341111", "2026-12-01 9:00"),  # in the future
        nos[7]: ("郑十一 13812342222", None, "11月28日 10:30"),  # name+phone in one cell, no year
        nos[8]: ("王芳", "13801234567", None),  # no time: the import time
        nos[9]: ("刘一", "0371-6234567", "2026/11/27"),  # date only, the dispatch day
        nos[10]: ("陈二", "13800007777", "2026-11-28 9:00"),  # signed already by someone else
    }
    path, rows = _fill(sheet, entries, rename={nos[9]: nos[9][:-3] + "O10"},
                       extra_rows=[("GD20261126099", "王芳", "13801234567", "2026-11-28")])
    # the typo'd number does not exist; put the real one back in our list of expectations
    return path, nos, rows


def test_returned_sheet_import(engine, returned):
    path, nos, rows = returned
    res = import_returned_sheets(engine, path)
    got = {r.order_no: r for r in res.signed}
    assert set(got) == {nos[0], nos[1], nos[7], nos[8]}
    assert got[nos[0]].phone == "13801234567" and got[nos[0]].signed_at == datetime(
        2026, 11, 28, 9, 0)
    assert got[nos[1]].phone == "13912345678"
    assert (got[nos[7]].name, got[nos[7]].phone) == ("郑十一", "13812342222")
    assert got[nos[7]].signed_at == datetime(2026, 11, 28, 10, 30)
    assert got[nos[8]].signed_at == NOW and not got[nos[8]].time_given
    assert not any(r.late for r in res.signed)  # all by the end of Monday
    # 王芳 signed two orders with one number: one directory entry
    assert got[nos[0]].phone == got[nos[8]].phone
    assert res.owners_created == 3
    reasons = {(r.row, r.reason) for r in res.rejected}
    assert reasons == {
        (rows[nos[2]], "missing_name"),
        (rows[nos[3]], "bad_phone"),
        (rows[nos[4]], "bad_time"),
        (rows[nos[5]], "before_dispatch"),
        (rows[nos[6]], "future_time"),
        (rows[nos[9]], "unknown_order"),
        (rows[nos[10]], "signed_by_other"),
        (max(rows.values()) + 1, "not_dispatched"),
    }
    msgs = {r.reason: r.message() for r in res.rejected}
    assert "孙七" in msgs["signed_by_other"] and "12345" in msgs["bad_phone"]
    assert "GD20261127O10" in msgs["unknown_order"]
    with session(engine) as s:
        for no in (nos[0], nos[1], nos[7], nos[8]):
            o = find_order(s, no)
            assert o.status == "signed" and o.owner_id is not None
            assert path.name in history(s, o.id)[-1].note
        for no in (nos[2], nos[3], nos[4], nos[5], nos[6], nos[9]):
            assert find_order(s, no).status == "dispatched"
        assert find_order(s, nos[10]).signed_at == datetime(2026, 11, 27, 10, 0)


def test_same_sheet_twice_changes_nothing(engine, returned):
    path, nos, _rows = returned
    first = import_returned_sheets(engine, path)
    with engine.connect() as c:
        n_hist = c.execute(text("SELECT count(*) FROM order_history")).scalar()
    again = import_returned_sheets(engine, path)
    assert again.signed == []
    assert {o for _s, _r, o in again.unchanged} == {r.order_no for r in first.signed}
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM order_history")).scalar() == n_hist


def test_all_rows_in_one_transaction(engine, returned, monkeypatch):
    path, nos, _rows = returned
    import hotline_tui.services.owners_import as mod

    real = mod.sign_in_session
    calls = []

    def failing(*a, **kw):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return real(*a, **kw)

    monkeypatch.setattr(mod, "sign_in_session", failing)
    with pytest.raises(RuntimeError):
        import_returned_sheets(engine, path)
    with session(engine) as s:
        assert all(find_order(s, no).status == "dispatched" for no in nos[:10])


def test_csv_from_windows_excel(engine, tmp_path):
    unit = make_unit(engine, "城关镇")
    make_order(engine, "C1", unit, dispatched_at=DISPATCHED)
    make_order(engine, "C2", unit, dispatched_at=DISPATCHED)
    body = ("城关镇交办单回执\n序号,工单编号,首接负责人,职务,联系电话,签收时间\n"
            "1,C1,张三,副镇长,13812345678,2026/11/27 16:05\n"
            "2,C2 ,李四,,0371-62345678,2026-11-30 08:00\n"
            "合计,2 件,,,,\n")
    path = tmp_path / "回执.csv"
    path.write_bytes(body.encode("gb18030"))
    res = import_returned_sheets(engine, path)
    assert [(r.order_no, r.name, r.phone) for r in res.signed] == [
        ("C1", "张三", "13812345678"), ("C2", "李四", "0371-62345678")]
    assert res.rejected == []
    assert owners.owner_of(engine, "C1").post == "副镇长"


def test_files_that_cannot_be_used(engine, tmp_path):
    no_head = tmp_path / "x.csv"
    no_head.write_text("a,b,c\n1,2,3\n", encoding="utf-8")
    with pytest.raises(UserError) as exc:
        import_returned_sheets(engine, no_head)
    assert exc.value.key == "owners.import.error.no_header"
    doc = tmp_path / "交办单.docx"
    doc.write_bytes(b"PK\x03\x04whatever")
    with pytest.raises(UserError) as exc:
        import_returned_sheets(engine, doc)
    assert exc.value.key == "owners.import.error.docx"
    with pytest.raises(UserError):
        import_returned_sheets(engine, tmp_path / "missing.xlsx")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026年11月28日 9时", datetime(2026, 11, 28, 9, 0)),
        ("2026年11月28日9时30分", datetime(2026, 11, 28, 9, 30)),
        ("11月28日 下午3点", datetime(2026, 11, 28, 15, 0)),
        ("11.28 9:05", datetime(2026, 11, 28, 9, 5)),
        ("1月4日 9时", datetime(2027, 1, 4, 9, 0)),  # dispatched in December
        (datetime(2026, 11, 28, 0, 0), datetime(2026, 11, 28, 0, 0)),
        ("2026-11-27", datetime(2026, 11, 27, 9, 0)),  # date only, dispatch day
        (None, None),
        ("  ", None),
    ],
)
def test_sign_times_as_units_write_them(raw, expected):
    disp = DISPATCHED if expected is None or expected.year == 2026 else datetime(2026, 12, 30)
    assert parse_sign_time(raw, disp) == expected
