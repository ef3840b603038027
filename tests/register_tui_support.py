"""Test data for the register screen tests: two townships with owners and orders waiting for
sign-for at fixed times (the clock frozen at NOW, a Monday), and helpers to drive the app."""

from __future__ import annotations

from datetime import datetime

from owners_data import make_order, make_unit
from tui_support import settle

from hotline_tui.services import owners
from hotline_tui.tui.app import HotlineApp

NOW = datetime(2026, 11, 30, 10, 0)  # Monday
D = datetime


def register_scene(engine) -> dict[str, int]:  # noqa: ANN001
    """黑龙河乡: 张三 (two open orders, one signed after the limit, one overdue) and 李四 (one
    open order, the most recent sign-for); waiting: W1 (dispatched 11-20, past the limit),
    W3 (today). 城关镇: 王五 (one open order); waiting: W2 (11-24, past the limit), W4 (today).
    Returns the unit ids by short name."""
    hlh = make_unit(engine, "黑龙河乡", "黑龙河", "hlhx")
    cgz = make_unit(engine, "城关镇", "城关", "cgz")
    make_order(engine, "XS0001", hlh, dispatched_at=D(2026, 11, 20, 9), due_at=D(2026, 11, 27, 18),
               title="小区积水严重")
    make_order(engine, "XS0002", hlh, dispatched_at=D(2026, 11, 27, 9), due_at=D(2026, 12, 9, 18),
               title="路灯不亮")
    make_order(engine, "XS0003", hlh, dispatched_at=D(2026, 11, 27, 9), due_at=D(2026, 12, 9, 18),
               title="道路破损")
    make_order(engine, "XS0004", cgz, dispatched_at=D(2026, 11, 26, 9), due_at=D(2026, 12, 9, 18),
               title="噪音扰民")
    make_order(engine, "W1", hlh, dispatched_at=D(2026, 11, 20, 9), title="拖欠工资")
    make_order(engine, "W2", cgz, dispatched_at=D(2026, 11, 24, 9), title="占道经营")
    make_order(engine, "W3", hlh, dispatched_at=D(2026, 11, 30, 8, 30), title="垃圾清运不及时")
    make_order(engine, "W4", cgz, dispatched_at=D(2026, 11, 30, 9), title="下水道堵塞")
    owners.sign(engine, "XS0001", name="张三", phone="13812345678", post="办公室主任",
                at=D(2026, 11, 25, 9))  # after the limit (11-23)
    owners.sign(engine, "XS0002", name="张三", phone="13812345678", post="办公室主任",
                at=D(2026, 11, 27, 10))
    owners.sign(engine, "XS0003", name="李四", phone="13900001111", post="综治专干",
                at=D(2026, 11, 28, 9))
    owners.sign(engine, "XS0004", name="王五", phone="13700002222", at=D(2026, 11, 26, 11))
    return {"黑龙河": hlh, "城关": cgz}


def register_app(engine, screens: tuple[str, ...] = ("register",)) -> HotlineApp:  # noqa: ANN001
    """The app with only the given top-level screens (the first is shown at start)."""
    from hotline_tui.tui import app as app_module
    from hotline_tui.tui.registry import discover

    found = {s.id: s for s in discover()}
    chosen = [found[i] for i in screens]
    original = app_module.discover
    app_module.discover = lambda: chosen
    try:
        return HotlineApp(engine=engine, db_label="t.db")
    finally:
        app_module.discover = original


async def ready(pilot, rounds: int = 5) -> None:  # noqa: ANN001
    await settle(pilot, rounds)


def waiting_keys(app) -> list[str]:  # noqa: ANN001
    return [ln.key for ln in app.screen.waiting_table.lines]
