"""Orders entered by hand: local numbers per day, validation, the platform number added
later (history kept), and a later import matching the renumbered order."""

from __future__ import annotations

from datetime import datetime

import pytest
from _import_util import history, order_row, orders, write_xlsx

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.importer import import_file
from hotline_tui.services.manual_entry import assign_platform_number, create_local_order


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(datetime(2026, 11, 27, 10, 15, 0))
    yield
    clock.set_fixed(None)


def test_local_numbers_run_per_day(engine, db_path):
    a = create_local_order(engine, title="来信反映路灯", content="村口路灯不亮", actor="clerk")
    b = create_local_order(engine, title="", content="来访反映噪音", source="来访")
    assert (a, b) == ("L20261127-0001", "L20261127-0002")
    clock.set_fixed(datetime(2026, 11, 28, 9, 0, 0))
    assert create_local_order(engine, title="t", content="") == "L20261128-0001"
    row = orders(db_path)[a]
    assert row["is_local"] == 1 and row["status"] == "new"
    assert row["received_at"] == "2026-11-27 10:15:00"
    assert history(db_path)[0]["event"] == "create" and history(db_path)[0]["actor"] == "clerk"


def test_fields_are_normalised(engine, db_path):
    no = create_local_order(
        engine, title=" 噪音 ", content="工地夜间施工\n影响休息", caller_name="张三",
        caller_phone="１３８ １２３４ ５６７８", request_type="投诉类", area="城关镇",
        received_at="2026/11/26 20:30", confidential=True)
    row = orders(db_path)[no]
    assert (row["title"], row["caller_phone"], row["request_type"]) == (
        "噪音", "13812345678", "投诉")
    assert row["received_at"] == "2026-11-26 20:30:00" and row["confidential"] == 1
    assert row["content"] == "工地夜间施工\n影响休息"


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [({"title": " ", "content": "\n"}, "entry.need_text"),
     ({"title": "t", "content": "c", "request_type": "瞎写"}, "entry.bad_type"),
     ({"title": "t", "content": "c", "received_at": "2026-02-30"}, "entry.bad_received")],
)
def test_validation(engine, db_path, kwargs, key):
    with pytest.raises(UserError) as info:
        create_local_order(engine, **kwargs)
    assert info.value.key == key
    assert orders(db_path) == {}


def test_renumber_keeps_history_and_reimport_matches(engine, db_path, tmp_path):
    local = create_local_order(engine, title="路灯不亮1", content="村口路灯坏了1天\n晚上出行不便",
                               caller_name="来电人1", caller_phone="13800000001")
    assert assign_platform_number(engine, local, " XS20261102001 ", actor="clerk") == (
        "XS20261102001")
    got = orders(db_path)
    assert local not in got and got["XS20261102001"]["is_local"] == 0
    events = [(h["event"], h["changes"]) for h in history(db_path)]
    assert events[1] == ("renumber", {"order_no": [local, "XS20261102001"],
                                      "is_local": [True, False]})
    # the platform's export now matches the order by its new number
    result = import_file(engine, write_xlsx(tmp_path / "e.xlsx", [order_row(1), order_row(2)]))
    assert (result.created, result.updated) == (1, 1)
    own = [h for h in history(db_path) if h["order_id"] == got["XS20261102001"]["id"]]
    assert [h["event"] for h in own] == ["create", "renumber", "update"]
    assert len(orders(db_path)) == 2


def test_local_number_not_reused_after_renumber(engine):
    first = create_local_order(engine, title="a", content="")
    assign_platform_number(engine, first, "P1")
    assert create_local_order(engine, title="b", content="") == "L20261127-0002"


def test_renumber_refusals(engine, db_path, tmp_path):
    import_file(engine, write_xlsx(tmp_path / "e.xlsx", [order_row(1)]))
    local = create_local_order(engine, title="t", content="c")
    cases = [
        (local, "XS20261102001", "entry.platform_no_taken"),
        (local, "  ", "entry.need_platform_no"),
        (local, "L20261127-0009", "entry.platform_no_local"),
        ("XS20261102001", "P9", "entry.not_local"),
        ("L20990101-0001", "P9", "error.order_not_found"),
    ]
    for old, new, key in cases:
        with pytest.raises(UserError) as info:
            assign_platform_number(engine, old, new)
        assert info.value.key == key
        assert "\n" not in str(info.value)
    assert orders(db_path)[local]["is_local"] == 1
    assert [h["event"] for h in history(db_path)] == ["create", "create"]
