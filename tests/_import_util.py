"""Helpers for the import tests: messy upstream exports built on the fly, and reads of the
resulting database."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

HEADER = ["序号", "工单编号", "来电时间", "来电人", "联系电话", "诉求类型", "标题", "诉求内容",
          "所属区域", "承办单位", "是否保密", "紧急程度"]
BASE = datetime(2026, 11, 2, 8, 30, 0)


def order_row(i: int, **over: Any) -> list[Any]:
    """One data row in HEADER's order; `over` replaces cells by header name."""
    values = {
        "序号": i,
        "工单编号": f"XS{20261102000 + i}",
        "来电时间": BASE + timedelta(minutes=7 * i),
        "来电人": f"来电人{i}",
        "联系电话": 13800000000 + i,
        "诉求类型": ["投诉", "咨询", "求助"][i % 3],
        "标题": f"路灯不亮{i}",
        "诉求内容": f"村口路灯坏了{i}天\n晚上出行不便",
        "所属区域": "黑龙河乡",
        "承办单位": "县住建局",
        "是否保密": "否",
        "紧急程度": "一般",
    }
    values.update(over)
    return [values[h] for h in HEADER]


def write_xlsx(
    path: Path,
    rows: list[list[Any]],
    *,
    header: list[str] = HEADER,
    title_rows: bool = True,
    footer: bool = True,
) -> Path:
    """An export as the platform writes it: title, 导出时间, blank line, header, rows, 合计."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    if title_rows:
        ws.append(["西山县12345热线工单明细"])
        ws.append(["导出时间：2026-11-02 17:30:00"])
        ws.append([])
    ws.append(header)
    for r in rows:
        ws.append(r)
    if footer:
        ws.append(["合计", f"{len(rows)}条"])
    wb.save(path)
    return path


def write_csv(
    path: Path,
    rows: list[list[Any]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    header: list[str] = HEADER,
    title_rows: bool = True,
    footer: bool = True,
) -> Path:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    if title_rows:
        w.writerow(["西山县12345热线工单明细"] + [""] * (len(header) - 1))
        w.writerow(["导出时间：2026-11-02 17:30"] + [""] * (len(header) - 1))
    w.writerow(header)
    for r in rows:
        w.writerow(["" if v is None else _csv_text(v) for v in r])
    if footer:
        w.writerow(["合计", f"{len(rows)}条"] + [""] * (len(header) - 2))
    path.write_bytes(buf.getvalue().encode(encoding))
    return path


def _csv_text(v: Any) -> str:
    if isinstance(v, datetime):
        return v.strftime("%Y/%m/%d %H:%M:%S")
    return str(v)


def corrupt_sheet_midway(src: Path, dst: Path, keep: float = 0.6) -> Path:
    """A copy of an .xlsx whose sheet XML is cut off part-way: the workbook opens, rows
    stream for a while, then the sheet breaks."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                data = data[: int(len(data) * keep)]
            zout.writestr(item, data)
    return dst


def _plain(value: Any) -> Any:
    """A column value as SQLite's own driver returns it (text times, 0/1 flags), so the
    tests read the same on PostgreSQL."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rows(db_path: Path | str, sql: str) -> list[dict[str, Any]]:
    from hotline_tui.store.engine import make_engine

    eng = make_engine(db_path)
    try:
        with eng.connect() as conn:
            return [{k: _plain(v) for k, v in r._mapping.items()}
                    for r in conn.exec_driver_sql(sql)]
    finally:
        eng.dispose()


def orders(db_path: Path | str) -> dict[str, dict[str, Any]]:
    return {r["order_no"]: r for r in _rows(db_path, "SELECT * FROM work_order")}


def history(db_path: Path | str) -> list[dict[str, Any]]:
    rows = _rows(db_path,
                 "SELECT h.*, o.order_no FROM order_history h "
                 "JOIN work_order o ON o.id = h.order_id ORDER BY h.id")
    return [r | {"changes": json.loads(r["changes"])} for r in rows]


def count(db_path: Path | str, table: str) -> int:
    return _rows(db_path, f"SELECT count(*) AS n FROM {table}")[0]["n"]
