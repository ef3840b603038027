"""Test data and helpers for the TUI tests: a small county with known orders."""

from __future__ import annotations

import asyncio
import functools
from datetime import datetime, timedelta

from sqlalchemy import insert

from hotline_tui.domain.states import Event
from hotline_tui.services.orders import record
from hotline_tui.services.settings import set_setting
from hotline_tui.store.engine import session
from hotline_tui.store.models import Unit, WorkOrder

NOW = datetime(2026, 6, 15, 10, 0, 0)  # a Monday, far from the calendar's year-end warning
UNITS = [
    # name, short, kind, pinyin, initials
    ("黑龙河乡", "黑龙河乡", "township", "heilonghexiang", "hlhx"),
    ("城关镇", "城关镇", "township", "chengguanzhen", "cgz"),
    ("西山县住房和城乡建设局", "住建局", "department", "zhufanghechengxiangjianshe", "zfhcxjsj"),
]
TITLES = ["小区积水严重", "路灯不亮", "拖欠工资", "噪音扰民", "道路破损"]
STATUSES = ["new", "triaged", "dispatched", "signed", "replied", "closed"]
AREAS = ["黑龙河乡", "城关镇", "东关街道"]
LONG_TEXT = (
    "市民反映：西山县城关镇幸福小区3号楼门前道路自今年入夏以来每逢下雨即严重积水，"
    "积水深度最深处超过三十厘米，居民出行十分不便，老人和孩子只能绕行。"
    "此前曾多次向物业和社区反映，均未得到解决。诉求：请相关部门尽快疏通排水管道，"
    "彻底解决积水问题。联系时请在工作日下午。"
)


def order_no(i: int) -> str:
    return f"XS2026{i:06d}"


def fill(engine, n: int = 60, *, clerk: str = "王芳") -> dict[str, int]:  # noqa: ANN001
    """Insert units and `n` orders, one an hour back from NOW (order i is i hours old).

    Order 0 gets a real history (create, triage, dispatch) and the long text; order 1 is
    confidential; order 2 is numbered locally. Returns the unit ids by name.
    """
    with engine.begin() as conn:
        conn.execute(insert(Unit.__table__), [
            dict(name=n_, short_name=s, kind=k, phone="", leader="", pinyin=p, initials=i,
                 retired=False)
            for n_, s, k, p, i in UNITS
        ])
        ids = {r.name: r.id for r in conn.execute(Unit.__table__.select())}
        unit_ids = [ids[u[0]] for u in UNITS]
        rows = []
        for i in range(1, n):
            received = NOW - timedelta(hours=i)
            status = STATUSES[i % len(STATUSES)]
            running = status in ("dispatched", "signed")
            rows.append(dict(
                order_no=order_no(i), is_local=False, received_at=received,
                caller_name=f"张{i}明", caller_phone=f"1380000{i:04d}",
                request_type=["咨询", "投诉", "求助"][i % 3], category="",
                title=TITLES[i % len(TITLES)], content=f"第{i}号诉求：{TITLES[i % len(TITLES)]}",
                area=AREAS[i % len(AREAS)], address="", source="", urgency="", urgent=False,
                confidential=(i == 1), anonymous=False, upstream_unit="",
                status=status, unit_id=unit_ids[i % len(unit_ids)] if status != "new" else None,
                due_at=(NOW + timedelta(hours=(i % 5) * 24 - 30)) if running else None,
                is_demo=False, version=1, created_at=received, updated_at=received,
            ))
        if rows:
            conn.execute(insert(WorkOrder.__table__), rows)
        conn.execute(
            WorkOrder.__table__.update().where(WorkOrder.__table__.c.order_no == order_no(2))
            .values(is_local=True, order_no="L20260615-0009")
        )
    with session(engine) as s:
        set_setting(s, "clerk_name", clerk)
        first = WorkOrder(
            order_no=order_no(0), received_at=NOW - timedelta(minutes=5),
            caller_name="李四", caller_phone="13912345678", request_type="投诉",
            title="幸福小区门前积水", content=LONG_TEXT, area="城关镇",
        )
        record(s, first, Event.CREATE, at=NOW - timedelta(minutes=5), note="平台导入")
        record(s, first, Event.TRIAGE, changes={"unit_id": ids["城关镇"], "tier_days": 3},
               at=NOW - timedelta(minutes=3))
        record(s, first, Event.DISPATCH, changes={"due_at": NOW + timedelta(days=3)},
               at=NOW - timedelta(minutes=1), note="电话通知")
        s.commit()
    return ids


async def settle(pilot, rounds: int = 4) -> None:  # noqa: ANN001
    """Let workers, timers and the callbacks they schedule finish."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause(0.03)
        await app.workers.wait_for_complete()
    await pilot.pause()


def visible_rows(order_list) -> list[str]:  # noqa: ANN001
    """The text of the list's data lines on screen (header excluded)."""
    height = order_list.scrollable_content_region.height
    lines = [order_list.render_line(y).text for y in range(1, height)]
    return [line for line in lines if line.strip()]


def async_test(fn):  # noqa: ANN001, ANN201
    """Run an async test function with asyncio (no pytest async plugin is installed)."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        return asyncio.run(fn(*args, **kwargs))

    return wrapper


def screen_text(app) -> str:  # noqa: ANN001
    """What the terminal would show now, as text lines (Chinese glyphs take 2 cells)."""
    strips = app.screen._compositor.render_strips()  # noqa: SLF001 - test-only peek
    return "\n".join(strip.text for strip in strips)
