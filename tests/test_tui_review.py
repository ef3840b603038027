"""The reply review screen (复核): the pending list, the request and the reply side by side
with the reasons highlighted in the reply, accept (已办结, a history row), send back with
edited reasons (退回重办, the same owner, rework count up), the upstream text copied, replies
imported (unmatched rows shown with the reason) and typed, the callback that reopens an
order, bad input refused in the form, the English UI."""

from __future__ import annotations

from datetime import datetime

from clock_support import fixed_clock
from review_tui_support import (
    BAD,
    GOOD,
    NOW,
    REQUEST,
    goto,
    list_keys,
    ready,
    review_app,
    review_scene,
)
from sqlalchemy import text
from textual.widgets import Input, TextArea
from tui_support import async_test, screen_text

from hotline_tui.i18n import t
from hotline_tui.tui.modals.callback_form import CallbackForm
from hotline_tui.tui.modals.prompt import PathPrompt, TextPrompt
from hotline_tui.tui.modals.reply_form import ReplyForm
from hotline_tui.tui.modals.reply_import import ReplyImportScreen
from hotline_tui.tui.modals.send_back import SendBackForm
from hotline_tui.tui.screens.review import ReviewScreen
from hotline_tui.tui.widgets.choice_row import ChoiceRow
from hotline_tui.tui.widgets.review_panes import steady

SIZE = (160, 45)


_clock = fixed_clock(NOW)


def _order(engine, no: str) -> dict:  # noqa: ANN001
    with engine.connect() as conn:
        row = dict(conn.execute(text(
            "SELECT id, status, owner_id, rework_count, due_at, closed_at FROM work_order "
            "WHERE order_no = :no"), {"no": no}).mappings().one())
    for k in ("due_at", "closed_at"):
        if isinstance(row[k], str):  # text on SQLite, a datetime on PostgreSQL
            row[k] = datetime.fromisoformat(row[k])
    return row


def _events(engine, no: str) -> list[tuple[str, str]]:  # noqa: ANN001
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(
            "SELECT h.event, h.note FROM order_history h JOIN work_order o ON o.id = h.order_id "
            "WHERE o.order_no = :no ORDER BY h.id"), {"no": no})]


def _notes(app) -> list[str]:  # noqa: ANN001
    return [str(n.message) for n in app._notifications]  # noqa: SLF001


@async_test
async def test_list_shows_the_pending_replies_with_their_verdict(engine):
    from hotline_tui.services.review import pending_reviews

    review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        screen = app.screen
        assert isinstance(screen, ReviewScreen)
        expected = pending_reviews(engine)
        # replied orders only (XS0004 has no reply, XS0005 is closed), in the service's order
        assert list_keys(app) == [p.order_no for p in expected]
        assert set(list_keys(app)) == {"XS0001", "XS0002", "XS0003"}
        text_ = screen_text(app)
        assert t("review_screen.pending_title", n="3") in text_
        marks = (t("review_screen.mark_ok"), t("review_screen.mark_back"))
        rows = {ln.split()[2]: ln.split() for ln in text_.splitlines()
                if ln.split() and ln.split()[0] in marks}
        for p in expected:
            mark = marks[0] if p.verdict == "acceptable" else marks[1]
            assert rows[p.order_no][:2] == [mark, str(p.score)]
        # the boilerplate replies are the ones the review sends back
        verdicts = {p.order_no: p.verdict for p in expected}
        assert verdicts["XS0002"] == verdicts["XS0003"] == "send_back"
        assert verdicts["XS0001"] == "acceptable"


@async_test
async def test_request_and_reply_side_by_side_with_reasons_and_checklist(engine):
    from hotline_tui.services.review import review_order

    review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "XS0002")
        view = review_order(engine, "XS0002")
        text_ = screen_text(app)
        lines = text_.splitlines()
        # the request and the reply on screen together, the reply in a pane to the right
        req = [(y, ln.index(REQUEST[:8])) for y, ln in enumerate(lines) if REQUEST[:8] in ln]
        rep = [(y, ln.index(BAD[:3])) for y, ln in enumerate(lines) if BAD[:3] in ln]
        assert req and rep
        assert rep[0][1] > req[0][1] + 20
        assert abs(rep[0][0] - req[0][0]) < 6  # side by side, not one under the other
        # the verdict, the score, the reasons as sentences, the checklist marks
        assert t("review_screen.verdict_back") in text_
        assert t("review_screen.score", score=view.verdict.score) in text_
        flat = text_.replace("\n", "").replace(" ", "")
        for sentence in view.reasons:
            assert steady(sentence).replace(" ", "")[:12] in flat
        assert view.checklist
        failed = [code for code, passed in view.checklist if not passed]
        assert failed and t("review_screen.check_fail") in text_
        # XS0003 repeats XS0002's reply: the other order is named
        await goto(pilot, "XS0003")
        other = review_order(engine, "XS0003")
        assert other.copy_of == "XS0002"
        assert t("review_screen.copy_of", order_no="XS0002") in screen_text(app)


@async_test
async def test_reasons_highlighted_in_the_reply_text(engine):
    from hotline_tui.services.review import review_order

    review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "XS0002")
        view = review_order(engine, "XS0002")
        panel = app.screen.panel
        style = panel.get_component_rich_style("review-panel--highlight", partial=True)
        marker = panel.get_component_rich_style("review-panel--marker", partial=True)
        rich = panel.reply_rich
        wanted = {i for r in view.verdict.reasons for sp in r.spans
                  for i in range(sp.start, sp.end)}
        assert wanted, "the review should point at words of the boilerplate reply"

        def covered(st) -> set[int]:  # noqa: ANN001
            return {i for s in rich.spans if s.style == st for i in range(s.start, s.end)}

        lit, marks = covered(style), covered(marker)
        # without the reason numbers the reply reads as written; exactly the reasons'
        # characters are highlighted
        kept = [i for i in range(len(rich.plain)) if i not in marks]
        assert "".join(rich.plain[i] for i in kept) == steady(view.text)
        assert {n for n, i in enumerate(kept) if i in lit} == wanted
        # each span's end is followed by the number of its reason
        for number, reason in enumerate(view.verdict.reasons, start=1):
            for sp in reason.spans:
                at = kept[sp.end - 1] + 1
                assert rich.plain[at] == "[" and str(number) in rich.plain[at:rich.plain.index(
                    "]", at)]
        # and the highlight is drawn: a line of the reply pane carries its background
        body = app.screen.query_one("#reply-body")
        drawn = [seg for y in range(body.size.height) for seg in body.render_line(y)]
        assert any(seg.style and seg.style.bgcolor == style.bgcolor for seg in drawn)


@async_test
async def test_accept_closes_the_order_with_a_history_row(engine):
    review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "XS0001")  # acceptable: no question asked
        await pilot.press("a")
        await ready(pilot)
        row = _order(engine, "XS0001")
        assert row["status"] == "closed" and row["closed_at"] == NOW
        assert _events(engine, "XS0001")[-1][0] == "accept"
        assert "XS0001" not in list_keys(app)
        assert t("review_screen.accepted", order_no="XS0001") in _notes(app), _notes(app)
        # a reply the review would send back asks first; esc leaves it as it is
        await goto(pilot, "XS0002")
        await pilot.press("a")
        await ready(pilot)
        assert isinstance(app.screen, TextPrompt)
        await pilot.press("escape")
        await ready(pilot)
        assert _order(engine, "XS0002")["status"] == "replied"
        # confirmed with a note: closed, the note in the history
        await pilot.press("a")
        await ready(pilot)
        await pilot.press(*"ok", "enter")
        await ready(pilot)
        assert _order(engine, "XS0002")["status"] == "closed"
        assert _events(engine, "XS0002")[-1] == ("accept", "ok")


@async_test
async def test_send_back_with_edited_reasons_keeps_the_owner(engine):
    from hotline_tui.services.review import review_order

    review_scene(engine)
    before = _order(engine, "XS0002")
    sentences = review_order(engine, "XS0002").reasons
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "XS0002")
        await pilot.press("b")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, SendBackForm)
        area = form.query_one("#send-back-reasons", TextArea)
        assert all(s in area.text for s in sentences)  # prefilled from the review
        days = form.query_one("#send-back-days", Input)
        assert days.value == "5"  # the order's tier
        # bad working days: one sentence in the form, nothing saved
        days.value = "abc"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert app.screen is form
        assert form.error == t("send_back_form.bad_workdays", value="abc", most=60)
        assert _order(engine, "XS0002")["status"] == "replied"
        edited = "请写明何时、由谁联系了诉求人，做了什么，结果如何。"
        area.text = edited
        days.value = "4"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, ReviewScreen)
        after = _order(engine, "XS0002")
        assert after["status"] == "rework"
        assert after["rework_count"] == before["rework_count"] + 1
        assert after["owner_id"] == before["owner_id"] is not None
        assert after["due_at"] > NOW
        assert _events(engine, "XS0002")[-1] == ("send_back", edited)
        assert "XS0002" not in list_keys(app)
        due = f"{after['due_at']:%Y-%m-%d %H:%M}"
        assert t("review_screen.sent_back", order_no="XS0002", due=due, n=1) in _notes(app)


@async_test
async def test_y_copies_the_upstream_text_of_the_accepted_reply(engine):
    from hotline_tui.services.review import upstream_text

    review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "XS0001")
        await pilot.press("y")  # not accepted yet: nothing to copy
        await ready(pilot)
        assert app.clipboard == ""
        await pilot.press("a")
        await ready(pilot)
        await pilot.press("y")  # the reply just accepted
        await ready(pilot)
        assert app.clipboard == upstream_text(engine, "XS0001")
        assert GOOD[:10] in app.clipboard
        assert t("review_screen.copied", order_no="XS0001", n=len(app.clipboard)) in _notes(app)
        # from the callback list: the accepted reply under the cursor
        await pilot.press("l")
        await ready(pilot)
        await goto(pilot, "XS0005")
        await pilot.press("y")
        await ready(pilot)
        assert app.clipboard == upstream_text(engine, "XS0005")


@async_test
async def test_import_shows_taken_and_unmatched_rows(engine, tmp_path):
    review_scene(engine)
    path = tmp_path / "回复.csv"
    path.write_text("工单编号,回复内容\nXS0004," + GOOD + "\nXS9999,已处理完毕\nXS0004,重复一行\n",
                    encoding="utf-8")
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("i")
        await ready(pilot)
        assert isinstance(app.screen, PathPrompt)
        app.screen.query_one(Input).value = str(path)
        await pilot.press("enter")
        await ready(pilot, 10)
        dialog = app.screen
        assert isinstance(dialog, ReplyImportScreen)
        result = dialog.result
        assert result.taken == 1 and len(result.unmatched) == 2
        shown = screen_text(app)
        assert t("reply_import_tui.summary", taken=1, unchanged=0, unmatched=2) in shown
        assert "XS9999" in shown
        for u in result.unmatched:
            assert u.reason_text[:10] in shown.replace("\n", "")
        await pilot.press("enter")
        await ready(pilot)
        assert "XS0004" in list_keys(app)


@async_test
async def test_typed_reply_and_a_refused_one(engine):
    review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("r")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, ReplyForm)
        form.query_one("#reply-order-no", Input).value = "XS0004"
        await pilot.press("ctrl+s")  # no text: refused in the form
        await ready(pilot)
        assert app.screen is form and form.error == t("reply_form.no_text")
        assert _order(engine, "XS0004")["status"] == "signed"
        form.query_one("#reply-text", TextArea).text = GOOD
        for name, value in (("contact_by", "张明"), ("contacted_at", "2026-11-28 09:00"),
                            ("contact_method", "电话"), ("result", "已解决"),
                            ("handler", "张明"), ("handler_phone", "13812345678")):
            form.query_one(f"#reply-{name}", Input).value = value
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, ReviewScreen)
        assert _order(engine, "XS0004")["status"] == "replied"
        assert "XS0004" in list_keys(app)
        assert _events(engine, "XS0004")[-1][0] == "reply"
        # a reply to a closed order: the service's sentence in the form, nothing saved
        await pilot.press("r")
        await ready(pilot)
        form = app.screen
        form.query_one("#reply-order-no", Input).value = "XS0005"
        form.query_one("#reply-text", TextArea).text = GOOD
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert app.screen is form and form.error
        assert _order(engine, "XS0005")["status"] == "closed"


@async_test
async def test_unsatisfied_callback_reopens_with_a_new_deadline(engine):
    review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("l")
        await ready(pilot)
        assert list_keys(app) == ["XS0005"]
        assert "XS0005" in screen_text(app)
        await pilot.press("h")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, CallbackForm)
        form.query_one("#callback-satisfaction", ChoiceRow).value = "unsatisfied"
        form.query_one("#callback-solved", ChoiceRow).value = "no"
        form.query_one("#callback-remark", Input).value = "积水又出现了"
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, ReviewScreen)
        row = _order(engine, "XS0005")
        assert row["status"] == "rework" and row["due_at"] > NOW
        due = f"{row['due_at']:%Y-%m-%d %H:%M}"
        assert t("callback_form.reopened", order_no="XS0005", due=due) in _notes(app)
        assert "XS0005" not in list_keys(app)
        assert t("review_screen.none_callback") in screen_text(app)


@async_test
async def test_empty_list_says_so(engine):
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        text_ = screen_text(app)
        assert t("review_screen.none_pending") in text_
        await pilot.press("a", "b")  # nothing to decide: nothing happens
        await ready(pilot)
        assert isinstance(app.screen, ReviewScreen)


@async_test
async def test_reply_and_callback_keys_in_the_order_detail(engine):
    from hotline_tui.tui.views.order_detail import OrderDetailScreen

    ids = review_scene(engine)
    app = review_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(OrderDetailScreen(ids["XS0004"]))
        await ready(pilot)
        await pilot.press("h")  # not closed: no callback
        await ready(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        await pilot.press("r")
        await ready(pilot)
        form = app.screen
        assert isinstance(form, ReplyForm) and form.order_no == "XS0004"
        form.query_one("#reply-text", TextArea).text = GOOD
        await pilot.press("ctrl+s")
        await ready(pilot)
        assert isinstance(app.screen, OrderDetailScreen)
        assert _order(engine, "XS0004")["status"] == "replied"
        await pilot.press("escape")
        await ready(pilot)
        app.push_screen(OrderDetailScreen(ids["XS0005"]))
        await ready(pilot)
        await pilot.press("h")
        await ready(pilot)
        assert isinstance(app.screen, CallbackForm)
        await pilot.press("ctrl+s")  # reached, solved, satisfied
        await ready(pilot)
        assert _order(engine, "XS0005")["status"] == "closed"
        assert _events(engine, "XS0005")[-1][0] == "callback"


@async_test
async def test_english_ui(engine):
    review_scene(engine)
    app = review_app(engine, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "XS0002")
        text_ = screen_text(app)
        assert "Replies to review: 3" in text_
        assert "Review: send back" in text_
        assert "Send back" in text_ and "Accept" in text_  # the footer's keys
        assert "Checklist" in text_ and "[ ]" in text_


@async_test
async def test_x_exports_the_replies_accepted_today(engine, tmp_path):
    from openpyxl import load_workbook

    review_scene(engine)  # XS0005 accepted half an hour ago
    app = review_app(engine)
    out = tmp_path / "上报.xlsx"
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await goto(pilot, "XS0001")
        await pilot.press("a")
        await ready(pilot)
        await pilot.press("x")
        await ready(pilot)
        assert isinstance(app.screen, PathPrompt)
        app.screen.query_one(Input).value = str(out)
        await pilot.press("enter")
        await ready(pilot, 10)
        assert isinstance(app.screen, ReviewScreen)
        rows = list(load_workbook(out).active.iter_rows(values_only=True))[1:]
        assert sorted(r[0] for r in rows) == ["XS0001", "XS0005"]
        assert t("upstream_tui.written", n=2, path=str(out)) in _notes(app)
