"""The Typer application object shared by the command modules."""

import typer

app = typer.Typer(
    name="hotline",
    help="12345 热线工单工作台 / hotline office workbench",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)
