"""The order state machine: allowed and refused transitions, table-driven."""

import pytest

from hotline_tui.domain.states import Event, Status, TransitionError, allowed_events, next_status

S, E = Status, Event


@pytest.mark.parametrize(
    ("status", "event", "expected"),
    [
        (None, E.CREATE, S.NEW),
        (S.NEW, E.TRIAGE, S.TRIAGED),
        (S.TRIAGED, E.DISPATCH, S.DISPATCHED),
        (S.DISPATCHED, E.SIGN, S.SIGNED),
        (S.SIGNED, E.REPLY, S.REPLIED),
        (S.REPLIED, E.ACCEPT, S.CLOSED),
        (S.REPLIED, E.SEND_BACK, S.REWORK),
        (S.REWORK, E.REPLY, S.REPLIED),
        (S.NEW, E.DIRECT_ANSWER, S.CLOSED),
        (S.DISPATCHED, E.UNIT_RETURN, S.NEW),
        (S.CLOSED, E.REOPEN, S.REWORK),
        (S.SIGNED, E.CHASE, S.SIGNED),
        (S.SIGNED, E.MERGE, S.MERGED),
        (S.MEETING, E.MEETING_OUTCOME, S.TRIAGED),
        (S.CLOSED, E.EXPORT, S.CLOSED),
        (S.CLOSED, E.CALLBACK, S.CLOSED),
    ],
)
def test_allowed(status, event, expected):
    assert next_status(status, event) == expected


@pytest.mark.parametrize(
    ("status", "event"),
    [
        (S.NEW, E.DISPATCH),
        (S.NEW, E.SIGN),
        (S.CLOSED, E.REPLY),
        (S.CLOSED, E.CHASE),
        (S.NEW, E.EXTEND),
        (S.MERGED, E.TRIAGE),
        (None, E.TRIAGE),
        (S.NEW, E.CREATE),
        (S.REPLIED, E.CALLBACK),
    ],
)
def test_refused(status, event):
    with pytest.raises(TransitionError):
        next_status(status, event)


def test_allowed_events_lists_both_kinds():
    evs = allowed_events(S.SIGNED)
    assert E.REPLY in evs and E.CHASE in evs and E.DISPATCH not in evs
