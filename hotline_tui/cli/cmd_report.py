"""`hotline report` (the monthly circular 通报 or the office's statement as xlsx / docx /
json) and `hotline metrics` (the month's figures in the terminal, definitions below)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db


@app.command("report")
def report_cmd(
    month: Annotated[str | None, typer.Option("--month", "-m",
                                              help="月份，如 2026-11 (默认本月) (Month)")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f",
                                     help="xlsx | docx | json (Format)")] = "docx",
    out: Annotated[Path | None, typer.Option("--out", "-o",
                                             help="输出文件；json 不给则打印 (Output file)")] = None,
    kind: Annotated[str, typer.Option(
        "--kind", "-k", help="circular 通报 | statement 情况说明 (Kind)")] = "circular",
    db: DbOpt = None,
) -> None:
    """月度通报或热线办情况说明。The monthly circular or the office's statement."""
    from hotline_tui.i18n import t
    from hotline_tui.services import clock
    from hotline_tui.services.metrics import resolve_month
    from hotline_tui.services.report import check_choice, default_name, report_json, write_report

    f, k = check_choice(fmt, kind)
    label, _s, _e = resolve_month(month, clock.now())
    engine = open_db(db)
    if f == "json" and out is None:
        emit_json(report_json(engine, label, kind=k))
        return
    path = out if out is not None else Path.cwd() / default_name(label, k, f)
    written = write_report(engine, label, f, path, kind=k)
    echo(t("report.written", path=written))


@app.command("metrics")
def metrics_cmd(
    month: Annotated[str | None, typer.Option("--month", "-m",
                                              help="月份，如 2026-11 (默认本月) (Month)")] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """本月（或指定月份）的各项指标、分县直部门和乡镇，附口径。The month's figures."""
    from hotline_tui.services.metrics import period_figures

    engine = open_db(db)
    figs = period_figures(engine, month)
    if as_json:
        emit_json(figs.to_json())
        return
    _print_figures(figs)


def _print_figures(figs) -> None:  # noqa: ANN001 - services.metrics.PeriodFigures
    import sys

    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from hotline_tui.domain import metrics as dm
    from hotline_tui.i18n import t
    from hotline_tui.services.report.data import KIND_ORDER, definitions, kind_label
    from hotline_tui.services.report.docx_out import DOC_CODES
    from hotline_tui.tui.text import column_text

    # a pipe gets whole lines (Rich would cut them to 80 columns)
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 200)
    console.print(Text(t("metrics.cli.title", month=figs.label,
                         at=f"{figs.as_of:%Y-%m-%d %H:%M}"), style="bold"))
    kinds = figs.kinds
    groups = [("office", figs.office)] + [(k, kinds[k]) for k in KIND_ORDER if k in kinds]
    table = Table(box=None, pad_edge=False, header_style="bold")
    table.add_column(t("metrics.col.figure"), no_wrap=True)
    for k, _c in groups:
        table.add_column(t(f"metrics.kind.{k}"), justify="right", no_wrap=True)
    for code in dm.CODES:
        # column_text: "—" (ambiguous width) becomes a glyph of definite width in columns
        cells = [column_text(dm.cell_text(dm.figure(c, code), full=True))
                 if k == "office" or code not in dm.OFFICE_ONLY else "" for k, c in groups]
        table.add_row(t(dm.NAMES[code]), *cells)
    console.print(table)
    console.print()
    if figs.units:
        console.print(Text(t("metrics.cli.units"), style="bold"))
    for kind in KIND_ORDER:
        units = dm.rank(figs.of_kind(kind))
        if not units:
            continue
        console.print(Text(kind_label(kind), style="bold"))
        ut = Table(box=None, pad_edge=False, header_style="bold")
        ut.add_column(t("metrics.col.rank"), justify="right")
        ut.add_column(t("metrics.col.unit"), no_wrap=True)
        for code in DOC_CODES:
            ut.add_column(t(dm.NAMES[code]), justify="right", no_wrap=True)
        for i, u in enumerate(units, start=1):
            ut.add_row(str(i), u.name, *[column_text(dm.cell_text(u.get(c))) for c in DOC_CODES])
        console.print(ut)
    if not figs.units:
        console.print(t("metrics.cli.no_units"))
    console.print()
    console.print(Text(t("metrics.cli.defs"), style="bold"))
    for _code, sentence in definitions(dm.CODES, figs.sign_limit_workdays):
        console.print(Text(sentence))
    console.print(Text(t(dm.RANK_RULE)))
