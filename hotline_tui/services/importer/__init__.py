"""Import of the upstream platform's export (.xlsx / .csv): reading, header detection,
row mapping, and the upsert by order number. The CLI and the TUI call `import_file`."""

from hotline_tui.services.importer.service import ImportResult, import_file

__all__ = ["ImportResult", "import_file"]
