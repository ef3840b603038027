"""The queue: overdue first (most overdue on top), then due today, then due inside the 48 h
window; running orders only; grouping by unit and by owner; the chase-today view; paging."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from clock_support import fixed_clock
from test_queue_support import NOW, add_owner, add_unit, eod, make_order

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.queue import queue_page, queue_rows
from hotline_tui.services.settings import set_setting
from hotline_tui.store.engine import session

_clock = fixed_clock(NOW)


@pytest.fixture
def seeded(engine):
    """黑龙河乡 (owner 李四) and 县住建局 (owner 王五); NOW is Friday 2026-11-27 10:00."""
    with session(engine) as s:
        u1 = add_unit(s, "黑龙河乡", "黑龙河", "hlhx")
        u2 = add_unit(s, "县住房和城乡建设局", "住建局", "zjj")
        li = add_owner(s, u1, "李四", "13900000001")
        wang = add_owner(s, u2, "王五", "13900000002")
        make_order(s, "LATE1", u1, eod(date(2026, 11, 25)), status="signed", owner=li)
        make_order(s, "LATE5", u2, eod(date(2026, 11, 20)), status="signed", owner=wang)
        make_order(s, "LATEH", u1, NOW - timedelta(hours=2))  # 2 h late, dispatched
        make_order(s, "TODAY", u2, eod(date(2026, 11, 27)), status="signed", owner=wang)
        make_order(s, "SOON", u1, NOW + timedelta(hours=40), status="rework", owner=li)
        make_order(s, "LATER", u1, eod(date(2026, 12, 3)))  # outside the 48 h window
        make_order(s, "REPLIED", u1, eod(date(2026, 11, 20)), status="replied", owner=li)
        make_order(s, "CLOSED", u2, eod(date(2026, 11, 19)), status="closed", owner=wang)
        make_order(s, "TRIAGED", u2, status="triaged")
        s.commit()
    return engine


def test_order_most_overdue_first_then_today_then_window(seeded):
    page = queue_page(seeded)
    assert [r.order_no for r in page.rows] == ["LATE5", "LATE1", "LATEH", "TODAY", "SOON"]
    assert [r.bucket for r in page.rows] == ["overdue", "overdue", "overdue", "today", "soon"]
    assert (page.counts.overdue, page.counts.today, page.counts.soon) == (3, 1, 1)
    assert page.total == 5


def test_row_contents(seeded):
    rows = {r.order_no: r for r in queue_rows(seeded)}
    late5 = rows["LATE5"]
    # due Friday 11-20: Mon..Fri of this week are 5 working days late, 154 h
    assert (late5.overdue, late5.workdays, late5.hours) == (True, 5, 154)
    assert late5.stage == "escalate" and late5.late_text == "超期5个工作日（154小时）"
    assert (late5.unit_name, late5.owner_name, late5.owner_phone) == \
        ("县住房和城乡建设局", "王五", "13900000002")
    assert rows["LATE1"].stage == "overdue" and rows["LATE1"].late_workdays == 2
    assert rows["LATEH"].late_text == "超期2小时" and rows["LATEH"].owner_name == ""
    assert rows["TODAY"].late_text == "今日到期（剩13小时）"
    assert rows["SOON"].stage == "warn" and rows["SOON"].warn_hours == 48
    # nobody chased: the first chase day is today for overdue and nearly due orders
    assert all(r.chase_count == 0 and r.next_chase_suggested for r in rows.values())
    assert rows["LATE5"].next_chase_on == NOW.date() and rows["LATE5"].chase_due
    assert not any(r.sponsored or r.extension_pending for r in rows.values())


def test_window_is_a_setting(seeded):
    with session(seeded) as s:
        set_setting(s, "warn_hours", [24])
        s.commit()
    page = queue_page(seeded)
    assert [r.order_no for r in page.rows] == ["LATE5", "LATE1", "LATEH", "TODAY"]
    with session(seeded) as s:
        set_setting(s, "warn_hours", [200, 24])
        s.commit()
    assert queue_page(seeded).rows[-1].order_no == "LATER"


def test_paging_is_stable(seeded):
    first = queue_page(seeded, limit=2)
    second = queue_page(seeded, offset=2, limit=2)
    third = queue_page(seeded, offset=4, limit=2)
    assert [r.order_no for r in first.rows + second.rows + third.rows] == \
        [r.order_no for r in queue_rows(seeded)]
    assert first.total == second.total == 5


def test_group_by_unit(seeded):
    page = queue_page(seeded, group="unit")
    # the unit with the most overdue order first
    assert [g.label for g in page.groups] == ["县住房和城乡建设局", "黑龙河乡"]
    assert [(g.count, g.overdue, g.start) for g in page.groups] == [(2, 1, 0), (3, 2, 2)]
    assert [r.order_no for r in page.rows] == ["LATE5", "TODAY", "LATE1", "LATEH", "SOON"]
    assert page.group_at(3).label == "黑龙河乡"
    # a page in the middle keeps the view's order
    assert [r.order_no for r in queue_page(seeded, group="unit", offset=1, limit=2).rows] == \
        ["TODAY", "LATE1"]


def test_group_by_owner_puts_unsigned_orders_under_their_unit(seeded):
    page = queue_page(seeded, group="owner")
    labels = [(g.label, g.phone, g.count) for g in page.groups]
    assert labels == [("王五（县住房和城乡建设局）", "13900000002", 2),
                      ("李四（黑龙河乡）", "13900000001", 2),
                      ("黑龙河乡（未签收）", "", 1)]
    assert [r.order_no for r in page.rows] == ["LATE5", "TODAY", "LATE1", "SOON", "LATEH"]


def test_chase_today_view(seeded):
    from hotline_tui.services.chase import chase

    # LATE5 chased today with the next chase next Wednesday: not in today's view any more;
    # LATER (due Thursday) chased with the next chase set for today: in it
    chase(seeded, ["LATE5"], method="电话", said="在办", next_chase=date(2026, 12, 2))
    chase(seeded, ["LATER"], method="短信", next_chase=NOW.date())
    page = queue_page(seeded, view="today")
    nos = [r.order_no for r in page.rows]
    assert "LATE5" not in nos and "LATER" in nos
    assert nos == ["LATE1", "LATEH", "TODAY", "SOON", "LATER"]
    assert all(r.chase_due for r in page.rows)
    later = next(r for r in page.rows if r.order_no == "LATER")
    assert later.bucket == "later" and later.chase_count == 1 and not later.next_chase_suggested
    # the plain queue still shows LATE5 with its chase
    late5 = next(r for r in queue_rows(seeded) if r.order_no == "LATE5")
    assert late5.chase_count == 1 and late5.next_chase_on == date(2026, 12, 2)
    assert not late5.chase_due and late5.last_method == "phone"
    # the dashboard's counter counts the same list in SQL
    from hotline_tui.services.metrics import today_counters

    assert today_counters(seeded, now=NOW).chase_today == len(page.rows) == 5


def test_chase_today_starts_the_working_day_before_the_deadline(seeded):
    # SOON is due Sunday (40 h): the working day before is today
    soon = next(r for r in queue_rows(seeded) if r.order_no == "SOON")
    assert soon.next_chase_on == NOW.date()
    clock.set_fixed(datetime(2026, 11, 30, 10, 0))  # Monday; LATER is due Thursday
    assert "LATER" not in [r.order_no for r in queue_rows(seeded)]  # 85 h: outside 48 h
    assert "LATER" not in [r.order_no for r in queue_page(seeded, view="today").rows]
    clock.set_fixed(datetime(2026, 12, 2, 10, 0))  # Wednesday: the working day before
    assert "LATER" in [r.order_no for r in queue_page(seeded, view="today").rows]


def test_bad_view_or_group_is_one_sentence(seeded):
    with pytest.raises(UserError) as e:
        queue_page(seeded, group="street")
    assert "street" in str(e.value) and "unit" in str(e.value)
    with pytest.raises(UserError):
        queue_page(seeded, view="tomorrow")


def test_empty_queue(engine):
    page = queue_page(engine)
    assert page.rows == [] and page.total == 0 and page.counts.total == 0
