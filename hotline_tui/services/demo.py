"""Fill a database with the demo county: its units and N orders of the last six months.

Decisions:
- Only into a database that holds no real order (`is_demo = 0`): UserError otherwise.
- A demo database that already has demo orders is *replaced*: its demo orders, their
  history and the rows other tables keep for them are removed, units are kept and
  updated by name, settings are kept. The CLI says how many orders were replaced.
- SQLite: one transaction through the raw sqlite3 driver. Secondary indexes and the
  triggers of work_order, order_history and callback are dropped first and re-created from
  their own SQL afterwards (so indexes added by later migrations are rebuilt too); rows go
  in with executemany. Orders are made in chunks of CHUNK by a helper process while the
  main one writes them (and makes every MAIN_EVERY-th chunk itself, in the time it would
  wait). The search index is filled from the same chunks by a second helper process at the
  lowest priority, in a staging file of its own whose FTS5 tables are then copied in
  (_SearchBuilder): on two cores it runs while the main process waits and, mostly, while
  it builds the indexes (small runs: in the main process). First-contact owners are made
  before the orders and given to signed orders by the generator; replies and callbacks
  (services/demo_replies.ChunkReplies) are made with each chunk, where the chunk is made
  (the helper process of a large load), so its order and search rows come out final (a
  reopened order in rework, its search row too) and the main process only inserts them;
  then indexes, ANALYZE, and the file goes back to WAL. The dashboard's kept counts (metrics cache, migration 0011) are
  emptied: the triggers that keep them were off. Other databases: SQLAlchemy Core
  inserts, same rows (replies and callbacks too, from the same chunks); _finish empties
  the kept counts.
- The triage suggestion statistics are counted from the generator's own choices while it
  generates (ChunkMaker.take_stats, the same counts services.triage.rebuild_triage_stats
  takes from the table) and written with the orders.
- Every demo order has is_demo = True and one history row per event of its life,
  checked against the state machine (domain.states.next_status).
- Deadlines of demo orders count weekdays only (not the holiday calendar).
"""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Engine, make_url

from hotline_tui.errors import UserError
from hotline_tui.services import clock
from hotline_tui.services.demo_replies import REPLY_COLS, ChunkReplies
from hotline_tui.services.demo_text import (
    HISTORY_COLUMNS,
    ORDER_COLUMNS,
    TIME_COLUMNS,
    ChunkMaker,
    County,
    DayPlan,
    plan_days,
    unit_rows,
)

DEFAULT_ORDERS = 20_000
DEFAULT_SEED = 12345
CHUNK = 10_000
MONTHS_DAYS = 183
# History rows through the helper's staging file (True) or written by the main process
# (False: at 1M the helper making rows is the slower of the two, so the main process writes)
HISTORY_STAGE = False
MAIN_EVERY = 3  # with one helper, the main process makes every 3rd chunk itself
PARALLEL_FROM = 60_000  # below this, a helper process costs more than it saves

Progress = Callable[[str, int, int], None]  # (stage, done, total)
# Seconds per step of the SQLite load when a dict is put here (benchmarks/bench_demo.py).
TIMES: dict[str, float] | None = None


class _Step:
    """`with _Step("name"):` adds the block's wall time to TIMES["name"] (when TIMES is on)."""

    __slots__ = ("name", "t0")

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.t0 = time.perf_counter()

    def __exit__(self, *exc: object) -> None:
        if TIMES is not None:
            TIMES[self.name] = TIMES.get(self.name, 0.0) + time.perf_counter() - self.t0
UNIT_COLUMNS = ("id", "name", "short_name", "kind", "phone", "leader", "pinyin", "initials",
                "retired")


@dataclass(frozen=True)
class DemoResult:
    target: str
    orders: int
    history: int
    units: int
    replaced: int  # demo orders that were there before and were replaced
    seconds: float


def pool_size(orders: int) -> int:
    """Distinct rendered requests for a run: every order its own up to 2,000, then about
    one per ten orders."""
    return min(orders, max(2_000, orders // 10)) or 1


# ------------------------------------------------------------------------ entry point

def generate(
    target: Engine | str | os.PathLike[str],
    orders: int = DEFAULT_ORDERS,
    *,
    seed: int = DEFAULT_SEED,
    progress: Progress | None = None,
    now: datetime | None = None,
    workers: int | None = None,
    use_core: bool = False,
) -> DemoResult:
    """Fill `target` (an engine, a file path or URL) with the demo county and `orders`
    orders; see the module docstring. `workers` helper processes make the rows (default:
    one when there are two cores or more and the run is large); `use_core` forces the
    portable SQLAlchemy path (tests)."""
    from hotline_tui.store.engine import open_database
    from hotline_tui.store.migrate import upgrade_if_needed

    if orders < 0:
        raise ValueError("orders must be >= 0")
    started = time.perf_counter()
    if isinstance(target, Engine):
        engine, own = target, False
        upgrade_if_needed(engine)
    else:
        engine, own = open_database(target), True
    label = _label(engine)
    try:
        replaced = _check_target(engine, label)
        now = (now or clock.now()).replace(microsecond=0)
        county = County.load()
        job = _Job(county, orders, seed, now, progress, workers)
        path = _sqlite_path(engine)
        bulk = path is not None and not use_core
        if bulk:
            engine.dispose()  # the load needs the file to itself
            n_hist, n_units = _load_sqlite(path, job)
        else:
            n_hist, n_units = _load_core(engine, job)
        _finish(engine, bulk=bulk)
    finally:
        if own:
            engine.dispose()
    return DemoResult(label, orders, n_hist, n_units, replaced,
                      time.perf_counter() - started)


def _finish(engine: Engine, *, bulk: bool = False) -> None:
    """What the other screens need of a demo that the loads leave. Both loads make the
    replies and callbacks with the chunks (ChunkReplies). The SQLite bulk load (`bulk`)
    empties the kept monthly counts and takes the planner's statistics itself: nothing is
    left to do then; the portable load: those two here. Both loads give the
    signed orders their first-contact owners (the register) as the generator makes them,
    and write the unit-suggestion statistics (triage) from the generator's own counts."""
    if bulk:
        return
    _clear_metrics_cache_engine(engine)
    if engine.dialect.name == "sqlite":
        # the planner's statistics were taken before owners existed: take them again, or
        # the register's queries pick plans several times slower
        with engine.begin() as conn:
            with _Step("analyze2"):
                conn.exec_driver_sql("PRAGMA analysis_limit=1000")
                conn.exec_driver_sql("ANALYZE")


def _label(engine: Engine) -> str:
    url = engine.url
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


def _sqlite_path(engine: Engine) -> str | None:
    url = make_url(str(engine.url))
    if url.get_backend_name() != "sqlite":
        return None
    db = url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return None
    return db


def _check_target(engine: Engine, label: str) -> int:
    """Refuse a database with real orders; return how many demo orders it has."""
    from sqlalchemy import text

    with engine.connect() as conn:
        real = conn.execute(text("SELECT 1 FROM work_order WHERE is_demo = FALSE LIMIT 1")).first()
        if real is not None:
            raise UserError("error.demo_into_real", path=label)
        return int(conn.execute(text("SELECT count(*) FROM work_order")).scalar() or 0)


class _Stats:
    """The triage suggestion statistics of the generated orders, added up chunk by chunk:
    the same as services.triage.rebuild_triage_stats counts from the table afterwards; and
    each owner's latest sign-for time (the owner's last_used_at)."""

    def __init__(self) -> None:
        self.groups: dict[tuple[str, str, int], int] = {}
        self.texts: dict[tuple[str, str, int], int] = {}
        self.owner_last: dict[int, str] = {}

    def add(self, stats: tuple[dict, dict, dict]) -> None:
        groups, texts, owner_last = stats
        for mine, theirs in ((self.groups, groups), (self.texts, texts)):
            get = mine.get
            for k, n in theirs.items():
                mine[k] = get(k, 0) + n
        mine_last = self.owner_last
        for k, at in owner_last.items():
            if mine_last.get(k, "") < at:
                mine_last[k] = at

    def counts(self) -> dict[tuple[str, str, int], int]:
        from hotline_tui.services.triage import triage_stat_counts

        counts, _ = triage_stat_counts(((*k, n) for k, n in self.groups.items()),
                                       ((*k, n) for k, n in self.texts.items()))
        return counts


@dataclass
class _Job:
    county: County
    orders: int
    seed: int
    now: datetime
    progress: Progress | None
    workers: int | None

    def __post_init__(self) -> None:
        self.plan: DayPlan = plan_days(self.orders, self.now, days=MONTHS_DAYS, seed=self.seed)
        self.clerk: str = self.county.raw["clerk"]

    def tell(self, stage: str, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)

    def helpers(self) -> int:
        """Helper processes that make the rows: one on two cores or more for large runs."""
        if self.workers is not None:
            return max(0, self.workers) if self.orders > CHUNK else 0
        return 1 if (os.cpu_count() or 1) >= 2 and self.orders >= PARALLEL_FROM else 0

    def search_helper(self) -> bool:
        """The search index in a process of its own whenever the rows are made by helper
        processes. It runs at the lowest priority (nice 19): on two cores it takes the time
        the main process waits for rows, then the core the row maker leaves when it is done,
        while the main process makes the replies and builds the indexes (at full priority
        it slowed both other processes: 227 s against 165 s at 1M, measured before)."""
        return self.helpers() >= 1

    def chunks(self, unit_ids: dict[int, int], first_id: int, stage: str | None = None,
               owner_ids: dict[int, list[int]] | None = None,
               replies: tuple | None = None) -> Iterator[tuple]:
        """(orders, search rows, history rows, triage counts, replies) per chunk, in order;
        made in helper processes for large runs. `replies`: ChunkReplies' arguments but the
        county's raw description, to make the replies and callbacks with the chunks (the
        fifth item is then ChunkReplies.make's answer, else None). `unit_ids` maps the county's unit numbers to
        database ids, `owner_ids` them to their first-contact owners' ids. With `stage` (one helper), the helper writes the history rows into
        that SQLite file itself and the third item is their number. The triage counts are
        ChunkMaker.take_stats() after the chunk (add them up with _Stats)."""
        specs = [(k, start, min(CHUNK, self.orders - start), first_id + start)
                 for k, start in enumerate(range(0, self.orders, CHUNK))]
        n_workers = self.helpers()
        args = (self.county.raw, self.plan, self.clerk, self.seed, pool_size(self.orders),
                unit_ids, owner_ids or {}, replies, stage if n_workers == 1 else None)
        if n_workers <= 0:
            _init_worker(*args[:-1], None)
            for spec in specs:
                yield _make_chunk(*spec)
            return
        import multiprocessing

        # One helper: the main process makes every MAIN_EVERY-th chunk itself, in the time
        # it would otherwise wait for the helper (writing a chunk costs less than making it)
        mine = {k for k, *_ in specs if n_workers == 1 and k % MAIN_EVERY == MAIN_EVERY - 1}
        if mine:
            _init_worker(*args[:-1], None)
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(n_workers, mp_context=ctx, initializer=_init_worker,
                                 initargs=args) as pool:
            ahead = n_workers + 1
            theirs = iter(spec for spec in specs if spec[0] not in mine)
            pending: dict[int, Future] = {}

            def top_up() -> None:
                while len(pending) < ahead:
                    spec = next(theirs, None)
                    if spec is None:
                        return
                    pending[spec[0]] = pool.submit(_make_chunk, *spec)

            for spec in specs:
                top_up()
                if spec[0] in mine:
                    yield _make_chunk(*spec)
                else:
                    yield pending.pop(spec[0]).result()


_maker: ChunkMaker | None = None
_replies: ChunkReplies | None = None
_stage: sqlite3.Connection | None = None
STAGE_TABLE = "demo_history"


def _init_worker(raw: dict[str, Any], plan: DayPlan, clerk: str, seed: int, pool: int,
                 unit_ids: dict[int, int], owner_ids: dict[int, list[int]],
                 replies: tuple | None, stage: str | None) -> None:
    global _maker, _stage, _replies
    county = County.from_raw(raw, unit_ids)
    _maker = ChunkMaker(county, plan, clerk, seed=seed, pool_size=pool, owner_ids=owner_ids)
    _replies = ChunkReplies(*replies, raw) if replies is not None else None
    _stage = None
    if stage is not None:
        _stage = sqlite3.connect(stage, isolation_level=None)
        _stage.execute("PRAGMA journal_mode=OFF")
        _stage.execute("PRAGMA synchronous=OFF")
        _stage.execute(f"CREATE TABLE IF NOT EXISTS {STAGE_TABLE} "
                       f"({', '.join(HISTORY_COLUMNS)})")


def _make_chunk(chunk_no: int, first_index: int, count: int, first_id: int) -> tuple:
    assert _maker is not None
    orders, search, hist = _maker.make(chunk_no, first_index, count, first_id)
    stats = _maker.take_stats()
    extra = None if _replies is None else _replies.make(chunk_no, orders, search, hist)
    if _stage is None:
        return orders, search, hist, stats, extra
    _stage.execute("BEGIN")
    _stage.executemany(_insert_sql(STAGE_TABLE, HISTORY_COLUMNS), hist)
    _stage.execute("COMMIT")
    return orders, search, len(hist), stats, extra


# ------------------------------------------------- the search index, in a helper process

FTS_STAGE_SUFFIX = "-demo-search"
# Chunks of search rows waiting for the index helper at most (~10 MB each: ~0.5 GB). It lags
# behind by design (niced) and catches up while the main process builds the indexes.
FTS_AHEAD = 50
_fts: sqlite3.Connection | None = None


def _fts_init(path: str) -> None:
    """In the index helper: open the staging file main made (an empty copy of the search
    table), bulk settings: no merging while loading, big in-memory term batches."""
    global _fts
    if hasattr(os, "nice"):
        os.nice(19)  # only the time the other two processes leave (see _Job.search_helper)
    _fts = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode=OFF", "synchronous=OFF", "cache_size=-65536",
                   "locking_mode=EXCLUSIVE"):
        _fts.execute(f"PRAGMA {pragma}")
    _fts.execute("BEGIN")
    for sql in _fts_bulk_settings():
        _fts.execute(sql)


def _fts_bulk_settings() -> list[str]:
    """FTS5 settings while the load fills the search index: no merging of its segments
    (automerge 0, and crisismerge at its maximum: the default 16 merged level-0 segments
    over and over, ~25% of the insert time at 1,000,000 orders), big in-memory term
    batches; one 'optimize' merges everything at the end (_fts_app_settings then)."""
    from hotline_tui.store.search import TABLE

    return [f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('{k}', {v})"
            for k, v in (("automerge", 0), ("crisismerge", 1999), ("hashsize", 33554432))]


def _fts_app_settings() -> list[str]:
    """The app's FTS5 settings back (the defaults)."""
    from hotline_tui.store.search import TABLE

    return [f"INSERT INTO {TABLE}({TABLE}, rank) VALUES ('{k}', {v})"
            for k, v in (("automerge", 4), ("crisismerge", 16), ("hashsize", 1048576))]


def _fts_add(rows: list[tuple]) -> int:
    from hotline_tui.store.search import TABLE

    assert _fts is not None
    rows.sort()  # FTS5 flushes its pending terms whenever a rowid goes down
    _fts.executemany(f"INSERT INTO {TABLE}(rowid, doc, st, u) VALUES (?, ?, ?, ?)", rows)
    return len(rows)


def _fts_done() -> None:
    """Merge into one segment, the app's settings back, commit and close."""
    from hotline_tui.store.search import TABLE

    global _fts
    assert _fts is not None
    _fts.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    for sql in _fts_app_settings():
        _fts.execute(sql)
    _fts.execute("COMMIT")
    _fts.close()
    _fts = None


class _SearchBuilder:
    """The search index of a large load, built by a helper process of its own in a staging
    file beside the database (the same FTS5 table), while the main process writes the
    orders; then copied in table by table (`copy_into`), which is plain B-tree copying.

    Why: filling FTS5 (tokenising ~100 tokens per order, merging the segments) is the
    largest single cost of the load; here it runs beside the main process's writes and the
    index builds instead of before them. The index is bit for bit what the same inserts
    into the main file would make. The main connection never opens the FTS5 table itself
    in the load (so no stale FTS5 state is cached): it empties and fills its shadow
    tables (`order_search_data`, `_idx`, `_config`), the tables FTS5 keeps everything in."""

    def __init__(self, path: str, db: sqlite3.Connection) -> None:
        from hotline_tui.store.search import TABLE

        self.path = path + FTS_STAGE_SUFFIX
        _remove(self.path)
        sql = db.execute("SELECT sql FROM sqlite_master WHERE name = ?", (TABLE,)).fetchone()[0]
        made = sqlite3.connect(self.path)
        made.execute(sql)
        made.close()
        self.shadow = [n for (n,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE ? ESCAPE '!' "
            "ORDER BY name", (TABLE + "!_%",))]
        import multiprocessing

        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_fts_init, initargs=(self.path,))
        self.pending: list[Future] = []

    def add(self, rows: list[tuple]) -> None:
        while len(self.pending) >= FTS_AHEAD:  # keep memory bounded if the helper lags
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(_fts_add, rows))

    def finish(self) -> None:
        """Ask for the merge (returns at once; `copy_into` waits for it)."""
        self.pending.append(self.pool.submit(_fts_done))

    def copy_into(self, db: sqlite3.Connection, schema: str) -> None:
        """Wait for the helper, then replace the main file's index with the staged one
        (`schema`: where the staging file is attached)."""
        for fut in self.pending:
            fut.result()
        self.pending.clear()
        self.pool.shutdown()
        for name in self.shadow:
            db.execute(f'DELETE FROM main."{name}"')
            db.execute(f'INSERT INTO main."{name}" SELECT * FROM {schema}."{name}"')

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)
        _remove(self.path)


# --------------------------------------------------------------------- SQLite, bulk

def _load_sqlite(path: str, job: _Job) -> tuple[int, int]:
    from hotline_tui.store.search import TABLE, register_functions

    db = sqlite3.connect(path, isolation_level=None, timeout=30)
    register_functions(db)
    n_hist = 0
    # History rows of a helper process go through a file of its own (its writes cost the
    # main process nothing; one INSERT ... SELECT at the end). Attached before the
    # transaction (ATTACH cannot happen inside one); read only once the helper is done.
    stage = path + "-demo-stage" if job.helpers() == 1 and HISTORY_STAGE else None
    _remove(stage)
    fts: _SearchBuilder | None = None
    try:
        mode = db.execute("PRAGMA main.journal_mode").fetchone()[0]
        try:  # a rollback journal costs nothing for new pages; WAL would write them twice
            db.execute("PRAGMA main.journal_mode=DELETE")
        except sqlite3.OperationalError:
            pass  # another connection is open: stay in WAL
        # a large page cache and memory-mapped reads: each index build below reads the
        # whole work_order table (~1.2 GB at a million orders)
        for pragma in ("synchronous=OFF", "foreign_keys=OFF", "cache_size=-262144",
                       "mmap_size=4294967296", "threads=2", "secure_delete=OFF",
                       "main.locking_mode=EXCLUSIVE"):
            db.execute(f"PRAGMA {pragma}")
        if job.search_helper():  # the search index in a helper process of its own
            fts = _SearchBuilder(path, db)
            db.execute("ATTACH DATABASE ? AS fts", (fts.path,))
        if stage is not None:  # its table exists before the ATTACH: the schema is known
            made = sqlite3.connect(stage)
            made.execute(f"CREATE TABLE {STAGE_TABLE} ({', '.join(HISTORY_COLUMNS)})")
            made.close()
            db.execute("ATTACH DATABASE ? AS stage", (stage,))
        # deferred: BEGIN IMMEDIATE would lock the staging file too, before the helper writes
        db.execute("BEGIN")
        job.tell("prepare", 0, 1)
        saved = _drop_secondary(db)
        _clear_demo(db, search=fts is None)
        unit_ids = _upsert_units(db, job.county)
        n_units = len(unit_ids)
        first_id = (db.execute("SELECT max(id) FROM work_order").fetchone()[0] or 0) + 1
        job.tell("prepare", 1, 1)
        if fts is None:
            for sql in _fts_bulk_settings():
                db.execute(sql)
        order_sql = _insert_sql("work_order", ORDER_COLUMNS)
        hist_sql = _insert_sql("order_history", HISTORY_COLUMNS)
        search_sql = f"INSERT INTO {TABLE}(rowid, doc, st, u) VALUES (?, ?, ?, ?)"
        done = 0
        job.tell("orders", 0, job.orders)
        stats = _Stats()
        owner_ids = _owner_pool_sqlite(db, unit_ids)
        made = job.chunks(unit_ids, first_id, stage, owner_ids, _replies_args(db, job, unit_ids))
        reply_sql = _insert_sql("reply", ("id", *REPLY_COLS))
        callback_sql = _insert_sql("callback", CALLBACK_COLUMNS)
        reply_id = (db.execute("SELECT max(id) FROM reply").fetchone()[0] or 0) + 1
        bands: list[tuple[int, int, int]] = []
        while True:
            with _Step("wait_chunk"):
                got = next(made, None)
            if got is None:
                break
            orders, search, hist, chunk_stats, (replies, callbacks) = got
            stats.add(chunk_stats)
            if fts is not None:
                fts.add(search)
            with _Step("orders"):
                db.executemany(order_sql, orders)
            if fts is None:
                with _Step("search"):
                    search.sort()  # FTS5 flushes its pending terms whenever a rowid goes down
                    db.executemany(search_sql, search)
            if isinstance(hist, int):
                n_hist += hist
            else:
                with _Step("history"):
                    db.executemany(hist_sql, hist)
                n_hist += len(hist)
            with _Step("replies"):
                rows = []
                for row, keys in replies:
                    rows.append((reply_id, *row))
                    bands.extend((key, reply_id, row[0]) for key in dict.fromkeys(keys))
                    reply_id += 1
                db.executemany(reply_sql, rows)
                db.executemany(callback_sql, callbacks)
            done += len(orders)
            job.tell("orders", done, job.orders)
        with _Step("replies"):  # the near-copy keys in key order (their primary key)
            bands.sort()
            db.executemany("INSERT INTO reply_band(band_key, reply_id, order_id) "
                           "VALUES (?, ?, ?)", bands)
            del bands
        if stage is not None and job.orders:  # the helper has finished and closed it
            cols = ", ".join(HISTORY_COLUMNS)
            with _Step("history_copy"):
                db.execute(f"INSERT INTO order_history({cols}) SELECT {cols} "
                           f"FROM stage.{STAGE_TABLE} ORDER BY rowid")
        db.executemany("UPDATE owner SET last_used_at = ? WHERE id = ?",
                       [(at, oid) for oid, at in sorted(stats.owner_last.items())])
        _write_settings(db, job)
        steps = len(saved) + 3
        job.tell("index", 0, steps)
        if fts is None:
            with _Step("search_optimize"):
                db.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
            for sql in _fts_app_settings():
                db.execute(sql)
        else:
            fts.finish()  # its merge runs while the indexes below are built
        job.tell("index", 1, steps)
        for i, sql in enumerate(saved, start=2):
            with _Step("indexes" if "INDEX" in sql[:30].upper() else "triggers"):
                db.execute(sql)
            job.tell("index", i, steps)
        if fts is not None:
            with _Step("search_copy"):  # waits for the index helper first
                fts.copy_into(db, "fts")
        from hotline_tui.services.triage import write_triage_stats_sqlite

        write_triage_stats_sqlite(db, stats.counts())
        _clear_metrics_cache(db)
        with _Step("analyze"):
            db.execute("PRAGMA analysis_limit=1000")
            db.execute("ANALYZE main")
        job.tell("index", steps - 1, steps)
        with _Step("commit"):
            db.execute("COMMIT")
        if stage is not None:
            db.execute("DETACH DATABASE stage")
        if fts is not None:
            db.execute("DETACH DATABASE fts")
        db.execute("PRAGMA main.locking_mode=NORMAL")
        if mode.lower() == "wal":
            with _Step("wal"):
                db.execute("PRAGMA main.journal_mode=WAL")
        job.tell("index", steps, steps)
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    finally:
        db.close()
        _remove(stage)
        if fts is not None:
            fts.close()
    return n_hist, n_units


CALLBACK_COLUMNS = ("order_id", "at", '"by"', "reached", "solved", "satisfaction", "remark")


def _replies_args(db: sqlite3.Connection, job: _Job, unit_ids: dict[int, int]) -> tuple:
    """ChunkReplies' arguments (but the county's raw description) for this load: the seed,
    the time, the clerk named in the settings (else the county's), the units' short names
    and the owners' names and phones by database id."""
    import json

    row = db.execute("SELECT value FROM setting WHERE key = 'clerk_name'").fetchone()
    clerk = json.loads(row[0]) if row else job.clerk
    units = {unit_ids[i]: (u["short_name"] or u["name"])
             for i, u in enumerate(job.county.units, start=1)}
    owners = {i: (n, p) for i, n, p in db.execute("SELECT id, name, phone FROM owner")}
    return job.seed, job.now, clerk, units, owners


METRICS_CACHE = ("metrics_cell", "metrics_month", "metrics_dirty")  # migration 0011


def _clear_metrics_cache(db: sqlite3.Connection) -> None:
    """Empty the dashboard's kept monthly counts (migration 0011), if the schema has them:
    they counted the orders just replaced, and the load writes with the triggers that
    mark changed cells dropped. An empty cache is counted afresh on the next read."""
    have = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    for table in METRICS_CACHE:
        if table in have:
            db.execute(f'DELETE FROM "{table}"')


def _clear_metrics_cache_engine(engine: Engine) -> None:
    from sqlalchemy import inspect

    have = set(inspect(engine).get_table_names())
    with engine.begin() as conn:
        for table in METRICS_CACHE:
            if table in have:
                conn.exec_driver_sql(f'DELETE FROM "{table}"')


def _remove(path: str | None) -> None:
    if path is None:
        return
    for suffix in ("", "-journal", "-wal", "-shm"):
        try:
            os.remove(path + suffix)
        except FileNotFoundError:
            pass


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (f"INSERT INTO {table}({', '.join(columns)}) "
            f"VALUES ({', '.join('?' * len(columns))})")


def _drop_secondary(db: sqlite3.Connection) -> list[str]:
    """Drop the search triggers and the secondary indexes of the tables the load writes;
    return the SQL that re-creates them (indexes first, triggers last)."""
    rows = db.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN "
        "('work_order', 'order_history', 'callback') AND type IN ('index', 'trigger') "
        "AND sql IS NOT NULL"
    ).fetchall()
    indexes = [(n, s) for t, n, s in rows if t == "index"]
    triggers = [(n, s) for t, n, s in rows if t == "trigger"]
    for name, _ in triggers:
        db.execute(f'DROP TRIGGER "{name}"')
    for name, _ in indexes:
        db.execute(f'DROP INDEX "{name}"')
    return [s for _, s in indexes] + [s for _, s in triggers]


def _referencing(db: sqlite3.Connection, table: str) -> list[tuple[str, str]]:
    """(table, column) pairs with a foreign key to `table`."""
    out = []
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql NOT LIKE 'CREATE VIRTUAL%'"
    ).fetchall():
        for fk in db.execute(f'PRAGMA foreign_key_list("{name}")').fetchall():
            if fk[2] == table:
                out.append((name, fk[3]))
    return out


def _clear_demo(db: sqlite3.Connection, *, search: bool = True) -> None:
    """Remove the demo orders, their history and rows other tables keep for them (the
    caller checked that no real order is there). The search triggers are dropped already;
    `search=False`: the search index is left to the caller (replaced as a whole)."""
    from hotline_tui.store.search import TABLE

    if db.execute("SELECT 1 FROM work_order LIMIT 1").fetchone() is None:
        return
    for table, column in _referencing(db, "work_order"):
        if table == "order_history":
            continue
        db.execute(f'DELETE FROM "{table}" WHERE "{column}" IS NOT NULL')
    db.execute("DELETE FROM order_history")
    db.execute("DELETE FROM work_order")
    if search:
        db.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('delete-all')")


def _upsert_units(db: sqlite3.Connection, county: County) -> dict[int, int]:
    """Insert or update the county's units by name; county unit number -> database id."""
    out: dict[int, int] = {}
    for row in unit_rows(county):
        have = db.execute("SELECT id FROM unit WHERE name = ?", (row["name"],)).fetchone()
        values = [row[c] for c in UNIT_COLUMNS[1:]]
        if have is None:
            cur = db.execute(_insert_sql("unit", UNIT_COLUMNS[1:]), values)
            out[row["id"]] = int(cur.lastrowid)
        else:
            sets = ", ".join(f"{c} = ?" for c in UNIT_COLUMNS[1:])
            db.execute(f"UPDATE unit SET {sets} WHERE id = ?", [*values, have[0]])
            out[row["id"]] = int(have[0])
    return out


OWNER_SEED = 12345  # services.owners.demo_owner_pool's default


def _owner_pool_sqlite(db: sqlite3.Connection, unit_ids: dict[int, int]) -> dict[int, list[int]]:
    """services.owners.demo_owner_pool on the load's raw connection, for every unit of the
    county (same draws, units in the same order): county unit number -> its first-contact
    owners' ids. Units that have owners already keep them."""
    import random

    from hotline_tui.services.owners import _demo_owner_rows

    rnd = random.Random(OWNER_SEED)
    stamp = clock.now().replace(microsecond=0).isoformat(sep=" ")
    cols = ("unit_id", "name", "phone", "post", "pinyin", "initials", "created_at",
            "updated_at", "last_used_at")
    pool: dict[int, list[int]] = {}
    for uid in sorted(set(unit_ids.values())):
        ids = [i for (i,) in db.execute("SELECT id FROM owner WHERE unit_id = ? ORDER BY id",
                                        (uid,))]
        if not ids:
            rows = _demo_owner_rows(uid, [], rnd, (2, 6), stamp)  # type: ignore[arg-type]
            db.executemany(_insert_sql("owner", cols),
                           [tuple(r[c] for c in cols) for r in rows.values()])
            ids = [i for (i,) in db.execute(
                "SELECT id FROM owner WHERE unit_id = ? ORDER BY id", (uid,))]
        pool[uid] = ids
    return {num: pool[db_id] for num, db_id in unit_ids.items()}


def _write_settings(db: sqlite3.Connection, job: _Job) -> None:
    import json

    db.execute("INSERT OR IGNORE INTO setting(key, value) VALUES ('clerk_name', ?)",
               (json.dumps(job.clerk, ensure_ascii=False),))
    info = {"orders": job.orders, "seed": job.seed, "generated_at": job.now.isoformat(sep=" ")}
    db.execute("INSERT OR REPLACE INTO setting(key, value) VALUES ('demo', ?)",
               (json.dumps(info, ensure_ascii=False),))


# ------------------------------------------------------------ other databases, Core

def _load_core(engine: Engine, job: _Job) -> tuple[int, int]:
    """The portable path: SQLAlchemy Core, one transaction, same rows."""
    from sqlalchemy import delete, insert, select, update

    from hotline_tui.store.models import OrderHistory, Setting, Unit, WorkOrder

    wo, oh, un, st = (WorkOrder.__table__, OrderHistory.__table__, Unit.__table__,
                      Setting.__table__)
    n_hist = 0
    with engine.begin() as conn:
        job.tell("prepare", 0, 1)
        for table in _referencing_tables(wo):
            conn.execute(delete(table))
        restore_guard = _lift_history_guard(conn)  # the append-only triggers (0008)
        conn.execute(delete(oh))
        restore_guard()
        conn.execute(delete(wo))
        unit_ids: dict[int, int] = {}
        for row in unit_rows(job.county):
            values = {c: row[c] for c in UNIT_COLUMNS[1:]}
            have = conn.execute(select(un.c.id).where(un.c.name == row["name"])).scalar()
            if have is None:
                have = conn.execute(insert(un).values(**values)).inserted_primary_key[0]
            else:
                conn.execute(update(un).where(un.c.id == have).values(**values))
            unit_ids[row["id"]] = int(have)
        first_id = int(conn.execute(select(wo.c.id).order_by(wo.c.id.desc())).scalar() or 0) + 1
        from hotline_tui.services.owners import demo_owner_pool

        pool = demo_owner_pool(conn, sorted(unit_ids.values()), seed=OWNER_SEED)
        owner_ids = {num: pool[db_id] for num, db_id in unit_ids.items()}
        from hotline_tui.store.models_owner import Owner
        from hotline_tui.store.models_reply import Callback, Reply, ReplyBand

        ow, rp, rb, cb = (Owner.__table__, Reply.__table__, ReplyBand.__table__,
                          Callback.__table__)
        import json

        clerk = conn.execute(select(st.c.value).where(st.c.key == "clerk_name")).scalar()
        units = {unit_ids[i]: (u["short_name"] or u["name"])
                 for i, u in enumerate(job.county.units, start=1)}
        owners = {i: (n, p) for i, n, p in conn.execute(select(ow.c.id, ow.c.name, ow.c.phone))}
        replies_args = (job.seed, job.now, json.loads(clerk) if clerk else job.clerk, units,
                        owners)
        reply_id = int(conn.execute(select(rp.c.id).order_by(rp.c.id.desc())).scalar() or 0) + 1
        bands: list[dict[str, int]] = []
        job.tell("prepare", 1, 1)
        done = 0
        job.tell("orders", 0, job.orders)
        stats = _Stats()
        for orders, _search, hist, chunk_stats, (replies, callbacks) in job.chunks(
                unit_ids, first_id, owner_ids=owner_ids, replies=replies_args):
            stats.add(chunk_stats)
            conn.execute(insert(wo), [_core_row(ORDER_COLUMNS, r) for r in orders])
            conn.execute(insert(oh), [_core_row(HISTORY_COLUMNS, r) for r in hist])
            rows = []
            for row, keys in replies:
                rows.append(_core_row(("id", *REPLY_COLS), (reply_id, *row)))
                bands.extend({"band_key": k, "reply_id": reply_id, "order_id": row[0]}
                             for k in dict.fromkeys(keys))
                reply_id += 1
            if rows:
                conn.execute(insert(rp), rows)
            if callbacks:
                conn.execute(insert(cb), [_core_row(CALLBACK_FIELDS, r) for r in callbacks])
            done += len(orders)
            n_hist += len(hist)
            job.tell("orders", done, job.orders)
        bands.sort(key=lambda b: (b["band_key"], b["reply_id"]))
        for i in range(0, len(bands), 5000):
            conn.execute(insert(rb), bands[i:i + 5000])
        for oid, at in sorted(stats.owner_last.items()):
            conn.execute(update(ow).where(ow.c.id == oid)
                         .values(last_used_at=datetime.fromisoformat(at)))
        if conn.execute(select(st.c.key).where(st.c.key == "clerk_name")).first() is None:
            conn.execute(insert(st).values(key="clerk_name",
                                           value=json.dumps(job.clerk, ensure_ascii=False)))
        conn.execute(delete(st).where(st.c.key == "demo"))
        info = {"orders": job.orders, "seed": job.seed, "generated_at": job.now.isoformat(sep=" ")}
        conn.execute(insert(st).values(key="demo", value=json.dumps(info, ensure_ascii=False)))
        from hotline_tui.store.models_triage import TriageStat

        ts = TriageStat.__table__
        conn.execute(delete(ts))
        rows = [{"feature": f, "area": a, "unit_id": u, "n": n}
                for (f, a, u), n in stats.counts().items()]
        for i in range(0, len(rows), 5000):
            conn.execute(insert(ts), rows[i:i + 5000])
        from hotline_tui.store.sequences import reset_sequences

        reset_sequences(conn)  # the orders went in with their ids: PostgreSQL's counter moves on
    return n_hist, len(unit_ids)


def _lift_history_guard(conn):  # noqa: ANN001, ANN202 - a Connection; returns a callable
    """Let the demo clear its own history inside its transaction: the append-only triggers
    are dropped (SQLite) or disabled (PostgreSQL); the callable returned puts them back."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE order_history DISABLE TRIGGER USER")
        return lambda: conn.exec_driver_sql("ALTER TABLE order_history ENABLE TRIGGER USER")
    saved = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
        "AND tbl_name = 'order_history' AND sql IS NOT NULL").all()
    for name, _sql in saved:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')

    def put_back() -> None:
        for _name, sql in saved:
            conn.exec_driver_sql(sql)

    return put_back


def _referencing_tables(table) -> list:  # noqa: ANN001 - a sqlalchemy Table
    from hotline_tui.store.models import OrderHistory, SQLModel

    out = []
    for t in SQLModel.metadata.sorted_tables:
        if t is OrderHistory.__table__:
            continue
        if any(fk.column.table is table for fk in t.foreign_keys):
            out.append(t)
    return out


CALLBACK_FIELDS = ("order_id", "at", "by", "reached", "solved", "satisfaction", "remark")
_CORE_TIMES = TIME_COLUMNS | {"at", "reviewed_at", "decided_at"}


def _core_row(columns: tuple[str, ...], row: tuple) -> dict[str, Any]:
    out = {}
    for c, v in zip(columns, row, strict=True):
        if c in _CORE_TIMES:
            v = datetime.fromisoformat(v) if v is not None else None
        out[c] = v
    return out
