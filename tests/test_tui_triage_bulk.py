"""Bulk triage from the list of new orders (space marks, one key applies) and dispatch from
the triage screen: the preview, the sheets written into a folder, the orders 已交办."""

from __future__ import annotations

import openpyxl
from triage_helpers import events, order
from triage_tui_support import Keys, add_new_orders, make_app, open_triage, seed_history
from tui_support import async_test, screen_text, settle

from hotline_tui.services.settings import set_setting
from hotline_tui.services.units import resolve_unit
from hotline_tui.store.engine import session


@async_test
async def test_mark_three_and_apply_unit_tier_type(engine):
    seed_history(engine)
    nos = add_new_orders(engine, 5)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        press = Keys(pilot)
        await press("b")
        lst = screen.new_list
        assert lst.display and lst.has_focus
        assert [r.order_no for r in lst.rows] == nos
        await press("space", "space", "j", "space")  # N000, N001, N003
        assert list(screen.marks) == [nos[0], nos[1], nos[3]]
        lines = [lst.render_line(y).text for y in range(1, 6)]
        assert lines[0].lstrip().startswith("*") and not lines[2].lstrip().startswith("*")
        await press("enter")  # nothing chosen yet: refused, nothing written
        assert order(engine, nos[0]).status == "new"
        await press("u", "h", "s", "z", "enter", "1", "t")
        await press("end", "enter")  # 其他
        await press("enter")
        assert "已分拣 3 条" in screen_text(app)
        assert [r.order_no for r in lst.rows] == [nos[2], nos[4]]
        assert screen.marks == {nos[0]: "triaged", nos[1]: "triaged", nos[3]: "triaged"}
    hs = resolve_unit(engine, "黑山镇").id
    for no in (nos[0], nos[1], nos[3]):
        o = order(engine, no)
        assert (o.status, o.unit_id, o.tier_days, o.request_type) == ("triaged", hs, 15, "其他")
        assert [e for e, _c, _n in events(engine, no)] == ["create", "triage"]
    for no in (nos[2], nos[4]):
        assert order(engine, no).status == "new"


@async_test
async def test_back_from_the_list_opens_the_order_under_the_cursor(engine):
    seed_history(engine)
    nos = add_new_orders(engine, 4)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        await pilot.press("b", "j", "j", "b")
        await settle(pilot)
        assert screen.mode == "walk" and screen.item.order_no == nos[2]
        assert "第 3 / 4 条" in screen_text(app)


@async_test
async def test_dispatch_the_marked_orders_writes_sheets(engine, tmp_path):
    seed_history(engine)
    nos = add_new_orders(engine, 4)
    out = tmp_path / "交办单"
    with session(engine) as s:
        set_setting(s, "sheets_dir", str(out))
        s.commit()
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_triage(pilot)
        press = Keys(pilot)
        await press("space", "3", "enter")  # N000 marked, triaged
        await press("space", "5", "enter")  # N001 marked, triaged
        await press("3", "enter")  # N002 triaged, not marked
        await press("s")
        dialog = app.screen
        assert dialog.__class__.__name__ == "DispatchScreen"
        assert dialog.query_one("#dispatch-folder").value == str(out)
        text = screen_text(app)
        assert "交办已选的 2 条工单" in text and "将交办 2 条" in text
        assert "西山县城市管理综合行政执法局" in text and "西山县人力资源和社会保障局" in text
        await press("enter")
        done = app.screen
        assert done.__class__.__name__ == "DispatchDoneScreen"
        text = screen_text(app)
        assert "已交办 2 条" in text and ".xlsx" in text and ".docx" in text
        await press("enter")
        assert app.screen is screen and screen.marks == {}
    assert order(engine, nos[0]).status == "dispatched"
    assert order(engine, nos[1]).status == "dispatched"
    assert order(engine, nos[2]).status == "triaged"  # not marked: stays
    files = sorted(p.name for p in out.iterdir())
    assert len([f for f in files if f.endswith(".xlsx")]) == 2
    assert len([f for f in files if f.endswith(".docx")]) == 2
    kinds = [e for e, _c, _n in events(engine, nos[0])]
    assert kinds[-2:] == ["dispatch", "export"]
    # masked by default
    book = openpyxl.load_workbook(next(p for p in out.iterdir() if p.suffix == ".xlsx"))
    cells = " ".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value)
    assert "139****" in cells and "13900000000" not in cells


@async_test
async def test_dispatch_all_shows_skipped_and_fallback_warning(engine, tmp_path):
    """Nothing marked: every triaged order goes; a deadline running into a year without
    holiday data is warned about on the dialog."""
    from datetime import datetime

    from hotline_tui.services import clock

    seed_history(engine)
    add_new_orders(engine, 2)
    clock.set_fixed(datetime(2026, 12, 28, 9, 0))  # 15 working days reach into 2027
    try:
        app = make_app(engine)
        async with app.run_test(size=(150, 40)) as pilot:
            await open_triage(pilot)
            await pilot.press("1", "enter")
            await settle(pilot)
            await pilot.press("s")
            await settle(pilot)
            text = screen_text(app)
            assert "交办全部已分拣的工单" in text
            assert "将交办 13 条" in text  # 12 from the history + N000
            assert "2027" in text and "按周末计算" in text
            dialog = app.screen
            dialog.query_one("#dispatch-folder").value = str(tmp_path / "out")
            await pilot.press("x", "m")  # docx only, callers unmasked
            await settle(pilot)
            assert dialog.formats == {"xlsx": False, "docx": True} and dialog.unmask
            await pilot.press("enter")
            await settle(pilot)
            assert app.screen.__class__.__name__ == "DispatchDoneScreen"
            assert "2027" in screen_text(app)
            await pilot.press("escape")
    finally:
        clock.set_fixed(None)
    written = list((tmp_path / "out").iterdir())
    assert written and all(p.suffix == ".docx" for p in written)
    assert order(engine, "N000").status == "dispatched"
    assert order(engine, "N001").status == "new"


@async_test
async def test_dispatch_with_nothing_triaged_says_so(engine):
    seed_history(engine, per_kind=0)
    add_new_orders(engine, 1)
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        await open_triage(pilot)
        await pilot.press("space", "s")
        await settle(pilot)
        text = screen_text(app)
        assert "没有可以交办的工单" in text and "N000" in text  # skipped, with the reason
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "DispatchScreen"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.__class__.__name__ == "TriageScreen"
    assert order(engine, "N000").status == "new"
