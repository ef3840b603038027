"""The supervision screen (F9): sponsor from the candidates and see it on the key-supervision
list; progress entries and the overdue-report highlight on the office clock; merging a
repeat group; the joint meeting from agenda entry to outcome; .docx exports read back; the
English UI; and the list painted while the candidates are still being looked for."""

from __future__ import annotations

import threading
from datetime import timedelta

from clock_support import fixed_clock
from directory_tui_support import notes, press, type_text
from test_queue_support import NOW, order
from test_tui_supervision_support import SIZE, lines_text, make_app, open_supervision, seed
from tui_support import async_test, screen_text, settle

from hotline_tui.i18n import t
from hotline_tui.services import clock
from hotline_tui.services.merge import merged_into
from hotline_tui.services.sponsorship import progress_of, sponsor, supervision_list

_clock = fixed_clock(NOW)


async def goto(pilot, table, pred) -> None:  # noqa: ANN001
    """Move the cursor down (with j, as the clerk does) to the first line where pred holds."""
    index = next(i for i, ln in enumerate(table.lines) if pred(ln))
    await pilot.press("g", *(["j"] * index))
    assert pred(table.current)


def form_error(app) -> str:  # noqa: ANN001
    return app.screen.error


@async_test
async def test_sponsor_from_candidates_appears_in_the_list(engine):
    seed(engine)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_supervision(pilot)
        assert screen.table("list").lines == []
        assert t("sup.empty_list", view_key="2", sponsor="s") in screen_text(app)
        await press(pilot, "2")
        cand = screen.table("candidates")
        assert cand.has_focus and any(ln.key == "e:L5" for ln in cand.lines)
        await goto(pilot, cand, lambda ln: ln.key == "e:L5")
        await press(pilot, "s")
        form = app.screen
        assert type(form).__name__ == "SponsorForm"
        assert form.query_one("#sponsor-cadence").value == "7"  # the setting
        await press(pilot, "ctrl+s")  # no leader: one sentence, nothing saved
        assert app.screen is form and form_error(app) == t("sponsor.error.leader_required")
        await type_text(pilot, "王建国")
        await press(pilot, "enter")
        await type_text(pilot, "副县长")
        await press(pilot, "enter")
        form.query_one("#sponsor-cadence").value = "十"
        await press(pilot, "ctrl+s")
        assert app.screen is form and form_error(app) == t("sup.error.cadence", max=90)
        assert supervision_list(engine) == []
        form.query_one("#sponsor-cadence").value = "14"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        rows = supervision_list(engine)
        assert [(r.order_no, r.leader_name, r.leader_title, r.cadence_days) for r in rows] == \
            [("L5", "王建国", "副县长", 14)]
        assert any("L5" in n and "王建国" in n for n in notes(app))
        await press(pilot, "1")
        table = screen.table("list")
        assert table.has_focus and [ln.key for ln in table.lines] == ["L5"]
        text = screen_text(app)
        assert "王建国 副县长" in text and t("sup.no_progress") in text
        assert t("sup.tab.list", n=1) in text


@async_test
async def test_progress_entry_and_the_overdue_report_highlight(engine):
    seed(engine)
    clock.set_fixed(NOW - timedelta(days=10))  # sponsored ten days ago, weekly reports
    sponsor(engine, "S1", leader="李明", title="水利局局长", cadence_days=7)
    clock.set_fixed(NOW)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_supervision(pilot)
        line = screen.table("list").current
        assert line.key == "S1" and line.tone == "late"
        assert line.cells["flag"] == t("sup.report_late", days=3)
        assert t("sup.tab.list_late", n=1, late=1) in screen_text(app)
        await press(pilot, "p")
        form = app.screen
        assert type(form).__name__ == "ProgressForm"
        await press(pilot, "ctrl+s")  # empty: refused in the form
        assert app.screen is form and form_error(app) == t("sponsor.error.progress_required")
        await type_text(pilot, "已约谈采砂船主并封控河道")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert [p.note for p in progress_of(engine, "S1")] == ["已约谈采砂船主并封控河道"]
        line = screen.table("list").current
        assert line.tone == "" and line.cells["flag"] == ""
        assert "已约谈采砂船主" in line.cells["last"]
        assert "已约谈采砂船主" in screen_text(app)
        # a week and a day later the next report is late again
        clock.set_fixed(NOW + timedelta(days=8))
        await press(pilot, "r")
        assert screen.table("list").current.tone == "late"
        # ending the sponsorship takes it off the list
        await press(pilot, "e")
        assert type(app.screen).__name__ == "EndSponsorForm"
        await type_text(pilot, "已办结")
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert supervision_list(engine) == [] and screen.table("list").lines == []


@async_test
async def test_merge_a_repeat_group(engine):
    seed(engine)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_supervision(pilot)
        await press(pilot, "2")
        cand = screen.table("candidates")
        await press(pilot, "m")  # on a section heading: one sentence
        assert app.screen is screen and t("sup.not_a_group") in notes(app)
        await goto(pilot, cand, lambda ln: ln.data.kind == "group")
        await press(pilot, "m")
        form = app.screen
        assert type(form).__name__ == "MergeForm"
        assert form.main == "R2" and form.merged_in == {"R3"}  # oldest open is the main
        await goto(pilot, form.table, lambda ln: ln.key == "R1")
        await press(pilot, "space")  # closed: refused
        assert form_error(app) == t("sup.merge.closed", order_no="R1",
                                    status=t("status.closed"))
        await goto(pilot, form.table, lambda ln: ln.key == "R3")
        await press(pilot, "enter")  # R3 becomes the main order, R2 goes in
        assert form.main == "R3" and form.merged_in == {"R2"}
        await press(pilot, "ctrl+s")  # first: says what will happen
        assert app.screen is form
        assert form_error(app) == t("sup.merge.confirm", main="R3", others="R2")
        assert order(engine, "R2").status == "triaged"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        assert order(engine, "R2").status == "merged" and merged_into(engine, "R2") == "R3"
        assert order(engine, "R3").status == "triaged"
        assert order(engine, "R1").status == "closed"
        assert any("R2" in n and "R3" in n for n in notes(app))


@async_test
async def test_meeting_add_agenda_outcome(engine):
    seed(engine)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_supervision(pilot)
        await press(pilot, "3")
        assert t("sup.empty_agenda", add_key="a") in screen_text(app)
        await press(pilot, "a")
        form = app.screen
        assert type(form).__name__ == "MeetingAddForm"
        await type_text(pilot, "NOPE9")
        await press(pilot, "enter")
        await type_text(pilot, "供水管网产权不清")
        form.query_one("#meeting-units").value = "水利局、住建局"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert form_error(app) == t("error.order_not_found", order_no="NOPE9")
        form.query_one("#meeting-units").value = "水利局、不存在的局"
        form.query_one("#meeting-order").value = "W1"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is form and "不存在的局" in form_error(app)
        assert order(engine, "W1").status == "signed"  # nothing saved
        form.query_one("#meeting-units").value = "水利局、住建局"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen and order(engine, "W1").status == "meeting"
        agenda = screen.table("meeting")
        assert [ln.key for ln in agenda.lines] == ["W1"]
        assert agenda.lines[0].cells["units"] == "县水利局、县住房和城乡建设局"
        detail = str(screen.query_one("#agenda-detail").render())
        assert "供水管网产权不清" in detail and t("event.to_meeting") in detail
        # the outcome: lead unit from the units concerned, one assisting unit, 5 days
        await press(pilot, "o")
        form = app.screen
        assert type(form).__name__ == "OutcomeForm"
        await settle(pilot)
        assert form.picker.display and [u.name for u in form.picker.units] == \
            ["县水利局", "县住房和城乡建设局"]
        await press(pilot, "down", "enter")  # 住建局 leads
        assert form.lead.name == "县住房和城乡建设局"
        assert [u.name for u in form.picker.units] == ["县水利局"]
        await press(pilot, "enter")  # 水利局 assists
        await press(pilot, "escape")  # no more assisting units
        assert [u.name for u in form.assists] == ["县水利局"] and not form.picker.display
        assert app.screen is form
        await type_text(pilot, "2026-13-40")
        await press(pilot, "ctrl+s")
        assert form_error(app) == t("sup.outcome.bad_due", text="2026-13-40")
        form.query_one("#outcome-due").value = "5"
        await press(pilot, "ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        w1 = order(engine, "W1")
        assert w1.status == "triaged" and w1.tier_days == 5
        from hotline_tui.services.triage import order_assists
        from hotline_tui.services.units import resolve_unit

        assert w1.unit_id == resolve_unit(engine, "住建局").id
        assert [u.name for u in order_assists(engine, "W1")] == ["县水利局"]
        assert screen.table("meeting").lines == []


@async_test
async def test_exports_read_back(engine, tmp_path):
    from docx import Document

    from hotline_tui.services.meeting import add_to_meeting

    seed(engine)
    sponsor(engine, "S1", leader="李明", title="水利局局长")
    add_to_meeting(engine, "W1", reason="供水管网产权不清", units=["水利局", "住建局"])
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_supervision(pilot)
        for view, name in (("1", "list.docx"), ("3", "agenda.docx")):
            await press(pilot, view)
            await press(pilot, "x")
            prompt = app.screen
            assert type(prompt).__name__ == "PathPrompt"
            prompt.query_one("#prompt-input").value = str(tmp_path / name)
            await press(pilot, "enter")
            await settle(pilot)
            assert app.screen is screen
            assert (tmp_path / name).exists(), notes(app)
        doc = Document(str(tmp_path / "list.docx"))
        cells = [c.text for table in doc.tables for row in table.rows for c in row.cells]
        assert any("S1" in c for c in cells) and any("李明" in c for c in cells)
        assert not any("13500000003" in c for c in cells)  # no caller data
        text = "\n".join(p.text for p in Document(str(tmp_path / "agenda.docx")).paragraphs)
        assert "W1" in text and "供水管网产权不清" in text and "县住房和城乡建设局" in text
        assert any(str(tmp_path / "list.docx") in n for n in notes(app))


@async_test
async def test_english_ui(engine):
    seed(engine)
    app = make_app(engine, lang="en")
    try:
        async with app.run_test(size=SIZE) as pilot:
            await open_supervision(pilot)
            text = screen_text(app)
            assert "Key supervision 0" in text and "No matter is under leader" in text
            await press(pilot, "2")
            text = screen_text(app)
            assert "Overdue 3+ working days" in text and "same phone 13711112222" in text
            assert "Sponsor" in text and "sponsor" not in t("key.supervision.sponsor")
    finally:
        from hotline_tui import i18n

        i18n.set_lang("zh")


@async_test
async def test_list_paints_while_candidates_are_looked_for(engine, monkeypatch):
    """The candidates read (seconds at a million orders) runs in a worker: the list is on
    screen meanwhile, with a loading line in the candidates view."""
    from hotline_tui.services import sponsor_candidates as sc

    seed(engine)
    sponsor(engine, "S1", leader="李明", title="局长")
    gate = threading.Event()
    real = sc.sponsor_candidates

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        gate.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(sc, "sponsor_candidates", slow)
    app = make_app(engine)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f9")
        for _ in range(40):
            await pilot.pause(0.05)
            screen = app.screen
            if getattr(screen, "loaded", {}).get("list"):
                break
        assert [ln.key for ln in screen.table("list").lines] == ["S1"]
        await pilot.press("2")
        await pilot.pause(0.05)
        assert screen.busy["candidates"] and screen.candidates is None
        assert t("sup.candidates.loading", days=90) in screen_text(app)
        gate.set()
        await settle(pilot)
        assert screen.candidates is not None
        assert any(ln.key == "e:L5" for ln in screen.table("candidates").lines)
        assert lines_text(screen.table("candidates"))
