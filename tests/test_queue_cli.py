"""The queue from the command line: `hotline queue/chase/chase-notice/extend/sponsor/
progress/supervision/candidates/merge/meeting`, JSON shapes, and one-sentence errors."""

from __future__ import annotations

import json
import sys
from datetime import date

import pytest
from clock_support import fixed_clock
from test_queue_support import NOW, add_owner, add_unit, eod, events, make_order, order
from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.store.engine import session

runner = CliRunner()


_clock = fixed_clock(NOW)


@pytest.fixture
def seeded(engine):
    with session(engine) as s:
        u1 = add_unit(s, "黑龙河乡", "黑龙河", "hlhx")
        u2 = add_unit(s, "县住房和城乡建设局", "住建局", "zjj")
        li = add_owner(s, u1, "李四", "13900000001")
        make_order(s, "A1", u1, eod(date(2026, 11, 24)), status="signed", owner=li)
        make_order(s, "A2", u1, eod(date(2026, 11, 27)))
        make_order(s, "B1", u2, eod(date(2026, 11, 20)), status="signed")
        make_order(s, "B2", u2, eod(date(2026, 12, 4)), status="signed")
        make_order(s, "N1", None, status="new")
        s.commit()
    return engine


def run(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args])


def guarded(monkeypatch, capsys, db_path, *args) -> tuple[int, str, str]:
    from hotline_tui.cli.common import run_guarded

    monkeypatch.setattr(sys, "argv", ["hotline", "--db", str(db_path), *args])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_queue_json_in_screen_order(seeded, db_path):
    r = run(db_path, "queue", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert [x["order_no"] for x in data["rows"]] == ["B1", "A1", "A2"]
    assert data["counts"] == {"overdue": 2, "today": 1, "soon": 0}
    b1 = data["rows"][0]
    assert b1["late_workdays"] == 5 and b1["stage"] == "escalate" and b1["overdue"]
    assert b1["due_at"] == "2026-11-20T23:59:59" and b1["next_chase_on"] == "2026-11-27"
    assert data["rows"][1]["owner"] == "李四" and data["rows"][1]["owner_phone"] == "13900000001"


def test_queue_text_grouped_and_today(seeded, db_path):
    r = run(db_path, "queue", "--group", "unit")
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[0] == "已超期 2 件，今日到期 1 件，预警期内 0 件（2026-11-27 10:00）。"
    heads = [i for i, x in enumerate(lines) if x.startswith("== ")]
    assert [lines[i].split()[1] for i in heads] == ["县住房和城乡建设局", "黑龙河乡"]
    a1 = next(x for x in lines if x.startswith("A1"))
    assert "超期3个工作日（58小时）" in a1 and "李四 13900000001" in a1
    r = run(db_path, "chase", "B1", "--method", "电话", "--note", "在办", "--next", "2026-12-01")
    assert r.exit_code == 0, r.output
    data = json.loads(run(db_path, "queue", "--today", "--json").stdout)
    assert [x["order_no"] for x in data["rows"]] == ["A1", "A2"]


def test_chase_command(seeded, db_path):
    r = run(db_path, "chase", "A1", "A2", "--method", "短信", "--note", "请尽快反馈", "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)["chased"]
    assert [(d["order_no"], d["chase_count"], d["next_chase_on"]) for d in data] == \
        [("A1", 1, "2026-11-30"), ("A2", 1, "2026-11-30")]
    assert data[0]["whom"] == "李四 13900000001"
    r = run(db_path, "chase", "A1", "--method", "上门", "--note", "见到负责人",
            "--whom", "乡长", "--promised", "2026-12-02")
    assert r.exit_code == 0
    assert r.stdout.strip() == "A1：已登记上门催办（第 2 次），下次催办 2026-12-03。"


def test_extend_commands(seeded, db_path):
    r = run(db_path, "extend", "B2", "--days", "3", "--reason", "需要现场测量", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["status"] == "pending"
    r = run(db_path, "extend", "B2", "--approve")
    assert r.exit_code == 0, r.output
    assert "2026-12-09 23:59" in r.stdout
    assert order(seeded, "B2").due_at.date() == date(2026, 12, 9)
    run(db_path, "extend", "B2", "--days", "2", "--reason", "再等等")
    r = run(db_path, "extend", "B2", "--refuse", "--reason", "不同意")
    assert r.exit_code == 0 and "不同意延期" in r.stdout


def test_extend_after_deadline_one_sentence(seeded, db_path, monkeypatch, capsys):
    code, out, err = guarded(monkeypatch, capsys, db_path, "extend", "B1", "--days", "3",
                             "--reason", "x")
    assert code == 1 and err.startswith("错误：") and err.strip().count("\n") == 0
    assert "超期后不能再申请延期" in err
    code, _, err = guarded(monkeypatch, capsys, db_path, "extend", "B2", "--approve",
                           "--refuse")
    assert code == 1 and "--approve" in err


def test_sponsor_progress_supervision(seeded, db_path, tmp_path):
    r = run(db_path, "sponsor", "B1", "--leader", "王建国", "--title", "副县长")
    assert r.exit_code == 0, r.output
    assert "下次汇报 2026-12-04" in r.stdout
    assert run(db_path, "progress", "B1", "--note", "已约谈").exit_code == 0
    data = json.loads(run(db_path, "supervision", "--json").stdout)["rows"]
    assert [(x["order_no"], x["leader"], x["last_progress"], x["report_overdue"])
            for x in data] == [("B1", "王建国", "已约谈", False)]
    r = run(db_path, "supervision", "--docx", str(tmp_path / "s.docx"))
    assert r.exit_code == 0 and (tmp_path / "s.docx").exists()
    text = run(db_path, "supervision").stdout
    assert "B1" in text and "王建国 副县长" in text
    assert run(db_path, "sponsor", "B1", "--end").exit_code == 0
    assert "没有包联督办" in run(db_path, "supervision").stdout


def test_candidates_and_merge(seeded, db_path):
    data = json.loads(run(db_path, "candidates", "--json").stdout)
    assert [x["order_no"] for x in data["escalated"]] == ["B1", "A1"]  # most overdue first
    r = run(db_path, "merge", "A1", "A2", "--reason", "同一路灯", "--json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["merged"] == ["A2"]
    assert order(seeded, "A2").status == "merged"


def test_meeting_commands(seeded, db_path, tmp_path):
    r = run(db_path, "meeting", "add", "A1", "--reason", "职责不清", "--unit", "住建局")
    assert r.exit_code == 0, r.output
    data = json.loads(run(db_path, "meeting", "agenda", "--json").stdout)["items"]
    assert data[0]["order_no"] == "A1" and data[0]["units"] == ["县住房和城乡建设局", "黑龙河乡"]
    r = run(db_path, "meeting", "agenda", "--docx", str(tmp_path / "a.docx"), "--date",
            "2026-12-03")
    assert r.exit_code == 0 and (tmp_path / "a.docx").exists()
    r = run(db_path, "meeting", "outcome", "A1", "--unit", "住建局", "--assist", "黑龙河",
            "--tier", "5")
    assert r.exit_code == 0, r.output
    assert order(seeded, "A1").status == "triaged"
    assert events(seeded, "A1")[-1].event == "meeting_outcome"


def test_chase_notice_command(seeded, db_path, tmp_path, monkeypatch, capsys):
    r = run(db_path, "chase-notice", "--unit", "hlhx", "--out", str(tmp_path / "o"), "--json")
    assert r.exit_code == 0, r.output
    files = json.loads(r.stdout)["files"]
    assert sorted(p.rsplit(".", 1)[1] for p in files) == ["docx", "xlsx"]
    code, _, err = guarded(monkeypatch, capsys, db_path, "chase-notice", "--out",
                           str(tmp_path / "p"))
    assert code == 1 and "--unit" in err


@pytest.mark.parametrize("args", [
    ("chase", "A1", "--method", "飞鸽", "--note", "x"),
    ("chase", "NOPE", "--method", "电话", "--note", "x"),
    ("chase", "A1", "--method", "电话", "--note", "x", "--next", "明天"),
    ("queue", "--group", "street"),
    ("sponsor", "B1", "--title", "副县长"),
    ("progress", "B1", "--note", "x"),
    ("merge", "A1", "A1"),
    ("meeting", "outcome", "A1", "--unit", "住建局", "--tier", "3"),
])
def test_errors_are_one_sentence(seeded, db_path, monkeypatch, capsys, args):
    code, _, err = guarded(monkeypatch, capsys, db_path, *args)
    assert code == 1, err
    assert err.startswith("错误：") and err.strip().count("\n") == 0
