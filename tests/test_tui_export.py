"""Export of the filtered list to .xlsx: all rows of the filter, caller data masked,
formula-like text kept as text; and the same from the inbox with one key."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from tui_support import NOW, async_test, fill, order_no, settle

from hotline_tui.services import clock
from hotline_tui.services.export_inbox import export_inbox
from hotline_tui.store.inbox_query import InboxFilter
from hotline_tui.store.models import WorkOrder


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def _sheet(path: Path) -> list[tuple]:
    wb = load_workbook(path)
    return [tuple(c for c in row) for row in wb.active.iter_rows()]


def test_export_writes_every_row_of_the_filter_masked(engine, tmp_path):
    fill(engine, 60)
    with engine.begin() as conn:
        conn.execute(update(WorkOrder.__table__)
                     .where(WorkOrder.__table__.c.order_no == order_no(10))
                     .values(title="=HYPERLINK(\"http://x\")", caller_name="@evil"))
    path = tmp_path / "out.xlsx"
    calls = []
    result = export_inbox(engine, InboxFilter(), path, progress=lambda d, t: calls.append((d, t)))
    assert result.rows == 60 and path.exists()
    assert calls[-1] == (60, 60)
    rows = _sheet(path)
    header = [c.value for c in rows[0]]
    assert header[:3] == ["工单编号", "来电时间", "类型"] and "联系电话" in header
    data = {r[0].value: [c.value for c in r] for r in rows[1:]}
    assert len(data) == 60
    name_col, phone_col = header.index("来电人"), header.index("联系电话")
    plain = data[order_no(5)]
    assert plain[name_col] == "张*" + "*" and plain[phone_col] == "138****0005"
    confidential = data[order_no(1)]
    assert confidential[phone_col] in ("", None) and "张" not in str(confidential[name_col])
    for values in data.values():  # nobody's full phone number leaves the office
        assert not any(str(v).startswith("1380000") for v in values)
    # text that Excel would run as a formula stays text
    evil = next(r for r in rows[1:] if r[0].value == order_no(10))
    title_cell = evil[header.index("标题")]
    assert title_cell.data_type == "s" and title_cell.value.startswith("=HYPERLINK")
    assert evil[name_col].data_type == "s"
    # the sheet is in the list's order: newest first
    assert [r[0].value for r in rows[1:4]] == [order_no(0), order_no(1), "L20260615-0009"]


def test_export_follows_the_filter_and_sort(engine, tmp_path):
    fill(engine, 60)
    path = tmp_path / "due.xlsx"
    f = InboxFilter(text="积水", sort="due")
    result = export_inbox(engine, f, path)
    rows = _sheet(path)[1:]
    assert result.rows == len(rows) == 1 + len([i for i in range(1, 60) if i % 5 == 0])
    assert all("积水" in r[3].value for r in rows)
    dues = [r[7].value for r in rows if r[7].value is not None]
    assert dues == sorted(dues)


def test_export_to_a_missing_folder_is_one_sentence(engine, tmp_path):
    from hotline_tui.errors import UserError

    fill(engine, 3)
    with pytest.raises(UserError) as err:
        export_inbox(engine, InboxFilter(), tmp_path / "nope" / "x.xlsx")
    assert "nope" in str(err.value)
    assert not list(tmp_path.glob("**/*.xlsx"))


@async_test
async def test_export_key_in_the_inbox(engine, tmp_path):
    from hotline_tui.tui.app import HotlineApp

    fill(engine, 60)
    app = HotlineApp(engine=engine, db_label="t.db")
    target = tmp_path / "from_tui"
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", "积", "水", "enter")
        await settle(pilot)
        shown = app.screen.query_one("#orders").total
        await pilot.press("x")
        await pilot.pause()
        box = app.screen.query_one("#prompt-input")
        assert box.value.endswith(".xlsx")  # a default name is offered
        box.value = str(target)
        await pilot.press("enter")
        await settle(pilot, rounds=8)
        written = target.with_suffix(".xlsx")
        assert written.exists()
        assert len(_sheet(written)) - 1 == shown
        assert any("已导出" in n.message for n in app._notifications)
