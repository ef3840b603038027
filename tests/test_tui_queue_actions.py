"""What the clerk does on the queue screen: chase the current order or all marked ones (a
chase-log row and a history row each, the rows refreshed in place without re-reading the
list), bad input refused in the form with one sentence and nothing saved, an extension asked,
approved or refused (and refused by the service after the deadline), and the written chase
notice written as .docx and .xlsx, read back, and recorded in the orders' history."""

from __future__ import annotations

from datetime import date, datetime

from clock_support import fixed_clock
from test_queue_support import events, order
from test_tui_queue_support import NOW, goto, list_lines, queue_app, queue_scene, ready
from textual.widgets import Input
from tui_support import async_test

from hotline_tui.i18n import t
from hotline_tui.services.chase import chase_log
from hotline_tui.services.extension import extensions_of
from hotline_tui.tui.modals.chase_form import ChaseForm
from hotline_tui.tui.modals.chase_notice import ChaseNoticeDialog
from hotline_tui.tui.modals.extension_forms import ExtensionDecisionForm, ExtensionRequestForm
from hotline_tui.tui.screens.queue import QueueScreen

SIZE = (160, 40)


_clock = fixed_clock(NOW)


def _line(screen, order_no: str) -> str:  # noqa: ANN001
    return next(ln for ln in list_lines(screen)
                if ln.strip().removeprefix("* ").startswith(order_no))


def _count_page_reads(screen) -> list[int]:  # noqa: ANN001
    """Counts the list's page reads from now on (the first item of the returned list)."""
    calls = [0]
    loader = screen.queue.loader

    def counting(*args):  # noqa: ANN002, ANN202
        calls[0] += 1
        return loader(*args)

    screen.queue.loader = counting
    return calls


async def _type(pilot, text: str) -> None:  # noqa: ANN001
    await pilot.press(*list(text))


@async_test
async def test_chase_one_order_logged_and_row_refreshed_in_place(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        await goto(pilot, "Q1")
        reads = _count_page_reads(screen)
        await pilot.press("c")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, ChaseForm)
        whom = form.query_one("#chase-whom", Input).value
        assert whom == "张三 13812345678"  # prefilled with the owner
        suggested = form.query_one("#chase-next", Input).value
        assert suggested == date(2026, 11, 30).isoformat()  # overdue: the next working day
        await pilot.press("1", "tab", "tab")  # phone; past whom into what was said
        await _type(pilot, "答应下周一回复")
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        log = chase_log(engine, "Q1")
        assert [(e.method, e.whom, e.said, e.next_chase_on) for e in log] == [
            ("phone", "张三 13812345678", "答应下周一回复", date(2026, 11, 30))]
        assert [h.event for h in events(engine, "Q1")].count("chase") == 1
        row = screen.queue.current_row
        assert row.order_no == "Q1" and row.chase_count == 1 and not row.next_chase_suggested
        line = _line(screen, "Q1")
        assert "11-30" in line and t("queue_tui.next.suggested", day="11-30") not in line
        assert reads[0] == 0  # refreshed in place: the list was not read again
        assert "答应下周一回复" in str(screen.query_one("#queue-log").render())


@async_test
async def test_chase_marked_orders_together(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        await goto(pilot, "Q1")
        await pilot.press("space", "j", "space")  # Q1 and Q3 marked
        assert {r.order_no for r in screen.queue.marked.values()} == {"Q1", "Q3"}
        assert _line(screen, "Q1").lstrip().startswith("* Q1")
        assert _line(screen, "Q3").lstrip().startswith("* Q3")
        assert _line(screen, "Q2").lstrip().startswith("Q2")
        await pilot.press("c")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, ChaseForm) and len(form.rows) == 2
        assert form.query_one("#chase-whom", Input).value == ""  # each order's owner
        await pilot.press("2", "ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        for no in ("Q1", "Q3"):
            log = chase_log(engine, no)
            assert [(e.method, e.whom) for e in log] == [("sms", "张三 13812345678")]
            assert [h.event for h in events(engine, no)].count("chase") == 1
        assert chase_log(engine, "Q4") == []
        assert not screen.queue.marked
        rows = {screen.queue.row_at(i).order_no: screen.queue.row_at(i) for i in range(4)}
        assert rows["Q1"].chase_count == 1 and rows["Q3"].chase_count == 1
        assert rows["Q4"].chase_count == 0


@async_test
async def test_bad_chase_input_is_one_sentence_and_nothing_is_saved(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "Q1")
        await pilot.press("c")
        await ready(pilot)
        form = app.screen
        await pilot.press("ctrl+s")  # no method chosen
        await ready(pilot)
        assert app.screen is form
        assert form.error == t("queue_tui.chase.no_method")
        await pilot.press("1")
        form.query_one("#chase-next", Input).value = "2026-11-01"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert app.screen is form
        assert form.error == t("chase.error.next_past", day="2026-11-01", today="2026-11-27")
        form.query_one("#chase-next", Input).value = "2026-12-01"
        form.query_one("#chase-promised", Input).value = "下周"
        await ready(pilot)
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert form.error == t("queue.error.bad_date", value="下周")
        assert chase_log(engine, "Q1") == []
        assert [h.event for h in events(engine, "Q1")].count("chase") == 0
        await pilot.press("escape")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        assert app.screen.queue.current_row.chase_count == 0


@async_test
async def test_promised_date_moves_the_suggestion(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "Q1")
        await pilot.press("c")
        await ready(pilot)
        form = app.screen
        form.query_one("#chase-promised", Input).value = "2026-12-03"
        await ready(pilot)
        assert form.query_one("#chase-next", Input).value == "2026-12-04"  # the day after
        await pilot.press("3", "ctrl+s")
        await ready(pilot)
        log = chase_log(engine, "Q1")
        assert [(e.method, e.promised_on, e.next_chase_on) for e in log] == [
            ("visit", date(2026, 12, 3), date(2026, 12, 4))]


@async_test
async def test_extension_request_then_approve(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        await goto(pilot, "Q3")
        await pilot.press("e")
        await ready(pilot)
        assert isinstance(app.screen, ExtensionRequestForm)
        await pilot.press("3", "tab")
        await _type(pilot, "需协调住建局")
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        [req] = extensions_of(engine, "Q3")
        assert (req.status, req.days, req.reason) == ("pending", 3, "需协调住建局")
        assert t("queue_tui.flag.extension") in _line(screen, "Q3")
        await pilot.press("d")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, ExtensionDecisionForm)
        assert "需协调住建局" in str(form.query_one("#ext-pending").render())
        await pilot.press("ctrl+s")  # approve is the first choice
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        [req] = extensions_of(engine, "Q3")
        assert req.status == "approved"
        assert order(engine, "Q3").due_at == req.new_due_at == datetime(2026, 12, 2, 23, 59, 59)
        # the new deadline is past the warning window: Q3 leaves the queue
        numbers = [screen.queue.row_at(i).order_no for i in range(screen.queue.total)]
        assert "Q3" not in numbers and numbers == ["Q1", "Q2", "Q4"]
        assert [h.event for h in events(engine, "Q3")].count("extend") == 2


@async_test
async def test_extension_refused_keeps_the_deadline(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        await goto(pilot, "Q4")
        due = order(engine, "Q4").due_at
        await pilot.press("e")
        await ready(pilot)
        await pilot.press("2", "tab")
        await _type(pilot, "人手不足")
        await pilot.press("ctrl+s")
        await ready(pilot)
        await pilot.press("d")
        await ready(pilot)
        await pilot.press("right", "tab")  # refuse; into the note
        await _type(pilot, "理由不充分")
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        [req] = extensions_of(engine, "Q4")
        assert (req.status, req.decision_note) == ("refused", "理由不充分")
        assert order(engine, "Q4").due_at == due
        assert t("queue_tui.flag.extension") not in _line(screen, "Q4")


@async_test
async def test_extension_after_the_deadline_is_refused_with_the_services_sentence(engine):
    queue_scene(engine)
    app = queue_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "Q1")
        await pilot.press("d")  # nothing pending: no form
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
        await pilot.press("e")
        await ready(pilot)
        form = app.screen
        await pilot.press("3", "tab")
        await _type(pilot, "来不及")
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert app.screen is form
        assert form.error == t("extension.error.after_deadline", order_no="Q1",
                               due="2026-11-20 18:00")
        assert extensions_of(engine, "Q1") == []


def _docx_text(path) -> str:  # noqa: ANN001
    import docx

    doc = docx.Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def _xlsx_text(path) -> str:  # noqa: ANN001
    import openpyxl

    wb = openpyxl.load_workbook(str(path), read_only=True)
    try:
        return "\n".join(str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True)
                         for v in row if v is not None)
    finally:
        wb.close()


@async_test
async def test_chase_notice_for_the_current_unit_written_and_read_back(engine, tmp_path):
    queue_scene(engine)
    app = queue_app(engine)
    out = tmp_path / "notices"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "Q1")
        await pilot.press("w")
        await ready(pilot)
        dialog = app.screen
        assert isinstance(dialog, ChaseNoticeDialog) and dialog.units[0][1] == "黑龙河乡"
        assert dialog.query_one("#notice-folder", Input).value  # a default folder
        dialog.query_one("#notice-folder", Input).value = str(out)
        await pilot.press("enter")
        await ready(pilot)
        assert app.screen is dialog and dialog.result
        assert str(out.resolve()) in str(dialog.query_one("#notice-title").render())
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
    files = sorted(out.iterdir())
    assert sorted(p.suffix for p in files) == [".docx", ".xlsx"]
    assert all("黑龙河乡" in p.name for p in files)
    docx_file = next(p for p in files if p.suffix == ".docx")
    xlsx_file = next(p for p in files if p.suffix == ".xlsx")
    for text in (_docx_text(docx_file), _xlsx_text(xlsx_file)):
        assert "Q1" in text and "Q3" in text and "Q2" not in text and "Q4" not in text
        assert "13812345678" not in text.replace("张三 13812345678", "")  # caller masked
    for no in ("Q1", "Q3"):
        assert [h.event for h in events(engine, no)].count("export") == 1
    assert chase_log(engine, "Q1") == []  # no chase logged unless asked


@async_test
async def test_chase_notice_for_the_units_of_marked_rows_with_a_written_chase(engine, tmp_path):
    queue_scene(engine)
    app = queue_app(engine)
    out = tmp_path / "n2"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "Q1")
        await pilot.press("space", "space")  # Q1 (黑龙河乡) and Q2 (城关镇)
        await pilot.press("w")
        await ready(pilot)
        dialog = app.screen
        assert sorted(name for _u, name in dialog.units) == ["城关镇", "黑龙河乡"]
        dialog.query_one("#notice-folder", Input).value = str(out)
        await pilot.press("l", "enter")  # also log a chase by written notice
        await ready(pilot)
        await pilot.press("enter")
        await ready(pilot)
        assert isinstance(app.screen, QueueScreen)
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4
    assert sum("城关镇" in n for n in names) == 2 and sum("黑龙河乡" in n for n in names) == 2
    for no in ("Q1", "Q2", "Q3", "Q4"):
        assert [e.method for e in chase_log(engine, no)][-1] == "notice"
