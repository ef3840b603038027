"""The reports as JSON-ready dicts (English snake_case keys; times stay datetimes, the
CLI's emit_json writes them as ISO 8601)."""

from __future__ import annotations

from typing import Any

from hotline_tui.domain import metrics as dm
from hotline_tui.services.report import texts
from hotline_tui.services.report.data import CircularData, StatementData


def _unit(u: dm.UnitFigures, rank: int) -> dict[str, Any]:
    return {"rank": rank, "unit_id": u.unit_id, "unit": u.name, "kind": u.kind,
            **dm.as_json(u.counts)}


def circular_json(d: CircularData) -> dict[str, Any]:
    f = d.figures
    return {
        "kind": "circular",
        "title": texts.title(d),
        "office": d.office_name,
        "period": f.label, "start": f.start, "end": f.end, "as_of": f.as_of,
        "summary": texts.summary(d),
        "compare": texts.compare(d),
        "totals": dm.as_json(f.office),
        "previous": {"period": d.last.label, "totals": dm.as_json(d.last.office)},
        "kinds": {k: dm.as_json(c) for k, c in sorted(f.kinds.items())},
        "rankings": [{"kind": k, "units": [_unit(u, i + 1) for i, u in enumerate(units)]}
                     for k, units in d.groups],
        "red_list": {k: [u.name for u in best] for k, (best, _w) in d.honour.items()},
        "black_list": {k: [u.name for u in worst] for k, (_b, worst) in d.honour.items()},
        "overdue_total": d.overdue_total,
        "overdue": [{"order_no": o.order_no, "unit": o.unit, "unit_kind": o.unit_kind,
                     "title": o.title, "request_type": o.request_type, "status": o.status,
                     "due_at": o.due_at, "late_workdays": o.late_workdays,
                     "owner": o.owner_name, "owner_phone": o.owner_phone}
                    for o in d.overdue],
        "rules": d.rules,
        "definitions": [{"code": c, "text": s} for c, s in d.definitions],
    }


def statement_json(d: StatementData) -> dict[str, Any]:
    return {
        "kind": "statement",
        "office": d.office_name,
        "period": d.label, "as_of": d.as_of,
        "trend": [{"month": p.month, **{c: (v.as_dict() if isinstance(v, dm.Ratio) else v)
                                        for c in _trend_codes()
                                        for v in [p.get(c)]}}
                  for p in d.trend],
        "sent_back": {"total": d.rework_total, "reopened": d.reopen_total,
                      "units": d.units_reworked,
                      "by_reason": [{"reason": r, "count": n} for r, n in d.reasons],
                      "by_unit": [{"unit": u, "count": n} for u, n in d.rework_units]},
        "sponsored": [s.as_json() for s in d.sponsored],
        "definitions": [{"code": c, "text": s} for c, s in d.definitions],
    }


def _trend_codes() -> tuple[str, ...]:
    from hotline_tui.services.report.data import TREND_CODES

    return TREND_CODES
