"""Use cases shared by the CLI and the TUI: each opens its own transaction."""
