"""`python -m hotline_tui` runs the CLI."""

from hotline_tui.cli import main

main()
