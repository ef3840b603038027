"""The units directory: pinyin on add/edit, lookup by Chinese / pinyin / initials with a
sensible order, retire vs delete, and the unit list import (.csv in three encodings, .xlsx,
.json, the demo county)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from triage_helpers import add_order, add_units

from hotline_tui.errors import UserError
from hotline_tui.services import units as us
from hotline_tui.services.triage import triage


def _names(matches):
    return [m.unit.name for m in matches]


def test_add_computes_pinyin_and_initials(engine):
    u = us.add_unit(engine, "黑龙河乡", kind="乡镇", short_name="黑龙河", phone="１３８ 0000 1111")
    assert (u.pinyin, u.initials, u.kind) == ("heilonghexiang", "hlhx", "township")
    assert u.phone == "13800001111"
    with pytest.raises(UserError, match="已有"):
        us.add_unit(engine, "黑龙河乡", kind="township")


def test_edit_renames_and_recomputes_pinyin(engine):
    us.add_unit(engine, "黑龙河乡", kind="township")
    u = us.edit_unit(engine, "hlhx", name="黑龙潭镇", phone="0372-1")
    assert (u.name, u.pinyin, u.initials, u.phone) == ("黑龙潭镇", "heilongtanzhen", "hltz",
                                                       "0372-1")
    assert _names(us.lookup_units(engine, "hlt")) == ["黑龙潭镇"]
    assert us.lookup_units(engine, "hlhx") == []


@pytest.mark.parametrize("typed", ["黑龙", "hlh", "heilonghe", "HLH", "hei long he", "黑龙河"])
def test_lookup_finds_by_chinese_pinyin_and_initials(engine, typed):
    add_units(engine)
    assert _names(us.lookup_units(engine, typed))[0] == "黑龙河乡"


def test_lookup_finds_departments_by_short_name_initials(engine):
    add_units(engine)
    # 县住建局 -> 住建局 -> zjj; 县人社局 -> rsj
    assert _names(us.lookup_units(engine, "zjj"))[0] == "西山县住房和城乡建设局"
    assert _names(us.lookup_units(engine, "rsj"))[0] == "西山县人力资源和社会保障局"
    assert _names(us.lookup_units(engine, "人社"))[0] == "西山县人力资源和社会保障局"


def test_lookup_ranks_exact_then_prefix_then_usage(engine):
    ids = add_units(engine)
    # 'hs' : 黑山镇 (initials hsz, prefix) and others containing hs further in
    first = us.lookup_units(engine, "hs")
    assert first[0].unit.name == "黑山镇" and first[0].rank == 1
    # usage breaks ties between prefix matches: 黑龙河乡 and 黑山镇 both start with 'h'
    before = _names(us.lookup_units(engine, "h"))
    assert before.index("黑山镇") < before.index("黑龙河乡")  # fewer letters / pinyin order
    for i in range(3):
        add_order(engine, f"U{i}")
        triage(engine, f"U{i}", ids["黑龙河乡"], 3)
    after = us.lookup_units(engine, "h")
    assert after[0].unit.name == "黑龙河乡" and after[0].unit.usage == 3


def test_lookup_excludes_retired_units(engine):
    add_units(engine)
    us.retire_unit(engine, "黑龙河乡")
    assert "黑龙河乡" not in _names(us.lookup_units(engine, "hlh"))
    assert "黑龙河乡" in _names(us.lookup_units(engine, "hlh", include_retired=True))
    assert "黑龙河乡" not in [u.name for u in us.list_units(engine)]
    assert "黑龙河乡" in [u.name for u in us.list_units(engine, include_retired=True)]
    us.retire_unit(engine, "黑龙河乡", retired=False)
    assert "黑龙河乡" in _names(us.lookup_units(engine, "hlh"))


def test_resolve_unit_exact_unambiguous_ambiguous(engine):
    add_units(engine)
    assert us.resolve_unit(engine, "县住建局").name == "西山县住房和城乡建设局"
    assert us.resolve_unit(engine, "hlh").name == "黑龙河乡"
    with pytest.raises(UserError) as exc:
        us.resolve_unit(engine, "黑")  # 黑龙河乡 and 黑山镇
    assert "黑龙河乡" in str(exc.value) and "黑山镇" in str(exc.value)
    with pytest.raises(UserError, match="找不到"):
        us.resolve_unit(engine, "qqqq")
    us.retire_unit(engine, "黑山镇")
    with pytest.raises(UserError, match="已停用"):
        us.resolve_unit(engine, "黑山镇")


def test_delete_only_unused_units(engine):
    ids = add_units(engine)
    us.delete_unit(engine, "黑山镇")
    assert "黑山镇" not in [u.name for u in us.list_units(engine, include_retired=True)]
    add_order(engine, "D1")
    triage(engine, "D1", ids["黑龙河乡"], 0)
    with pytest.raises(UserError, match="停用"):
        us.delete_unit(engine, "黑龙河乡")


@pytest.mark.parametrize("kind,name,expected", [
    ("乡镇", "", "township"), ("街道", "", "township"), ("乡镇（街道）", "", "township"),
    ("县直部门", "", "department"), ("部门", "", "department"), ("企业", "", "other"),
    ("", "黑龙河乡", "township"), ("", "西山县教育局", "department"), ("", "国网供电公司", "other"),
    ("department", "", "department"),
])
def test_parse_unit_kind(kind, name, expected):
    assert us.parse_unit_kind(kind, name) == expected


def _write_csv(path: Path, rows: list[list[str]], encoding: str) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_import_csv_encodings_aliases_and_bad_rows(engine, tmp_path, encoding):
    us.add_unit(engine, "黑龙河乡", kind="township", phone="111")
    rows = [
        ["西山县承办单位名录"],  # a title row above the header
        ["名称", "单位简称", "单位类别", "电话", "联系人"],
        ["黑龙河乡", "黑龙河", "乡镇", "0372-6012201", "李卫东"],  # existing: updated
        ["西山县教育局", "县教育局", "县直部门", "0372-6101102", "张三"],
        ["", "无名", "乡镇", "1", ""],  # no name
        ["", "", "", "", ""],  # blank line: skipped
        ["西山县教育局", "", "", "", ""],  # duplicate of row 4
        ["国网西山县供电公司", "", "企业", "", ""],
    ]
    path = _write_csv(tmp_path / "units.csv", rows, encoding)
    report = us.import_units(engine, path)
    assert report.added == ["西山县教育局", "国网西山县供电公司"]
    assert report.updated == ["黑龙河乡"]
    assert [r for r, _ in report.errors] == [5, 7]
    assert "缺少单位名称" in report.errors[0][1] and "4" in report.errors[1][1]
    by_name = {u.name: u for u in us.list_units(engine)}
    assert by_name["黑龙河乡"].phone == "0372-6012201"
    assert by_name["黑龙河乡"].short_name == "黑龙河"
    assert by_name["西山县教育局"].kind == "department"
    assert by_name["西山县教育局"].initials == "xsxjyj"
    assert by_name["国网西山县供电公司"].kind == "other"
    # importing again changes nothing
    again = us.import_units(engine, path)
    assert again.added == [] and again.updated == []
    assert len(again.unchanged) == 3


def test_import_xlsx(engine, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["单位名称", "简称", "类别", "联系电话", "负责人"])
    ws.append(["石门镇", "石门", "乡镇", 13800001111, "王五"])  # phone stored as a number
    ws.append(["西山县民政局", "县民政局", "县直部门", "0372-6101103", "赵六"])
    path = tmp_path / "units.xlsx"
    wb.save(path)
    report = us.import_units(engine, path)
    assert report.added == ["石门镇", "西山县民政局"] and report.errors == []
    u = us.get_unit(engine, "石门")
    assert (u.kind, u.phone, u.initials) == ("township", "13800001111", "smz")


def test_import_without_name_column_is_a_user_error(engine, tmp_path):
    path = _write_csv(tmp_path / "x.csv", [["a", "b"], ["1", "2"]], "utf-8")
    with pytest.raises(UserError, match="单位名称"):
        us.import_units(engine, path)


def test_shipped_template_imports_cleanly(engine):
    from hotline_tui.config import shipped_data

    report = us.import_units(engine, shipped_data("units_template.csv"))
    assert len(report.added) >= 2 and report.errors == []
    kinds = {u.kind for u in us.list_units(engine)}
    assert {"township", "department"} <= kinds


def test_load_demo_county(engine):
    report = us.load_demo_county(engine)
    assert len(report.added) >= 20 and report.errors == []
    units = us.list_units(engine)
    assert all(u.pinyin and u.initials for u in units)
    assert {u.kind for u in units} >= {"township", "department"}
    # loading twice adds nothing
    assert us.load_demo_county(engine).added == []
