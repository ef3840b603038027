"""The queue's documents, opened again: the chase notice per unit (.docx and .xlsx) with the
caller masked as on the dispatch sheets and an EXPORT history row per order; the
key-supervision list and the meeting agenda (.docx) without caller data."""

from __future__ import annotations

from datetime import date

import pytest
from clock_support import fixed_clock
from test_dispatch_support import docx_text, raw_text, xlsx_text
from test_queue_support import NOW, add_owner, add_unit, eod, events, make_order

from hotline_tui.errors import UserError
from hotline_tui.services.chase import chase_log
from hotline_tui.services.meeting import add_to_meeting
from hotline_tui.services.queue_docs import (
    write_agenda_docx,
    write_chase_notices,
    write_supervision_docx,
)
from hotline_tui.services.sponsorship import add_progress, sponsor
from hotline_tui.store.engine import session

_clock = fixed_clock(NOW)


@pytest.fixture
def seeded(engine):
    with session(engine) as s:
        u1 = add_unit(s, "黑龙河乡", "黑龙河", "hlhx")
        u2 = add_unit(s, "县住房和城乡建设局", "住建局", "zjj")
        li = add_owner(s, u1, "李四", "13900000001")
        make_order(s, "A1", u1, eod(date(2026, 11, 24)), status="signed", owner=li,
                   caller_name="张三丰", caller_phone="13812345678")
        make_order(s, "A2", u1, eod(date(2026, 11, 27)), caller_name="欧阳娜娜",
                   caller_phone="13698765432", confidential=True, title="=举报某单位")
        make_order(s, "B1", u2, eod(date(2026, 11, 20)), status="signed",
                   caller_name="王小明", caller_phone="13511112222")
        s.commit()
    return engine


def test_chase_notice_masked_and_recorded(seeded, tmp_path):
    files = write_chase_notices(seeded, tmp_path, unit="hlhx")
    assert list(files) == ["黑龙河乡"]
    paths = files["黑龙河乡"]
    assert sorted(p.name for p in paths) == ["催办通知书_2026-11-27_黑龙河乡.docx",
                                             "催办通知书_2026-11-27_黑龙河乡.xlsx"]
    for p in paths:
        raw = raw_text(p)
        # masked caller, confidential caller left out, no full numbers anywhere in the file
        assert "138****5678" in raw and "张**" in raw
        for secret in ("13812345678", "张三丰", "13698765432", "欧阳娜娜", "136****5432"):
            assert secret not in raw, (p.name, secret)
        assert "(保密)" in raw
        text = docx_text(p) if p.suffix == ".docx" else xlsx_text(p)
        assert "A1" in text and "A2" in text and "B1" not in text
        assert "超期3个工作日（58小时）" in text and "李四 13900000001" in text
        assert "今日到期" in text and "西山县12345热线催办通知书" in text
    # a title starting with = stays text in Excel
    from openpyxl import load_workbook

    ws = load_workbook(next(p for p in paths if p.suffix == ".xlsx")).active
    cell = next(c for row in ws.iter_rows() for c in row
                if isinstance(c.value, str) and "举报某单位" in c.value)
    assert cell.data_type == "s"
    for no in ("A1", "A2"):
        ev = events(seeded, no)[-1]
        assert ev.event == "export" and "催办通知书_2026-11-27_黑龙河乡.docx" in ev.note
    assert "已遮蔽" in events(seeded, "A1")[-1].note
    assert events(seeded, "B1")[-1].event == "sign"
    assert not list(tmp_path.glob(".*.tmp"))


def test_unmask_shows_caller_but_never_confidential(seeded, tmp_path):
    files = write_chase_notices(seeded, tmp_path, unit="黑龙河乡", formats=["docx"],
                                unmask=True)
    raw = raw_text(files["黑龙河乡"][0])
    assert "13812345678" in raw and "张三丰" in raw
    assert "13698765432" not in raw and "欧阳娜娜" not in raw
    assert "未遮蔽" in events(seeded, "A1")[-1].note
    assert "保密工单" in events(seeded, "A2")[-1].note


def test_notice_of_all_units_named_orders_and_chase_log(seeded, tmp_path):
    files = write_chase_notices(seeded, tmp_path, formats=["xlsx"])
    assert sorted(files) == ["县住房和城乡建设局", "黑龙河乡"]
    again = write_chase_notices(seeded, tmp_path, order_nos=["B1"], formats=["xlsx"],
                                log_chase=True)
    # never overwrites: the second notice of the day gets -2
    assert again["县住房和城乡建设局"][0].name == "催办通知书_2026-11-27_县住房和城乡建设局-2.xlsx"
    log = chase_log(seeded, "B1")
    assert len(log) == 1 and log[0].method == "notice" and "-2.xlsx" in log[0].said
    assert [e.event for e in events(seeded, "B1")[-2:]] == ["export", "chase"]


def test_notice_errors_leave_nothing(seeded, tmp_path):
    tmp_path = tmp_path / "out"
    with pytest.raises(UserError) as e:
        write_chase_notices(seeded, tmp_path, unit="hlhx", order_nos=["B1"])
    assert "B1" in str(e.value)
    with pytest.raises(UserError):
        write_chase_notices(seeded, tmp_path, unit="hlhx", formats=["pdf"])
    with session(seeded) as s:
        add_unit(s, "城关镇")
        s.commit()
    with pytest.raises(UserError) as e:
        write_chase_notices(seeded, tmp_path, unit="城关镇")
    assert "没有需要催办" in str(e.value)
    assert not tmp_path.exists() or list(tmp_path.iterdir()) == []
    assert all(ev.event != "export" for ev in events(seeded, "A1"))


def test_supervision_docx(seeded, tmp_path):
    with pytest.raises(UserError):
        write_supervision_docx(seeded, tmp_path / "x.docx")
    sponsor(seeded, "B1", leader="王建国", title="副县长")
    add_progress(seeded, "B1", "已约谈施工单位负责人")
    path = write_supervision_docx(seeded, tmp_path / "督办清单")
    assert path.name == "督办清单.docx"
    text = docx_text(path)
    for word in ("重点督办事项清单", "B1", "王建国", "副县长", "已约谈施工单位负责人",
                 "县住房和城乡建设局", "超期5个工作日"):
        assert word in text, word
    raw = raw_text(path)
    assert "13511112222" not in raw and "王小明" not in raw
    assert events(seeded, "B1")[-1].event == "export"


def test_agenda_docx(seeded, tmp_path):
    add_to_meeting(seeded, "A1", reason="道路照明归属不清", units=["住建局"])
    path = write_agenda_docx(seeded, tmp_path / "议题.docx", meeting_date=date(2026, 12, 3))
    text = docx_text(path)
    for word in ("联席会议议题", "议题1：A1", "道路照明归属不清", "县住房和城乡建设局",
                 "黑龙河乡", "办理经过", "提交联席会议", "2026年12月3日"):
        assert word in text, word
    raw = raw_text(path)
    assert "13812345678" not in raw and "张三丰" not in raw
    ev = events(seeded, "A1")[-1]
    assert ev.event == "export" and "议题.docx" in ev.note
