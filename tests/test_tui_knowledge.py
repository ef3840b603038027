"""The knowledge-base screen: search as you type over topic, keywords and answer; the
selected answer and its policy basis in full; add and edit through the form (refusals as a
sentence in the form); retire and restore."""

from __future__ import annotations

from directory_tui_support import make_app, notes, open_screen, press, type_text
from tui_support import async_test, settle

from hotline_tui.i18n import t
from hotline_tui.services import knowledge as kb

LAMP = dict(topic="路灯维修报修", keywords="路灯 不亮 灯坏",
            answer="城区路灯由县城管局路灯所负责维修，报修后一般3个工作日内修复。",
            basis="《西山县城市照明管理办法》第十二条")


def _ids(screen) -> list[int]:  # noqa: ANN001
    return [int(k) for k in screen.table.keys()]


@async_test
async def test_search_as_you_type_and_the_full_answer(engine):
    lamp = kb.add_answer(engine, LAMP["topic"], LAMP["answer"], keywords=LAMP["keywords"],
                         basis=LAMP["basis"])
    app = make_app(engine)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_screen(pilot, "f7", "KnowledgeScreen")
        everything = _ids(screen)
        assert set(everything) == {a.id for a in kb.list_answers(engine)}
        assert lamp.id in everything and len(everything) > 1
        await press(pilot, "slash")
        for i, word in enumerate(("路", "灯")):
            await type_text(pilot, word)
            await settle(pilot)
            typed = "路灯"[: i + 1]
            expected = [h.answer.id for h in kb.search_answers(engine, typed, limit=1000)]
            assert _ids(screen) == expected, typed  # the list follows every keystroke
        assert lamp.id in _ids(screen) and len(_ids(screen)) < len(everything)
        await press(pilot, "enter")  # back to the list, the search kept
        assert screen.table.has_focus
        screen.table.move_cursor(row=screen.table.get_row_index(str(lamp.id)))
        await settle(pilot)
        shown = screen.view.text
        assert LAMP["answer"] in shown and LAMP["basis"] in shown
        assert "路灯、不亮、灯坏" in shown
        # a word found only in an answer's text
        await press(pilot, "escape", "slash")
        await type_text(pilot, "路灯所")
        await settle(pilot)
        assert _ids(screen) == [h.answer.id for h in kb.search_answers(engine, "路灯所")]
        assert lamp.id in _ids(screen)


@async_test
async def test_add_and_edit_an_answer(engine):
    app = make_app(engine)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_screen(pilot, "f7", "KnowledgeScreen")
        before = {a.id for a in kb.list_answers(engine)}
        await press(pilot, "n")
        form = app.screen
        assert type(form).__name__ == "AnswerForm"
        await type_text(pilot, LAMP["topic"])
        await press(pilot, "ctrl+s")  # no answer text: refused in the form
        assert app.screen is form and form.error == t("kb.answer_required")
        await press(pilot, "enter")  # topic -> keywords
        await type_text(pilot, LAMP["keywords"])
        await press(pilot, "tab")  # -> the answer text
        await type_text(pilot, "报修后三日内修复")
        await press(pilot, "tab")  # -> the basis
        await type_text(pilot, "照明管理办法")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        (new_id,) = {a.id for a in kb.list_answers(engine)} - before
        added = kb.get_answer(engine, new_id)
        assert (added.topic, added.keywords, added.answer, added.basis) == (
            LAMP["topic"], ("路灯", "不亮", "灯坏"), "报修后三日内修复", "照明管理办法")
        assert screen.table.current_key == str(new_id)  # the cursor is on it
        assert "报修后三日内修复" in screen.view.text

        await press(pilot, "e")
        form = app.screen
        assert form.query_one("#answer-topic").value == LAMP["topic"]
        assert form.query_one("#answer-text").text == "报修后三日内修复"
        form.query_one("#answer-topic").value = ""
        await press(pilot, "ctrl+s")
        assert app.screen is form and form.error == t("kb.topic_required")
        form.query_one("#answer-topic").value = "路灯报修"
        form.query_one("#basis-text").focus()
        await press(pilot, "end")
        await type_text(pilot, "第十二条")
        await press(pilot, "ctrl+s")
        assert app.screen is screen
        edited = kb.get_answer(engine, new_id)
        assert (edited.topic, edited.basis) == ("路灯报修", "照明管理办法第十二条")
        assert "照明管理办法第十二条" in screen.view.text
        assert any("路灯报修" in n for n in notes(app))


@async_test
async def test_retire_and_restore_an_answer(engine):
    lamp = kb.add_answer(engine, LAMP["topic"], LAMP["answer"], keywords=LAMP["keywords"])
    app = make_app(engine)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_screen(pilot, "f7", "KnowledgeScreen")
        screen.table.move_cursor(row=screen.table.get_row_index(str(lamp.id)))
        await press(pilot, "r")
        assert not kb.get_answer(engine, lamp.id).active
        assert lamp.id not in _ids(screen)  # retired answers are hidden by default
        await press(pilot, "h")
        assert lamp.id in _ids(screen)
        screen.table.move_cursor(row=screen.table.get_row_index(str(lamp.id)))
        await settle(pilot)
        assert "(已停用)" in screen.view.text
        await press(pilot, "r")
        assert kb.get_answer(engine, lamp.id).active
