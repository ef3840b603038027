"""Screens pushed over a top-level screen (the order view, the hand-entry form); imported
only when first opened, so start-up stays short."""
