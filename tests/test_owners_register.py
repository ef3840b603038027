"""The register's reads (store/register_query.py through services/owners.py): per-owner and
per-unit counts, the dispatched-not-signed list, 签收率 / 按时签收率, the roster and its export;
checked against a plain Python count over the same orders."""

import random
from datetime import datetime, timedelta

import pytest
from clock_support import fixed_clock
from owners_data import make_order, make_unit
from sqlalchemy import text, update

from hotline_tui.domain.signing import SignCounts
from hotline_tui.domain.states import Event
from hotline_tui.services import owners
from hotline_tui.services.orders import find_order, record
from hotline_tui.store import register_query as rq
from hotline_tui.store.engine import session
from hotline_tui.store.models import WorkOrder

NOW = datetime(2026, 11, 30, 10, 0)  # Monday


_clock = fixed_clock(NOW)


def _advance(engine, no, *events):
    with session(engine) as s:
        o = find_order(s, no)
        for ev in events:
            changes = {"replied_at": NOW} if ev == Event.REPLY else (
                {"closed_at": NOW} if ev == Event.ACCEPT else {})
            record(s, o, ev, changes=changes, actor="t")
        s.commit()


@pytest.fixture
def scene(engine):
    """Two units. 黑龙河乡: 张三 with an overdue order signed late, one due within 48 h, one
    replied (past due, not overdue: the reply is in) and one closed; 李四 with one open order.
    Waiting for sign-for: one past the limit (dispatched 11-20), one in time (today)."""
    hlh = make_unit(engine, "黑龙河乡", "黑龙河", "hlhx")
    cgz = make_unit(engine, "城关镇", "城关", "cgz")
    d = datetime
    make_order(engine, "Z1", hlh, dispatched_at=d(2026, 11, 20, 9), due_at=d(2026, 11, 27, 18))
    make_order(engine, "Z2", hlh, dispatched_at=d(2026, 11, 27, 9), due_at=d(2026, 12, 1, 18))
    make_order(engine, "Z3", hlh, dispatched_at=d(2026, 11, 27, 9), due_at=d(2026, 11, 28, 18))
    make_order(engine, "Z4", hlh, dispatched_at=d(2026, 11, 27, 9), due_at=d(2026, 12, 9, 18))
    make_order(engine, "L1", hlh, dispatched_at=d(2026, 11, 27, 9), due_at=d(2026, 12, 9, 18))
    make_order(engine, "W1", hlh, dispatched_at=d(2026, 11, 20, 9), due_at=d(2026, 12, 9, 18))
    make_order(engine, "W2", cgz, dispatched_at=d(2026, 11, 30, 9), due_at=d(2026, 12, 9, 18))
    owners.sign(engine, "Z1", name="张三", phone="13812345678", at=d(2026, 11, 25, 9))  # late
    owners.sign_many(engine, ["Z2", "Z3", "Z4"], name="张三", phone="13812345678",
                     at=d(2026, 11, 30, 8))
    owners.sign(engine, "L1", name="李四", phone="13900001111", at=d(2026, 11, 30, 9))
    _advance(engine, "Z3", Event.REPLY)
    _advance(engine, "Z4", Event.REPLY, Event.ACCEPT)
    return hlh, cgz


def test_snapshot_counts(engine, scene):
    hlh, cgz = scene
    snap = owners.register_snapshot(engine)
    assert snap.period == "2026-11" and snap.soon_hours == 48
    by_name = {o.name: o for o in snap.owners}
    z = by_name["张三"]
    assert (z.open, z.due_soon, z.overdue, z.signed_late) == (3, 1, 1, 1)
    li = by_name["李四"]
    assert (li.open, li.due_soon, li.overdue, li.signed_late) == (1, 0, 0, 0)
    units = {u.unit_id: u for u in snap.units}
    u = units[hlh]
    assert (u.owners, u.open, u.overdue, u.waiting, u.waiting_late) == (2, 4, 1, 1, 1)
    assert units[cgz].waiting == 1 and units[cgz].waiting_late == 0
    assert snap.units[0].unit_id == hlh  # a unit with unsigned orders past the limit first
    # waiting for sign-for: longest waiting (past the limit) first
    assert [w.order_no for w in snap.waiting] == ["W1", "W2"]
    w1, w2 = snap.waiting
    assert w1.past_limit and not w2.past_limit
    assert w1.limit_end == datetime(2026, 11, 23, 23, 59, 59)
    assert w1.waited == timedelta(days=10, hours=1)
    assert (snap.waiting_total, snap.waiting_late_total) == (2, 1)
    # November: 7 dispatched, 5 signed, 4 of them on time; W2 may still be signed on time
    assert snap.total == SignCounts(dispatched=7, signed=5, signed_on_time=4, waiting=1)
    assert units[hlh].counts == SignCounts(6, 5, 4, 0)
    assert snap.total.sign_rate.text() == "71.4% (5/7)"


def test_snapshot_of_one_unit_matches(engine, scene):
    hlh, _ = scene
    whole = owners.register_snapshot(engine)
    one = owners.register_snapshot(engine, unit_id=hlh)
    assert [u.unit_id for u in one.units] == [hlh]
    assert one.units[0] == next(u for u in whole.units if u.unit_id == hlh)
    assert one.owners == whole.owners_of(hlh)
    assert [w.order_no for w in one.waiting] == ["W1"]


def test_owner_drill_in(engine, scene):
    snap = owners.register_snapshot(engine)
    z = next(o for o in snap.owners if o.name == "张三")
    rows = owners.owner_orders(engine, z.owner_id)
    assert [r.order_no for r in rows] == ["Z1", "Z3", "Z2"]  # by due time
    flags = {r.order_no: (r.overdue, r.due_soon, r.signed_late) for r in rows}
    assert flags == {"Z3": (False, False, False), "Z1": (True, False, True),
                     "Z2": (False, True, False)}
    everything = owners.owner_orders(engine, z.owner_id, open_only=False)
    assert {r.order_no for r in everything} == {"Z1", "Z2", "Z3", "Z4"}


def test_rates_report(engine, scene):
    hlh, cgz = scene
    rep = owners.sign_rates(engine, "2026-11")
    assert rep.total == SignCounts(7, 5, 4, 1)
    by_unit = {u.unit_id: u.counts for u in rep.units}
    assert by_unit[hlh].on_time_rate.text() == "66.7% (4/6)"
    assert by_unit[cgz].sign_rate.text() == "0.0% (0/1)"
    data = rep.to_json()
    assert data["total"]["on_time_sign_rate"] == {"numerator": 4, "denominator": 7,
                                                  "value": round(4 / 7, 4)}
    assert owners.sign_rates(engine, "2026-10").units == []
    with pytest.raises(Exception) as exc:
        owners.sign_rates(engine, "2026-13")
    assert getattr(exc.value, "key", "") == "owners.error.bad_month"


def test_roster_and_export(engine, scene, tmp_path):
    hlh, _ = scene
    rows = owners.roster(engine)
    assert [(r.unit_name, r.name, r.open, r.overdue) for r in rows] == [
        ("黑龙河乡", "张三", 3, 1), ("黑龙河乡", "李四", 1, 0)]
    assert owners.roster(engine, unit="hlhx") == rows
    # a post that a spreadsheet would take for a formula stays text
    with session(engine) as s:
        s.exec(text("UPDATE owner SET post = '=HYPERLINK(\"x\")' WHERE name = '李四'"))
        s.commit()
    path = owners.export_roster(engine, tmp_path / "名册")
    assert path.suffix == ".xlsx"
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    values = [[c.value for c in r] for r in ws.iter_rows()]
    assert values[0] == ["单位", "首接负责人", "职务", "电话", "在办", "超期"]
    assert values[1] == ["黑龙河乡", "张三", None, "13812345678", 3, 1]
    cell = ws.cell(row=3, column=3)
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s" and cell.quotePrefix


# ---- against a plain count over random orders -------------------------------------------------


def _random_orders(engine, n=160, seed=3):
    rnd = random.Random(seed)
    units = [make_unit(engine, f"单位{i}") for i in range(3)]
    people = [("张三", "13812345678"), ("李四", "13900001111"), ("王五", "13700002222")]
    start = datetime(2026, 9, 1, 8, 0)
    for i in range(n):
        unit = rnd.choice(units)
        disp = start + timedelta(minutes=rnd.randrange(int((NOW - start).total_seconds() // 60)))
        due = disp + timedelta(days=rnd.choice((1, 3, 5, 15)), hours=rnd.randrange(24))
        make_order(engine, f"R{i:03d}", unit, dispatched_at=disp, due_at=due)
        if rnd.random() < 0.8:
            signed = min(NOW, disp + timedelta(hours=rnd.expovariate(1 / 30)))
            name, phone = rnd.choice(people)
            owners.sign(engine, f"R{i:03d}", name=name, phone=phone, at=signed)
            r = rnd.random()
            if r < 0.3:
                _advance(engine, f"R{i:03d}", Event.REPLY)
            elif r < 0.6:
                _advance(engine, f"R{i:03d}", Event.REPLY, Event.ACCEPT)
            elif r < 0.65:
                _advance(engine, f"R{i:03d}", Event.REPLY, Event.SEND_BACK)
    return units


def _reference(engine, limits, soon_hours):
    with engine.connect() as c:
        rows = c.execute(text(
            "SELECT id, unit_id, owner_id, status, dispatched_at, signed_at, due_at"
            " FROM work_order")).all()
    def parse(v):  # text on SQLite, a datetime on PostgreSQL
        return v if isinstance(v, datetime) else datetime.fromisoformat(v)
    owner_counts, month = {}, {}
    soon = NOW + timedelta(hours=soon_hours)
    for _id, unit, owner, status, disp, signed, due in rows:
        disp = parse(disp)
        signed = parse(signed) if signed else None
        due = parse(due) if due else None
        if owner is not None and status in rq.OWNED_OPEN:
            acc = owner_counts.setdefault(owner, [0, 0, 0, 0])
            acc[0] += 1
            if status in rq.RUNNING:
                acc[1] += NOW <= due < soon
                acc[2] += due < NOW
            acc[3] += signed is not None and signed > limits.end_for(disp)
        if datetime(2026, 11, 1) <= disp < datetime(2026, 12, 1):
            c = month.setdefault(unit, [0, 0, 0, 0])
            c[0] += 1
            c[1] += signed is not None
            c[2] += signed is not None and signed <= limits.end_for(disp)
            c[3] += signed is None and limits.end_for(disp) >= NOW
    return ({k: tuple(v) for k, v in owner_counts.items()},
            {k: SignCounts(*v) for k, v in month.items()})


@pytest.mark.parametrize(
    ("limit_days", "rule"),
    [(1, None), (2, {"end_of_day": "17:30"}), (0, {"end_of_day": "12:00",
                                               "count_dispatch_day": True})],
)
def test_sql_counts_equal_plain_count(engine, limit_days, rule):
    from hotline_tui.services.settings import set_setting

    with session(engine) as s:
        set_setting(s, "sign_limit_workdays", limit_days)
        if rule:
            set_setting(s, "due_rule", rule)
        s.commit()
    units = _random_orders(engine)
    with engine.connect() as conn:
        limits = owners.sign_limits(conn)
        assert limits.workdays == limit_days
        want_owners, want_month = _reference(engine, limits, 48)
        got = rq.owner_counts(conn, now=NOW, soon_hours=48, limits=limits)
        assert got == want_owners
        assert sum(v[3] for v in got.values()) > 0  # some were signed late
        per_unit = {}
        for u in units:
            per_unit.update(rq.owner_counts(conn, now=NOW, soon_hours=48, limits=limits,
                                            unit_id=u))
        assert per_unit == want_owners
        month = rq.sign_counts(conn, start=datetime(2026, 11, 1), end=datetime(2026, 12, 1),
                               as_of=NOW, limits=limits)
        assert month == want_month
        one = rq.sign_counts(conn, start=datetime(2026, 11, 1), end=datetime(2026, 12, 1),
                             as_of=NOW, limits=limits, unit_id=units[0])
        assert one == {units[0]: want_month[units[0]]}


def test_waiting_counts_follow_the_limit(engine):
    unit = make_unit(engine, "黑龙河乡")
    # dispatched Friday 11-27 before and after: the limit is the end of Monday 11-30
    make_order(engine, "F1", unit, dispatched_at=datetime(2026, 11, 27, 16, 0))
    make_order(engine, "T1", unit, dispatched_at=datetime(2026, 11, 26, 16, 0))  # Thursday
    snap = owners.register_snapshot(engine)
    assert {w.order_no: w.past_limit for w in snap.waiting} == {"T1": True, "F1": False}
    assert snap.waiting_late_total == 1
    late = owners.register_snapshot(engine, now=datetime(2026, 12, 1, 0, 0, 0))
    assert late.waiting_late_total == 2


def test_fill_demo_owners(engine):
    unit = make_unit(engine, "黑龙河乡")
    for no in ("D1", "D2", "D3", "R1"):
        make_order(engine, no, unit, dispatched_at=datetime(2026, 11, 27, 9, 0))
    with session(engine) as s:
        s.exec(update(WorkOrder).where(WorkOrder.order_no.in_(["D1", "D2", "D3"]))
               .values(is_demo=True))
        # a demo order signed for by the generator, without an owner
        s.exec(update(WorkOrder).where(WorkOrder.order_no.in_(["D1", "D2", "R1"]))
               .values(status="signed", signed_at=datetime(2026, 11, 27, 15, 0)))
        s.exec(update(WorkOrder).where(WorkOrder.order_no == "D3").values(status="signed"))
        s.commit()
    assert owners.fill_demo_owners(engine) == 3
    with engine.connect() as c:
        rows = dict(c.execute(text("SELECT order_no, owner_id FROM work_order")).all())
        n_owners = c.execute(text("SELECT count(*) FROM owner")).scalar()
    assert rows["R1"] is None  # a real order is left alone
    assert all(rows[n] is not None for n in ("D1", "D2", "D3"))
    assert 2 <= n_owners <= 6
    assert owners.fill_demo_owners(engine) == 0  # nothing left to fill
    pool = owners.demo_owner_pool(engine, [unit])[unit]  # existing owners are reused
    assert len(pool) == n_owners and {rows["D1"], rows["D2"], rows["D3"]} <= set(pool)


def test_demo_owner_pool_takes_the_generators_people(engine):
    unit = make_unit(engine, "城关镇")
    people = {unit: [("赵敏", "副镇长", "13800000001"), ("钱多", "", "13800000002")]}
    ids = owners.demo_owner_pool(engine, [unit], people=people)[unit]
    assert [owners.get_owner(engine, i).name for i in ids] == ["赵敏", "钱多"]
    assert owners.get_owner(engine, ids[0]).post == "副镇长"
    assert [s.name for s in owners.owner_suggestions(engine, unit, "zm")] == ["赵敏"]
