"""The covering indexes the monthly figures read (store/metrics_query.py, migration 0010):
per unit, one range of a time column, every column the count needs inside the index, so a
month of a million-order database is counted without reading the table and the rows arrive
grouped by unit (no sort)."""

from __future__ import annotations

from sqlalchemy import Index, text

from hotline_tui.store.models import OrderHistory, WorkOrder

DUE_WHERE = "due_at IS NOT NULL"
REWORK_WHERE = "event IN ('send_back', 'reopen')"

_o = WorkOrder.__table__.c
# the dispatch cohort: dispatched, signed (on time), closed (on time), replied, sent back
Index("ix_order_metrics_dispatch", _o.unit_id, _o.dispatched_at, _o.signed_at, _o.status,
      _o.replied_at, _o.due_at, _o.rework_count)
# the intake cohort: received, answered directly, repeat complaints (the phone rides along)
Index("ix_order_metrics_received", _o.unit_id, _o.received_at, _o.status, _o.dispatched_at,
      _o.caller_phone)
# the deadline cohort: overdue
Index("ix_order_metrics_due", _o.unit_id, _o.due_at, _o.status, _o.replied_at,
      sqlite_where=text(DUE_WHERE), postgresql_where=text(DUE_WHERE))
# orders sent back (退回重办) or reopened in a period, with the reasons: the office's statement
Index("ix_history_rework_at", OrderHistory.__table__.c.at,
      sqlite_where=text(REWORK_WHERE), postgresql_where=text(REWORK_WHERE))
