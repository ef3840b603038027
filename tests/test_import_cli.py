"""`hotline import`: readable summary, --json shapes, exit codes, one-sentence errors."""

from __future__ import annotations

import json

import pytest
from _import_util import count, order_row, orders, write_csv, write_xlsx
from typer.testing import CliRunner

from hotline_tui.cli import app


@pytest.fixture
def run(db_path):
    runner = CliRunner()

    def _run(*args: str):
        return runner.invoke(app, ["import", *args, "--db", str(db_path)])

    return _run


def test_summary_lists_rejected_rows(run, db_path, tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx",
                      [order_row(1), order_row(2, 来电时间="2026-02-30"), order_row(3)])
    res = run(str(path))
    assert res.exit_code == 0, res.output
    assert "新增 2 条" in res.stdout and "拒收 1 条" in res.stdout
    assert "第 6 行" in res.stdout and "2026-02-30" in res.stdout
    assert set(orders(db_path)) == {"XS20261102001", "XS20261102003"}


def test_json_for_one_file_is_the_result_object(run, tmp_path):
    path = write_csv(tmp_path / "export.csv", [order_row(1), order_row(2, 工单编号="")],
                     encoding="gbk")
    res = run(str(path), "--json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert data == {"created": 1, "updated": 0, "unchanged": 0,
                    "rejected": [{"row": 5, "reason": data["rejected"][0]["reason"]}]}
    again = json.loads(run(str(path), "--json").stdout)
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_json_for_several_files_is_a_list_with_file(run, db_path, tmp_path):
    a = write_xlsx(tmp_path / "a.xlsx", [order_row(1)])
    b = write_csv(tmp_path / "b.csv", [order_row(1, 标题="新"), order_row(2)])
    res = run(str(a), str(b), "--json")
    assert res.exit_code == 0
    data = json.loads(res.stdout)
    assert [d["file"] for d in data] == [str(a), str(b)]
    assert [(d["created"], d["updated"]) for d in data] == [(1, 0), (1, 1)]
    assert set(data[0]) == {"file", "created", "updated", "unchanged", "rejected"}


def test_unreadable_file_exit_1_others_still_imported(run, db_path, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [order_row(1)])
    bad = tmp_path / "bad.csv"
    bad.write_bytes(bytes(range(256)) * 8)
    res = run(str(bad), str(good), "--json")
    assert res.exit_code == 1
    data = json.loads(res.stdout)
    assert data[0]["file"] == str(bad) and data[0]["error"]
    assert data[1]["created"] == 1
    assert "Traceback" not in res.output
    assert count(db_path, "work_order") == 1


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_missing_file_is_one_sentence(run, db_path, tmp_path, json_flag):
    res = run(str(tmp_path / "nope.xlsx"), *json_flag)
    assert res.exit_code == 1
    assert res.stdout == ""
    lines = res.stderr.strip().splitlines()
    assert len(lines) == 1 and "nope.xlsx" in lines[0] and lines[0].startswith("错误")
    assert res.exception is None or isinstance(res.exception, SystemExit)


def test_corrupt_xlsx_one_sentence_and_nothing_written(run, db_path, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [order_row(i) for i in range(1, 30)])
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(good.read_bytes()[:3000])
    res = run(str(bad))
    assert res.exit_code == 1
    assert len(res.stderr.strip().splitlines()) == 1 and "bad.xlsx" in res.stderr
    assert count(db_path, "work_order") == 0


def test_english_messages(db_path, tmp_path):
    path = write_xlsx(tmp_path / "e.xlsx", [order_row(1), order_row(2, 工单编号=None)])
    try:
        res = CliRunner().invoke(app, ["--lang", "en", "import", str(path), "--db", str(db_path)])
    finally:
        from hotline_tui import i18n

        i18n.set_lang("zh")
    assert res.exit_code == 0
    assert "1 created" in res.stdout and "row 6: no order number" in res.stdout


def test_console_script_exit_code(db_path, tmp_path):
    """The installed entry point (run_guarded) passes exit code 1 through."""
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-m", "hotline_tui", "import", str(tmp_path / "none.csv"),
         "--db", str(db_path)], capture_output=True, text=True)
    assert res.returncode == 1
    assert "none.csv" in res.stderr and "Traceback" not in res.stderr
