"""`hotline dispatch`: dispatch triaged orders and write the dispatch sheets;
`hotline sheets`: print the sheets of dispatched orders again (by number or by day).

Exit codes: 0 when everything asked for was done, or there was nothing to dispatch;
1 when a named order could not be dispatched (the others are) or on a user error."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError

OrderNos = Annotated[
    list[str] | None,
    typer.Argument(help="工单编号；不给则为全部已分拣工单 (Order numbers; default: all triaged)"),
]
OutOpt = Annotated[
    Path | None,
    typer.Option("--out", "-o", help="交办单保存的文件夹 (Folder for the sheets)"),
]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="xlsx | docx | both (默认 both)")
]
UnmaskOpt = Annotated[
    bool,
    typer.Option("--unmask", help="交办单显示来电人完整姓名电话 (保密工单除外) (Show caller data)"),
]


def _formats(value: str) -> tuple[str, ...]:
    from hotline_tui.services.sheets import check_formats

    v = value.strip().lower()
    return check_formats(("xlsx", "docx") if v in ("both", "all", "") else v.split(","))


def _print_files(paths: list[Path]) -> None:
    from hotline_tui.i18n import t

    for p in paths:
        echo(t("dispatch.cli.file_line", path=p))


@app.command("dispatch")
def dispatch_cmd(
    order_nos: OrderNos = None,
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="只交办该单位的工单：名称、简称或拼音首字母 (Only this unit)"),
    ] = None,
    out: OutOpt = None,
    fmt: FormatOpt = "both",
    unmask: UnmaskOpt = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """交办已分拣的工单并生成交办单。Dispatch triaged orders and write the dispatch sheets.

    退出码：0 全部完成或没有可交办的工单；1 所列工单有未能交办的，或输入有误。
    Exit 0: all done or nothing to dispatch; 1: a listed order was skipped, or bad input."""
    from hotline_tui.i18n import t
    from hotline_tui.services.dispatch import dispatch, dispatch_and_write
    from hotline_tui.services.sheets.layout import printable

    formats = _formats(fmt)
    engine = open_db(db)
    named = list(order_nos) if order_nos else None
    preview = dispatch(engine, named, unit=unit, dry_run=True)
    files: dict[str, list[Path]] = {}
    if preview.dispatched:
        if out is None:
            raise UserError("dispatch.error.out_required", count=len(preview.dispatched))
        result, files = dispatch_and_write(
            engine, named, unit=unit, out_dir=out, formats=formats, unmask=unmask
        )
    else:
        result = preview
    failed = bool(named) and bool(result.skipped)

    if as_json:
        emit_json(
            {
                "dispatched": [
                    {"order_no": d.order_no, "unit": d.unit_name, "due_at": d.due_at}
                    for d in result.dispatched
                ],
                "skipped": [{"order_no": s.order_no, "reason": s.reason} for s in result.skipped],
                "files": [p for paths in files.values() for p in paths],
                "warnings": result.warnings(),
                "fallback_years": sorted(result.fallback_years),
                "dispatched_at": result.at if result.dispatched else None,
            }
        )
    else:
        if result.dispatched:
            echo(t("dispatch.cli.done", count=len(result.dispatched),
                   at=f"{result.at:%Y-%m-%d %H:%M}"))
            for name, rows in result.by_unit().items():
                echo(t("dispatch.cli.unit_line", unit=name, count=len(rows)))
                _print_files(files.get(name) or files.get(printable(name), []))
        elif named:
            echo(t("dispatch.cli.nothing_named"))
        else:
            echo(t("dispatch.cli.nothing"))
        if result.skipped:
            echo(t("dispatch.cli.skipped", count=len(result.skipped)))
            for s in result.skipped:
                echo(t("dispatch.cli.skip_line", message=s.message()))
        for w in result.warnings():
            echo(t("dispatch.cli.warning", message=w))
    if failed:
        raise typer.Exit(1)


@app.command("sheets")
def sheets_cmd(
    order_nos: Annotated[
        list[str] | None, typer.Argument(help="已交办的工单编号 (Dispatched order numbers)")
    ] = None,
    day: Annotated[
        str | None,
        typer.Option("--date", "-d", help="重印该日交办的全部工单，如 2026-11-06 (A day's dispatch)"),
    ] = None,
    out: OutOpt = None,
    fmt: FormatOpt = "both",
    unmask: UnmaskOpt = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """重新生成交办单 (按工单编号或交办日期)。Print dispatch sheets again, by number or by day."""
    from hotline_tui.i18n import t
    from hotline_tui.services.sheets import write_sheets

    formats = _formats(fmt)
    if bool(order_nos) == bool(day):
        raise UserError("dispatch.error.no_selection")
    which: list[str] | date
    if day:
        try:
            which = date.fromisoformat(day.strip())
        except ValueError as exc:
            raise UserError("dispatch.error.bad_date", value=day) from exc
    else:
        which = list(order_nos or [])
    if out is None:
        raise UserError("dispatch.error.out_missing")
    engine = open_db(db)
    paths = write_sheets(engine, which, out, formats=formats, unmask=unmask)
    if not paths and isinstance(which, date):
        raise UserError("dispatch.error.nothing_for_date", day=which.isoformat())
    if as_json:
        emit_json({"files": paths})
        return
    echo(t("dispatch.cli.sheets_done", count=len(paths)))
    _print_files(paths)
