"""Office settings stored in the database as JSON values, with defaults."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session

from hotline_tui.store.models import Setting

DEFAULTS: dict[str, Any] = {
    "clerk_name": "",
    # the office as printed on sheets: "<office_name>工单交办单"
    "office_name": "西山县12345热线",
    # folder for dispatch sheets written from the TUI ("" = 交办单 in the data folder)
    "sheets_dir": "",
    # difficulty tiers: name and working days (0 = same day)
    "tiers": [
        {"days": 0, "name": "当日"},
        {"days": 3, "name": "3日"},
        {"days": 5, "name": "5日"},
        {"days": 15, "name": "15日"},
    ],
    "warn_hours": [48, 24],
    # the overdue queue (domain/escalation.py EscalationRules): overdue this many working
    # days -> escalate (propose a leader sponsor); chased this often -> propose too; an
    # overdue order is chased again after N working days; sponsored matters report every
    # N days; repeat complaints: this many orders of one matter within N days
    "escalate_after_workdays": 3,
    "sponsor_after_chases": 3,
    "chase_every_workdays": 1,
    "sponsor_report_days": 7,
    "repeat_window_days": 90,
    "repeat_min_orders": 3,
    "sign_limit_workdays": 1,
    # how deadlines are counted in working days (domain/deadlines.py DueRule)
    "due_rule": {
        "count_dispatch_day": False,
        "end_of_day": "23:59:59",
        "same_day_rolls_to_next_workday": True,
    },
}


def get_setting(db: Session | Connection, key: str) -> Any:
    row = db.get(Setting, key) if isinstance(db, Session) else None
    if row is None and not isinstance(db, Session):
        from sqlalchemy import select

        val = db.execute(select(Setting.value).where(Setting.key == key)).scalar()
        return json.loads(val) if val is not None else DEFAULTS.get(key)
    return json.loads(row.value) if row is not None else DEFAULTS.get(key)


def set_setting(s: Session, key: str, value: Any) -> None:
    row = s.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False)
    if row is None:
        s.add(Setting(key=key, value=text))
    else:
        row.value = text
        s.add(row)


def clerk_name(s: Session | Connection) -> str:
    """Who is acting, for the history: the setting, else the login name."""
    name = get_setting(s, "clerk_name")
    if name:
        return str(name)
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name on some systems
        return "clerk"
