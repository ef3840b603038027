"""A second window in its own process (tests/test_two_processes.py): loads an order, then
saves a change over the version it loaded, again and again. Prints `OK <order_no> <version>`
for each save and `STALE <order_no>` for each save refused as stale.

    python race_child.py <db> <seed> <rounds> <order_no> [<order_no> ...]"""

from __future__ import annotations

import random
import sys

from hotline_tui.errors import UserError
from hotline_tui.services.triage import get_triage_item, triage
from hotline_tui.store.engine import make_engine

TIERS = (3, 5, 15)


def main() -> None:
    db, seed, rounds, numbers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
    engine = make_engine(db)
    rng = random.Random(seed)
    print("READY", flush=True)
    sys.stdin.readline()  # both processes start together
    for _ in range(rounds):
        no = rng.choice(numbers)
        item = get_triage_item(engine, no)  # what the window shows
        tier = rng.choice([x for x in TIERS if x != item.tier_days])
        try:
            r = triage(engine, no, None, tier, actor=f"p{seed}", expected_version=item.version)
        except UserError as exc:
            if exc.key != "error.stale":
                raise
            print(f"STALE {no} {exc}", flush=True)
            continue
        print(f"OK {no} {r.version} {r.event or '-'}", flush=True)  # - : nothing to change


if __name__ == "__main__":
    main()
