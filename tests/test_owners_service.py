"""services/owners.py: sign-for with the first-contact owner, bulk sign-for, the directory and
its suggestions, change of owner with history, phone correction, and the rule that a signed
order always has an owner."""

import json
from datetime import datetime

import pytest
from clock_support import fixed_clock
from owners_data import make_order, make_unit
from sqlalchemy import text

from hotline_tui.errors import UserError
from hotline_tui.services import owners
from hotline_tui.services.orders import find_order, history
from hotline_tui.store.engine import session

NOW = datetime(2026, 11, 30, 10, 0)  # a Monday


_clock = fixed_clock(NOW)


@pytest.fixture
def unit(engine):
    return make_unit(engine, "黑龙河乡", "黑龙河", "hlhx")


def _order(engine, no):
    with session(engine) as s:
        o = find_order(s, no)
        return o, history(s, o.id)


def _unsigned_with_owner(engine) -> int:
    with engine.connect() as c:
        return c.execute(text(
            "SELECT count(*) FROM work_order WHERE signed_at IS NOT NULL AND owner_id IS NULL"
        )).scalar()


def test_sign_records_owner_time_and_history(engine, unit):
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))  # Friday
    res = owners.sign(engine, "A1", name="张 三", phone="１３８ １２３４ ５６７８", post="副乡长",
                      at=datetime(2026, 11, 30, 9, 30), actor="clerk")
    assert res.owner.name == "张三" and res.owner.phone == "13812345678"
    assert res.owner_created and not res.late
    assert res.limit_end == datetime(2026, 11, 30, 23, 59, 59)  # Monday, after the weekend
    o, rows = _order(engine, "A1")
    assert o.status == "signed"
    assert o.signed_at == datetime(2026, 11, 30, 9, 30)
    assert o.owner_id == res.owner.id
    last = rows[-1]
    assert (last.event, last.old_status, last.new_status, last.actor) == (
        "sign", "dispatched", "signed", "clerk")
    changes = json.loads(last.changes)
    assert changes["owner_name"] == [None, "张三"]
    assert changes["owner_phone"] == [None, "13812345678"]
    assert changes["owner_post"] == [None, "副乡长"]
    assert changes["signed_at"] == [None, "2026-11-30 09:30:00"]


def test_sign_defaults_to_now_and_flags_late(engine, unit):
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 20, 9, 0))  # Friday
    res = owners.sign(engine, "A1", name="张三", phone="13812345678")
    assert res.signed_at == NOW
    assert res.limit_end == datetime(2026, 11, 23, 23, 59, 59)
    assert res.late


def test_directory_entry_reused_per_unit_name_and_phone(engine, unit):
    other = make_unit(engine, "城关镇", "城关", "cgz")
    for no, u in (("A1", unit), ("A2", unit), ("A3", unit), ("B1", other)):
        make_order(engine, no, u, dispatched_at=datetime(2026, 11, 27, 9, 0))
    a1 = owners.sign(engine, "A1", name="张三", phone="13812345678")
    a2 = owners.sign(engine, "A2", name="张三", phone="138-1234-5678", post="主任")
    a3 = owners.sign(engine, "A3", name="张三", phone="13900001111")  # another 张三
    b1 = owners.sign(engine, "B1", name="张三", phone="13812345678")  # same person? other unit
    assert a2.owner.id == a1.owner.id and not a2.owner_created
    assert a2.owner.post == "主任"  # a post given later is kept
    assert a3.owner.id != a1.owner.id
    assert b1.owner.id not in (a1.owner.id, a3.owner.id) and b1.owner.unit_id == other


@pytest.mark.parametrize(
    ("kwargs", "key"),
    [
        ({"name": "张三", "phone": "12345"}, "owners.error.bad_phone"),
        ({"name": "张三", "phone": "0371-123"}, "owners.error.bad_phone"),
        ({"name": " ", "phone": "13812345678"}, "owners.error.bad_name"),
        ({"name": "张三", "phone": "13812345678", "at": datetime(2026, 11, 27, 8, 0)},
         "owners.error.before_dispatch"),
        ({"name": "张三", "phone": "13812345678", "at": datetime(2026, 11, 30, 11, 0)},
         "owners.error.future"),
    ],
)
def test_bad_input_is_one_sentence_and_writes_nothing(engine, unit, kwargs, key):
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    with pytest.raises(UserError) as exc:
        owners.sign(engine, "A1", **kwargs)
    assert exc.value.key == key
    msg = str(exc.value)
    assert msg.endswith("。") and "\n" not in msg
    o, rows = _order(engine, "A1")
    assert o.status == "dispatched" and o.owner_id is None and o.signed_at is None
    assert rows[-1].event == "dispatch"
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM owner")).scalar() == 0


def test_sign_refuses_signed_or_undispatched_orders(engine, unit):
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    make_order(engine, "T1", unit, dispatched_at=None)  # triaged only
    owners.sign(engine, "A1", name="张三", phone="13812345678")
    with pytest.raises(UserError) as exc:
        owners.sign(engine, "A1", name="李四", phone="13900001111")
    assert exc.value.key == "owners.error.already_signed"
    assert "张三" in str(exc.value) and "更换首接负责人" in str(exc.value)
    with pytest.raises(UserError) as exc:
        owners.sign(engine, "T1", name="李四", phone="13900001111")
    assert exc.value.key == "error.transition" and "已分拣" in str(exc.value)
    with pytest.raises(UserError) as exc:
        owners.sign(engine, "NOPE", name="李四", phone="13900001111")
    assert exc.value.key == "error.order_not_found"


def test_stale_version_refused(engine, unit):
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    o, _ = _order(engine, "A1")
    with pytest.raises(UserError) as exc:
        owners.sign(engine, "A1", name="张三", phone="13812345678",
                    expected_version=o.version - 1)
    assert exc.value.key == "error.stale"
    owners.sign(engine, "A1", name="张三", phone="13812345678", expected_version=o.version)


# ---- bulk --------------------------------------------------------------------------------------


def test_sign_many_one_owner_for_marked_orders(engine, unit):
    for no in ("A1", "A2", "A3"):
        make_order(engine, no, unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    res = owners.sign_many(engine, ["A1", "A2", "A3", "A2"], name="王芳", phone="13512345678")
    assert [r.order_no for r in res] == ["A1", "A2", "A3"]
    assert len({r.owner.id for r in res}) == 1
    assert [r.owner_created for r in res] == [True, False, False]
    for no in ("A1", "A2", "A3"):
        o, rows = _order(engine, no)
        assert o.status == "signed" and o.owner_id == res[0].owner.id
        assert [r.event for r in rows].count("sign") == 1


@pytest.mark.parametrize("case", ["other_unit", "not_dispatched", "unknown"])
def test_sign_many_all_or_nothing(engine, unit, case):
    other = make_unit(engine, "城关镇")
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    make_order(engine, "A2", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    if case == "other_unit":
        make_order(engine, "X", other, dispatched_at=datetime(2026, 11, 27, 9, 0))
        key = "owners.error.many_units"
    elif case == "not_dispatched":
        make_order(engine, "X", unit, dispatched_at=None)
        key = "owners.error.many_not_dispatched"
    else:
        key = "owners.error.many_not_found"
    with pytest.raises(UserError) as exc:
        owners.sign_many(engine, ["A1", "X", "A2"], name="王芳", phone="13512345678")
    assert exc.value.key == key
    if case != "other_unit":
        assert "X" in str(exc.value)
    for no in ("A1", "A2"):
        o, _ = _order(engine, no)
        assert o.status == "dispatched" and o.owner_id is None


# ---- suggestions ---------------------------------------------------------------------------------


def test_suggestions_most_recent_first_by_prefix(engine, unit):
    other = make_unit(engine, "城关镇")
    people = [("张三", "13812345678", datetime(2026, 11, 24, 9, 0)),
              ("张建国", "13900001111", datetime(2026, 11, 26, 9, 0)),
              ("李四", "13700002222", datetime(2026, 11, 25, 9, 0))]
    for i, (name, phone, at) in enumerate(people):
        make_order(engine, f"A{i}", unit, dispatched_at=datetime(2026, 11, 23, 9, 0))
        owners.sign(engine, f"A{i}", name=name, phone=phone, at=at)
    make_order(engine, "B1", other, dispatched_at=datetime(2026, 11, 23, 9, 0))
    owners.sign(engine, "B1", name="张飞", phone="13600003333", at=datetime(2026, 11, 29))

    def names(prefix="", limit=8):
        return [s.name for s in owners.owner_suggestions(engine, unit, prefix, limit)]

    assert names() == ["张建国", "李四", "张三"]  # most recent first, this unit only
    assert names("张") == ["张建国", "张三"]
    assert names("zs") == ["张三"]  # pinyin initials
    assert names("ZJ") == ["张建国"]
    assert names("zhang") == ["张建国", "张三"]  # full pinyin
    assert names("137") == ["李四"]  # digits: the phone
    assert names("w") == []
    assert names(limit=1) == ["张建国"]
    top = owners.owner_suggestions(engine, unit, "zs")[0]
    assert (top.phone, top.open_orders) == ("13812345678", 1)


# ---- change of owner --------------------------------------------------------------------------------


def test_change_owner_keeps_old_owner_and_reason(engine, unit):
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    first = owners.sign(engine, "A1", name="张三", phone="13812345678")
    with pytest.raises(UserError) as exc:
        owners.change_owner(engine, "A1", name="李四", phone="13900001111", reason="  ")
    assert exc.value.key == "owners.error.reason_required"
    with pytest.raises(UserError) as exc:
        owners.change_owner(engine, "A1", name="张三", phone="13812345678", reason="x")
    assert exc.value.key == "owners.error.same_owner"
    ch = owners.change_owner(engine, "A1", name="李四", phone="13900001111", post="站长",
                             reason="张三调离，由李四接手")
    assert ch.old.id == first.owner.id and ch.new.name == "李四"
    o, rows = _order(engine, "A1")
    assert o.status == "signed" and o.owner_id == ch.new.id
    assert o.signed_at == first.signed_at  # the sign-for time stays
    last = rows[-1]
    assert last.event == "change_owner" and last.note == "张三调离，由李四接手"
    changes = json.loads(last.changes)
    assert changes["owner_id"] == [first.owner.id, ch.new.id]
    assert changes["owner_name"] == ["张三", "李四"]
    assert changes["owner_phone"] == ["13812345678", "13900001111"]
    # the old owner stays in the directory
    assert owners.get_owner(engine, first.owner.id).name == "张三"


def test_change_owner_needs_a_signed_order(engine, unit):
    make_order(engine, "A1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    with pytest.raises(UserError) as exc:
        owners.change_owner(engine, "A1", name="李四", phone="13900001111", reason="x")
    assert exc.value.key == "error.transition"


# ---- phone correction ---------------------------------------------------------------------------------


def _close(engine, no):
    """Take a signed order to 已办结 through the state machine."""
    from hotline_tui.domain.states import Event
    from hotline_tui.services.orders import record

    with session(engine) as s:
        o = find_order(s, no)
        record(s, o, Event.REPLY, changes={"replied_at": NOW}, actor="t")
        record(s, o, Event.ACCEPT, changes={"closed_at": NOW}, actor="t")
        s.commit()


def test_phone_fixed_once_for_all_open_orders(engine, unit):
    for no in ("A1", "A2", "A3"):
        make_order(engine, no, unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    res = owners.sign_many(engine, ["A1", "A2", "A3"], name="张三", phone="13812345678")
    oid = res[0].owner.id
    _close(engine, "A3")
    before = {no: _order(engine, no) for no in ("A1", "A2", "A3")}
    upd = owners.update_owner_phone(engine, oid, "139 1234 5678")
    assert upd.changed and upd.old_phone == "13812345678"
    assert sorted(upd.open_orders) == ["A1", "A2"]
    assert owners.get_owner(engine, oid).phone == "13912345678"
    for no in ("A1", "A2"):
        o, rows = _order(engine, no)
        assert len(rows) == len(before[no][1]) + 1
        assert o.version == before[no][0].version + 1
        assert rows[-1].event == "update"
        assert json.loads(rows[-1].changes) == {"owner_phone": ["13812345678", "13912345678"]}
        assert o.status == "signed"
    o3, rows3 = _order(engine, "A3")
    assert len(rows3) == len(before["A3"][1])  # a closed order: no history row
    assert owners.owner_of(engine, "A3").phone == "13912345678"
    again = owners.update_owner_phone(engine, oid, "13912345678")
    assert not again.changed
    with pytest.raises(UserError) as exc:
        owners.update_owner_phone(engine, oid, "139")
    assert exc.value.key == "owners.error.bad_phone"
    with pytest.raises(UserError):
        owners.update_owner_phone(engine, 9999, "13912345678")


def test_phone_fix_merges_into_existing_entry(engine, unit):
    for no in ("A1", "A2", "A3"):
        make_order(engine, no, unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    wrong = owners.sign(engine, "A1", name="张三", phone="13812345678").owner
    owners.sign(engine, "A2", name="张三", phone="13812345678")
    right = owners.sign(engine, "A3", name="张三", phone="13912345678").owner
    _close(engine, "A2")
    upd = owners.update_owner_phone(engine, wrong.id, "13912345678")
    assert upd.owner.id == right.id and upd.merged_from == wrong.id
    for no in ("A1", "A2", "A3"):
        o, rows = _order(engine, no)
        assert o.owner_id == right.id
    _o, rows1 = _order(engine, "A1")
    assert json.loads(rows1[-1].changes)["owner_id"] == [wrong.id, right.id]
    _o, rows2 = _order(engine, "A2")  # a closed order moved too, with its history row
    assert rows2[-1].event == "update"
    with pytest.raises(UserError):
        owners.get_owner(engine, wrong.id)
    assert _unsigned_with_owner(engine) == 0


def test_signed_orders_never_without_owner(engine, unit):
    for no in ("A1", "A2", "A3", "A4"):
        make_order(engine, no, unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    owners.sign(engine, "A1", name="张三", phone="13812345678")
    owners.sign_many(engine, ["A2", "A3"], name="李四", phone="13900001111")
    owners.change_owner(engine, "A2", name="王五", phone="13700002222", reason="轮岗")
    with pytest.raises(UserError):
        owners.sign(engine, "A4", name="", phone="13812345678")
    assert _unsigned_with_owner(engine) == 0
    with engine.connect() as c:
        signed = c.execute(text("SELECT count(*) FROM work_order WHERE signed_at IS NOT NULL"))
        assert signed.scalar() == 3


def test_order_detail_shows_the_owner(engine, unit):
    """The order view names whom to call: the first-contact owner with phone and post."""
    from hotline_tui.services.order_detail import load_order_detail

    make_order(engine, "D1", unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    o, _ = _order(engine, "D1")
    assert load_order_detail(engine, o.id).owner == ""
    owners.sign(engine, "D1", name="李建国", phone="13912345678", post="副站长",
                at=datetime(2026, 11, 27, 10, 0))
    d = load_order_detail(engine, o.id)
    assert "李建国" in d.owner and "13912345678" in d.owner and "副站长" in d.owner
