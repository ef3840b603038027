"""The process that test_crash_kill.py kills. Imports the app once, then for every command
line on stdin forks a worker that does the work and reports each commit on stdout:

    import <db> <csv> <tag>   -> IMPORTED <tag> <created>         (one import_file call)
    edit <db> <seed>          -> SAVED <order_no> <version> <what> (after each commit, forever)

A worker prints `READY` once its work is under way (the test's random delay starts there). The fork
server prints `PID <pid>` when a worker starts and `DONE <pid> <status>` when it
ended (killed or not). Lines are written with one os.write each, so they never interleave.
Forking from a process that has imported everything keeps each round fast; the server
itself never opens the database (no connection crosses a fork)."""

from __future__ import annotations

import os
import random
import sys
from datetime import timedelta

from hotline_tui.domain.states import Status  # noqa: F401 - import everything before forking
from hotline_tui.services import calendar, chase, dispatch, owners, queue, triage  # noqa: F401
from hotline_tui.services.importer import import_file
from hotline_tui.store import search  # noqa: F401
from hotline_tui.store.engine import make_engine


def warm_up() -> None:
    """What the first edit would compute anyway, done once before any fork."""
    from datetime import date

    from hotline_tui.domain.pinyin import pinyin_of
    from hotline_tui.domain.workdays import WorkCalendar

    pinyin_of("王五")  # pypinyin's dictionaries: ~1 s on the first sign-for otherwise
    cal = WorkCalendar({})
    for year in (date.today().year - 1, date.today().year):
        cal.workdays_of_year(year)


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())


def do_import(db: str, csv: str, tag: str) -> None:
    engine = make_engine(db)
    say("READY")
    result = import_file(engine, csv, actor="crash-test")
    say(f"IMPORTED {tag} {result.created}")


def do_edits(db: str, seed: int) -> None:
    from sqlalchemy import text

    from hotline_tui.services import clock

    engine = make_engine(db)
    rng = random.Random(seed)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT order_no, status FROM work_order ORDER BY id")).all()
    state = {no: status for no, status in rows}
    numbers = sorted(state)
    ready = False
    while True:
        no = rng.choice(numbers)
        if state[no] == "triaged":
            tier = rng.choice((3, 5, 15))
            r = triage.triage(engine, no, None, tier, actor="crash-test")
            say(f"SAVED {no} {r.version} tier={tier}")
        elif state[no] == "dispatched":
            at = clock.now().replace(microsecond=0) - timedelta(minutes=1)
            r = owners.sign(engine, no, name="王五", phone="13700000000", at=at,
                            actor="crash-test")
            state[no] = "signed"
            say(f"SAVED {no} {r.version} sign")
        else:
            said = f"第{rng.randrange(10**6)}次"
            chase.chase(engine, [no], method="phone", said=said, actor="crash-test")
            say(f"SAVED {no} 0 chase={said}")  # ChaseDone has no version
        if not ready:  # the test's random delay starts once the loop is running
            say("READY")
            ready = True


def main() -> None:
    warm_up()
    for line in sys.stdin:
        parts = line.split()
        if not parts:
            continue
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                if parts[0] == "import":
                    do_import(*parts[1:4])
                else:
                    do_edits(parts[1], int(parts[2]))
            except BaseException as exc:  # noqa: BLE001 - reported, then the worker ends
                say(f"ERROR {type(exc).__name__}: {exc}")
                code = 1
            os._exit(code)
        say(f"PID {pid}")
        _, status = os.waitpid(pid, 0)
        say(f"DONE {pid} {status}")


if __name__ == "__main__":
    main()
