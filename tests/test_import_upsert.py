"""The order number is the identity: re-import creates nothing, a changed field updates the
order with a history row (old -> new), only imported fields are compared, one file is one
transaction, and the clerk's column aliases are honoured."""

from __future__ import annotations

import sqlite3

import pytest
from _import_util import (
    HEADER,
    corrupt_sheet_midway,
    count,
    history,
    order_row,
    orders,
    write_csv,
    write_xlsx,
)

from hotline_tui import config
from hotline_tui.domain.states import Event
from hotline_tui.errors import UserError
from hotline_tui.services.importer import ImportResult, import_file
from hotline_tui.services.importer.service import CHUNK, OPTIMIZE_AFTER
from hotline_tui.services.orders import find_order, record
from hotline_tui.store.engine import session


def test_reimport_changes_nothing(engine, db_path, tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", [order_row(i) for i in range(1, 11)])
    first = import_file(engine, path, actor="clerk")
    assert (first.created, first.updated, first.unchanged) == (10, 0, 0)
    before_orders, before_history = orders(db_path), history(db_path)
    assert [h["event"] for h in before_history] == ["create"] * 10
    assert {h["actor"] for h in before_history} == {"clerk"}
    assert all("export.xlsx" in h["note"] for h in before_history)

    second = import_file(engine, path, actor="clerk")
    assert (second.created, second.updated, second.unchanged, second.rejected) == (0, 0, 10, [])
    assert history(db_path) == before_history
    assert {k: dict(v) for k, v in orders(db_path).items()} == {
        k: dict(v) for k, v in before_orders.items()}


def test_changed_field_updates_with_history(engine, db_path, tmp_path):
    import_file(engine, write_xlsx(tmp_path / "day1.xlsx", [order_row(i) for i in range(1, 4)]))
    rows = [order_row(1), order_row(2, 承办单位="县交通运输局", 联系电话="13900000000"),
            order_row(3)]
    result = import_file(engine, write_xlsx(tmp_path / "day2.xlsx", rows))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    updates = [h for h in history(db_path) if h["event"] == "update"]
    assert len(updates) == 1
    assert updates[0]["order_no"] == "XS20261102002"
    assert updates[0]["changes"] == {
        "upstream_unit": ["县住建局", "县交通运输局"],
        "caller_phone": ["13800000002", "13900000000"],
    }
    assert "day2.xlsx" in updates[0]["note"]
    row = orders(db_path)["XS20261102002"]
    assert row["upstream_unit"] == "县交通运输局" and row["version"] == 2


def test_triage_fields_and_absent_columns_are_left_alone(engine, db_path, tmp_path):
    import_file(engine, write_xlsx(tmp_path / "full.xlsx",
                                   [order_row(1, 是否保密="是", 紧急程度="紧急")]))
    with session(engine) as s:
        o = find_order(s, "XS20261102001")
        record(s, o, Event.TRIAGE, changes={"tier_days": 3}, actor="clerk")
        s.commit()
    # a later export without the 是否保密 / 紧急程度 columns and with a new title
    header = ["工单编号", "来电时间", "来电人", "标题"]
    rows = [["XS20261102001", order_row(1)[2], "来电人1", "路灯修好了吗"]]
    result = import_file(engine, write_xlsx(tmp_path / "short.xlsx", rows, header=header))
    assert result.updated == 1
    row = orders(db_path)["XS20261102001"]
    assert row["title"] == "路灯修好了吗"
    assert (row["status"], row["tier_days"]) == ("triaged", 3)
    assert (row["confidential"], row["urgent"], row["urgency"]) == (1, 1, "紧急")
    assert row["content"].startswith("村口路灯")
    last = history(db_path)[-1]
    assert last["changes"] == {"title": ["路灯不亮1", "路灯修好了吗"]}
    assert (last["old_status"], last["new_status"]) == ("triaged", "triaged")


def test_time_without_seconds_matches_the_stored_time(engine, db_path, tmp_path):
    """Excel re-saving an export as CSV drops the seconds: that is not a change."""
    from datetime import datetime

    t0 = datetime(2026, 11, 2, 9, 3, 27)
    import_file(engine, write_xlsx(tmp_path / "a.xlsx", [order_row(1, 来电时间=t0)]))
    again = write_csv(tmp_path / "a.csv", [order_row(1, 来电时间="2026/11/2 9:03")],
                      encoding="gbk")
    assert import_file(engine, again).unchanged == 1
    assert orders(db_path)["XS20261102001"]["received_at"] == "2026-11-02 09:03:27"
    moved = write_csv(tmp_path / "b.csv", [order_row(1, 来电时间="2026/11/2 9:04")])
    assert import_file(engine, moved).updated == 1


def test_large_file_in_chunks_with_progress(engine, db_path, tmp_path):
    n = CHUNK * 2 + 137
    import_file(engine, write_csv(tmp_path / "some.csv", [order_row(i) for i in range(1, 121)]))
    rows = [order_row(i, 标题="新标题" if i % 50 == 0 else f"路灯不亮{i}") for i in range(1, n + 1)]
    calls: list[tuple[int, int]] = []
    result = import_file(engine, write_xlsx(tmp_path / "all.xlsx", rows),
                         progress=lambda done, total: calls.append((done, total)))
    assert result.created == n - 120 >= OPTIMIZE_AFTER
    assert result.updated == 2  # rows 50 and 100 were there with their old title
    assert result.unchanged == 120 - 2
    assert count(db_path, "work_order") == n
    assert count(db_path, "order_history") == n + 2
    dones = [d for d, _ in calls]
    assert dones == sorted(dones) and len(calls) >= 4
    assert calls[-1][0] == calls[-1][1] == n + 1  # the rows below the header, footer included
    if engine.dialect.name == "sqlite":  # statistics refreshed after a large import
        con = sqlite3.connect(db_path)
        assert con.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl='work_order'").fetchone()[0]


def test_damaged_sheet_midway_writes_nothing(engine, db_path, tmp_path):
    good = write_xlsx(tmp_path / "good.xlsx", [order_row(i) for i in range(1, CHUNK * 3)])
    bad = corrupt_sheet_midway(good, tmp_path / "bad.xlsx")
    calls = []
    with pytest.raises(UserError) as info:
        import_file(engine, bad, progress=lambda d, t: calls.append(d))
    assert info.value.key == "import.corrupt"
    assert max(calls) > CHUNK  # rows had been written before the sheet broke ...
    assert count(db_path, "work_order") == 0  # ... and were rolled back
    assert count(db_path, "order_history") == 0


def test_failed_file_leaves_earlier_imports_alone(engine, db_path, tmp_path):
    import_file(engine, write_xlsx(tmp_path / "ok.xlsx", [order_row(1)]))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(UserError):
        import_file(engine, bad)
    assert set(orders(db_path)) == {"XS20261102001"}
    assert count(db_path, "order_history") == 1


def test_result_json_shape(engine, tmp_path):
    rows = [order_row(1), order_row(2, 工单编号="")]
    result = import_file(engine, write_xlsx(tmp_path / "e.xlsx", rows))
    assert isinstance(result, ImportResult)
    data = result.to_json()
    assert list(data) == ["created", "updated", "unchanged", "rejected"]
    assert data["rejected"] == [{"row": 6, "reason": result.rejected[0][1]}]
    assert isinstance(data["rejected"][0]["reason"], str) and data["rejected"][0]["reason"]


def _write_aliases(text: str) -> None:
    path = config.aliases_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_user_alias_config(engine, db_path, tmp_path):
    header = ["热线编号", "来电日期", "市民姓名", "标题"]
    rows = [["HX1", "2026-11-02 09:00", "张三", "路灯"]]
    path = write_csv(tmp_path / "e.csv", rows, header=header)
    with pytest.raises(UserError) as info:
        import_file(engine, path)
    assert info.value.key == "import.no_header"
    _write_aliases('[aliases]\norder_no = ["热线编号"]\nreceived_at = "来电日期"\n'
                   'caller_name = ["市民姓名", "市民"]\n')
    assert import_file(engine, path).created == 1
    assert orders(db_path)["HX1"]["caller_name"] == "张三"


@pytest.mark.parametrize(
    ("text", "key"),
    [("[aliases\norder_no = 1", "import.alias_config_bad"),
     ('[aliases]\nnumber = ["编号"]\n', "import.alias_config_field"),
     ("[aliases]\norder_no = 5\n", "import.alias_config_bad"),
     ('aliases = "x"\n', "import.alias_config_bad")],
)
def test_broken_alias_config(engine, db_path, tmp_path, text, key):
    _write_aliases(text)
    path = write_xlsx(tmp_path / "e.xlsx", [order_row(1)])
    with pytest.raises(UserError) as info:
        import_file(engine, path)
    assert info.value.key == key
    assert str(config.aliases_file()) in str(info.value)
    assert count(db_path, "work_order") == 0


def test_header_columns_in_any_order(engine, db_path, tmp_path):
    order = [HEADER.index(h) for h in reversed(HEADER)]
    rows = [[r[i] for i in order] for r in (order_row(1), order_row(2))]
    path = write_xlsx(tmp_path / "e.xlsx", rows, header=list(reversed(HEADER)))
    assert import_file(engine, path).created == 2
    assert orders(db_path)["XS20261102002"]["caller_phone"] == "13800000002"


def test_reimport_keeps_type_confirmed_at_triage(engine, tmp_path):
    """Once the clerk has triaged an order, the upstream type no longer overwrites hers."""
    import csv

    from hotline_tui.domain.states import Event
    from hotline_tui.services.importer import import_file
    from hotline_tui.services.orders import find_order, record
    from hotline_tui.store.engine import session

    def write(kind: str):
        p = tmp_path / f"e_{kind}.csv"
        with p.open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["工单编号", "来电时间", "诉求类型", "诉求内容"])
            w.writerow(["T-1", "2026-11-02 09:00", kind, "小区路灯不亮"])
        return p

    import_file(engine, write("咨询"))
    with session(engine) as s:
        o = find_order(s, "T-1")
        record(s, o, Event.TRIAGE, changes={"request_type": "投诉", "tier_days": 3}, actor="t")
        s.commit()
    res = import_file(engine, write("求助"))
    assert res.unchanged == 1 and res.updated == 0
    with session(engine) as s:
        assert find_order(s, "T-1").request_type == "投诉"
