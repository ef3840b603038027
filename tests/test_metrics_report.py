"""The monthly circular and the office's statement reopened: the .docx title, summary and
tables, the .xlsx sheets (ranking order, definitions, overdue list with owners, no caller
data, formula-looking text kept as text), the JSON; the CLI's `report` and `metrics`."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from clock_support import fixed_clock
from openpyxl import load_workbook
from sqlalchemy import insert, select, update

from hotline_tui.domain import metrics as dm
from hotline_tui.i18n import t
from hotline_tui.services.demo import generate
from hotline_tui.services.report import report_json, write_report
from hotline_tui.store.models import OrderHistory, Unit, WorkOrder

NOW = datetime(2026, 11, 27, 10, 0)


_clock = fixed_clock(NOW)


@pytest.fixture
def demo(engine):  # noqa: ANN001
    generate(engine, 1200, now=NOW, workers=0)
    c = WorkOrder.__table__.c
    with engine.begin() as conn:
        # a unit whose name a spreadsheet would read as a formula
        conn.execute(update(Unit.__table__).where(Unit.__table__.c.id == 1)
                     .values(short_name="=SUM(A1)"))
        ids = list(conn.execute(select(c.id).where(c.replied_at >= datetime(2026, 11, 2))
                                .limit(3)).scalars())
        conn.execute(insert(OrderHistory.__table__), [
            dict(order_id=i, at=datetime(2026, 11, 20, 9), actor="王芳", event="send_back",
                 changes="{}", note=note)
            for i, note in zip(ids, ["未写明联系时间，退回重办。", "未写明联系时间，退回重办。",
                                     "答复敷衍"], strict=True)])
    return engine


def test_circular_json(demo):  # noqa: ANN001
    j = report_json(demo, "2026-11")
    assert j["title"] == "关于2026年11月12345热线工单办理情况的通报"
    assert j["totals"]["dispatched"] > 0
    for ranking in j["rankings"]:  # each kind ranked apart, by the circular's rule
        units = ranking["units"]
        assert {u["kind"] for u in units} == {ranking["kind"]}
        keys = [dm.sort_key(dm.Ratio(u["close_rate"]["numerator"],
                                     u["close_rate"]["denominator"]), "close_rate",
                            worst_first=True) for u in units]
        assert keys == sorted(keys)
    assert {d["code"] for d in j["definitions"]} == set(dm.CODES)
    assert j["overdue_total"] == len(j["overdue"]) > 0
    first = j["overdue"][0]
    assert first["owner"] and first["owner_phone"]
    assert all("caller" not in k for k in first)
    dues = [o["due_at"] for o in j["overdue"]]
    assert dues == sorted(dues)  # longest overdue first


def test_circular_docx_reads_like_an_office_document(demo, tmp_path):  # noqa: ANN001
    from docx import Document

    out = write_report(demo, "2026-11", "docx", tmp_path / "tb")
    assert out.suffix == ".docx"
    doc = Document(str(out))
    paras = [p.text for p in doc.paragraphs if p.text.strip()]
    assert paras[0] == "关于2026年11月12345热线工单办理情况的通报"
    assert any(p.startswith("2026年11月，西山县12345热线共受理") for p in paras)
    assert "2026年11月27日" in paras  # the date under the issuing office
    assert any(p.startswith("办结率 = ") for p in paras)  # the definitions annex
    heads = [tb.rows[0].cells[i].text for tb in doc.tables for i in range(2)]
    assert "名次" in heads
    # the overdue table carries owners' phones, never callers'
    overdue = doc.tables[-1]
    assert overdue.rows[0].cells[-1].text == t("report.col.phone")
    j = report_json(demo, "2026-11")
    assert overdue.rows[1].cells[0].text == j["overdue"][0]["order_no"]
    caller_phones = {r for r in demo.connect().execute(
        select(WorkOrder.__table__.c.caller_phone)).scalars()}
    cells = {c.text for tb in doc.tables for row in tb.rows for c in row.cells}
    assert not (cells & caller_phones)


def test_circular_xlsx(demo, tmp_path):  # noqa: ANN001
    out = write_report(demo, "2026-11", "xlsx", tmp_path / "tb.xlsx")
    wb = load_workbook(out)
    assert wb.sheetnames == [t("report.sheet.summary"), t("report.sheet.units"),
                             t("report.sheet.honour"), t("report.sheet.overdue"),
                             t("report.sheet.definitions")]
    assert wb.worksheets[0]["A1"].value == "关于2026年11月12345热线工单办理情况的通报"
    units = wb[t("report.sheet.units")]
    rows = list(units.iter_rows(values_only=True))
    assert rows[0][0] == t("metrics.kind.department")
    close_col = rows[1].index(t("metrics.name.close_rate"))
    ranks, closes = [], []
    for r in rows[2:]:
        if not r or r[0] is None or not isinstance(r[0], int):
            break
        ranks.append(r[0])
        closes.append(r[close_col] if isinstance(r[close_col], float) else 2.0)
    assert ranks == list(range(1, len(ranks) + 1)) and closes == sorted(closes)
    # a unit name starting with "=" is text, not a formula
    cell = next(c for row in units.iter_rows() for c in row if c.value == "=SUM(A1)")
    assert cell.data_type == "s"
    defs = [r[1] for r in wb[t("report.sheet.definitions")].iter_rows(min_row=2,
                                                                       values_only=True)]
    assert any(d and d.startswith("按时办结率 = ") for d in defs)
    overdue = list(wb[t("report.sheet.overdue")].iter_rows(values_only=True))
    head = next(i for i, r in enumerate(overdue) if r[0] == t("report.col.order_no"))
    assert overdue[head][-2:] == (t("report.col.owner"), t("report.col.phone"))
    assert len(overdue) - head - 1 == report_json(demo, "2026-11")["overdue_total"]


def test_statement_counts_reasons_and_opens(demo, tmp_path):  # noqa: ANN001
    from docx import Document

    j = report_json(demo, "2026-11", kind="statement")
    assert [p["month"] for p in j["trend"]][-1] == "2026-11" and len(j["trend"]) == 6
    reasons = {r["reason"]: r["count"] for r in j["sent_back"]["by_reason"]}
    assert reasons["未写明联系时间"] >= 2 and reasons["答复敷衍"] >= 1
    out = write_report(demo, "2026-11", "docx", tmp_path / "sm", kind="statement")
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert "一、本月与前几个月对比" in text and "三、领导包联督办事项" in text
    out = write_report(demo, "2026-11", "xlsx", tmp_path / "sm", kind="statement")
    wb = load_workbook(out)
    trend = list(wb.worksheets[0].iter_rows(values_only=True))
    assert trend[3][0] == j["trend"][0]["month"]


def test_cli_report_and_metrics(demo, db_path, tmp_path, capsys):  # noqa: ANN001
    from hotline_tui.cli.app import app
    from hotline_tui.cli.common import run_guarded

    def run(*args: str) -> int:
        import sys

        old = sys.argv
        sys.argv = ["hotline", *args]
        try:
            return run_guarded(app)
        finally:
            sys.argv = old

    assert run("report", "--db", str(db_path), "--month", "2026-11", "--format", "json") == 0
    j = json.loads(capsys.readouterr().out)
    assert j["period"] == "2026-11" and j["kind"] == "circular"
    out = tmp_path / "c.xlsx"
    assert run("report", "--db", str(db_path), "--month", "2026-11", "--format", "xlsx",
               "--out", str(out)) == 0
    assert out.exists()
    assert run("report", "--db", str(db_path), "--month", "13-2026") == 1
    assert "月份" in capsys.readouterr().err
    assert run("metrics", "--db", str(db_path), "--month", "2026-11") == 0
    text = capsys.readouterr().out
    assert "办结率" in text and "县直部门" in text and "按时办结率 = " in text
    assert run("metrics", "--db", str(db_path), "--month", "2026-11", "--json") == 0
    j = json.loads(capsys.readouterr().out)
    assert j["office"]["close_rate"]["denominator"] == j["office"]["dispatched"]
