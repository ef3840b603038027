"""hotline-tui: a keyboard-first terminal workbench for a county 12345 hotline office."""

__version__ = "0.1.0"
