"""Top-level screens: each module here defines `TOP_SCREEN` (see tui/registry.py) and is
imported at start-up to be registered, so keep their module-level imports light. `base.py`
holds the frame they share. Screens pushed from them live in tui/views/."""
