"""Monthly figures kept between reads (store/metrics_cache.py): per month and unit the counts
that do not depend on the time of reading (dispatch, intake and repeat cohorts, callbacks,
the deadline cohort of a month that has ended, the sign-for counts once every limit of the
month has passed), and a list of the (month, unit) cells
that changed since they were counted. Triggers fill that list from the old and the new
values of every row that feeds a count, whatever program writes, so a cell is never served
stale; the next read recounts just the changed cells (one unit's range of a covering index).

Replaces ix_order_phone (caller_phone) by (caller_phone, received_at): the repeat check
("the same phone in the 90 days before") then reads the index alone (900 -> 430 ms a month).
Also drops ix_order_unit_dispatched (unit_id, dispatched_at, signed_at): it is the prefix of
the covering ix_order_metrics_dispatch (0010), and with both present SQLite's planner, on
sampled statistics, took the narrow one for the month's counts and read every table row
(61 ms -> 450 ms at 1,000,000 orders).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

from hotline_tui.store.types import LocalDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

REPEAT_DAYS = 90  # as domain/metrics.REPEAT_DAYS at this revision
MIN_PHONE = 7  # as store/metrics_query.MIN_PHONE_DIGITS

COUNTS = ("dispatched", "closed", "closed_on_time", "replied", "reworked", "signed_any",
          "received", "direct", "repeats", "callbacks", "satisfied", "due", "overdue",
          "signed", "signed_on_time")

# the columns of work_order whose change can change a count
WATCHED = ("unit_id", "received_at", "dispatched_at", "due_at", "status", "replied_at",
           "rework_count", "signed_at")

# ---- SQLite ----------------------------------------------------------------------------------
# A dirty cell carries `what`, bits of the dearer counts the change can alter: 1 repeat
# complaints (an order added, removed, moved in time or to another unit, its phone changed,
# a merge), 2 callbacks (a callback written, its order moved to another unit); a reply or a
# closing recounts only the cheap cohorts.
REP, CB = 1, 2

_UPSERT = ("ON CONFLICT (month, unit_key) DO UPDATE SET "
           "what = metrics_dirty.what | excluded.what")


def _sqlite_insert(select_sql: str) -> str:
    # "WHERE true": SQLite's parser needs it between INSERT ... SELECT and ON CONFLICT
    return (f"INSERT INTO metrics_dirty (month, unit_key, what) "
            f"SELECT * FROM ({select_sql}) WHERE true {_UPSERT};")


def _sqlite_mark(row: str, repeats: int) -> str:
    """The (month, unit) cells one version of an order counts in (dispatch, intake, due)."""
    u = f"coalesce({row}.unit_id, 0)"
    cells = " UNION ALL ".join(
        f"SELECT substr({row}.{col}, 1, 7) AS m, {u} AS u, {rep} AS r"
        for col, rep in (("dispatched_at", 0), ("received_at", repeats), ("due_at", 0)))
    return _sqlite_insert(f"SELECT m, u, r FROM ({cells}) WHERE m IS NOT NULL")


def _sqlite_later_same_phone(row: str) -> str:
    """Orders whose repeat status depends on this one: the same phone, received in the
    REPEAT_DAYS after it."""
    return _sqlite_insert(
        f"SELECT DISTINCT substr(p.received_at, 1, 7), coalesce(p.unit_id, 0), {REP} "
        f"FROM work_order p WHERE length({row}.caller_phone) >= {MIN_PHONE} "
        f"AND p.caller_phone = {row}.caller_phone AND p.received_at > {row}.received_at "
        f"AND p.received_at <= datetime({row}.received_at, '+{REPEAT_DAYS} days')")


def _sqlite_callbacks_of(row: str) -> str:
    return _sqlite_insert(
        f"SELECT DISTINCT substr(c.at, 1, 7), coalesce({row}.unit_id, 0), {CB} FROM callback c "
        f"WHERE c.order_id = {row}.id")


def _sqlite_order_cell(order_id: str) -> str:
    return _sqlite_insert(
        f"SELECT substr(o.received_at, 1, 7), coalesce(o.unit_id, 0), {REP} FROM work_order o "
        f"WHERE o.id = {order_id}")


def _sqlite_callback_cell(row: str) -> str:
    return _sqlite_insert(
        f"SELECT substr({row}.at, 1, 7), coalesce(o.unit_id, 0), {CB} FROM work_order o "
        f"WHERE o.id = {row}.order_id")


_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in WATCHED)
_moved = ("OLD.unit_id IS NOT NEW.unit_id OR OLD.received_at IS NOT NEW.received_at "
          "OR OLD.caller_phone IS NOT NEW.caller_phone")

SQLITE_UP = [
    f"""CREATE TRIGGER work_order_metrics_ai AFTER INSERT ON work_order BEGIN
    {_sqlite_mark("NEW", REP)} {_sqlite_later_same_phone("NEW")} END""",
    f"""CREATE TRIGGER work_order_metrics_ad AFTER DELETE ON work_order BEGIN
    {_sqlite_mark("OLD", REP)} {_sqlite_later_same_phone("OLD")} END""",
    f"""CREATE TRIGGER work_order_metrics_au AFTER UPDATE ON work_order WHEN {_changed} BEGIN
    {_sqlite_mark("OLD", 0)} {_sqlite_mark("NEW", 0)} END""",
    """CREATE TRIGGER work_order_metrics_au_unit AFTER UPDATE OF unit_id ON work_order
    WHEN OLD.unit_id IS NOT NEW.unit_id BEGIN """
    f"""{_sqlite_callbacks_of("OLD")} {_sqlite_callbacks_of("NEW")} END""",
    f"""CREATE TRIGGER work_order_metrics_au_moved AFTER UPDATE OF unit_id, caller_phone,
    received_at ON work_order WHEN {_moved} BEGIN
    {_sqlite_mark("OLD", REP)} {_sqlite_mark("NEW", REP)} {_sqlite_later_same_phone("OLD")}
    {_sqlite_later_same_phone("NEW")} END""",
    f"""CREATE TRIGGER order_merge_metrics_ai AFTER INSERT ON order_merge BEGIN
    {_sqlite_order_cell("NEW.order_id")} END""",
    f"""CREATE TRIGGER order_merge_metrics_ad AFTER DELETE ON order_merge BEGIN
    {_sqlite_order_cell("OLD.order_id")} END""",
    f"""CREATE TRIGGER callback_metrics_ai AFTER INSERT ON callback BEGIN
    {_sqlite_callback_cell("NEW")} END""",
    f"""CREATE TRIGGER callback_metrics_ad AFTER DELETE ON callback BEGIN
    {_sqlite_callback_cell("OLD")} END""",
    f"""CREATE TRIGGER callback_metrics_au AFTER UPDATE ON callback BEGIN
    {_sqlite_callback_cell("OLD")} {_sqlite_callback_cell("NEW")} END""",
]

SQLITE_TRIGGERS = ("work_order_metrics_ai", "work_order_metrics_ad", "work_order_metrics_au",
                   "work_order_metrics_au_unit", "work_order_metrics_au_moved",
                   "order_merge_metrics_ai", "order_merge_metrics_ad", "callback_metrics_ai",
                   "callback_metrics_ad", "callback_metrics_au")

# ---- PostgreSQL ------------------------------------------------------------------------------

_PG_MARK = """CREATE OR REPLACE FUNCTION metrics_mark(t timestamp, u integer, what integer)
RETURNS void AS $$
BEGIN
  IF t IS NOT NULL THEN
    INSERT INTO metrics_dirty (month, unit_key, what)
    VALUES (to_char(t, 'YYYY-MM'), coalesce(u, 0), what)
    ON CONFLICT (month, unit_key) DO UPDATE SET what = metrics_dirty.what | excluded.what;
  END IF;
END; $$ LANGUAGE plpgsql"""

_PG_PHONE = f"""CREATE OR REPLACE FUNCTION metrics_mark_phone(ph text, t timestamp)
RETURNS void AS $$
BEGIN
  IF length(ph) >= {MIN_PHONE} THEN
    PERFORM metrics_mark(p.received_at, p.unit_id, {REP})
    FROM work_order p WHERE p.caller_phone = ph AND p.received_at > t
    AND p.received_at <= t + interval '{REPEAT_DAYS} days';
  END IF;
END; $$ LANGUAGE plpgsql"""

_PG_ORDER_ROW = """CREATE OR REPLACE FUNCTION metrics_order_row(r work_order, rep integer)
RETURNS void AS $$
BEGIN
  PERFORM metrics_mark(r.dispatched_at, r.unit_id, 0);
  PERFORM metrics_mark(r.received_at, r.unit_id, rep);
  PERFORM metrics_mark(r.due_at, r.unit_id, 0);
END; $$ LANGUAGE plpgsql"""

_pg_changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in WATCHED)
_pg_moved = ("OLD.unit_id IS DISTINCT FROM NEW.unit_id "
             "OR OLD.received_at IS DISTINCT FROM NEW.received_at "
             "OR OLD.caller_phone IS DISTINCT FROM NEW.caller_phone")

_PG_ORDER = f"""CREATE OR REPLACE FUNCTION work_order_metrics() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM metrics_order_row(NEW, {REP});
    PERFORM metrics_mark_phone(NEW.caller_phone, NEW.received_at);
    RETURN NULL;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM metrics_order_row(OLD, {REP});
    PERFORM metrics_mark_phone(OLD.caller_phone, OLD.received_at);
    RETURN NULL;
  END IF;
  IF {_pg_moved} THEN
    PERFORM metrics_order_row(OLD, {REP});
    PERFORM metrics_order_row(NEW, {REP});
    PERFORM metrics_mark_phone(OLD.caller_phone, OLD.received_at);
    PERFORM metrics_mark_phone(NEW.caller_phone, NEW.received_at);
  ELSIF {_pg_changed} THEN
    PERFORM metrics_order_row(OLD, 0);
    PERFORM metrics_order_row(NEW, 0);
  END IF;
  IF OLD.unit_id IS DISTINCT FROM NEW.unit_id THEN
    PERFORM metrics_mark(c.at, OLD.unit_id, {CB}) FROM callback c WHERE c.order_id = OLD.id;
    PERFORM metrics_mark(c.at, NEW.unit_id, {CB}) FROM callback c WHERE c.order_id = NEW.id;
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql"""

_PG_MERGE = f"""CREATE OR REPLACE FUNCTION order_merge_metrics() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM metrics_mark(o.received_at, o.unit_id, {REP}) FROM work_order o
    WHERE o.id = OLD.order_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM metrics_mark(o.received_at, o.unit_id, {REP}) FROM work_order o
    WHERE o.id = NEW.order_id;
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql"""

_PG_CALLBACK = f"""CREATE OR REPLACE FUNCTION callback_metrics() RETURNS trigger AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM metrics_mark(OLD.at, o.unit_id, {CB}) FROM work_order o WHERE o.id = OLD.order_id;
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM metrics_mark(NEW.at, o.unit_id, {CB}) FROM work_order o WHERE o.id = NEW.order_id;
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql"""

POSTGRES_UP = [
    _PG_MARK, _PG_PHONE, _PG_ORDER_ROW, _PG_ORDER, _PG_MERGE, _PG_CALLBACK,
    """CREATE TRIGGER work_order_metrics AFTER INSERT OR UPDATE OR DELETE ON work_order
    FOR EACH ROW EXECUTE FUNCTION work_order_metrics()""",
    """CREATE TRIGGER order_merge_metrics AFTER INSERT OR UPDATE OR DELETE ON order_merge
    FOR EACH ROW EXECUTE FUNCTION order_merge_metrics()""",
    """CREATE TRIGGER callback_metrics AFTER INSERT OR UPDATE OR DELETE ON callback
    FOR EACH ROW EXECUTE FUNCTION callback_metrics()""",
]

PG_FUNCTIONS = ("work_order_metrics()", "order_merge_metrics()", "callback_metrics()",
                "metrics_order_row(work_order, integer)",
                "metrics_mark_phone(text, timestamp)", "metrics_mark(timestamp, integer, integer)")


def upgrade() -> None:
    op.create_table(
        "metrics_cell",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("unit_key", sa.Integer, primary_key=True),
        *[sa.Column(c, sa.Integer, nullable=False, server_default="0") for c in COUNTS],
    )
    op.create_table(
        "metrics_month",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("due_final", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("repeats_done", sa.Boolean, nullable=False, server_default=sa.false()),
        # sign-for counts kept once every limit of the month has passed: the limits they
        # were counted with (a digest of the day table) and the time of that count
        sa.Column("sign_key", sa.String(64), nullable=True),
        sa.Column("sign_as_of", LocalDateTime, nullable=True),
    )
    op.create_table(
        "metrics_dirty",
        sa.Column("month", sa.String(7), primary_key=True),
        sa.Column("unit_key", sa.Integer, primary_key=True),
        sa.Column("what", sa.Integer, nullable=False, server_default="0"),
    )
    op.drop_index("ix_order_unit_dispatched", "work_order")
    # the phone index gains the time: a repeat check reads the index alone
    op.drop_index("ix_order_phone", "work_order")
    op.create_index("ix_order_phone_received", "work_order", ["caller_phone", "received_at"])
    dialect = op.get_bind().dialect.name
    for sql in POSTGRES_UP if dialect == "postgresql" else SQLITE_UP:
        op.execute(sql)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in ("work_order", "order_merge", "callback"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_metrics ON {table}")
        for fn in PG_FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    else:
        for name in SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("metrics_dirty", "metrics_month", "metrics_cell"):
        op.drop_table(table)
    op.drop_index("ix_order_phone_received", "work_order")
    op.create_index("ix_order_phone", "work_order", ["caller_phone"])
    op.create_index("ix_order_unit_dispatched", "work_order",
                    ["unit_id", "dispatched_at", "signed_at"])
