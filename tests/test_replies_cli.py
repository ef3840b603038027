"""`hotline reply / replies import / review / accept / send-back / callback / upstream`:
output, the JSON shape, and one-sentence errors with exit code 1."""

from __future__ import annotations

import json
import sys

import openpyxl
import pytest
from replies_support import GOOD, GOOD_2, LAZY, fixed_clock, seed
from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.cli.common import run_guarded
from hotline_tui.store.engine import open_database

__all__ = ["fixed_clock"]
runner = CliRunner()


@pytest.fixture
def db(db_path, fixed_clock):
    eng = open_database(db_path)
    seed(eng, {"A1": "signed", "A2": "signed", "B垃圾": "signed", "C1": "signed"})
    eng.dispose()
    return db_path


def run(db, *args):
    return runner.invoke(app, [*args, "--db", str(db)])


def js(res):
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_reply_review_accept_send_back_round_trip(db):
    out = js(run(db, "reply", "A1", "--text", GOOD, "--contact-by", "王强",
                 "--contact-method", "电话", "--handler", "王强", "--phone", "13812345678",
                 "--json"))
    assert out["order_no"] == "A1" and out["verdict"] == "acceptable" and out["reply_id"]
    out = js(run(db, "reply", "A2", "--text", LAZY, "--json"))
    assert out["verdict"] == "send_back" and out["reasons"][0]["text"]
    res = run(db, "reply", "B垃圾", "--text", GOOD_2)
    assert res.exit_code == 0 and "已录入工单 B垃圾 的反馈" in res.stdout

    listing = js(run(db, "review", "--json"))
    assert listing["pending"] == 3
    assert [i["order_no"] for i in listing["items"]][0] == "A2"
    first = listing["items"][0]
    assert first["verdict"] == "send_back" and first["score"] < 60
    assert {r["code"] for r in first["reasons"]} and all(r["text"] for r in first["reasons"])
    text = run(db, "review", "--limit", "1")
    assert "待复核 3 件" in text.stdout and "A2" in text.stdout and "    - " in text.stdout

    out = js(run(db, "accept", "A1", "--json"))
    assert out == {"order_no": "A1", "status": "closed", "closed_at": "2026-11-27T10:00:00",
                   "merged_closed": []}
    # send-back without --reason: the review's reasons become the note
    out = js(run(db, "send-back", "A2", "--days", "2", "--json"))
    assert out["status"] == "rework" and out["rework_count"] == 1
    assert out["new_due_at"] == "2026-12-01T23:59:59" and out["reason"].startswith("1. ")
    res = run(db, "send-back", "B垃圾", "--reason", "请补充联系来电人的情况")
    assert res.exit_code == 0 and "已退回重办（第 1 次）" in res.stdout

    res = run(db, "upstream", "A1")
    assert res.exit_code == 0 and res.stdout.startswith("经办单位：黑龙河乡")
    out = js(run(db, "upstream", "A1", "--json"))
    assert out[0]["order_no"] == "A1" and "办理结果" in out[0]["text"]

    out = js(run(db, "callback", "A1", "--reached", "--unsolved", "--satisfaction", "不满意",
                 "--json"))
    assert out["reopened"] is True and out["rework_count"] == 1 and out["new_due_at"]


def test_upstream_xlsx_and_since(db, tmp_path):
    run(db, "reply", "A1", "--text", GOOD)
    run(db, "accept", "A1")
    path = tmp_path / "up.xlsx"
    out = js(run(db, "upstream", "--xlsx", str(path), "--since", "2026-11-27", "--json"))
    assert out == {"file": str(path), "orders": 1}
    rows = list(openpyxl.load_workbook(path).active.iter_rows(values_only=True))
    assert rows[1][0] == "A1"
    out = js(run(db, "upstream", "--xlsx", str(tmp_path / "none.xlsx"), "--since",
                 "2026-11-28", "--json"))
    assert out == {"file": None, "orders": 0} and not (tmp_path / "none.xlsx").exists()


def test_replies_import_json(db, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(("工单编号", "回复内容"))
    ws.append(("A1", GOOD))
    ws.append(("ZZ", GOOD))
    path = tmp_path / "r.xlsx"
    wb.save(path)
    out = js(run(db, "replies", "import", str(path), "--json"))
    assert out["taken"] == 1 and out["unchanged"] == 0
    assert out["unmatched"] == [{"row": 3, "sheet": "Sheet", "order_no": "ZZ",
                                 "reason": "unknown_order", "message": "没有工单 ZZ。"}]
    assert out["replies"][0]["order_no"] == "A1"
    res = run(db, "replies", "import", str(path))
    assert "未变 1 条" in res.stdout and "第 3 行 ZZ：没有工单 ZZ。" in res.stdout


def test_callback_satisfied_and_not_reached(db):
    run(db, "reply", "A1", "--text", GOOD)
    run(db, "accept", "A1")
    out = js(run(db, "callback", "A1", "--reached", "--solved", "--satisfaction", "满意",
                 "--json"))
    assert out["reopened"] is False and out["new_due_at"] is None
    res = run(db, "callback", "A1", "--not-reached")
    assert res.exit_code == 0 and "已记录工单 A1 的回访" in res.stdout


@pytest.mark.parametrize(("args", "fragment"), [
    (["reply", "A1", "--text", " "], "反馈内容为空"),
    (["reply", "NOPE", "--text", GOOD], "NOPE"),
    (["accept", "A1"], "不在待复核状态"),
    (["send-back", "C1", "--reason", "x"], "不在待复核状态"),
    (["callback", "A1", "--reached", "--solved", "--satisfaction", "满意"], "办结后才能回访"),
    (["callback", "A1", "--reached", "--satisfaction", "还行"], "满意度“还行”无效"),
    (["upstream", "A1"], "没有复核通过的反馈"),
    (["upstream"], "请给出工单编号"),
])
def test_errors_are_one_sentence_exit_1(db, monkeypatch, capsys, args, fragment):
    monkeypatch.setattr(sys, "argv", ["hotline", *args, "--db", str(db)])
    assert run_guarded(app) == 1
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1
