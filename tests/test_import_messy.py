"""Messy exports: title and 导出时间 rows, 合计 footers, blank lines, numeric and full-width
phones, Excel dates and text dates, stray spaces, line breaks, full-width headers; rows that
cannot be read are reported with the row number Excel shows and do not stop the rest."""

from __future__ import annotations

from datetime import datetime

import pytest
from _import_util import HEADER, order_row, orders, write_csv, write_xlsx

from hotline_tui.domain.normalize import BadDate, clean_phone, parse_datetime
from hotline_tui.services.importer import import_file
from hotline_tui.services.importer.columns import alias_table, match_header, norm_header
from hotline_tui.services.importer.mapping import is_footer, map_row


def test_xlsx_with_title_rows_footer_excel_dates_and_numeric_phones(engine, db_path, tmp_path):
    rows = [
        order_row(1, 联系电话=13812345678.0),  # a phone stored as a float
        order_row(2, 工单编号="  XS20261102002 ", 联系电话="１３９ １２３４ ５６７８"),
        order_row(3, 来电时间=46328.375),  # an Excel serial number without a date format
        order_row(4, 来电时间="2026年11月2日 14时05分"),
        order_row(5, 来电时间="2026/11/2 下午 3:05:00", 紧急程度="特急"),
        order_row(6, 诉求内容="第一行\r\n\r\n  第二行  \n第三行", 标题=" 标题\n换行 "),
    ]
    path = write_xlsx(tmp_path / "export.xlsx", rows)
    result = import_file(engine, path)
    assert (result.created, result.updated, result.unchanged, result.rejected) == (6, 0, 0, [])
    got = orders(db_path)
    assert set(got) == {f"XS2026110200{i}" for i in range(1, 7)}
    assert got["XS20261102001"]["caller_phone"] == "13812345678"
    assert got["XS20261102002"]["caller_phone"] == "13912345678"
    assert got["XS20261102001"]["received_at"] == "2026-11-02 08:37:00"  # an Excel date cell
    assert got["XS20261102003"]["received_at"] == "2026-11-02 09:00:00"
    assert got["XS20261102004"]["received_at"] == "2026-11-02 14:05:00"
    assert got["XS20261102005"]["received_at"] == "2026-11-02 15:05:00"
    assert got["XS20261102005"]["urgent"] == 1 and got["XS20261102005"]["urgency"] == "特急"
    assert got["XS20261102001"]["urgent"] == 0
    assert got["XS20261102006"]["content"] == "第一行\n第二行\n第三行"
    assert got["XS20261102006"]["title"] == "标题 换行"
    assert got["XS20261102003"]["request_type"] == "投诉"
    assert got["XS20261102001"]["request_type"] == "咨询"
    assert got["XS20261102001"]["status"] == "new"


def test_rejected_rows_carry_spreadsheet_row_numbers(engine, db_path, tmp_path):
    rows = [
        order_row(1),                      # row 5 (title, 导出时间, blank, header above)
        order_row(2, 工单编号=None),        # row 6: no order number
        [None] * len(HEADER),              # row 7: blank line, skipped silently
        order_row(3, 来电时间="2026-02-30 09:00"),  # row 8: impossible date
        order_row(4, 来电时间=None),        # row 9: received time missing
        order_row(5, 来电时间="下周一"),      # row 10: not a date
        order_row(6),                      # row 11
        order_row(1, 标题="又一次"),         # row 12: repeats row 5
    ]
    path = write_xlsx(tmp_path / "export.xlsx", rows)  # row 13: 合计 footer
    result = import_file(engine, path)
    assert result.created == 2
    assert [r for r, _ in result.rejected] == [6, 8, 9, 10, 12]
    reasons = dict(result.rejected)
    assert "2026-02-30" in reasons[8] and "来电时间" in reasons[8]
    assert "来电时间" in reasons[9]
    assert "XS20261102001" in reasons[12] and "5" in reasons[12]
    assert set(orders(db_path)) == {"XS20261102001", "XS20261102006"}
    assert orders(db_path)["XS20261102001"]["title"] == "路灯不亮1"  # the first row won


def test_csv_rows_numbered_as_excel_shows_them_with_quoted_line_breaks(engine, tmp_path):
    rows = [order_row(1, 诉求内容="多行\n内容\n三行"), order_row(2, 工单编号=""), order_row(3)]
    path = write_csv(tmp_path / "export.csv", rows, encoding="gb18030")
    result = import_file(engine, path)
    # title (1), 导出时间 (2), header (3), data from row 4: the quoted cell stays one row
    assert result.rejected and result.rejected[0][0] == 5
    assert result.created == 2


def test_full_width_and_decorated_headers(engine, db_path, tmp_path):
    header = ["序号", "*工单编号：", "来电时间 ", "来 电 人", "联系电话*", "诉求类型",
              "诉求标题", "主要内容", "被反映街乡镇", "主办单位", "是否保密", "紧急程度"]
    header[1] = "＊工单编号："  # full-width asterisk and colon
    header[2] = "来电\n时间"  # a line break inside the header cell
    path = write_xlsx(tmp_path / "export.xlsx", [order_row(1)], header=header)
    assert import_file(engine, path).created == 1
    row = orders(db_path)["XS20261102001"]
    assert (row["caller_name"], row["area"], row["upstream_unit"]) == (
        "来电人1", "黑龙河乡", "县住建局")


def test_only_title_rows_and_no_footer(engine, tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", [order_row(1)], footer=False, title_rows=False)
    assert import_file(engine, path).created == 1


def test_footer_variants_are_not_rejected(engine, tmp_path):
    rows = [order_row(1), order_row(2), ["共2条"], ["总计", "", "", "", "", "", "2"],
            ["制表人：张三"], [None, "合计：2 件"]]
    path = write_xlsx(tmp_path / "export.xlsx", rows, footer=False)
    result = import_file(engine, path)
    assert (result.created, result.rejected) == (2, [])


def test_repeated_header_on_each_printed_page_is_skipped(engine, tmp_path):
    rows = [order_row(1), HEADER, order_row(2)]
    result = import_file(engine, write_xlsx(tmp_path / "export.xlsx", rows))
    assert (result.created, result.rejected) == (2, [])


def test_upstream_deadline_forms(engine, db_path, tmp_path):
    header = ["工单编号", "来电时间", "标题", "办理时限"]
    rows = [["A1", "2026-11-02 09:00", "t", datetime(2026, 11, 5)],
            ["A2", "2026-11-02 09:00", "t", "2026-11-06 17:30"],
            ["A3", "2026-11-02 09:00", "t", "5个工作日"],
            ["A4", "2026-11-02 09:00", "t", None],
            ["A5", "2026-11-02 09:00", "t", "2026-11-31"]]
    result = import_file(engine, write_xlsx(tmp_path / "e.xlsx", rows, header=header))
    got = orders(db_path)
    assert got["A1"]["upstream_due_at"] == "2026-11-05 23:59:59"  # a date alone: day's end
    assert got["A2"]["upstream_due_at"] == "2026-11-06 17:30:00"
    assert got["A3"]["upstream_due_at"] is None and got["A4"]["upstream_due_at"] is None
    assert [r for r, _ in result.rejected] == [9]  # header on row 4, A5 on row 9


# --- the pieces, table-driven


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("＊工单编号：", "工单编号"), (" 来电\n时间 ", "来电时间"), ("*联系电话*", "联系电话"),
        ("诉求内容:", "诉求内容"), ("ＡＢＣ", "abc"), (None, ""),
    ],
)
def test_norm_header(raw, expected):
    assert norm_header(raw) == expected


def test_header_needs_order_number_and_two_more_fields():
    table = alias_table()
    assert match_header(["工单编号", "来电时间"], table, 1) is None
    assert match_header(["来电时间", "标题", "诉求内容", "来电人"], table, 1) is None
    m = match_header(["序号", "受理编号", "受理时间", "诉求人"], table, 4)
    assert m is not None and m.row == 4
    assert dict(m.columns) == {"order_no": 1, "received_at": 2, "caller_name": 3}


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(13812345678.0, "13812345678"), (13812345678, "13812345678"),
     ("１３８ １２３４ ５６７８", "13812345678"), ("13812345678.0", "13812345678"),
     ("1.3812345678E+10", "13812345678"), ("0311-8123456", "0311-8123456"),
     ("13812345678，13912345678", "13812345678,13912345678"), (None, "")],
)
def test_phone_forms(raw, expected):
    assert clean_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(datetime(2026, 11, 2, 9, 3, 5), datetime(2026, 11, 2, 9, 3, 5)),
     (46328.5, datetime(2026, 11, 2, 12, 0)), ("46328", datetime(2026, 11, 2)),
     (20261102, datetime(2026, 11, 2)), ("2026-11-02 09:03:05", datetime(2026, 11, 2, 9, 3, 5)),
     ("2026/11/2 9:03", datetime(2026, 11, 2, 9, 3)), ("2026.11.02", datetime(2026, 11, 2)),
     ("2026年11月2日", datetime(2026, 11, 2)), ("２０２６-１１-０２", datetime(2026, 11, 2)),
     ("2026-11-02 09:03:05.250", datetime(2026, 11, 2, 9, 3, 5)),
     ("2026/11/2 上午 12:10", datetime(2026, 11, 2, 0, 10)), ("", None), (None, None),
     (46328.377083333337, datetime(2026, 11, 2, 9, 3)),  # rounded, not 09:02:59
     (datetime(2026, 11, 2, 9, 2, 59, 999999), datetime(2026, 11, 2, 9, 3))],
)
def test_date_forms(raw, expected):
    assert parse_datetime(raw) == expected


@pytest.mark.parametrize("raw", ["2026-02-30", "2026-13-01", "明天", "9:00"])
def test_impossible_dates(raw):
    with pytest.raises(BadDate):
        parse_datetime(raw)


def test_implausible_year_is_rejected():
    from hotline_tui.services.importer.mapping import RowRejected

    columns = {"order_no": 0, "received_at": 1}
    labels = {"order_no": "工单编号", "received_at": "来电时间"}
    with pytest.raises(RowRejected):
        map_row(["A1", 5], columns, labels)  # serial 5 = 1900-01-04: not meant as a date
    assert map_row(["A1", "2026-11-02"], columns, labels)["received_at"] == datetime(2026, 11, 2)


@pytest.mark.parametrize(
    ("row", "footer"),
    [(["合计", 3], True), ([None, "", "总计：3"], True), (["共 12 条"], True),
     (["小计"], True), (["1", "XS1"], False), (["合计费用问题"], True), ([], False)],
)
def test_footer_rows(row, footer):
    assert is_footer(row) is footer


@pytest.mark.parametrize(
    ("urgency", "urgent"),
    [("紧急", True), ("特急", True), ("加急件", True), ("一般", False), ("不紧急", False),
     ("非紧急", False), ("", False)],
)
def test_urgent_flag(engine, db_path, tmp_path, urgency, urgent):
    path = write_xlsx(tmp_path / "e.xlsx", [order_row(1, 紧急程度=urgency)])
    import_file(engine, path)
    assert bool(orders(db_path)["XS20261102001"]["urgent"]) is urgent


@pytest.mark.parametrize(
    ("value", "flag"), [("是", True), ("否", False), ("保密", True), ("不保密", False),
                        ("Y", True), (1, True), (None, False)],
)
def test_confidential_values(engine, db_path, tmp_path, value, flag):
    path = write_xlsx(tmp_path / "e.xlsx", [order_row(1, 是否保密=value)])
    import_file(engine, path)
    assert bool(orders(db_path)["XS20261102001"]["confidential"]) is flag
