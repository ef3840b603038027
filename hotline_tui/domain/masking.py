"""Masking of the caller's personal data on everything that leaves the office."""

from __future__ import annotations

import re


def mask_name(name: str | None) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧阳**; empty stays empty."""
    if not name:
        return ""
    n = name.strip()
    if len(n) <= 1:
        return n
    keep = 2 if len(n) >= 4 else 1
    return n[:keep] + "*" * (len(n) - keep)


def mask_phone(phone: str | None) -> str:
    """13812345678 -> 138****5678; a landline keeps its area code and last 2 digits."""
    if not phone:
        return ""

    def one(p: str) -> str:
        digits = re.sub(r"\D", "", p)
        if len(digits) == 11 and digits.startswith("1"):
            return digits[:3] + "****" + digits[-4:]
        if len(digits) >= 7:
            return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]
        return "*" * len(digits)

    return ",".join(one(p) for p in phone.split(","))


def caller_for_output(
    name: str | None, phone: str | None, *, confidential: bool, unmask: bool = False
) -> tuple[str, str]:
    """What a sheet or export may show: masked unless the clerk chose otherwise;
    a confidential order never shows them at all."""
    if confidential:
        return ("(保密)" if name or phone else "", "")
    if unmask:
        return (name or "", phone or "")
    return (mask_name(name), mask_phone(phone))
