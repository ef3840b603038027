"""The calendar screen: a year's holidays and make-up workdays marked by source, the year's
status, entering 2027 through the form (the warning on every screen disappears and deadlines
count the entered days), bad lines refused as one sentence, year navigation, file import,
and a snapshot with a frozen clock."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from directory_tui_support import header_text, make_app, notes, open_screen, press, type_text
from tui_support import async_test, settle

from hotline_tui.domain.workdays import HOLIDAY, WORKDAY, WorkCalendar, iter_dates
from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.calendar import compute_due, fallback_warning, year_view
from hotline_tui.tui.screens.calendar import day_ranges

SPRING = (date(2027, 2, 6), date(2027, 2, 12))
MAKE_UP = date(2027, 2, 13)  # a Saturday
DISPATCH = datetime(2027, 2, 5, 10, 0)  # the Friday before the holiday
NOW = datetime(2026, 11, 27, 10, 0)  # deadlines from today reach 2027, which has no data


@pytest.fixture(autouse=True)
def _frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


def _status(screen) -> str:  # noqa: ANN001
    return str(screen.query_one("#cal-status").render())


def _rows(screen) -> list[list[str]]:  # noqa: ANN001
    table = screen.table
    return [[str(c).strip() for c in table.get_row(k)] for k in table.keys()]


@async_test
async def test_entering_2027_clears_the_warning_and_moves_deadlines(engine):
    before = compute_due(engine, DISPATCH, 1)
    assert before.fallback_years == {2027}
    warning = fallback_warning([2027])
    app = make_app(engine)
    async with app.run_test(size=(150, 36)) as pilot:
        await settle(pilot)
        inbox = app.screen
        assert warning in header_text(inbox)  # visible on the first screen at start
        screen = await open_screen(pilot, "f8", "CalendarScreen")
        assert screen.year == 2026 and warning in header_text(screen)
        assert screen.query_one("#cal-banner").display
        await press(pilot, "right")
        assert screen.year == 2027
        assert t("calendar.status.missing", year=2027) in _status(screen)
        assert _rows(screen) == []

        await press(pilot, "e")
        form = app.screen
        assert type(form).__name__ == "YearForm"
        assert form.query_one("#year-holidays").text == ""
        await type_text(pilot, f"{SPRING[0]}..{SPRING[1]}:春节")
        await press(pilot, "tab")
        await type_text(pilot, f"{MAKE_UP}:春节")
        await press(pilot, "ctrl+s")
        assert app.screen is screen, getattr(app.screen, "error", "")
        assert any("2027" in n for n in notes(app))

        assert t("calendar.status.entered", year=2027, holidays=7, workdays=1) in _status(
            screen)
        entered = t("calendar.source.entered")
        assert _rows(screen) == [
            [f"{SPRING[0]}..02-12", "周六..周五", "7", "放假", "春节", entered],
            [str(MAKE_UP), "周六", "1", "上班", "春节", entered],
        ]
        assert warning not in header_text(screen)
        assert not screen.query_one("#cal-banner").display
        await press(pilot, "f2")
        assert app.screen is inbox and warning not in header_text(inbox)

        # the same form again shows what was entered
        await press(pilot, "f8", "e")
        assert app.screen.query_one("#year-holidays").text == f"{SPRING[0]}..{SPRING[1]}:春节"
        assert app.screen.query_one("#year-workdays").text == f"{MAKE_UP}:春节"
        await press(pilot, "escape")

    after = compute_due(engine, DISPATCH, 1)
    assert after.fallback_years == frozenset()
    expected = WorkCalendar({**{d: (HOLIDAY, "春节") for d in iter_dates(*SPRING)},
                             MAKE_UP: (WORKDAY, "春节")})
    assert after.due_at.date() == expected.add_workdays(DISPATCH, 1) == MAKE_UP
    assert after.due_at.date() != before.due_at.date()
    assert compute_due(engine, DISPATCH, 2).due_at.date() == expected.add_workdays(DISPATCH, 2)


@async_test
async def test_bad_lines_are_refused_in_the_form(engine):
    app = make_app(engine)
    async with app.run_test(size=(150, 36)) as pilot:
        screen = await open_screen(pilot, "f8", "CalendarScreen")
        await press(pilot, "right", "e")
        form = app.screen
        await type_text(pilot, "2027-01-01:元旦\n2027-02-30:春节")
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert form.error == t("cal_screen.bad_line", part=t("cal_screen.field_holidays_short"),
                               line=2, text="2027-02-30:春节")
        form.query_one("#year-holidays").text = "2028-01-01:元旦"
        await press(pilot, "ctrl+s")
        assert app.screen is form
        assert form.error == t("calendar.error.outside_year", day="2028-01-01", year=2027)
        form.query_one("#year-holidays").text = "2027-01-01:元旦"
        form.query_one("#year-workdays").text = "2027-01-01"
        await press(pilot, "ctrl+s")
        assert form.error == t("calendar.error.conflict", day="2027-01-01")
        await press(pilot, "escape")
        assert app.screen is screen
        assert year_view(engine, 2027).status == "missing"


@async_test
async def test_year_navigation_and_package_days(engine):
    app = make_app(engine)
    async with app.run_test(size=(150, 40)) as pilot:
        screen = await open_screen(pilot, "f8", "CalendarScreen")
        await press(pilot, "left")
        assert screen.year == 2025
        view = year_view(engine, 2025)
        assert view.status == "package"
        rows = _rows(screen)
        assert len(rows) == len(day_ranges(view.days)) > 5
        assert {r[-1] for r in rows} == {t("calendar.source.package")}
        assert sum(int(r[2]) for r in rows) == len(view.days)
        assert any(r[4] == "春节" and r[3] == "放假" for r in rows)
        await press(pilot, "y")
        prompt = app.screen
        prompt.query_one("#prompt-input").value = "明年"
        await press(pilot, "enter")
        assert app.screen is prompt and "明年" in str(prompt.query_one("#prompt-error").render())
        prompt.query_one("#prompt-input").value = "2031"
        await press(pilot, "enter")
        assert app.screen is screen and screen.year == 2031
        assert t("calendar.status.missing", year=2031) in _status(screen)
        await press(pilot, "t")
        assert screen.year == 2026


@async_test
async def test_import_a_holiday_file(engine, tmp_path):
    path = tmp_path / "2027.csv"
    path.write_text("日期,类型,名称\n2027-01-01,休,元旦\n2027-02-06..2027-02-12,休,春节\n"
                    "2027-02-13,班,春节\n", encoding="utf-8")
    app = make_app(engine)
    async with app.run_test(size=(150, 36)) as pilot:
        screen = await open_screen(pilot, "f8", "CalendarScreen")
        await press(pilot, "i")
        app.screen.query_one("#prompt-input").value = str(path)
        await press(pilot, "enter")
        await settle(pilot)
        assert app.screen is screen and screen.year == 2027  # went to the imported year
        assert year_view(engine, 2027).status == "entered"
        assert t("calendar.import.done", year=2027, holidays=8, workdays=1) in notes(app)
        assert len(_rows(screen)) == 3
        assert fallback_warning([2027]) not in header_text(screen)


@async_test
async def test_a_bad_holiday_file_is_one_sentence(engine, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("日期,类型\n2027-01-01,休\n2027-01-02,睡觉\n", encoding="utf-8")
    app = make_app(engine)
    async with app.run_test(size=(150, 36)) as pilot:
        screen = await open_screen(pilot, "f8", "CalendarScreen")
        await press(pilot, "i")
        app.screen.query_one("#prompt-input").value = str(path)
        await press(pilot, "enter")
        await settle(pilot)
        assert app.screen is screen
        assert t("calendar.error.bad_row_kind", row=3, value="睡觉") in notes(app)
        assert year_view(engine, 2027).status == "missing"


def test_calendar_screen_snapshot(engine, snap_compare):
    from hotline_tui.services.settings import set_setting
    from hotline_tui.store.engine import session

    with session(engine) as s:
        set_setting(s, "clerk_name", "王芳")  # not the login name of the machine
        s.commit()

    async def ready(pilot):  # noqa: ANN001, ANN202
        await settle(pilot)
        await pilot.press("f8")
        await settle(pilot)

    assert snap_compare(make_app(engine), terminal_size=(120, 32), run_before=ready)
