"""Replies in bulk: .xlsx and GBK .csv with an order-number and a reply column, and the
returned dispatch sheets; unmatched rows listed with the reason; one transaction."""

from __future__ import annotations

import csv

import openpyxl
import pytest
from replies_support import GOOD, GOOD_2, LAZY, fixed_clock, history, replies_of, seed

from hotline_tui.errors import UserError
from hotline_tui.services.replies import import_replies

__all__ = ["fixed_clock"]


def _xlsx(path, rows, title_rows=()):
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in title_rows:
        ws.append(r)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_xlsx_with_title_rows_and_reply_fields(engine, fixed_clock, tmp_path):
    ids = seed(engine, {"A1": "signed", "B垃圾": "dispatched"})
    path = _xlsx(tmp_path / "回复.xlsx", [
        ("工单编号", "回复内容", "联系人", "联系时间", "联系方式", "办理人", "联系电话", "政策依据"),
        ("A1", GOOD, "王强", "2026-11-24 09:00", "电话", "王强", 13812345678, ""),
        ("B垃圾", GOOD_2, "李明", "", "上门", "李明", "13900001111", "《实施方案》第三条"),
        ("合计：2件", None, None, None, None, None, None, None),
    ], title_rows=[("黑龙河乡工单反馈汇总表",), ()])
    res = import_replies(engine, path)
    assert (res.taken, res.unchanged, res.unmatched, res.source) == (2, 0, [], "import")
    [r] = replies_of(engine, ids["A1"])
    assert (r.source, r.contact_by, r.contact_method, r.handler_phone) == \
        ("import", "王强", "电话", "13812345678")
    [r2] = replies_of(engine, ids["B垃圾"])
    assert r2.policy_basis == "《实施方案》第三条" and r2.contact_method == "上门"
    assert "回复.xlsx" in history(engine, ids["A1"])[-1][4]
    # the same file again changes nothing
    again = import_replies(engine, path)
    assert (again.taken, again.unchanged, again.unmatched) == (0, 2, [])
    assert len(replies_of(engine, ids["A1"])) == 1


def test_gbk_csv_with_result_column_as_the_reply(engine, fixed_clock, tmp_path):
    ids = seed(engine, {"A1": "signed"})
    path = tmp_path / "反馈.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["工单号", "办理结果", "经办人"])
        w.writerow(["Ａ1", GOOD, "王强"])  # a full-width order number
    res = import_replies(engine, path)
    assert res.taken == 1, res.unmatched
    [r] = replies_of(engine, ids["A1"])
    assert r.text == GOOD and r.handler == "王强"


def test_unmatched_rows_are_listed_with_the_reason(engine, fixed_clock, tmp_path):
    seed(engine, {"A1": "signed", "A2": "closed", "A3": "signed", "A4": "triaged"})
    path = _xlsx(tmp_path / "r.xlsx", [
        ("工单编号", "反馈内容"),
        ("A1", GOOD),
        ("NOPE", GOOD),
        ("A2", GOOD),
        ("A3", "  "),
        ("A1", LAZY),
        ("A4", GOOD),
        (None, "没有编号的反馈"),
    ])
    res = import_replies(engine, path)
    assert res.taken == 1
    got = [(u.row_no, u.order_no, u.reason) for u in res.unmatched]
    assert got == [(3, "NOPE", "unknown_order"), (4, "A2", "order_closed"),
                   (5, "A3", "empty_reply"), (6, "A1", "duplicate_row"),
                   (7, "A4", "order_state"), (8, "", "no_order_no")]
    assert all(u.reason_text for u in res.unmatched)
    assert "2" in res.unmatched[3].reason_text  # names the first row of A1
    js = res.to_json()
    assert js["taken"] == 1 and js["unmatched"][0]["reason"] == "unknown_order"


def test_returned_dispatch_sheet(engine, fixed_clock, tmp_path):
    from hotline_tui.services.sheets import write_sheets

    ids = seed(engine, {"A1": "signed", "A2": "signed"})
    [sheet] = write_sheets(engine, ["A1", "A2"], tmp_path, formats=("xlsx",))
    wb = openpyxl.load_workbook(sheet)
    ws = wb.active
    heads = [c.value for c in ws[3]]
    reply_col = heads.index("办理情况（反馈）") + 1
    owner_col = heads.index("首接负责人") + 1
    phone_col = heads.index("负责人电话") + 1
    for row in (4, 5):
        no = ws.cell(row=row, column=2).value.split("\n")[0]
        if no == "A1":
            ws.cell(row=row, column=reply_col, value=GOOD)
            ws.cell(row=row, column=owner_col, value="王强")
            ws.cell(row=row, column=phone_col, value=13812345678)
    wb.save(sheet)
    res = import_replies(engine, sheet)
    assert res.source == "sheet" and res.taken == 1
    assert [(u.order_no, u.reason) for u in res.unmatched] == [("A2", "empty_reply")]
    [r] = replies_of(engine, ids["A1"])
    assert (r.source, r.handler, r.handler_phone) == ("sheet", "王强", "13812345678")


def test_a_file_without_the_columns_or_unreadable_writes_nothing(engine, fixed_clock, tmp_path):
    ids = seed(engine, {"A1": "signed"})
    bad = _xlsx(tmp_path / "x.xlsx", [("编号", "内容"), ("A1", GOOD)])
    with pytest.raises(UserError) as exc:
        import_replies(engine, bad)
    assert exc.value.key == "replies.import.error.no_header"
    junk = tmp_path / "junk.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UserError):
        import_replies(engine, junk)
    assert replies_of(engine, ids["A1"]) == []


def test_a_failure_half_way_rolls_back_every_row(engine, fixed_clock, tmp_path, monkeypatch):
    from hotline_tui.services import replies as mod

    ids = seed(engine, {"A1": "signed", "A2": "signed"})
    before = history(engine, ids["A1"])
    real = mod.write_reply
    calls = []

    def failing(s, order, fields, **kw):
        calls.append(order.order_no)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(s, order, fields, **kw)

    monkeypatch.setattr(mod, "write_reply", failing)
    path = _xlsx(tmp_path / "r.xlsx", [("工单编号", "回复内容"), ("A1", GOOD), ("A2", GOOD_2)])
    with pytest.raises(RuntimeError):
        import_replies(engine, path)
    assert calls == ["A1", "A2"]
    assert replies_of(engine, ids["A1"]) == [] and history(engine, ids["A1"]) == before
    with engine.connect() as conn:
        from sqlalchemy import text

        assert conn.execute(text("SELECT count(*) FROM reply_band")).scalar() == 0
        assert conn.execute(text("SELECT status FROM work_order WHERE order_no = 'A1'")
                            ).scalar() == "signed"
