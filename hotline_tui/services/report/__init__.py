"""The monthly circular (通报) and the office's own statement (情况说明) as .xlsx, .docx or
JSON: `write_report(engine, month, fmt, path, kind=...)`, `report_json(...)`.

Decision: the reports are not recorded in the orders' history. They carry no caller data
(no caller names or phones; a confidential order's title is withheld), only figures,
order numbers and titles, and the first-contact owners' names and office phones, which the
units gave for exactly this use. (The history's EXPORT event is for personal data of
callers leaving the office.)
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from hotline_tui.errors import UserError

FORMATS = ("xlsx", "docx", "json")
KINDS = ("circular", "statement")


def check_choice(fmt: str, kind: str) -> tuple[str, str]:
    f = (fmt or "").strip().lower().lstrip(".")
    k = (kind or "").strip().lower()
    if f not in FORMATS:
        raise UserError("metrics.error.bad_format", fmt=fmt)
    if k not in KINDS:
        raise UserError("metrics.error.bad_kind", kind=kind)
    return f, k


def out_path(path: str | Path, fmt: str) -> Path:
    """The file to write: the format's suffix added when missing; a folder or a missing
    parent folder is one sentence."""
    out = Path(path).expanduser()
    if out.is_dir():
        raise UserError("metrics.error.out_is_dir", path=out)
    if out.suffix.lower() != f".{fmt}":
        out = out.with_name(out.name + f".{fmt}")
    if not out.parent.is_dir():
        raise UserError("metrics.error.no_folder", path=out.parent)
    return out


def default_name(month: str, kind: str, fmt: str) -> str:
    """'通报_2026-11.docx' (language of the UI)."""
    from hotline_tui.i18n import t

    return t("report.default_name", kind=t(f"report.kind.{kind}"), month=month) + f".{fmt}"


def gather(engine: Engine, month: str | None, kind: str, now: datetime | None = None) -> Any:
    from hotline_tui.services.report.data import circular_data, statement_data

    if kind == "statement":
        return statement_data(engine, month, now=now)
    return circular_data(engine, month, now=now)


def report_json(engine: Engine, month: str | None = None, *, kind: str = "circular",
                now: datetime | None = None) -> dict[str, Any]:
    """The report as JSON-ready data (English keys, ISO times when dumped by the CLI)."""
    from hotline_tui.services.report.json_out import circular_json, statement_json

    _f, k = check_choice("json", kind)
    data = gather(engine, month, k, now)
    return statement_json(data) if k == "statement" else circular_json(data)


def write_report(engine: Engine, month: str | None, fmt: str, path: str | Path, *,
                 kind: str = "circular", now: datetime | None = None) -> Path:
    """Write the circular (or the statement) of `month` ('2026-11'; None: this month) as
    `fmt` (xlsx | docx | json) to `path`; returns the path written."""
    import json

    f, k = check_choice(fmt, kind)
    out = out_path(path, f)
    data = gather(engine, month, k, now)
    if f == "json":
        from hotline_tui.cli.common import _default
        from hotline_tui.services.report.json_out import circular_json, statement_json

        obj = statement_json(data) if k == "statement" else circular_json(data)
        out.write_text(json.dumps(obj, ensure_ascii=False, default=_default, indent=2) + "\n",
                       encoding="utf-8")
    elif f == "xlsx":
        from hotline_tui.services.report import xlsx_out

        (xlsx_out.write_statement if k == "statement" else xlsx_out.write_circular)(data, out)
    else:
        from hotline_tui.services.report import docx_out

        (docx_out.write_statement if k == "statement" else docx_out.write_circular)(data, out)
    return out
