"""Shared set-up for the reply, review and callback tests (no tests of its own): a unit with
a first-contact owner and orders in chosen states, good and perfunctory replies."""

from __future__ import annotations

import json
from datetime import date

import pytest
from test_queue_support import NOW, add_owner, add_unit, eod, make_order

from hotline_tui.services import clock
from hotline_tui.store.engine import session
from hotline_tui.store.models import OrderHistory
from hotline_tui.store.models_reply import Callback, Reply, ReplyBand

__all__ = ["NOW", "GOOD", "GOOD_2", "LAZY", "seed", "replies_of", "history", "fixed_clock",
           "bands_of", "callbacks_of"]

GOOD = ("黑龙河乡接到工单后，于11月24日上午9时由工作人员王强电话联系来电人张先生，并到幸福路现场"
        "核实：幸福路12号附近3盏路灯损坏，其中1盏灯杆倾斜。11月25日乡政府安排电工更换了3套灯具并"
        "加固灯杆，路灯已恢复正常照明。来电人对处理结果表示满意。经办人王强，电话13812345678。")
GOOD_2 = ("经查，来电人反映的垃圾清运不及时问题属实。11月24日我乡环卫所所长李明带队到东沟村现场查看，"
          "清运积存垃圾5车，并新增垃圾桶6个，明确保洁员每天早晚各清运一次。11月25日电话回访来电人，"
          "来电人表示认可。依据《西山县农村人居环境整治实施方案》第三条执行。经办人李明，电话13900001111。")
LAZY = "已收悉，正在处理。"


@pytest.fixture
def fixed_clock():
    clock.set_fixed(NOW)
    yield NOW
    clock.set_fixed(None)


def seed(engine, states: dict[str, str], **fields) -> dict[str, int]:
    """Orders by number -> state (with a unit 黑龙河乡 and its owner 王强); order ids."""
    ids = {}
    with session(engine) as s:
        u = add_unit(s, "黑龙河乡", "黑龙河")
        w = add_owner(s, u, "王强", "13812345678")
        for no, st in states.items():
            extra = dict(fields)
            if "垃圾" in no:
                extra.setdefault("title", "东沟村垃圾清运不及时")
                extra.setdefault("content", "东沟村垃圾堆了一周没人清运，臭味很大。")
            o = make_order(s, no, u, eod(date(2026, 11, 30)), status=st, owner=w, **extra)
            ids[no] = o.id
        s.commit()
    return ids


def replies_of(engine, order_id: int) -> list[Reply]:
    from sqlmodel import select

    with session(engine) as s:
        return list(s.exec(select(Reply).where(Reply.order_id == order_id).order_by(Reply.id)))


def bands_of(engine, reply_id: int) -> list[int]:
    from sqlmodel import select

    with session(engine) as s:
        return [b.band_key for b in s.exec(select(ReplyBand).where(ReplyBand.reply_id == reply_id))]


def callbacks_of(engine, order_id: int) -> list[Callback]:
    from sqlmodel import select

    with session(engine) as s:
        return list(s.exec(select(Callback).where(Callback.order_id == order_id)))


def history(engine, order_id: int) -> list[tuple[str, str | None, str | None, dict, str]]:
    from sqlmodel import select

    with session(engine) as s:
        rows = s.exec(select(OrderHistory).where(OrderHistory.order_id == order_id)
                      .order_by(OrderHistory.id))
        return [(h.event, h.old_status, h.new_status, json.loads(h.changes), h.note)
                for h in rows]
