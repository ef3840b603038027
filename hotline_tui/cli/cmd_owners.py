"""`hotline owner` (sign-for with the first-contact owner) and `hotline owners` (returned-sheet
import, roster list and export, change of owner, phone correction, sign-for rates).

`owners import` follows `hotline import`: exit 0 once the file was read (rejected rows are
listed, --json has them all), 1 when it could not be read."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError

owners_app = typer.Typer(
    help="首接负责人：回收交办单导入、名册、更换负责人、签收率。First-contact owners.",
    rich_markup_mode=None,
)
app.add_typer(owners_app, name="owners")

MAX_LISTED = 200


@owners_app.callback(invoke_without_command=True)
def _owners_root(ctx: typer.Context) -> None:
    """Without a subcommand: the help text (exit 0)."""
    if ctx.invoked_subcommand is None:
        echo(ctx.get_help())


def _parse_at(text: str | None) -> datetime | None:
    from hotline_tui.domain.normalize import BadDate, parse_datetime

    if text is None or not text.strip():
        return None
    try:
        return parse_datetime(text)
    except BadDate:
        raise UserError("owners.error.bad_time", value=text) from None


def _fmt(dt: datetime | None) -> str:
    return f"{dt:%Y-%m-%d %H:%M}" if dt else ""


def _owner_json(o) -> dict | None:  # noqa: ANN001 - OwnerInfo
    if o is None:
        return None
    return {"id": o.id, "unit_id": o.unit_id, "name": o.name, "phone": o.phone, "post": o.post}


@app.command("owner")
def owner_cmd(
    order_nos: Annotated[list[str], typer.Argument(help="工单编号 (可多个，须同一单位)",
                                                   show_default=False)],
    name: Annotated[str, typer.Option("--name", help="首接负责人姓名", show_default=False)],
    phone: Annotated[str, typer.Option("--phone", help="手机号或带区号的固定电话",
                                       show_default=False)],
    post: Annotated[str, typer.Option("--post", help="职务")] = "",
    at: Annotated[str | None, typer.Option("--at", help="签收时间 (默认现在)")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """登记签收和首接负责人。Sign for dispatched orders with their first-contact owner."""
    from hotline_tui.i18n import t
    from hotline_tui.services.owners import sign_many

    when = _parse_at(at)
    engine = open_db(db)
    try:
        results = sign_many(engine, order_nos, name=name, phone=phone, post=post, at=when)
    finally:
        engine.dispose()
    if as_json:
        emit_json([
            {"order_no": r.order_no, "owner": _owner_json(r.owner), "signed_at": r.signed_at,
             "limit_end": r.limit_end, "late": r.late, "owner_created": r.owner_created}
            for r in results
        ])
        return
    for r in results:
        key = "owners.cli.signed_late" if r.late else "owners.cli.signed"
        echo(t(key, order_no=r.order_no, owner=r.owner.label(), at=_fmt(r.signed_at),
               limit=_fmt(r.limit_end)))


@owners_app.command("change")
def change_cmd(
    order_no: Annotated[str, typer.Argument(help="工单编号", show_default=False)],
    name: Annotated[str, typer.Option("--name", help="新的首接负责人姓名", show_default=False)],
    phone: Annotated[str, typer.Option("--phone", help="新负责人电话", show_default=False)],
    reason: Annotated[str, typer.Option("--reason", help="更换原因 (必填)", show_default=False)],
    post: Annotated[str, typer.Option("--post", help="职务")] = "",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """更换首接负责人 (原负责人与原因记入历史)。Change the owner; the old one stays in history."""
    from hotline_tui.i18n import t
    from hotline_tui.services.owners import change_owner

    engine = open_db(db)
    try:
        ch = change_owner(engine, order_no, name=name, phone=phone, post=post, reason=reason)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"order_no": ch.order_no, "old": _owner_json(ch.old),
                   "new": _owner_json(ch.new), "reason": ch.reason})
        return
    echo(t("owners.cli.changed", order_no=ch.order_no,
           old=ch.old.label() if ch.old else "-", new=ch.new.label()))


@owners_app.command("phone")
def phone_cmd(
    owner_id: Annotated[int, typer.Argument(help="负责人编号 (见 owners list --json)",
                                            show_default=False)],
    phone: Annotated[str, typer.Argument(help="正确的电话", show_default=False)],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """更正负责人电话 (所有在办工单一并更正)。Correct an owner's phone for all open orders."""
    from hotline_tui.i18n import t
    from hotline_tui.services.owners import update_owner_phone

    engine = open_db(db)
    try:
        res = update_owner_phone(engine, owner_id, phone)
    finally:
        engine.dispose()
    if as_json:
        emit_json({"owner": _owner_json(res.owner), "old_phone": res.old_phone,
                   "changed": res.changed, "open_orders": res.open_orders,
                   "merged_from": res.merged_from})
        return
    if not res.changed:
        echo(t("owners.cli.phone_unchanged", name=res.owner.name, phone=res.owner.phone))
        return
    line = t("owners.cli.phone_changed", name=res.owner.name, old=res.old_phone,
             new=res.owner.phone, count=len(res.open_orders))
    if res.merged_from is not None:
        line += t("owners.cli.merged", name=res.owner.name, phone=res.owner.phone)
    echo(line)


@owners_app.command("import")
def import_cmd(
    file: Annotated[Path, typer.Argument(help="单位填好交回的交办单 (.xlsx / .csv)",
                                         show_default=False)],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入回收的交办单，批量登记签收。Import returned dispatch sheets (owners, sign-for)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.owners_import import import_returned_sheets

    engine = open_db(db)
    try:
        res = import_returned_sheets(engine, file)
    finally:
        engine.dispose()
    if as_json:
        emit_json(res.to_json())
        return
    echo(t("owners.cli.import_file", file=file))
    echo(t("owners.cli.import_summary", signed=len(res.signed), late=res.late,
           unchanged=len(res.unchanged), rejected=len(res.rejected),
           created=res.owners_created))
    defaulted = sum(1 for r in res.signed if not r.time_given)
    if defaulted:
        echo(t("owners.cli.import_time_defaulted", n=defaulted))
    multi = len(res.sheets) > 1
    for r in res.rejected[:MAX_LISTED]:
        where = t("owners.cli.sheet_prefix", sheet=r.sheet) if multi and r.sheet else ""
        echo(t("owners.cli.rejected_row", where=where, row=r.row, reason=r.message()))
    if len(res.rejected) > MAX_LISTED:
        echo(t("owners.cli.more_rejected", n=len(res.rejected) - MAX_LISTED))


@owners_app.command("list")
def list_cmd(
    unit: Annotated[str | None, typer.Option("--unit", help="单位 (名称、简称或拼音首字母)")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="只列有在办工单的负责人")] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """首接负责人名册 (单位、负责人、电话、在办、超期)。The owner roster."""
    from hotline_tui.i18n import t
    from hotline_tui.services.owners import roster

    engine = open_db(db)
    try:
        rows = roster(engine, unit=unit, with_open_only=open_only)
    finally:
        engine.dispose()
    if as_json:
        emit_json([
            {"owner_id": r.owner_id, "unit_id": r.unit_id, "unit": r.unit_name, "name": r.name,
             "phone": r.phone, "post": r.post, "open": r.open, "overdue": r.overdue,
             "last_used_at": r.last_used_at}
            for r in rows
        ])
        return
    if not rows:
        echo(t("owners.cli.roster_empty"))
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    # long unit names wrap (no "..." glyph, which is ambiguous-width in CJK terminals)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column(t("owners.col.unit"), overflow="fold", ratio=1)
    for key in ("owners.col.owner", "owners.col.post", "owners.col.phone"):
        table.add_column(t(key), no_wrap=True)
    for key in ("owners.col.open", "owners.col.overdue"):
        table.add_column(t(key), justify="right", no_wrap=True)
    for r in rows:
        table.add_row(str(r.owner_id), r.unit_name, r.name, r.post, r.phone, str(r.open),
                      str(r.overdue))
    console = Console()
    console.print(table)
    console.print(t("owners.cli.roster_total", n=len(rows)))


@owners_app.command("export")
def export_cmd(
    out: Annotated[Path, typer.Argument(help="保存为 .xlsx 文件", show_default=False)],
    unit: Annotated[str | None, typer.Option("--unit", help="只导出一个单位")] = None,
    open_only: Annotated[bool, typer.Option("--open", help="只导出有在办工单的负责人")] = False,
    db: DbOpt = None,
) -> None:
    """导出首接负责人名册 (.xlsx)。Export the roster as .xlsx."""
    from hotline_tui.i18n import t
    from hotline_tui.services.owners import export_roster, roster

    engine = open_db(db)
    try:
        path = export_roster(engine, out, unit=unit, with_open_only=open_only)
        n = len(roster(engine, unit=unit, with_open_only=open_only))
    finally:
        engine.dispose()
    echo(t("owners.cli.exported", path=path, n=n))


@owners_app.command("rates")
def rates_cmd(
    month: Annotated[str | None, typer.Option("--month", help="月份，如 2026-11 (默认本月)")] = None,
    unit: Annotated[str | None, typer.Option("--unit", help="只看一个单位")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """签收率与按时签收率 (按单位)。Sign-for rate and on-time sign-for rate per unit."""
    from datetime import timedelta

    from hotline_tui.i18n import t
    from hotline_tui.services.owners import sign_rates

    engine = open_db(db)
    try:
        rep = sign_rates(engine, month, unit=unit)
    finally:
        engine.dispose()
    if as_json:
        emit_json(rep.to_json())
        return
    if not rep.units:
        echo(t("owners.cli.rates_empty", period=rep.period))
        return
    echo(t("owners.cli.rates_title", period=rep.period, start=rep.start.date().isoformat(),
           end=(rep.end - timedelta(days=1)).date().isoformat(), as_of=_fmt(rep.as_of),
           days=rep.sign_limit_workdays))
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    table.add_column(t("owners.col.unit"), overflow="fold", ratio=1)
    for key in ("owners.col.dispatched", "owners.col.signed", "owners.col.on_time",
                "owners.col.waiting", "owners.col.sign_rate", "owners.col.on_time_rate"):
        table.add_column(t(key), justify="right", no_wrap=True)

    def row(label: str, c) -> None:  # noqa: ANN001 - SignCounts
        table.add_row(label, str(c.dispatched), str(c.signed), str(c.signed_on_time),
                      str(c.waiting), c.sign_rate.percent(), c.on_time_rate.percent())

    for u in rep.units:
        row(u.unit_name, u.counts)
    row(t("owners.col.total"), rep.total)
    console = Console()
    console.print(table)
    console.print(t("owners.cli.rates_note"))
