"""`python -m hotline_tui` runs the CLI."""

from hotline_tui.cli import main

if __name__ == "__main__":  # not when a helper process (multiprocessing spawn) imports it
    main()
