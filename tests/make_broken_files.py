"""Writes the corpus of broken import files in tests/data/broken/ (committed; re-run to
remake it: `python tests/make_broken_files.py`). Each file is small (< 20 KB)."""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

OUT = Path(__file__).parent / "data" / "broken"
HEAD = "工单编号,来电时间,来电人,联系电话,诉求类型,标题,诉求内容,所属区域\r\n"
ROW = "XS{n},2026-11-02 09:{m:02d},王{n},13800000000,投诉,路灯不亮,村口路灯坏了,黑山镇\r\n"


def _xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _rezip(data: bytes, change) -> bytes:  # noqa: ANN001
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w",
                                                                   zipfile.ZIP_DEFLATED) as zo:
        for item in zin.infolist():
            new = change(item.filename, zin.read(item.filename))
            if new is not None:
                zo.writestr(item, new)
    return out.getvalue()


def files() -> dict[str, bytes]:
    rng = random.Random(20261128)
    csv_text = HEAD + "".join(ROW.format(n=i, m=i) for i in range(20))
    good = _xlsx([h.split(",") for h in [HEAD.strip()]] +
                 [ROW.format(n=i, m=i).strip().split(",") for i in range(20)])
    return {
        "empty.csv": b"",
        "only_spaces.csv": b"  \r\n \t \r\n",
        "random_bytes.csv": bytes(rng.randrange(256) for _ in range(4000)),
        "random_bytes.xlsx": bytes(rng.randrange(256) for _ in range(4000)),
        "zip_magic_then_junk.xlsx": b"PK\x03\x04" + bytes(rng.randrange(256) for _ in range(2000)),
        "truncated_half.xlsx": good[: len(good) // 2],
        "truncated_tail.xlsx": good[:-200],
        "sheet_xml_cut.xlsx": _rezip(good, lambda n, d: d[: len(d) * 2 // 3]
                                     if n.startswith("xl/worksheets/sheet") else d),
        "no_workbook_part.xlsx": _rezip(good, lambda n, d: None if n == "xl/workbook.xml"
                                        else d),
        "xml_garbage_sheet.xlsx": _rezip(good, lambda n, d: b"<worksheet><sheetData><row>"
                                         b"<c r='A1' t='s'><v>99</v></c>"
                                         if n.startswith("xl/worksheets/sheet") else d),
        "xlsx_named.csv": good,
        "csv_named.xlsx": csv_text.encode("gb18030"),
        "old_xls.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2000),
        "html_as.xlsx": "<html><table><tr><td>工单编号</td></tr></table></html>".encode(),
        "utf16_no_bom.csv": csv_text.encode("utf-16-le"),
        "utf16_bom.csv": csv_text.encode("utf-16"),
        "gbk_cut_mid_char.csv": csv_text.encode("gbk")[:-1],
        "mixed_encodings.csv": HEAD.encode("utf-8") + ROW.format(n=1, m=1).encode("gbk"),
        "nul_bytes.csv": csv_text.encode().replace(b",", b"\x00", 3),
        "control_chars.csv": (HEAD + "XS1,2026-11-02 09:00,\x01\x02\x1b[31m,\x7f,投诉,"
                              "\x0b\x0c,\u202e反向,\u2028\r\n").encode(),
        "unclosed_quote.csv": (HEAD + 'XS1,2026-11-02 09:00,"王五,138\r\n' * 3).encode(),
        "header_only.csv": HEAD.encode("utf-8-sig"),
        "bad_dates.csv": (HEAD + "XS1,2026-02-30 25:61,王,138,投诉,t,c,a\r\n"
                          "XS2,昨天,王,138,投诉,t,c,a\r\n").encode(),
        "json_not_list.json": b'{"units": 5}',
        "json_garbage.json": b'{"units": [{"name": ["a", {"b": null}]}, 7, null, "x"]',
        "json_nested.json": b'{"units": [{"name": {"x": 1}, "kind": [1]}, {"name": 3}]}',
        "calendar_bad.csv": "日期,类型,名称\r\n2026-13-01,休,?\r\n".encode(),
        "calendar_nul.csv": "日期,类型,名称\r\n2026-10-01,休,国庆\x00节\r\n".encode(),
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, data in files().items():
        (OUT / name).write_bytes(data)
        assert len(data) < 20_000, name
    print(f"{len(files())} files in {OUT}")


if __name__ == "__main__":
    main()
