"""Two windows on one file: every order carries a version; a save over a stale copy is
refused with a clear sentence, nothing is lost, and the screen shows the current data.
The "other window" is a real second process (the CLI, or tests/race_child.py)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from triage_helpers import add_order, add_units, events
from tui_support import NOW, async_test, fill, order_no, screen_text, settle

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.triage import get_triage_item, triage

pytestmark = pytest.mark.sqlite_only  # the processes share a file
TESTS = Path(__file__).parent


def _cli(db_path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "hotline_tui", "--db", str(db_path), *args],
                          capture_output=True, text=True, env=env, timeout=120)


def test_a_save_over_a_version_saved_by_the_cli_is_refused(engine, db_path):
    units = add_units(engine)
    add_order(engine, "W1")
    triage(engine, "W1", units["黑山镇"], 5)
    shown = get_triage_item(engine, "W1")  # this window reads the order ...
    done = _cli(db_path, "triage", "W1", "--unit", "县住建局", "--tier", "15")  # ... the CLI saves
    assert done.returncode == 0, done.stderr
    with pytest.raises(UserError) as refused:
        triage(engine, "W1", units["黑龙河乡"], 3, expected_version=shown.version)
    assert refused.value.key == "error.stale"
    assert str(refused.value) == "工单 W1 已在别处被修改，请刷新后重试。"
    now = get_triage_item(engine, "W1")
    assert (now.unit_id, now.tier_days) == (units["西山县住房和城乡建设局"], 15)  # CLI's kept
    assert now.version == shown.version + 1
    assert [e for e, _c, _n in events(engine, "W1")] == ["create", "triage", "retriage"]
    # reloaded, the same save goes through
    triage(engine, "W1", units["黑龙河乡"], 3, expected_version=now.version)
    assert get_triage_item(engine, "W1").tier_days == 3


def test_two_processes_saving_the_same_orders_lose_no_update(engine, db_path):
    """Two processes each read an order and save a change over the version read, 150
    times, at the same time. Every save reported as made is one version step and one
    history row: none was overwritten by the other process."""
    units = add_units(engine)
    numbers = [add_order(engine, f"X{i}") for i in range(3)]
    for no in numbers:
        triage(engine, no, units["黑山镇"], 5)
    engine.dispose()
    env = dict(os.environ)
    procs = [subprocess.Popen(
        [sys.executable, str(TESTS / "race_child.py"), str(db_path), str(k), "150", *numbers],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=env) for k in (1, 2)]
    for p in procs:
        assert p.stdout.readline().strip() == "READY"
    for p in procs:
        p.stdin.write("go\n")
        p.stdin.flush()
    outs = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        outs.append(out.splitlines())
    written = sum(1 for o in outs for line in o if line.startswith("OK ") and
                  not line.endswith(" -"))
    stale = [line for o in outs for line in o if line.startswith("STALE ")]
    con = sqlite3.connect(db_path)
    try:
        steps = sum(v - 2 for (v,) in con.execute("SELECT version FROM work_order"))
        rows = con.execute("SELECT count(*) FROM order_history WHERE event = 'retriage'"
                           ).fetchone()[0]
    finally:
        con.close()
    print(f"\ntwo processes: {written} saves, {len(stale)} refused as stale, "
          f"lost updates {written - steps}")
    assert steps == written == rows  # lost updates: zero
    assert all("已在别处被修改" in line for line in stale)


@pytest.fixture
def frozen_clock():
    clock.set_fixed(NOW)
    yield
    clock.set_fixed(None)


@async_test
async def test_order_view_refuses_a_stale_save_and_shows_the_current_data(
        engine, db_path, frozen_clock):
    """The clerk has order 0 open and starts a 退单 while the CLI signs the order for in
    another process: the save is refused with the sentence, and on closing the form the
    order view shows the order as it is now (signed for, by whom)."""
    from textual.widgets import Input, Static

    from hotline_tui.tui.app import HotlineApp

    fill(engine, 5)
    no = order_no(0)
    app = HotlineApp(engine=engine, db_label="t.db")
    async with app.run_test(size=(130, 45)) as pilot:
        await settle(pilot)
        await pilot.press("g", "enter")
        await settle(pilot)
        assert "已交办" in screen_text(app)
        await pilot.press("t")  # 退单 form on the order as read
        await settle(pilot)
        form = app.screen
        form.query_one("#return-reason", Input).value = "不属于本单位职责"
        signed = _cli(db_path, "owner", no, "--name", "赵敏", "--phone", "13711112222")
        assert signed.returncode == 0, signed.stderr
        form.query_one("#return-basis", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is form  # refused: the form stays with the sentence
        error = str(form.query_one("#return-error", Static).render())
        assert error == f"工单 {no} 已在别处被修改，请刷新后重试。"
        await pilot.press("escape")
        await settle(pilot)
        shown = screen_text(app)
        assert "已签收" in shown and "赵敏" in shown  # what the other process saved
    kinds = [e for e, _c, _n in events(engine, no)]
    assert kinds[-1] == "sign" and "unit_return" not in kinds
