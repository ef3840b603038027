"""Shared set-up for the supervision screen tests (no tests of its own): a county with an
order overdue past the escalation stage, a repeat-phone group, an order for the joint
meeting, and the app opened on the supervision screen (F9) with the office clock fixed."""

from __future__ import annotations

from datetime import date, timedelta

from directory_tui_support import open_screen
from test_queue_support import NOW, add_unit, eod, make_order

from hotline_tui.services.settings import set_setting
from hotline_tui.store.engine import session
from hotline_tui.tui.app import HotlineApp

SIZE = (140, 40)
PHONE = "13711112222"


def seed(engine) -> None:  # noqa: ANN001
    """L5 overdue 5 working days (escalated), R1..R3 from one phone (R1 closed), W1 a signed
    order whose responsibility is unclear, S1 an order to sponsor."""
    with session(engine) as s:
        set_setting(s, "clerk_name", "王芳")
        water = add_unit(s, "县水利局", "水利局", "slj")
        add_unit(s, "县住房和城乡建设局", "住建局", "zjj")
        town = add_unit(s, "黑龙河乡", "黑龙河", "hlh")
        make_order(s, "L5", town, eod(date(2026, 11, 20)), status="signed",
                   received_at=NOW - timedelta(days=12), title="村道塌陷无人修", content="前进村村道塌陷一个月无人修理，车辆无法通行。",
                   caller_phone="13500000001", address="黑龙河乡前进村")
        make_order(s, "R1", town, status="closed", due_at=eod(date(2026, 10, 20)),
                   received_at=NOW - timedelta(days=40), caller_phone=PHONE,
                   title="养殖场臭味扰民", content="后街养殖场臭味扰民，夏天无法开窗。", address="黑龙河乡后街1号")
        make_order(s, "R2", town, status="triaged", received_at=NOW - timedelta(days=10),
                   caller_phone=PHONE, title="养殖场臭味还是很大", content="上次反映的养殖场臭味至今没有改善。", address="黑龙河乡后街2号")
        make_order(s, "R3", town, status="triaged", received_at=NOW - timedelta(days=2),
                   caller_phone=PHONE, title="养殖场臭味问题第三次反映",
                   content="第三次反映养殖场臭味，请领导过问。",
                   address="黑龙河乡后街3号")
        make_order(s, "W1", water, eod(date(2026, 12, 2)), status="signed",
                   received_at=NOW - timedelta(days=3), caller_phone="13500000002",
                   title="小区自来水管爆裂无人维修",
                   content="幸福小区自来水主管道爆裂三天，水利局和住建局互相推诿。", address="城关镇幸福小区")
        make_order(s, "S1", town, eod(date(2026, 12, 4)), status="signed",
                   received_at=NOW - timedelta(days=4), caller_phone="13500000003",
                   title="河道非法采砂", content="河滩有人夜间非法采砂，破坏堤坝。", address="黑龙河乡河滩")
        s.commit()


def make_app(engine, lang: str | None = None) -> HotlineApp:  # noqa: ANN001
    return HotlineApp(engine=engine, db_label="t.db", lang=lang)


async def open_supervision(pilot):  # noqa: ANN001, ANN201
    screen = await open_screen(pilot, "f9", "SupervisionScreen")
    return screen


def lines_text(table) -> list[str]:  # noqa: ANN001
    """Every loaded line of a LineTable as the text of its cells."""
    return [" ".join(v for v in ln.cells.values() if v) for ln in table.lines]
