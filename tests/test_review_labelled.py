"""The reply review against hand-labelled replies (tests/data/replies_*.json).

replies_labelled.json was labelled from DOMAIN.md's definition of a substantive reply before
the rules were written, and the rules were developed against it; replies_holdout.json was
written after the rules were done and is never used to tune them.

Copy-paste candidates are what the service would find: an item's own "others" (replies of
other orders it was pasted from) plus the replies of every other item in the same file that
is not itself a paste (a paste is the later order; the original was reviewed before it
existed). So the figures also show that substantive replies are not taken for copies of
one another."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hotline_tui.domain.review import ReplyText, RequestText, SimilarReply, review

DATA = Path(__file__).parent / "data"


def load(name: str) -> list[dict]:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def figures(items: list[dict]) -> tuple[float, float, list[str]]:
    """(catch rate of perfunctory, false-flag rate of substantive, misjudged ids)."""
    pool = [(it["id"], it["reply"]["text"]) for it in items if not it.get("others")]
    caught = flagged = 0
    wrong: list[str] = []
    for it in items:
        similar = [SimilarReply(o["order_no"], o["text"]) for o in it.get("others", [])]
        similar += [SimilarReply(oid, text) for oid, text in pool if oid != it["id"]]
        v = review(RequestText(**it["request"]), ReplyText(**it["reply"]), similar)
        if it["label"] == "perfunctory":
            caught += not v.acceptable
            if v.acceptable:
                wrong.append(f"{it['id']} missed")
        else:
            flagged += not v.acceptable
            if not v.acceptable:
                wrong.append(f"{it['id']} flagged {[r.code for r in v.reasons]}")
    n_perf = sum(it["label"] == "perfunctory" for it in items)
    n_subst = len(items) - n_perf
    return caught / n_perf, flagged / n_subst, wrong


def check_set(items: list[dict], min_items: int) -> None:
    assert len(items) >= min_items
    assert len({it["id"] for it in items}) == len(items)
    for it in items:
        assert it["label"] in ("perfunctory", "substantive"), it["id"]
        assert it["request"]["title"] and it["reply"]["text"] and it["why"], it["id"]
    n_perf = sum(it["label"] == "perfunctory" for it in items)
    assert 0.35 <= n_perf / len(items) <= 0.65  # roughly half each


def test_labelled_set_figures():
    items = load("replies_labelled.json")
    check_set(items, 80)
    catch, false_flags, wrong = figures(items)
    print(f"\nlabelled set ({len(items)}): catch {catch:.1%} of perfunctory, "
          f"false flags {false_flags:.1%} of substantive; misjudged: {wrong}")
    assert catch >= 0.90
    assert false_flags <= 0.10


def test_holdout_set_figures():
    items = load("replies_holdout.json")
    check_set(items, 20)
    labelled_ids = {it["id"] for it in load("replies_labelled.json")}
    assert not labelled_ids & {it["id"] for it in items}
    catch, false_flags, wrong = figures(items)
    print(f"\nholdout set ({len(items)}): catch {catch:.1%} of perfunctory, "
          f"false flags {false_flags:.1%} of substantive; misjudged: {wrong}")
    assert catch >= 0.80
    assert false_flags <= 0.20


@pytest.mark.parametrize("name", ["replies_labelled.json", "replies_holdout.json"])
def test_every_blocking_reason_carries_a_forwardable_sentence(name):
    from hotline_tui.services.review_text import reason_text

    for it in load(name):
        v = review(RequestText(**it["request"]), ReplyText(**it["reply"]))
        for r in v.reasons:
            sentence = reason_text(r)
            assert sentence != f"review.reason.{r.code}" and "{" not in sentence
            for s in r.spans:
                assert 0 <= s.start < s.end <= len(it["reply"]["text"])
