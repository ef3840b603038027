"""`hotline list`: the order list, newest first, for the terminal or scripts."""

from __future__ import annotations

from typing import Annotated

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, emit_json, open_db
from hotline_tui.domain.states import Status
from hotline_tui.errors import UserError


@app.command("list")
def list_cmd(
    status: Annotated[str | None, typer.Option("--status", help="new/triaged/dispatched/...")] = None,
    search: Annotated[str, typer.Option("--search", "-s", help="筛选文字")] = "",
    limit: Annotated[int, typer.Option("--limit", help="最多显示条数")] = 50,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """列出工单 (最新在前)。List orders, newest first."""
    from hotline_tui.i18n import t
    from hotline_tui.store.inbox_query import InboxFilter, count_orders, fetch_page

    statuses: tuple[str, ...] = ()
    if status:
        # a state by its code (new) or by its label in either language (待分拣, New)
        by_name = {s.value: s.value for s in Status}
        by_name.update({t(f"status.{s.value}"): s.value for s in Status})
        if status.strip() not in by_name:
            raise UserError("error.bad_status", status=status,
                            choices=", ".join(s.value for s in Status))
        statuses = (by_name[status.strip()],)
    f = InboxFilter(text=search, statuses=statuses)
    engine = open_db(db)
    with engine.connect() as conn:
        rows = fetch_page(conn, f, 0, max(0, limit))
        total = count_orders(conn, f)
    if as_json:
        emit_json(
            {
                "total": total,
                "orders": [
                    {
                        "order_no": r.order_no,
                        "received_at": r.received_at,
                        "request_type": r.request_type,
                        "title": r.title,
                        "area": r.area,
                        "unit": r.unit_name,
                        "status": r.status,
                        "due_at": r.due_at,
                    }
                    for r in rows
                ],
            }
        )
        return
    import sys

    from rich.cells import cell_len
    from rich.console import Console
    from rich.table import Table

    table = Table(box=None, header_style="bold")
    for key in ("col.order_no", "col.received_at", "col.type", "col.title", "col.area",
                "col.unit", "col.status", "col.due_at"):
        if key == "col.title":  # the one column that gives way on a narrow terminal
            table.add_column(t(key), no_wrap=True, overflow="ellipsis", ratio=1, min_width=8)
        else:
            table.add_column(t(key), no_wrap=True, min_width=cell_len(t(key)))
    for r in rows:
        table.add_row(r.order_no, f"{r.received_at:%Y-%m-%d %H:%M}", r.request_type, r.title,
                      r.area, r.unit_name, t(f"status.{r.status}"),
                      f"{r.due_at:%m-%d %H:%M}" if r.due_at else "")
    # a pipe gets whole lines; a terminal gets its own width (the title gives way)
    console = Console(width=None if sys.stdout.isatty() else 200)
    console.print(table)
    console.print(t("list.total", shown=len(rows), total=total))
