"""`hotline calendar show|due|set|import`: text, JSON shape, warnings, one-sentence errors."""

import json
import sys

import pytest
from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.cli.common import run_guarded
from hotline_tui.errors import UserError

runner = CliRunner()


def run(db_path, *args):
    return runner.invoke(app, ["calendar", *args, "--db", str(db_path)])


def test_due_json_shape_with_fallback(db_path):
    res = run(db_path, "due", "2026-12-28", "15", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data == {
        "dispatched_at": "2026-12-28T00:00:00",
        "days": 15,
        "due_at": "2027-01-18T23:59:59",
        "fallback_years": [2027],
    }
    assert "2027 年节假日安排未录入，按周末计算" in res.stderr


def test_due_text_and_tier_name(db_path):
    res = run(db_path, "due", "2025-01-24 16:30", "3日")
    assert res.exit_code == 0, res.output
    assert "2025-02-05 23:59:59" in res.stdout and "周三" in res.stdout
    assert "未录入" not in res.output
    res = run(db_path, "due", "2025-01-30", "0", "--json")
    assert json.loads(res.stdout)["due_at"] == "2025-02-05T23:59:59"


def test_due_with_upstream(db_path):
    res = run(db_path, "due", "2025-01-24", "3", "--upstream", "2025-02-03 12:00", "--json")
    data = json.loads(res.stdout)
    assert data["due_at"] == "2025-02-03T12:00:00"
    assert data["computed_due_at"] == "2025-02-05T23:59:59"


def test_show_package_year(db_path):
    res = run(db_path, "show", "2025")
    assert res.exit_code == 0, res.output
    assert "chinesecalendar" in res.stdout
    assert "2025-01-26" in res.stdout and "2025-10-11" in res.stdout
    res = run(db_path, "show", "2025", "--json")
    data = json.loads(res.stdout)
    assert data["status"] == "package" and not data["fallback"]
    days = {d["date"]: d for d in data["days"]}
    assert days["2025-02-08"]["kind"] == "workday" and days["2025-02-08"]["weekday"] == 6
    assert days["2025-10-06"]["kind"] == "holiday" and days["2025-10-06"]["source"] == "package"


def test_missing_year_then_set_then_show(db_path):
    res = run(db_path, "show", "2027")
    assert res.exit_code == 0
    assert "2027 年节假日安排未录入，按周末计算" in res.output
    res = run(db_path, "set", "2027", "--holiday", "2027-01-01:元旦",
              "--holiday", "2027-02-06..2027-02-08:春节", "--workday", "2027-01-16:调休")
    assert res.exit_code == 0, res.output
    assert "放假 4 天" in res.stdout
    res = run(db_path, "show", "2027", "--json")
    data = json.loads(res.stdout)
    assert data["status"] == "entered" and not data["fallback"]
    assert [(d["date"], d["kind"], d["source"]) for d in data["days"]][:2] == [
        ("2027-01-01", "holiday", "entered"), ("2027-01-16", "workday", "entered")
    ]
    res = run(db_path, "due", "2026-12-28", "15", "--json")
    data = json.loads(res.stdout)
    assert data["fallback_years"] == [] and data["due_at"] == "2027-01-18T23:59:59"
    assert "未录入" not in res.stderr
    res = run(db_path, "set", "2027", "--clear")
    assert res.exit_code == 0
    assert json.loads(run(db_path, "show", "2027", "--json").stdout)["status"] == "missing"


def test_entered_over_package_is_marked(db_path):
    res = run(db_path, "set", "2025", "--workday", "2025-10-08:本地上班")
    assert res.exit_code == 0, res.output
    assert "本单位录入(改内置)" in res.stdout
    data = json.loads(run(db_path, "due", "2025-09-30", "3", "--json").stdout)
    assert data["due_at"] == "2025-10-10T23:59:59"


def test_import_command(db_path, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("date,kind,name\n2027-01-01,休,元旦\n2027-01-16,班,调休\n", encoding="utf-8")
    res = run(db_path, "import", str(path), "--json")
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout) == {"years": [
        {"year": 2027, "status": "entered", "entered_holidays": 1, "entered_workdays": 1}
    ]}


@pytest.mark.parametrize(
    "args",
    [
        ["due", "2026-13-01", "3"],
        ["due", "2026-12-28", "many"],
        ["set", "2027", "--holiday", "2027-02-30:春节"],
        ["set", "2027"],
    ],
)
def test_bad_input_is_a_user_error(db_path, args):
    res = run(db_path, *args)
    assert res.exit_code == 1
    assert isinstance(res.exception, UserError)


def test_bad_date_is_one_sentence_exit_1(db_path, monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["hotline", "calendar", "due", "2026-13-01", "3",
                                      "--db", str(db_path)])
    assert run_guarded(app) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：") and "2026-13-01" in err
    assert "\n" not in err and "Traceback" not in err


def test_import_bad_row_is_one_sentence(db_path, tmp_path, monkeypatch, capsys):
    path = tmp_path / "bad.csv"
    path.write_text("date,kind,name\n2027-01-01,休,元旦\n2027-01-02,午休,x\n", encoding="utf-8")
    monkeypatch.setattr(sys, "argv", ["hotline", "calendar", "import", str(path),
                                      "--db", str(db_path)])
    assert run_guarded(app) == 1
    err = capsys.readouterr().err.strip()
    assert err == "错误：第 3 行的类型“午休”无法识别，应为 休/放假 或 班/上班。"


def test_english(db_path):
    res = runner.invoke(app, ["--lang", "en", "calendar", "due", "2026-12-28", "15",
                              "--db", str(db_path)])
    try:
        assert "No holiday arrangement entered for 2027" in res.output
        assert "2027-01-18 23:59:59 (Mon)" in res.stdout
    finally:
        from hotline_tui import i18n

        i18n.set_lang("zh")
