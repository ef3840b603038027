"""Hostile and broken input for every import: upstream orders (services/importer), returned
dispatch sheets (services/owners_import), the unit list (services/units) and a year's
holidays (services/calendar). Random bytes, CSV text with control characters in every
encoding, huge cells, truncated .xlsx, wrong extensions, and the corpus in tests/data/broken/
(made by tests/make_broken_files.py). Never an exception other than UserError; after a
UserError nothing was written.

HOTLINE_HOSTILE_EXAMPLES=N runs N hypothesis examples per property (default 20)."""

from __future__ import annotations

import io
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline_tui.errors import UserError

BROKEN = Path(__file__).parent / "data" / "broken"
EXAMPLES = int(os.environ.get("HOTLINE_HOSTILE_EXAMPLES", "20"))
ENCODINGS = ("utf-8", "utf-8-sig", "gbk", "gb18030", "utf-16")
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])

HEADERS = {
    "orders": ["工单编号", "来电时间", "来电人", "联系电话", "诉求类型", "标题", "诉求内容",
               "所属区域", "办理时限", "是否保密"],
    "owners": ["工单编号", "首接负责人", "联系电话", "签收时间", "职务"],
    "units": ["单位名称", "简称", "类型", "电话", "负责人"],
    "calendar": ["日期", "类型", "名称"],
}


def _importers() -> dict[str, Callable]:
    from hotline_tui.services.calendar import import_year_file
    from hotline_tui.services.importer import import_file
    from hotline_tui.services.owners_import import import_returned_sheets
    from hotline_tui.services.units import import_units

    return {"orders": import_file, "owners": import_returned_sheets, "units": import_units,
            "calendar": import_year_file}


KINDS = tuple(HEADERS)
tried = {k: 0 for k in KINDS}


def _counts(engine) -> dict[str, int]:  # noqa: ANN001
    """Rows per table (every table of the database, SQLite or PostgreSQL)."""
    from sqlalchemy import inspect

    with engine.connect() as conn:
        names = inspect(conn).get_table_names()
        if conn.dialect.name == "sqlite":  # FTS5 virtual tables: their shadow tables count
            virtual = {r[0] for r in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL%'")}
            names = [n for n in names if n not in virtual]
        return {n: conn.exec_driver_sql(f'SELECT count(*) FROM "{n}"').scalar() for n in names}


def _try(engine, db_path: Path, kind: str, path: Path) -> str:  # noqa: ANN001
    """Import `path`; returns 'ok' or 'refused'. Anything but UserError fails the test."""
    before = _counts(engine)
    tried[kind] += 1
    try:
        _importers()[kind](engine, path)
    except UserError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        assert _counts(engine) == before, f"{kind} {path.name}: written before the refusal"
        return "refused"
    return "ok"


@pytest.fixture
def seeded(engine, db_path):
    """A database with units and a few dispatched orders for the importers to touch."""
    from triage_helpers import add_order, add_units, dispatch

    from hotline_tui.services import triage

    units = add_units(engine)
    for i in range(3):
        no = add_order(engine, f"XS{20261102000 + i}")
        triage.triage(engine, no, units["黑山镇"], 3)
        dispatch(engine, no)
    return engine, db_path


# ---- building files --------------------------------------------------------------------


def _csv_bytes(rows: list[list[str]], encoding: str, delimiter: str = ",") -> bytes:
    import csv

    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def _xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append([_xlsx_safe(v) for v in r])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_safe(v: object) -> object:
    if isinstance(v, str):  # openpyxl refuses XML-illegal characters: that is not our test
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return ILLEGAL_CHARACTERS_RE.sub("", v)
    return v


def _good_rows(kind: str, n: int = 5) -> list[list[str]]:
    if kind == "orders":
        return [HEADERS[kind]] + [[f"HX{i:04d}", f"2026-11-0{1 + i % 9} 09:0{i % 10}",
                                   f"王{i}", f"1380000{i:04d}", "投诉", f"标题{i}", "内容",
                                   "黑山镇", "", "否"] for i in range(n)]
    if kind == "owners":
        return [HEADERS[kind]] + [[f"XS{20261102000 + i}", "李四", "13712345678",
                                   "2026-11-27 10:00", "科员"] for i in range(3)]
    if kind == "units":
        return [HEADERS[kind]] + [[f"测试单位{i}", f"测{i}", "乡镇", "0371-1234567", "张"]
                                  for i in range(n)]
    return [HEADERS[kind], ["2026-10-01", "休", "国庆节"], ["2026-10-10", "班", "国庆节调休"]]


CONTROL = st.characters(min_codepoint=0, max_codepoint=0x3000)
cell_text = st.text(alphabet=CONTROL, max_size=40) | st.sampled_from(
    ["", "=1+1", "合计", "\x00", "\ufeff", "\u2028", "２０２６－１１－０２", "1e308", "-0",
     "9" * 40, "2026-02-30", "13800000000\n13900000000", "是", "保密"])


def _write(tmp: Path, name: str, data: bytes) -> Path:
    p = tmp / name
    p.write_bytes(data)
    return p


# ---- properties --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_random_bytes(seeded, tmp_path, kind):
    engine, db_path = seeded

    @SETTINGS
    @given(data=st.binary(max_size=3000), ext=st.sampled_from([".csv", ".xlsx", ".txt",
                                                               ".json", ".xls", ""]))
    def run(data: bytes, ext: str) -> None:
        _try(engine, db_path, kind, _write(tmp_path, f"random{ext}", data))

    run()


@pytest.mark.parametrize("kind", KINDS)
def test_csv_text_with_control_characters_in_every_encoding(seeded, tmp_path, kind):
    engine, db_path = seeded
    width = len(HEADERS[kind])

    @SETTINGS
    @given(rows=st.lists(st.lists(cell_text, min_size=0, max_size=width + 2), max_size=8),
           encoding=st.sampled_from(ENCODINGS), delimiter=st.sampled_from([",", "\t", ";"]),
           header=st.booleans())
    def run(rows: list[list[str]], encoding: str, delimiter: str, header: bool) -> None:
        body = ([HEADERS[kind]] if header else []) + rows
        data = _csv_bytes(body, encoding, delimiter)
        _try(engine, db_path, kind, _write(tmp_path, "t.csv", data))

    run()


@pytest.mark.parametrize("kind", KINDS)
def test_xlsx_with_random_cells(seeded, tmp_path, kind):
    engine, db_path = seeded
    width = len(HEADERS[kind])
    value = cell_text | st.integers() | st.floats(allow_nan=True) | st.none() | st.booleans()

    @SETTINGS
    @given(rows=st.lists(st.lists(value, max_size=width + 1), max_size=6))
    def run(rows: list[list[object]]) -> None:
        data = _xlsx_bytes([HEADERS[kind]] + rows)
        _try(engine, db_path, kind, _write(tmp_path, "t.xlsx", data))

    run()


@pytest.mark.parametrize("kind", KINDS)
def test_truncated_xlsx_and_wrong_extensions(seeded, tmp_path, kind):
    engine, db_path = seeded
    good_xlsx = _xlsx_bytes(_good_rows(kind, 40))
    good_csv = _csv_bytes(_good_rows(kind, 40), "gb18030")

    @SETTINGS
    @given(cut=st.integers(min_value=0, max_value=len(good_xlsx)))
    def run(cut: int) -> None:
        _try(engine, db_path, kind, _write(tmp_path, "cut.xlsx", good_xlsx[:cut]))

    run()
    # the whole file under the wrong name imports (content decides) or is refused cleanly
    for name, data in (("real.csv", good_xlsx), ("real.xlsx", good_csv),
                       ("real.txt", good_xlsx), ("real.json", good_csv)):
        _try(engine, db_path, kind, _write(tmp_path, name, data))


@pytest.mark.parametrize("kind", KINDS)
def test_huge_cells(seeded, tmp_path, kind):
    engine, db_path = seeded
    rows = _good_rows(kind, 3)
    for r in rows[1:]:
        r[-1] = "很长" * 600_000  # 1.2 M characters in one cell
    _try(engine, db_path, kind, _write(tmp_path, "huge.csv", _csv_bytes(rows, "utf-8")))
    rows = _good_rows(kind, 2)
    rows[1][0] = "X" * 40_000  # an identity column far too long
    _try(engine, db_path, kind, _write(tmp_path, "long.xlsx", _xlsx_bytes(rows)))


@pytest.mark.parametrize("kind", KINDS)
def test_the_broken_corpus(seeded, kind):
    engine, db_path = seeded
    files = sorted(p for p in BROKEN.iterdir() if p.is_file() and p.name != "README.md")
    assert len(files) >= 15
    outcomes = {p.name: _try(engine, db_path, kind, p) for p in files}
    assert "refused" in outcomes.values()


@pytest.mark.parametrize("kind", KINDS)
def test_a_clean_file_still_imports(seeded, tmp_path, kind):
    """The guards do not refuse good files (in each encoding for CSV)."""
    engine, db_path = seeded
    for enc in ENCODINGS:
        p = _write(tmp_path, f"good-{enc}.csv", _csv_bytes(_good_rows(kind), enc))
        assert _try(engine, db_path, kind, p) == "ok", enc
    p = _write(tmp_path, "good.xlsx", _xlsx_bytes(_good_rows(kind)))
    assert _try(engine, db_path, kind, p) == "ok"


def test_zip_bomb_like_xlsx_is_refused_or_read_within_bounds(seeded, tmp_path):
    """An .xlsx whose sheet claims a huge size but is a small archive: the reader never
    loads it whole (read-only, streamed); a sheet XML cut short is refused."""
    engine, db_path = seeded
    good = _xlsx_bytes(_good_rows("orders", 3))
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as zin, zipfile.ZipFile(out, "w",
                                                                   zipfile.ZIP_DEFLATED) as zo:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                head, _, _tail = data.partition(b"</sheetData>")
                data = head + b"<row r='9'><c t='inlineStr'><is><t>" + b"A" * 5_000_000 + \
                    b"</t></is></c></row>"  # 5 MB of one cell, never closed
            zo.writestr(item, data)
    assert len(out.getvalue()) < 100_000
    for kind in KINDS:
        _try(engine, db_path, kind, _write(tmp_path, "bomb.xlsx", out.getvalue()))


def test_report_files_tried():
    """Prints the number of files each importer was given in this process (the figure
    for the issue's note); runs last in its module."""
    print("\nhostile files tried:", dict(tried), "total", sum(tried.values()))
