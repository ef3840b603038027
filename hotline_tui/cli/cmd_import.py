"""`hotline import FILE...`: import upstream exports (.xlsx / .csv), one transaction per file.

--json prints the result object {"created", "updated", "unchanged", "rejected": [{"row",
"reason"}]} for one file; for several files a list of such objects, each with "file" added
(a file that could not be read appears as {"file", "error"}). Exit code 1 when any file
could not be read at all, else 0 (rejected rows do not change the exit code)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from hotline_tui.cli.app import app
from hotline_tui.cli.common import DbOpt, JsonOpt, echo, emit_json, open_db
from hotline_tui.errors import UserError

MAX_LISTED = 200  # rejected rows printed per file; --json always has them all
BAR_FROM_ROWS = 1000  # files with fewer rows finish before a bar is worth drawing


class _ProgressBar:
    """A Rich progress bar on stderr, shown only for large files on a terminal."""

    def __init__(self, label: str) -> None:
        from rich.console import Console

        self.console = Console(stderr=True)
        self.label = label
        self.progress: Any = None
        self.task: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.progress is None:
            if total < BAR_FROM_ROWS or not self.console.is_terminal:
                return
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeRemainingColumn(), console=self.console, transient=True,
            )
            self.progress.start()
            self.task = self.progress.add_task(self.label, total=total)
        self.progress.update(self.task, completed=done, total=total)

    def close(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _error(exc: UserError) -> None:
    from hotline_tui.i18n import t

    typer.echo(t("error.prefix") + str(exc), err=True)


@app.command("import")
def import_cmd(
    files: Annotated[
        list[Path],
        typer.Argument(help="平台导出的 .xlsx 或 .csv 文件 (可多个)", show_default=False),
    ],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """导入平台导出的工单表格。Import the platform's exports (.xlsx / .csv)."""
    from hotline_tui.i18n import t
    from hotline_tui.services.importer import import_file

    try:
        engine = open_db(db)
    except UserError as exc:
        _error(exc)
        raise typer.Exit(1) from None
    outputs: list[dict[str, Any]] = []
    failed = 0
    try:
        for path in files:
            bar = None if as_json else _ProgressBar(t("import.cli.progress", file=path.name))
            try:
                result = import_file(engine, path, progress=bar)
            except UserError as exc:
                failed += 1
                _error(exc)
                outputs.append({"file": str(path), "error": str(exc)})
                continue
            finally:
                if bar is not None:
                    bar.close()
            outputs.append({"file": str(path), **result.to_json()})
            if not as_json:
                _print_summary(path, result)
    finally:
        engine.dispose()
    if as_json:
        if len(files) == 1:
            if "error" not in outputs[0]:
                emit_json({k: v for k, v in outputs[0].items() if k != "file"})
        else:
            emit_json(outputs)
    elif failed and len(files) > 1:
        typer.echo(t("import.cli.failed_files", n=failed), err=True)
    if failed:
        raise typer.Exit(1)


def _print_summary(path: Path, result: Any) -> None:
    from hotline_tui.i18n import t

    echo(t("import.cli.file", file=path))
    echo("  " + t("import.cli.summary", created=result.created, updated=result.updated,
                  unchanged=result.unchanged, rejected=len(result.rejected)))
    for row, reason in result.rejected[:MAX_LISTED]:
        echo(t("import.cli.rejected_row", row=row, reason=reason))
    if len(result.rejected) > MAX_LISTED:
        echo(t("import.cli.more_rejected", n=len(result.rejected) - MAX_LISTED))
