"""The Textual workbench: the app shell (app.py), top-level screens, widgets and dialogs."""
