"""`hotline owner` and `hotline owners import|list|change|phone|export|rates`: output, JSON
shape, and one-sentence errors with exit code 1."""

import json
import sys
from datetime import datetime

import pytest
from clock_support import fixed_clock
from owners_data import make_order, make_unit
from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.cli.common import run_guarded
from hotline_tui.errors import UserError
from hotline_tui.store.engine import open_database

runner = CliRunner()
NOW = datetime(2026, 11, 30, 10, 0)


_clock = fixed_clock(NOW)


@pytest.fixture
def db(db_path):
    eng = open_database(db_path)
    unit = make_unit(eng, "黑龙河乡", "黑龙河", "hlhx")
    for no in ("A1", "A2", "A3"):
        make_order(eng, no, unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    make_order(eng, "B1", unit, dispatched_at=datetime(2026, 11, 20, 9, 0))
    eng.dispose()
    return db_path


def run(db, *args):
    return runner.invoke(app, [*args, "--db", str(db)])


def test_owner_signs_and_prints(db):
    res = run(db, "owner", "A1", "--name", "张三", "--phone", "138 1234 5678", "--post", "主任")
    assert res.exit_code == 0, res.output
    assert "工单 A1 已签收：张三 13812345678 (主任)" in res.stdout
    res = run(db, "owner", "B1", "--name", "张三", "--phone", "13812345678")
    assert "超过签收时限 2026-11-23 23:59" in res.stdout


def test_owner_json_and_bulk(db):
    res = run(db, "owner", "A1", "A2", "--name", "王芳", "--phone", "13512345678",
              "--at", "2026年11月30日 8时", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert [d["order_no"] for d in data] == ["A1", "A2"]
    assert data[0]["signed_at"] == "2026-11-30T08:00:00"
    assert data[0]["limit_end"] == "2026-11-30T23:59:59"
    assert data[0]["late"] is False and data[0]["owner_created"] is True
    assert data[1]["owner"]["id"] == data[0]["owner"]["id"]


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["owner", "A1", "--name", "张三", "--phone", "1381234"], "电话“1381234”不正确"),
        (["owner", "ZZ9", "--name", "张三", "--phone", "13812345678"], "找不到工单 ZZ9"),
        (["owner", "A1", "--name", "张三", "--phone", "13812345678", "--at", "后天"],
         "签收时间“后天”无法识别"),
        (["owners", "change", "A1", "--name", "李四", "--phone", "13900001111",
          "--reason", "调岗"], "不能执行“更换首接负责人”"),
        (["owners", "rates", "--month", "2026-13"], "月份“2026-13”不正确"),
        (["owners", "list", "--unit", "不存在的单位"], "不存在的单位"),
    ],
)
def test_errors_are_one_sentence_exit_1(db, monkeypatch, capsys, args, fragment):
    res = run(db, *args)
    assert res.exit_code == 1
    assert isinstance(res.exception, UserError)
    monkeypatch.setattr(sys, "argv", ["hotline", *args, "--db", str(db)])
    assert run_guarded(app) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：") and fragment in err
    assert "\n" not in err and "Traceback" not in err


def test_change_and_list(db):
    run(db, "owner", "A1", "--name", "张三", "--phone", "13812345678")
    res = run(db, "owners", "change", "A1", "--name", "李四", "--phone", "13900001111",
              "--reason", "张三休假")
    assert res.exit_code == 0, res.output
    assert "由 张三 13812345678 改为 李四 13900001111" in res.stdout
    res = run(db, "owners", "list", "--json")
    data = json.loads(res.stdout)
    assert {(d["name"], d["open"]) for d in data} == {("张三", 0), ("李四", 1)}
    res = run(db, "owners", "list", "--open", "--unit", "hlhx")
    assert "李四" in res.stdout and "张三" not in res.stdout
    lisi = next(d for d in data if d["name"] == "李四")
    res = run(db, "owners", "phone", str(lisi["owner_id"]), "13900002222", "--json")
    assert json.loads(res.stdout)["open_orders"] == ["A1"]


def test_import_export_rates(db, tmp_path):
    path = tmp_path / "回执.csv"
    path.write_text("工单编号,首接负责人,负责人电话,签收时间\nA1,张三,13812345678,2026-11-28 9:00\n"
                    "A2,李四,139,2026-11-28 9:00\nA9,王五,13700002222,\n", encoding="utf-8")
    res = run(db, "owners", "import", str(path))
    assert res.exit_code == 0, res.output
    assert "签收 1 件" in res.stdout and "未采用 2 行" in res.stdout
    assert "第 3 行：工单 A2 的电话“139”" in res.stdout
    assert "第 4 行：工单编号 A9 不存在" in res.stdout
    res = run(db, "owners", "import", str(path), "--json")
    data = json.loads(res.stdout)
    assert data["signed"] == [] and [u["order_no"] for u in data["unchanged"]] == ["A1"]
    assert [r["reason"] for r in data["rejected"]] == ["bad_phone", "unknown_order"]
    out = tmp_path / "roster.xlsx"
    res = run(db, "owners", "export", str(out))
    assert res.exit_code == 0 and out.exists() and "1 人" in res.stdout
    res = run(db, "owners", "rates", "--month", "2026-11", "--json")
    rates = json.loads(res.stdout)
    assert rates["total"]["dispatched"] == 4
    assert rates["total"]["sign_rate"] == {"numerator": 1, "denominator": 4, "value": 0.25}
    res = run(db, "owners", "rates", "--month", "2026-11")
    assert "签收率 = 签收件数 / 交办件数" in res.stdout and "25.0%" in res.stdout
    res = run(db, "owners", "import", str(tmp_path / "none.xlsx"))
    assert res.exit_code == 1


def test_english(db):
    res = runner.invoke(app, ["--lang", "en", "owner", "A1", "--name", "张三", "--phone",
                              "13812345678", "--db", str(db)])
    try:
        assert res.exit_code == 0, res.output
        assert "Order A1 signed for: 张三 13812345678" in res.stdout
    finally:
        from hotline_tui.i18n import set_lang

        set_lang("zh")
