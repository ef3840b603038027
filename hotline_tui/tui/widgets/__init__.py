"""Widgets of the workbench: the header line and the virtual order list."""
