"""包联督办: a leader, a reporting cadence (weekly by default), progress entries; the
key-supervision list shows the last progress and whether a report is overdue."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from test_queue_support import NOW, add_unit, eod, events, make_order

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.queue import queue_rows
from hotline_tui.services.settings import set_setting
from hotline_tui.services.sponsorship import (
    add_progress,
    end_sponsorship,
    progress_of,
    sponsor,
    supervision_list,
)
from hotline_tui.store.engine import session

START = datetime(2026, 11, 2, 9, 0)  # Monday


@pytest.fixture(autouse=True)
def _clock():
    clock.set_fixed(START)
    yield
    clock.set_fixed(None)


@pytest.fixture
def seeded(engine):
    with session(engine) as s:
        u = add_unit(s, "县住房和城乡建设局")
        make_order(s, "S1", u, eod(date(2026, 11, 6)), status="signed",
                   dispatched_at=datetime(2026, 10, 30, 9, 0))
        make_order(s, "S2", u, eod(date(2026, 11, 20)), dispatched_at=datetime(2026, 11, 1))
        make_order(s, "S3", u, eod(date(2026, 11, 6)), status="closed")
        s.commit()
    return engine


def _row(engine, no, **kw):
    return next(r for r in supervision_list(engine, **kw) if r.order_no == no)


def test_weekly_report_overdue_after_seven_days(seeded):
    info = sponsor(seeded, "S1", leader="王建国", title="副县长")
    assert info.cadence_days == 7 and info.report_due_on == date(2026, 11, 9)
    # day 7: due today, not overdue
    r = _row(seeded, "S1", now=datetime(2026, 11, 9, 17, 0))
    assert (r.report_overdue, r.report_due_on, r.last_progress_at) == \
        (False, date(2026, 11, 9), None)
    # day 8: overdue by one day
    r = _row(seeded, "S1", now=datetime(2026, 11, 10, 8, 0))
    assert r.report_overdue and r.report_days_over == 1
    assert (r.leader_name, r.leader_title, r.unit_name) == ("王建国", "副县长",
                                                             "县住房和城乡建设局")


def test_progress_moves_the_next_report(seeded):
    sponsor(seeded, "S1", leader="王建国", title="副县长")
    clock.set_fixed(datetime(2026, 11, 8, 15, 0))
    add_progress(seeded, "S1", "已召开现场协调会，施工方承诺11月15日前完工")
    r = _row(seeded, "S1", now=datetime(2026, 11, 12, 9, 0))
    assert r.last_progress.startswith("已召开现场协调会") and r.progress_count == 1
    assert r.report_due_on == date(2026, 11, 15) and not r.report_overdue
    assert _row(seeded, "S1", now=datetime(2026, 11, 16, 9, 0)).report_overdue
    assert [p.note[:3] for p in progress_of(seeded, "S1")] == ["已召开"]
    notes = [e.note for e in events(seeded, "S1") if e.event == "sponsor"]
    assert "包联领导 王建国（副县长），每 7 天汇报进展" in notes[0]
    assert "督办进展（王建国）" in notes[1]


def test_cadence_setting_and_option(seeded):
    with session(seeded) as s:
        set_setting(s, "sponsor_report_days", 14)
        s.commit()
    assert sponsor(seeded, "S1", leader="王建国", title="副县长").cadence_days == 14
    assert sponsor(seeded, "S2", leader="李明", title="局长", cadence_days=3).report_due_on == \
        date(2026, 11, 5)


def test_list_order_and_end(seeded):
    sponsor(seeded, "S1", leader="王建国", title="副县长")
    clock.set_fixed(START + timedelta(days=2))
    sponsor(seeded, "S2", leader="李明", title="局长", cadence_days=30)
    now = datetime(2026, 11, 12, 9, 0)
    rows = supervision_list(seeded, now=now)
    # the one with an overdue report first
    assert [(r.order_no, r.report_overdue) for r in rows] == [("S1", True), ("S2", False)]
    assert rows[0].overdue and rows[0].late_workdays == 4  # due 11-06, now Thursday 11-12
    end_sponsorship(seeded, "S1", "问题已解决")
    assert [r.order_no for r in supervision_list(seeded, now=now)] == ["S2"]
    assert [r.order_no for r in supervision_list(seeded, now=now, include_ended=True)] == \
        ["S2", "S1"]
    with pytest.raises(UserError):
        add_progress(seeded, "S1", "x")


def test_flag_in_queue_and_responsor(seeded):
    sponsor(seeded, "S1", leader="王建国", title="副县长")
    clock.set_fixed(datetime(2026, 11, 6, 10, 0))
    assert next(r for r in queue_rows(seeded) if r.order_no == "S1").sponsored
    sponsor(seeded, "S1", leader="赵强", title="县长", cadence_days=7)  # leader changed
    rows = supervision_list(seeded, now=NOW)
    assert len(rows) == 1 and rows[0].leader_name == "赵强"


@pytest.mark.parametrize(("no", "kwargs", "word"), [
    ("S1", {"leader": " ", "title": "x"}, "姓名"),
    ("S1", {"leader": "王", "title": "x", "cadence_days": 0}, "0"),
    ("S3", {"leader": "王", "title": "x"}, "已办结"),
])
def test_sponsor_errors(seeded, no, kwargs, word):
    with pytest.raises(UserError) as e:
        sponsor(seeded, no, **kwargs)
    assert word in str(e.value)
