"""The key a binding id is bound to now (the user's keymap wins), for hints drawn on screen."""

from __future__ import annotations

from textual.dom import DOMNode


def bound_key(node: DOMNode, binding_id: str) -> str:
    """The first key `binding_id` answers to on `node` after the keymap, as the footer shows
    it; '' when `node` has no such binding."""
    for bindings in node._bindings.key_to_bindings.values():  # noqa: SLF001 - read only
        for b in bindings:
            if b.id != binding_id:
                continue
            keymap = getattr(node.app, "_keymap", {}) or {}
            key = keymap.get(binding_id, b.key).split(",")[0].strip()
            return node.app.get_key_display(b.with_key(key))
    return ""


def bound_keys(node: DOMNode, binding_ids: list[str]) -> dict[str, str]:
    return {i: bound_key(node, i) for i in binding_ids}
