"""`hotline triage`, `hotline direct`, `hotline return`, `hotline kb`: JSON shapes, unit by
initials, tier by days, bulk, one-sentence errors with exit 1."""

from __future__ import annotations

import json
import sys

import pytest
from triage_helpers import add_order, add_units, dispatch, events
from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.cli.common import run_guarded
from hotline_tui.errors import UserError
from hotline_tui.store.engine import open_database

runner = CliRunner()


@pytest.fixture
def db(db_path):
    eng = open_database(db_path)
    add_units(eng)
    for no in ("C1", "C2", "C3"):
        add_order(eng, no, title="社保卡丢了怎么补办", content="来电咨询社保卡丢失后如何补办")
    yield db_path, eng
    eng.dispose()


def run(db_path, *args):
    return runner.invoke(app, [*args, "--db", str(db_path)])


def test_triage_json_by_initials_and_day_count(db):
    path, eng = db
    res = run(path, "triage", "C1", "--unit", "hlh", "--assist", "黑山镇", "--assist", "xcjd",
              "--tier", "0", "--type", "求助", "--urgent", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data == {
        "order_no": "C1", "event": "triage", "status": "triaged", "unit_id": data["unit_id"],
        "unit": "黑龙河乡", "assist": ["黑山镇", "西城街道"], "tier_days": 0, "tier": "当日",
        "request_type": "求助", "urgent": True,
    }
    assert [e for e, _, _ in events(eng, "C1")] == ["create", "triage"]
    res = run(path, "triage", "C1", "--not-urgent", "--no-assist", "--json")
    data = json.loads(res.stdout)
    assert data["event"] == "retriage" and data["urgent"] is False and data["assist"] == []


def test_triage_bulk_and_text_output(db):
    path, _ = db
    res = run(path, "triage", "C1", "C2", "--unit", "县人社局", "--tier", "5日")
    assert res.exit_code == 0, res.output
    assert res.stdout.count("已分拣") == 2 and "西山县人力资源和社会保障局" in res.stdout


def test_triage_suggest_shows_units_repeats_answers(db):
    path, eng = db
    run(path, "triage", "C1", "--unit", "县人社局", "--tier", "3")
    res = run(path, "triage", "C2", "--suggest", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["units"][0]["unit"] == "西山县人力资源和社会保障局"
    assert {r["order_no"] for r in data["repeats"]} == {"C1", "C3"}  # same text, same area
    assert all(r["why"] == ["text"] for r in data["repeats"])
    assert data["answers"][0]["topic"] == "社保卡办理"
    assert events(eng, "C2")[-1][0] == "create"  # --suggest changes nothing


@pytest.mark.parametrize("args,needle", [
    (["triage", "C1", "--unit", "黑", "--tier", "3"], "多个单位"),
    (["triage", "C1", "--unit", "hlh", "--tier", "7"], "办理时限"),
    (["triage", "C1", "--unit", "hlh", "--tier", "3", "--type", "吐槽"], "诉求类型"),
    (["triage", "NOPE", "--unit", "hlh", "--tier", "3"], "找不到工单"),
    (["direct", "C1", "--answer", "99999"], "没有编号"),
    (["return", "C1", "--reason", "不是我们的"], "待分拣"),
    (["return", "C1"], "理由"),
])
def test_errors_are_one_sentence_exit_1(db, monkeypatch, capsys, args, needle):
    path, _ = db
    monkeypatch.setattr(sys, "argv", ["hotline", *args, "--db", str(path)])
    assert run_guarded(app) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：") and needle in err
    assert "\n" not in err and "Traceback" not in err
    res = run(path, *args)
    assert res.exit_code == 1 and isinstance(res.exception, UserError)


def test_direct_answer_cli(db):
    path, eng = db
    hit = json.loads(run(path, "kb", "search", "社保卡", "--json").stdout)[0]
    res = run(path, "direct", "C3", "--answer", str(hit["id"]), "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["status"] == "closed" and data["topic"] == "社保卡办理"
    assert data["closed_at"].count("T") == 1
    assert events(eng, "C3")[-1][0] == "direct_answer"


def test_return_cli(db):
    path, eng = db
    run(path, "triage", "C2", "--unit", "hlh", "--tier", "3")
    dispatch(eng, "C2")
    res = run(path, "return", "C2", "--reason", "非本乡职责", "--basis", "职责清单第3条", "--json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert (data["status"], data["unit"], data["reason"], data["basis"]) == (
        "new", "黑龙河乡", "非本乡职责", "职责清单第3条")


def test_kb_list_search_add_retire(db):
    path, _ = db
    listed = json.loads(run(path, "kb", "list", "--json").stdout)
    assert len(listed) >= 30 and {"id", "topic", "keywords", "answer", "basis"} <= set(listed[0])
    res = run(path, "kb", "search", "低保")
    assert res.exit_code == 0 and "低保申请条件" in res.stdout
    res = run(path, "kb", "add", "犬只登记", "--answer", "到派出所登记。", "--keywords", "养狗 狗证")
    assert res.exit_code == 0, res.output
    found = json.loads(run(path, "kb", "search", "狗证", "--json").stdout)
    assert found[0]["topic"] == "犬只登记"
    assert run(path, "kb", "retire", str(found[0]["id"])).exit_code == 0
    assert json.loads(run(path, "kb", "search", "狗证", "--json").stdout) == []
    assert "没有找到" in run(path, "kb", "search", "火星移民").stdout
