"""`hotline units ...`: the units directory from the command line."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db

units_app = typer.Typer(help="承办单位名录。The units directory.", no_args_is_help=True,
                        rich_markup_mode=None)
app.add_typer(units_app, name="units")


def _unit_json(u: Any) -> dict[str, Any]:
    return {
        "id": u.id, "name": u.name, "short_name": u.short_name, "kind": u.kind,
        "phone": u.phone, "leader": u.leader, "pinyin": u.pinyin, "initials": u.initials,
        "retired": u.retired, "usage": u.usage,
    }


def _print_units(units: list[Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    from hotline_tui.i18n import t

    table = Table(box=None, header_style="bold")
    for key in ("unit.col_name", "unit.col_short", "unit.col_kind", "unit.col_initials",
                "unit.col_phone", "unit.col_leader", "unit.col_usage"):
        table.add_column(t(key), no_wrap=True)
    for u in units:
        name = u.name + (t("unit.retired_mark") if u.retired else "")
        table.add_row(name, u.short_name, t(f"unit.kind_{u.kind}"), u.initials, u.phone,
                      u.leader, str(u.usage))
    Console().print(table)


@units_app.command("list")
def list_cmd(
    all_: Annotated[bool, typer.Option("--all", help="包括已停用的单位")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出单位。List units."""
    from hotline_tui.i18n import t
    from hotline_tui.services.units import list_units

    units = list_units(open_db(db), include_retired=all_)
    if as_json:
        emit_json([_unit_json(u) for u in units])
        return
    _print_units(units)
    echo(t("unit.cli_count", n=len(units)))


@units_app.command("find")
def find_cmd(
    text: Annotated[str, typer.Argument(help="汉字、全拼或拼音首字母，如 黑龙 / heilonghe / hlh")],
    all_: Annotated[bool, typer.Option("--all", help="包括已停用的单位")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """查找单位。Look a unit up by Chinese, pinyin or initials."""
    from hotline_tui.services.units import lookup_units

    matches = lookup_units(open_db(db), text, include_retired=all_)
    if as_json:
        emit_json([_unit_json(m.unit) | {"rank": m.rank, "matched": m.matched}
                   for m in matches])
        return
    _print_units([m.unit for m in matches])


@units_app.command("import")
def import_cmd(
    file: Annotated[str, typer.Argument(help=".xlsx / .csv / .json 单位名录")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入单位名录 (同名更新，新名称新增)。Import a unit list."""
    from pathlib import Path

    from hotline_tui.i18n import t
    from hotline_tui.services.units import import_units

    report = import_units(open_db(db), Path(file))
    if as_json:
        emit_json(report.as_dict())
    else:
        echo(t("unit.cli_imported", added=len(report.added), updated=len(report.updated),
               unchanged=len(report.unchanged), errors=len(report.errors)))
        for row, why in report.errors:
            echo(t("unit.cli_bad_row", row=row, reason=why))
    if report.errors and not (report.added or report.updated or report.unchanged):
        raise typer.Exit(1)


@units_app.command("add")
def add_cmd(
    name: Annotated[str, typer.Argument(help="单位名称")],
    kind: Annotated[str, typer.Option("--kind", help="乡镇 / 县直部门 / 其他 (township/department/other)")],
    short: Annotated[str, typer.Option("--short", help="简称")] = "",
    phone: Annotated[str, typer.Option("--phone", help="联系电话")] = "",
    leader: Annotated[str, typer.Option("--leader", help="负责人")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """新增单位。Add a unit."""
    from hotline_tui.i18n import t
    from hotline_tui.services.units import add_unit

    u = add_unit(open_db(db), name, kind=kind, short_name=short, phone=phone, leader=leader)
    if as_json:
        emit_json(_unit_json(u))
        return
    echo(t("unit.cli_added", unit=u.name, initials=u.initials))


@units_app.command("edit")
def edit_cmd(
    unit: Annotated[str, typer.Argument(help="单位名称、简称或拼音首字母")],
    name: Annotated[str | None, typer.Option("--name", help="新名称")] = None,
    kind: Annotated[str | None, typer.Option("--kind", help="类别")] = None,
    short: Annotated[str | None, typer.Option("--short", help="简称")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    leader: Annotated[str | None, typer.Option("--leader", help="负责人")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """修改单位信息。Edit a unit."""
    from hotline_tui.i18n import t
    from hotline_tui.services.units import edit_unit

    u = edit_unit(open_db(db), unit, name=name, kind=kind, short_name=short, phone=phone,
                  leader=leader)
    if as_json:
        emit_json(_unit_json(u))
        return
    echo(t("unit.cli_edited", unit=u.name))


@units_app.command("retire")
def retire_cmd(
    unit: Annotated[str, typer.Argument(help="单位名称、简称或拼音首字母")],
    undo: Annotated[bool, typer.Option("--undo", help="恢复启用")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """停用单位 (保留历史工单，不再出现在分拣中)。Retire a unit."""
    from hotline_tui.i18n import t
    from hotline_tui.services.units import retire_unit

    u = retire_unit(open_db(db), unit, retired=not undo)
    if as_json:
        emit_json(_unit_json(u))
        return
    echo(t("unit.cli_restored" if undo else "unit.cli_retired", unit=u.name))


@units_app.command("delete")
def delete_cmd(
    unit: Annotated[str, typer.Argument(help="单位名称")],
    db: DbOpt = None,
) -> None:
    """删除从未用过的单位 (用过的只能停用)。Delete a unit no order ever used."""
    from hotline_tui.i18n import t
    from hotline_tui.services.units import delete_unit, get_unit

    engine = open_db(db)
    name = get_unit(engine, unit).name
    delete_unit(engine, unit)
    echo(t("unit.cli_deleted", unit=name))


@units_app.command("rebuild-stats")
def rebuild_stats_cmd(db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """重建分拣建议统计 (批量导入或生成演示数据后)。Rebuild the suggestion statistics."""
    import time

    from hotline_tui.i18n import t
    from hotline_tui.services.triage import rebuild_triage_stats

    started = time.perf_counter()
    counted = rebuild_triage_stats(open_db(db))
    seconds = round(time.perf_counter() - started, 1)
    if as_json:
        emit_json({"orders": counted, "seconds": seconds})
        return
    echo(t("unit.cli_stats_rebuilt", n=counted, seconds=seconds))
