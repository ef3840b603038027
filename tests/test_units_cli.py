"""`hotline units list|find|import|add|edit|retire|delete`: JSON shapes, bad rows reported
with their row numbers, one-sentence errors."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.errors import UserError

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["units", *args, "--db", str(db_path)])


def test_add_list_find_retire(db_path):
    res = run(db_path, "add", "黑龙河乡", "--kind", "乡镇", "--short", "黑龙河", "--phone",
              "0372-6012201", "--leader", "李卫东")
    assert res.exit_code == 0, res.output
    assert "hlhx" in res.stdout
    assert run(db_path, "add", "西山县教育局", "--kind", "县直部门").exit_code == 0
    data = json.loads(run(db_path, "list", "--json").stdout)
    assert [u["name"] for u in data] == ["黑龙河乡", "西山县教育局"]  # townships first
    assert data[0] | {"id": 0} == {
        "id": 0, "name": "黑龙河乡", "short_name": "黑龙河", "kind": "township",
        "phone": "0372-6012201", "leader": "李卫东", "pinyin": "heilonghexiang",
        "initials": "hlhx", "retired": False, "usage": 0,
    }
    found = json.loads(run(db_path, "find", "heilong", "--json").stdout)
    assert [f["name"] for f in found] == ["黑龙河乡"] and found[0]["rank"] == 1
    assert run(db_path, "retire", "hlh").exit_code == 0
    assert [u["name"] for u in json.loads(run(db_path, "list", "--json").stdout)] == ["西山县教育局"]
    all_units = json.loads(run(db_path, "list", "--all", "--json").stdout)
    assert [u["retired"] for u in all_units] == [False, True]
    res = run(db_path, "list")
    assert res.exit_code == 0 and "西山县教育局" in res.stdout and "共 1 个单位" in res.stdout
    assert run(db_path, "retire", "黑龙河乡", "--undo").exit_code == 0
    assert run(db_path, "edit", "西山县教育局", "--short", "县教育局").exit_code == 0
    assert json.loads(run(db_path, "find", "jyj", "--json").stdout)[0]["short_name"] == "县教育局"
    assert run(db_path, "delete", "西山县教育局").exit_code == 0


def test_import_reports_bad_rows(db_path, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("单位名称,简称,类别,联系电话,负责人\n石门镇,石门,乡镇,1,王\n,无名,乡镇,,\n"
                    "石门镇,,,,\n", encoding="gb18030")
    res = run(db_path, "import", str(path), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["added"] == ["石门镇"]
    assert [e["row"] for e in data["errors"]] == [3, 4]
    res = run(db_path, "import", str(path))
    assert "第 3 行" in res.stdout and "第 4 行" in res.stdout


def test_errors_exit_1(db_path, tmp_path):
    assert run(db_path, "add", "黑龙河乡", "--kind", "乡镇").exit_code == 0
    res = run(db_path, "add", "黑龙河乡", "--kind", "乡镇")
    assert res.exit_code == 1 and isinstance(res.exception, UserError)
    res = run(db_path, "retire", "不存在的单位")
    assert res.exit_code == 1 and isinstance(res.exception, UserError)
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    res = run(db_path, "import", str(bad))
    assert res.exit_code == 1 and isinstance(res.exception, UserError)


def test_rebuild_stats(db_path):
    from triage_helpers import add_order, add_units

    from hotline_tui.services.triage import triage
    from hotline_tui.store.engine import open_database

    eng = open_database(db_path)
    add_units(eng)
    add_order(eng, "S1")
    triage(eng, "S1", "hlh", 3)
    eng.dispose()
    res = run(db_path, "rebuild-stats", "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["orders"] == 1
    assert json.loads(run(db_path, "list", "--json").stdout)[0]["usage"] == 1
