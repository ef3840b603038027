"""Reading upstream exports: each CSV encoding and delimiter, .xlsx decided by content, and
files that cannot be read at all (one clear error, nothing written)."""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from _import_util import count, order_row, orders, write_csv, write_xlsx

from hotline_tui.errors import UserError
from hotline_tui.i18n import t
from hotline_tui.services.importer import import_file


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_csv_encodings_detected(engine, db_path, tmp_path, encoding):
    rows = [order_row(i, 诉求内容=f"黑龙河乡石门村路灯不亮第{i}次，请修复") for i in range(1, 6)]
    path = write_csv(tmp_path / "export.csv", rows, encoding=encoding)
    result = import_file(engine, path)
    assert (result.created, result.rejected) == (5, [])
    got = orders(db_path)
    assert got["XS20261102003"]["content"] == "黑龙河乡石门村路灯不亮第3次，请修复"
    assert got["XS20261102003"]["caller_name"] == "来电人3"


def test_utf16_text_export(engine, db_path, tmp_path):
    """Excel's "Unicode text" (UTF-16 with BOM, tab-separated) reads as well."""
    path = write_csv(tmp_path / "export.txt", [order_row(1)], encoding="utf-16",
                     delimiter="\t")
    assert import_file(engine, path).created == 1
    assert orders(db_path)["XS20261102001"]["title"] == "路灯不亮1"


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_csv_delimiters_detected(engine, db_path, tmp_path, delimiter):
    rows = [order_row(i, 诉求内容="内容，含中文逗号, ascii comma; and semicolon") for i in (1, 2)]
    path = write_csv(tmp_path / "export.csv", rows, delimiter=delimiter)
    result = import_file(engine, path)
    assert result.created == 2
    assert orders(db_path)["XS20261102002"]["content"] == (
        "内容，含中文逗号, ascii comma; and semicolon"
    )


def test_xlsx_named_csv_is_read_as_xlsx(engine, db_path, tmp_path):
    xlsx = write_xlsx(tmp_path / "a.xlsx", [order_row(1), order_row(2)])
    disguised = tmp_path / "export.csv"
    disguised.write_bytes(xlsx.read_bytes())
    assert import_file(engine, disguised).created == 2


def _assert_unreadable(engine, db_path, path, key):
    with pytest.raises(UserError) as info:
        import_file(engine, path)
    assert info.value.key == key
    sentence = str(info.value)
    assert "\n" not in sentence and Path(path).name in sentence
    assert count(db_path, "work_order") == 0
    assert count(db_path, "order_history") == 0


def test_missing_file(engine, db_path, tmp_path):
    _assert_unreadable(engine, db_path, tmp_path / "nope.xlsx", "import.missing")


def test_folder_instead_of_file(engine, db_path, tmp_path):
    (tmp_path / "dir.csv").mkdir()
    _assert_unreadable(engine, db_path, tmp_path / "dir.csv", "import.is_dir")


@pytest.mark.parametrize("content", [b"", b"   \r\n\r\n"])
def test_empty_file(engine, db_path, tmp_path, content):
    path = tmp_path / "empty.csv"
    path.write_bytes(content)
    _assert_unreadable(engine, db_path, path, "import.empty")


@pytest.mark.parametrize("name", ["random.csv", "random.xlsx", "random.txt"])
def test_random_bytes(engine, db_path, tmp_path, name):
    path = tmp_path / name
    path.write_bytes(random.Random(7).randbytes(4096))
    with pytest.raises(UserError) as info:
        import_file(engine, path)
    assert info.value.key in {"import.binary", "import.corrupt", "import.bad_encoding"}
    assert count(db_path, "work_order") == 0


def test_truncated_xlsx(engine, db_path, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [order_row(i) for i in range(1, 50)])
    bad = tmp_path / "truncated.xlsx"
    data = good.read_bytes()
    bad.write_bytes(data[: len(data) // 2])
    _assert_unreadable(engine, db_path, bad, "import.corrupt")


def test_old_xls_and_encrypted_xlsx(engine, db_path, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000))
    _assert_unreadable(engine, db_path, path, "import.old_xls")


def test_html_saved_as_xls(engine, db_path, tmp_path):
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>工单编号</td></tr></table></body></html>",
                    encoding="utf-8")
    _assert_unreadable(engine, db_path, path, "import.html")


def test_text_in_an_xlsx_name(engine, db_path, tmp_path):
    path = tmp_path / "export.xlsx"
    path.write_text("工单编号,来电时间\nA1,2026-11-02\n", encoding="utf-8")
    _assert_unreadable(engine, db_path, path, "import.corrupt")


def test_undecodable_text(engine, db_path, tmp_path):
    path = tmp_path / "export.csv"
    # valid neither as UTF-8 nor as GB18030 (0x80 alone, 0xFF)
    path.write_bytes("工单编号,来电时间\n".encode() + b"A1,\x80\xff\x80\xff 2026\n")
    _assert_unreadable(engine, db_path, path, "import.bad_encoding")


def test_no_header_row(engine, db_path, tmp_path):
    path = write_csv(tmp_path / "export.csv", [["a", "b", "c"]], header=["甲", "乙", "丙"])
    _assert_unreadable(engine, db_path, path, "import.no_header")
    assert "工单编号" in t("import.no_header", file="x", rows=20, names="工单编号")


def test_header_below_twenty_rows_is_not_searched(engine, db_path, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for i in range(25):
        ws.append([f"说明第{i}行"])
    ws.append(["工单编号", "来电时间", "标题", "诉求内容"])
    ws.append(["A1", "2026-11-02 09:00", "t", "c"])
    wb.save(tmp_path / "deep.xlsx")
    _assert_unreadable(engine, db_path, tmp_path / "deep.xlsx", "import.no_header")


def test_header_without_received_time_column(engine, db_path, tmp_path):
    path = write_csv(tmp_path / "export.csv", [["A1", "t", "c"]],
                     header=["工单编号", "标题", "诉求内容"])
    _assert_unreadable(engine, db_path, path, "import.no_received_column")


def test_header_found_on_second_sheet(engine, db_path, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "说明"
    wb.active.append(["本表由平台导出"])
    ws = wb.create_sheet("工单")
    ws.append(["工单编号", "来电时间", "标题", "诉求内容"])
    ws.append(["A1", "2026-11-02 09:00", "t", "c"])
    wb.save(tmp_path / "two.xlsx")
    assert import_file(engine, tmp_path / "two.xlsx").created == 1


def test_wrong_declared_dimensions_do_not_cut_rows(engine, db_path, tmp_path):
    """Some exporters declare <dimension ref="A1:B2"/> for a bigger sheet; every row is read."""
    import re
    import zipfile

    good = write_xlsx(tmp_path / "good.xlsx", [order_row(i) for i in range(1, 41)])
    bad = tmp_path / "dims.xlsx"
    with zipfile.ZipFile(good) as zin, zipfile.ZipFile(bad, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data, n = re.subn(rb'<dimension ref="[^"]+"', b'<dimension ref="A1:B2"', data)
                assert n == 1
            zout.writestr(item, data)
    assert import_file(engine, bad).created == 40
