"""Rendering review reasons and rubric items in the UI language (the domain returns codes
and parameters only)."""

from __future__ import annotations

from hotline_tui.domain.review import DEFAULT_RULES, Reason, ReviewRules, Verdict
from hotline_tui.i18n import t


def reason_text(reason: Reason) -> str:
    """The sentence for one reason, in the current language, with its parameters."""
    return t(f"review.reason.{reason.code}", **reason.params)


def rubric_label(code: str) -> str:
    """The label of one rubric checklist item."""
    return t(f"review.rubric.{code}")


def send_back_text(
    verdict: Verdict, *, blocking_only: bool = False, rules: ReviewRules = DEFAULT_RULES
) -> str:
    """The reasons as numbered lines: the prefilled, editable note of a send-back."""
    reasons = [r for r in verdict.reasons if not blocking_only or r.code in rules.blocking]
    return "\n".join(f"{i}. {reason_text(r)}" for i, r in enumerate(reasons, 1))
