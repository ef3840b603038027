"""Data and helpers for the triage screen tests: units, a history that makes the unit
suggestions right, new orders of known categories, and a key counter around Pilot."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from triage_helpers import add_order, add_units
from tui_support import settle

from hotline_tui.services.triage import triage
from hotline_tui.tui.app import HotlineApp

T1 = datetime(2026, 11, 2, 9, 0)

# category, area -> the unit such orders go to (short name), and a title
KINDS = [
    ("城市管理/路灯", "西城街道", "县城管局", "路灯不亮"),
    ("劳动保障/欠薪", "黑山镇", "县人社局", "工地拖欠工资"),
    ("住房/物业管理", "西城街道", "县住建局", "小区物业不作为"),
    ("供电/停电", "黑龙河乡", "供电公司", "村里经常停电"),
]
TIERS = [3, 0, 5, 15]  # the tier each test order gets, by its position mod 4
TIER_KEY = {0: "0", 3: "3", 5: "5", 15: "1"}


def seed_history(engine: Any, per_kind: int = 3) -> dict[str, int]:
    """Units and `per_kind` triaged orders of every kind (the suggestions learn from them)."""
    units = add_units(engine)
    for k, (category, area, unit, title) in enumerate(KINDS):
        for i in range(per_kind):
            no = add_order(engine, f"H{k}{i:02d}", at=T1 - timedelta(days=30 - i),
                           category=category, area=area, title=title,
                           content=f"以前的来电：{title}", caller_phone=f"1370000{k}{i:03d}")
            triage(engine, no, unit=unit, tier_days=3)
    return units


def add_new_orders(engine: Any, n: int, prefix: str = "N") -> list[str]:
    """`n` new orders, one a minute from T1, cycling through KINDS (order i is KINDS[i % 4])."""
    out = []
    for i in range(n):
        category, area, _unit, title = KINDS[i % len(KINDS)]
        out.append(add_order(
            engine, f"{prefix}{i:03d}", at=T1 + timedelta(minutes=i), category=category,
            area=area, title=title, content=f"第{i}件：市民来电反映{title}，请尽快处理。",
            caller_name=f"王{i}", caller_phone=f"1390000{i:04d}", request_type="投诉"))
    return out


def expected_unit(i: int) -> str:
    return KINDS[i % len(KINDS)][2]


class Keys:
    """Presses keys through the pilot and counts them."""

    def __init__(self, pilot: Any) -> None:
        self.pilot = pilot
        self.count = 0

    async def __call__(self, *keys: str) -> None:
        self.count += len(keys)
        await self.pilot.press(*keys)
        await settle(self.pilot)


def make_app(engine: Any) -> HotlineApp:
    return HotlineApp(engine=engine, db_label="test.db")


async def open_triage(pilot: Any) -> Any:
    """Switch to the triage screen (f3) and wait until its first order is in."""
    await settle(pilot)
    await pilot.press("f3")
    await settle(pilot)
    screen = pilot.app.screen
    assert screen.__class__.__name__ == "TriageScreen"
    return screen
