"""`hotline calendar`: holiday years (show, set, import) and working-day deadlines (due)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError

calendar_app = typer.Typer(
    help="节假日与工作日截止时间。Holidays, make-up workdays and working-day deadlines.",
    rich_markup_mode=None,
)
app.add_typer(calendar_app, name="calendar")


@calendar_app.callback(invoke_without_command=True)
def _calendar_root(ctx: typer.Context) -> None:
    """Without a subcommand: the help text (exit 0)."""
    if ctx.invoked_subcommand is None:
        echo(ctx.get_help())


def _weekday(d) -> str:  # noqa: ANN001 - date or datetime
    from hotline_tui.i18n import t

    return t(f"calendar.weekday.{d.weekday()}")


def _warn(years, *, err: bool = False) -> None:  # noqa: ANN001
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import fallback_warning

    text = fallback_warning(years)
    if text:
        typer.echo(text, err=err)
        typer.echo(t("calendar.warn.how_to_enter"), err=err)


def _status_line(view, version: str) -> str:  # noqa: ANN001 - a YearView
    from hotline_tui.i18n import t

    c = view.coverage
    values = dict(year=c.year, version=version, holidays=c.entered_holidays,
                  workdays=c.entered_workdays)
    if c.status == "package":
        return t("calendar.status.package_entered" if c.entered else "calendar.status.package",
                 **values)
    return t(f"calendar.status.{c.status}", **values)


def _view_json(view, version: str) -> dict:  # noqa: ANN001
    c = view.coverage
    return {
        "year": c.year,
        "status": c.status,
        "in_package": c.in_package,
        "package_version": version if c.in_package else None,
        "entered_holidays": c.entered_holidays,
        "entered_workdays": c.entered_workdays,
        "fallback": c.missing,
        "days": [
            {
                "date": d.day,
                "weekday": d.day.isoweekday(),
                "kind": d.kind,
                "name": d.name,
                "source": d.source,
                "package_kind": d.package_kind,
            }
            for d in view.days
        ],
    }


def _print_view(view, version: str) -> None:  # noqa: ANN001
    from rich.console import Console
    from rich.table import Table

    from hotline_tui.i18n import t

    echo(_status_line(view, version))
    console = Console(highlight=False)
    if view.days:
        table = Table(box=None, header_style="bold")
        for key in ("date", "weekday", "kind", "name", "source"):
            table.add_column(t(f"calendar.col.{key}"), no_wrap=True)
        for d in view.days:
            if d.source == "entered":
                src = t("calendar.source.entered_over" if d.package_kind else
                        "calendar.source.entered")
            else:
                src = t("calendar.source.package")
            table.add_row(d.day.isoformat(), _weekday(d.day), t(f"calendar.kind.{d.kind}"),
                          d.name, src)
        console.print(table)
    if view.coverage.missing:
        _warn({view.year})


@calendar_app.command("show")
def show_cmd(
    year: Annotated[int, typer.Argument(help="年份, 如 2027")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """显示一年的放假日和调休上班日，注明内置或本单位录入。Show a year's arrangement."""
    from hotline_tui.services.calendar import calendar_for, year_view

    engine = open_db(db)
    view = year_view(engine, year)
    version = calendar_for(engine).package_version
    if as_json:
        emit_json(_view_json(view, version))
        if view.coverage.missing:
            _warn({year}, err=True)
        return
    _print_view(view, version)


def _parse_dispatch(text: str) -> datetime:
    from hotline_tui.domain.normalize import BadDate, parse_datetime

    try:
        at = parse_datetime(text)
    except BadDate:
        at = None
    if at is None:
        raise UserError("calendar.error.bad_dispatch", text=text)
    return at


def _parse_tier(text: str, engine) -> int:  # noqa: ANN001
    s = text.strip()
    if s.isdigit():
        return int(s)
    from hotline_tui.services.settings import get_setting

    with engine.connect() as conn:
        tiers = get_setting(conn, "tiers") or []
    for tier in tiers:
        if isinstance(tier, dict) and str(tier.get("name", "")).strip() == s:
            return int(tier["days"])
    raise UserError("calendar.error.bad_days", days=text)


@calendar_app.command("due")
def due_cmd(
    dispatched: Annotated[str, typer.Argument(metavar="DATE",
                                              help="交办日期或时间: 2026-12-28 或 '2026-12-28 09:30'")],
    days: Annotated[str, typer.Argument(metavar="DAYS",
                                        help="工作日数 (0 = 当日) 或时限名称")],
    upstream: Annotated[str | None, typer.Option("--upstream",
                                                 help="上级平台的办理时限 (更早时以其为准)")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """按工作日计算截止时间。Print the due date of an order dispatched at DATE."""
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import compute_due

    at = _parse_dispatch(dispatched)
    up = _parse_dispatch(upstream) if upstream else None
    engine = open_db(db)
    n = _parse_tier(days, engine)
    result = compute_due(engine, at, n, up)
    if as_json:
        out = {
            "dispatched_at": at,
            "days": n,
            "due_at": result.due_at,
            "fallback_years": sorted(result.fallback_years),
        }
        if up is not None:
            out["upstream_due_at"] = up
            out["computed_due_at"] = result.computed_due_at
        emit_json(out)
        _warn(result.fallback_years, err=True)
        return
    echo(t("calendar.due.dispatched", at=f"{at:%Y-%m-%d %H:%M:%S}"))
    echo(t("calendar.due.same_day") if n == 0 else t("calendar.due.days", days=n))
    echo(t("calendar.due.due", at=f"{result.due_at:%Y-%m-%d %H:%M:%S}",
           weekday=_weekday(result.due_at)))
    if result.upstream_won:
        echo(t("calendar.due.upstream_won", at=f"{result.computed_due_at:%Y-%m-%d %H:%M:%S}"))
    _warn(result.fallback_years)


@calendar_app.command("set")
def set_cmd(
    year: Annotated[int, typer.Argument(help="年份")],
    holiday: Annotated[list[str] | None, typer.Option(
        "--holiday", help="放假日 日期[:名称] 或 起..止[:名称], 可重复")] = None,
    workday: Annotated[list[str] | None, typer.Option(
        "--workday", help="调休上班日 日期[:名称], 可重复")] = None,
    clear: Annotated[bool, typer.Option("--clear", help="清除该年的全部录入")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """录入 (替换) 一年的安排。Enter (replace) a year's holidays and make-up workdays."""
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import calendar_for, parse_day_spec, set_year, year_view

    holiday, workday = holiday or [], workday or []
    if not (holiday or workday or clear):
        raise UserError("calendar.error.nothing_to_set")
    hol = [e for spec in holiday for e in parse_day_spec(spec)]
    work = [e for spec in workday for e in parse_day_spec(spec)]
    engine = open_db(db)
    cov = set_year(engine, year, hol, work)
    if as_json:
        emit_json(_view_json(year_view(engine, year), calendar_for(engine).package_version))
        return
    if cov.entered:
        echo(t("calendar.set.done", year=year, holidays=cov.entered_holidays,
               workdays=cov.entered_workdays))
    else:
        echo(t("calendar.set.cleared", year=year))
    _print_view(year_view(engine, year), calendar_for(engine).package_version)


@calendar_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(metavar="FILE", help=".csv 或 .xlsx: 日期,类型,名称")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """从文件录入一年或几年的安排 (替换这些年的录入)。Import years from a .csv/.xlsx file."""
    from hotline_tui.i18n import t
    from hotline_tui.services.calendar import import_year_file

    engine = open_db(db)
    covs = import_year_file(engine, file)
    if as_json:
        emit_json({"years": [
            {"year": c.year, "status": c.status, "entered_holidays": c.entered_holidays,
             "entered_workdays": c.entered_workdays} for c in covs
        ]})
        return
    for c in covs:
        echo(t("calendar.import.done", year=c.year, holidays=c.entered_holidays,
               workdays=c.entered_workdays))
