"""The dashboard (统计) driven with Pilot on a small demo county: today's counters equal the
lists they open, the keys jump to those lists, the ranking sorts by a column and reverses,
the groups keep townships and departments apart, the trend chart lines up with Chinese
month labels, the English UI, the report dialog writes a file."""

from __future__ import annotations

from datetime import datetime

import pytest
from register_tui_support import register_app
from rich.cells import cell_len
from tui_support import async_test, screen_text, settle

from hotline_tui.domain import metrics as dm
from hotline_tui.i18n import set_lang, t
from hotline_tui.services import clock
from hotline_tui.services.demo import generate
from hotline_tui.services.metrics import compare_months, today_counters
from hotline_tui.tui.screens.dashboard import TREND_MONTHS, DashboardScreen

NOW = datetime(2026, 11, 27, 10, 0)
SCREENS = ("dashboard", "inbox", "triage", "queue", "review")


@pytest.fixture(autouse=True)
def _clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)
    set_lang("zh")


@pytest.fixture
def demo(engine):  # noqa: ANN001
    generate(engine, 1500, now=NOW, workers=0)
    return engine


async def _open(pilot) -> DashboardScreen:  # noqa: ANN001
    await settle(pilot, 6)
    screen = pilot.app.screen
    assert isinstance(screen, DashboardScreen)
    return screen


@async_test
async def test_counters_are_the_lists_and_keys_jump(demo):  # noqa: ANN001
    app = register_app(demo, SCREENS)
    expected = today_counters(demo, now=NOW)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open(pilot)
        text = screen_text(app)
        assert screen.today == expected
        for field in ("new_today", "to_triage", "overdue", "to_review"):
            assert f"{t('dash.' + field)} {getattr(expected, field):,}" in text
        await pilot.press("t")
        await settle(pilot)
        assert app.current_mode == "triage"
        await pilot.press("f12")
        await settle(pilot)
        await pilot.press("c")  # to chase today: the queue in its chase-today view
        await settle(pilot)
        assert app.current_mode == "queue"
        assert app.screen.queue.view == "today"
        await pilot.press("f12", "o")  # overdue: the queue's whole view again
        await settle(pilot)
        assert app.current_mode == "queue"
        assert app.screen.queue.view == "all"
        await pilot.press("f12", "v")
        await settle(pilot)
        assert app.current_mode == "review"


@async_test
async def test_ranking_sorts_reverses_and_groups(demo):  # noqa: ANN001
    app = register_app(demo, SCREENS)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open(pilot)
        this = compare_months(demo, now=NOW).this
        keys = [ln.key for ln in screen.ranking.lines]
        assert keys == [str(u.unit_id) for u in dm.rank(this.units)]  # the circular's rule
        await pilot.press("s", "s")  # rank -> dispatched -> sign_rate
        assert screen.sort == "sign_rate"
        rates = [ln.data.get("sign_rate").value for ln in screen.ranking.lines]
        known = [r for r in rates if r is not None]
        assert known == sorted(known)  # worst (lowest) first
        assert rates[len(known):] == [None] * (len(rates) - len(known))  # "—" last
        await pilot.press("r")
        rates = [ln.data.get("sign_rate").value for ln in screen.ranking.lines]
        known = [r for r in rates if r is not None]
        assert known == sorted(known, reverse=True)
        await pilot.press("b")  # departments only
        assert {ln.data.kind for ln in screen.ranking.lines} == {"department"}
        await pilot.press("b")
        assert {ln.data.kind for ln in screen.ranking.lines} == {"township"}
        assert t("metrics.kind.township") in screen_text(app)


@async_test
async def test_trend_chart_lines_up_with_chinese_labels(demo):  # noqa: ANN001
    app = register_app(demo, SCREENS)
    async with app.run_test(size=(160, 50)) as pilot:
        screen = await _open(pilot)
        assert len(screen.points) == TREND_MONTHS
        chart = screen.query_one("#dash-trend").render()
        lines = str(chart).split("\n")
        bar_lines = [ln for ln in lines if ln.startswith(("6月", "7月", "10月", "11月"))]
        assert bar_lines, lines
        assert len({cell_len(ln) for ln in bar_lines}) == 1  # same display width
        text = screen_text(app)
        assert t("dash.trend_line") in text and "11月" in text
        # the comparison shows both months with numerator / denominator
        this = compare_months(demo, now=NOW).this
        close = dm.figure(this.office, "close_rate")
        assert f"({close.numerator}/{close.denominator})" in text


@async_test
async def test_english_ui_and_the_report_dialog(demo, tmp_path):  # noqa: ANN001
    set_lang("en")
    app = register_app(demo, SCREENS)
    async with app.run_test(size=(160, 50)) as pilot:
        await _open(pilot)
        text = screen_text(app)
        assert "New today" in text and "Close rate" in text and "Units (" in text
        await pilot.press("x")
        await settle(pilot)
        dialog = app.screen
        dialog.query_one("#report-folder").value = str(tmp_path)
        dialog.query_one("#report-format").value = "json"
        await pilot.press("ctrl+s")
        await settle(pilot, 8)
        written = list(tmp_path.glob("*.json"))
        assert len(written) == 1 and "2026-11" in written[0].name
        assert '"kind": "circular"' in written[0].read_text(encoding="utf-8")
