"""`hotline dispatch` and `hotline sheets` from the command line: JSON shape, exit codes,
one-sentence errors, nothing dispatched when the sheets have nowhere to go."""

from __future__ import annotations

import json
import sys
from datetime import datetime

import pytest
from test_dispatch_support import FRIDAY, add_order, add_unit, events, order, seed
from typer.testing import CliRunner

from hotline_tui.cli import app
from hotline_tui.services import clock
from hotline_tui.store.engine import session

runner = CliRunner()


@pytest.fixture(autouse=True)
def _friday():
    clock.set_fixed(FRIDAY)
    yield
    clock.set_fixed(None)


def run(db_path, *args):
    return runner.invoke(app, ["--db", str(db_path), *args])


def guarded(monkeypatch, capsys, db_path, *args) -> tuple[int, str, str]:
    """Through the real entry point's error handling (one sentence on stderr)."""
    from hotline_tui.cli.common import run_guarded

    monkeypatch.setattr(sys, "argv", ["hotline", "--db", str(db_path), *args])
    code = run_guarded(app)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_dispatch_json_shape(engine, db_path, tmp_path):
    seed(engine)
    out = tmp_path / "out"
    r = run(db_path, "dispatch", "--out", str(out), "--json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert set(data) >= {"dispatched", "skipped", "files", "warnings"}
    assert sorted(d["order_no"] for d in data["dispatched"]) == ["A1", "A2", "B1"]
    a1 = next(d for d in data["dispatched"] if d["order_no"] == "A1")
    assert set(a1) >= {"order_no", "unit", "due_at"}
    assert a1["unit"] == "黑龙河乡"
    assert datetime.fromisoformat(a1["due_at"]).date().isoformat() == "2026-11-11"
    assert data["skipped"] == [] and data["warnings"] == []
    assert len(data["files"]) == 4
    assert all((out / p.split("/")[-1]).exists() for p in data["files"])
    assert order(engine, "A1").status == "dispatched"
    assert events(engine, "A1")[-1].event == "export"


def test_dispatch_text_output_per_unit(engine, db_path, tmp_path):
    seed(engine)
    r = run(db_path, "dispatch", "--unit", "hlhx", "--out", str(tmp_path / "o"),
            "--format", "xlsx")
    assert r.exit_code == 0, r.output
    assert "已交办 2 件" in r.stdout
    assert "黑龙河乡：2 件" in r.stdout
    assert "交办单_2026-11-06_黑龙河乡.xlsx" in r.stdout
    assert ".docx" not in r.stdout
    assert order(engine, "B1").status == "triaged"


def test_nothing_triaged_is_a_sentence_and_exit_0(engine, db_path):
    r = run(db_path, "dispatch")
    assert r.exit_code == 0
    assert r.stdout.strip() == "没有待交办的工单（已分拣的工单为 0 件）。"
    r = run(db_path, "dispatch", "--json")
    assert r.exit_code == 0
    assert json.loads(r.stdout)["dispatched"] == []


def test_named_order_skipped_exits_1_but_dispatches_the_rest(engine, db_path, tmp_path):
    seed(engine)
    r = run(db_path, "dispatch", "A1", "N1", "NOPE", "--out", str(tmp_path / "o"), "--json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert [d["order_no"] for d in data["dispatched"]] == ["A1"]
    assert data["skipped"] == [{"order_no": "N1", "reason": "not_triaged"},
                               {"order_no": "NOPE", "reason": "not_found"}]
    assert order(engine, "A1").status == "dispatched"


def test_out_required_only_when_there_is_something(engine, db_path, monkeypatch, capsys):
    seed(engine)
    code, out, err = guarded(monkeypatch, capsys, db_path, "dispatch")
    assert code == 1
    assert err.strip().count("\n") == 0 and "--out" in err and err.startswith("错误：")
    assert order(engine, "A1").status == "triaged"  # nothing dispatched


def test_unknown_unit_one_sentence(engine, db_path, monkeypatch, capsys, tmp_path):
    seed(engine)
    code, out, err = guarded(monkeypatch, capsys, db_path, "dispatch", "--unit", "zzz",
                             "--out", str(tmp_path / "o"))
    assert code == 1
    assert err.startswith("错误：") and "zzz" in err and err.strip().count("\n") == 0
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").iterdir())


def test_bad_format_one_sentence(engine, db_path, monkeypatch, capsys, tmp_path):
    seed(engine)
    code, _, err = guarded(monkeypatch, capsys, db_path, "dispatch", "--format", "pdf",
                           "--out", str(tmp_path))
    assert code == 1 and "pdf" in err and err.strip().count("\n") == 0
    assert order(engine, "A1").status == "triaged"


def test_unwritable_out_dir_dispatches_nothing(engine, db_path, monkeypatch, capsys, tmp_path):
    seed(engine)
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = guarded(monkeypatch, capsys, db_path, "dispatch", "--out", str(blocker / "o"))
    assert code == 1 and err.startswith("错误：无法写入文件夹")
    assert order(engine, "A1").status == "triaged"


def test_fallback_year_warning(engine, db_path, tmp_path):
    clock.set_fixed(datetime(2026, 12, 28, 9, 0))
    with session(engine) as s:
        add_order(s, "D1", add_unit(s, "黑龙河乡"), 15)
        s.commit()
    r = run(db_path, "dispatch", "--out", str(tmp_path / "o"), "--json")
    assert r.exit_code == 0
    data = json.loads(r.stdout)
    assert data["warnings"] and "2027" in data["warnings"][0]
    r2 = run(db_path, "sheets", "D1", "--out", str(tmp_path / "p"))
    assert r2.exit_code == 0


def test_fallback_warning_in_text_output(engine, db_path, tmp_path):
    clock.set_fixed(datetime(2026, 12, 28, 9, 0))
    with session(engine) as s:
        add_order(s, "D1", add_unit(s, "黑龙河乡"), 15)
        s.commit()
    r = run(db_path, "dispatch", "--out", str(tmp_path / "o"))
    assert r.exit_code == 0
    assert "注意：" in r.stdout and "2027" in r.stdout


def test_sheets_reprint_by_date_and_unmask(engine, db_path, tmp_path):
    seed(engine)
    assert run(db_path, "dispatch", "--out", str(tmp_path / "first")).exit_code == 0
    r = run(db_path, "sheets", "--date", "2026-11-06", "--out", str(tmp_path / "again"),
            "--format", "docx", "--unmask", "--json")
    assert r.exit_code == 0, r.output
    files = json.loads(r.stdout)["files"]
    assert len(files) == 2 and all(f.endswith(".docx") for f in files)
    assert "未遮蔽" in events(engine, "A1")[-1].note


def test_sheets_errors(engine, db_path, monkeypatch, capsys, tmp_path):
    seed(engine)
    for args, needle in (
        (("sheets", "--out", str(tmp_path)), "--date"),
        (("sheets", "--date", "2026-13-01", "--out", str(tmp_path)), "2026-13-01"),
        (("sheets", "A1", "--out", str(tmp_path)), "A1"),  # triaged, not dispatched
        (("sheets", "--date", "2026-11-06", "--out", str(tmp_path)), "2026-11-06"),
    ):
        code, _, err = guarded(monkeypatch, capsys, db_path, *args)
        assert code == 1, args
        assert needle in err and err.strip().count("\n") == 0, err
