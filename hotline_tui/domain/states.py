"""The one state machine of a work order: states, events and the allowed transitions."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"  # 待分拣
    TRIAGED = "triaged"  # 已分拣
    DISPATCHED = "dispatched"  # 已交办
    SIGNED = "signed"  # 已签收
    REPLIED = "replied"  # 已反馈
    REWORK = "rework"  # 退回重办
    CLOSED = "closed"  # 已办结
    MERGED = "merged"  # 已并单
    MEETING = "meeting"  # 待联席会议


OPEN_STATUSES: frozenset[Status] = frozenset(
    {Status.NEW, Status.TRIAGED, Status.DISPATCHED, Status.SIGNED, Status.REPLIED,
     Status.REWORK, Status.MEETING}
)
# States in which a unit owes the office a reply: the deadline runs.
RUNNING_STATUSES: frozenset[Status] = frozenset({Status.DISPATCHED, Status.SIGNED, Status.REWORK})


class Event(StrEnum):
    CREATE = "create"  # import or entry by hand
    UPDATE = "update"  # fields changed (re-import, edit); no change of state
    RENUMBER = "renumber"  # a local order gets its platform number
    TRIAGE = "triage"  # unit + tier + type set
    RETRIAGE = "retriage"  # triage changed before dispatch
    DIRECT_ANSWER = "direct_answer"  # 直办 from the knowledge base
    DISPATCH = "dispatch"  # 交办
    UNIT_RETURN = "unit_return"  # 退单: "not ours", back to triage
    SIGN = "sign"  # 签收: first-contact owner recorded
    CHANGE_OWNER = "change_owner"
    REPLY = "reply"  # 反馈 taken in
    ACCEPT = "accept"  # review ok, 办结
    SEND_BACK = "send_back"  # 退回重办
    REOPEN = "reopen"  # unsatisfied callback
    CALLBACK = "callback"  # 回访 recorded (no change of state)
    CHASE = "chase"  # 催办 (no change of state)
    EXTEND = "extend"  # 延期 (no change of state)
    SPONSOR = "sponsor"  # 包联督办 (no change of state)
    MERGE = "merge"  # 并单: this order joins another
    TO_MEETING = "to_meeting"  # 联席会议 agenda
    MEETING_OUTCOME = "meeting_outcome"  # back to dispatch with lead unit
    EXPORT = "export"  # personal data left the office on a sheet or file
    VIEW_CONFIDENTIAL = "view_confidential"
    NOTE = "note"


class TransitionError(ValueError):
    """An event that is not allowed in the order's current state."""

    def __init__(self, status: Status | None, event: Event) -> None:
        self.status = status
        self.event = event
        super().__init__(f"event {event.value!r} is not allowed in state {status!r}")


_S, _E = Status, Event
TRANSITIONS: dict[tuple[Status | None, Event], Status] = {
    (None, _E.CREATE): _S.NEW,
    (_S.NEW, _E.TRIAGE): _S.TRIAGED,
    (_S.TRIAGED, _E.RETRIAGE): _S.TRIAGED,
    (_S.TRIAGED, _E.TRIAGE): _S.TRIAGED,
    (_S.NEW, _E.DIRECT_ANSWER): _S.CLOSED,
    (_S.TRIAGED, _E.DIRECT_ANSWER): _S.CLOSED,
    (_S.TRIAGED, _E.DISPATCH): _S.DISPATCHED,
    (_S.DISPATCHED, _E.UNIT_RETURN): _S.NEW,
    (_S.SIGNED, _E.UNIT_RETURN): _S.NEW,
    (_S.DISPATCHED, _E.SIGN): _S.SIGNED,
    (_S.SIGNED, _E.CHANGE_OWNER): _S.SIGNED,
    (_S.REWORK, _E.CHANGE_OWNER): _S.REWORK,
    (_S.REPLIED, _E.CHANGE_OWNER): _S.REPLIED,
    (_S.DISPATCHED, _E.REPLY): _S.REPLIED,
    (_S.SIGNED, _E.REPLY): _S.REPLIED,
    (_S.REWORK, _E.REPLY): _S.REPLIED,
    (_S.REPLIED, _E.REPLY): _S.REPLIED,
    (_S.REPLIED, _E.ACCEPT): _S.CLOSED,
    (_S.REPLIED, _E.SEND_BACK): _S.REWORK,
    (_S.CLOSED, _E.REOPEN): _S.REWORK,
    (_S.NEW, _E.TO_MEETING): _S.MEETING,
    (_S.TRIAGED, _E.TO_MEETING): _S.MEETING,
    (_S.DISPATCHED, _E.TO_MEETING): _S.MEETING,
    (_S.SIGNED, _E.TO_MEETING): _S.MEETING,
    (_S.MEETING, _E.MEETING_OUTCOME): _S.TRIAGED,
    # a sent-back order whose responsibility is disputed also goes to the joint meeting
    (_S.REWORK, _E.TO_MEETING): _S.MEETING,
    # merged repeats (并单) close with their main order (services/merge.close_merged_with)
    (_S.MERGED, _E.ACCEPT): _S.CLOSED,
}
for _st in OPEN_STATUSES:
    TRANSITIONS[(_st, _E.MERGE)] = _S.MERGED

# Events that never change the state; allowed in any existing state listed.
STATELESS_EVENTS: dict[Event, frozenset[Status]] = {
    _E.UPDATE: frozenset(Status),
    _E.RENUMBER: frozenset(Status),
    _E.NOTE: frozenset(Status),
    _E.EXPORT: frozenset(Status),
    _E.VIEW_CONFIDENTIAL: frozenset(Status),
    _E.CHASE: RUNNING_STATUSES | {Status.REPLIED, Status.MEETING},
    _E.EXTEND: RUNNING_STATUSES,
    _E.SPONSOR: OPEN_STATUSES,
    _E.CALLBACK: frozenset({Status.CLOSED}),
}


def next_status(status: Status | None, event: Event) -> Status:
    """The state after `event` in `status`, or TransitionError."""
    status = Status(status) if status is not None else None
    event = Event(event)
    if event in STATELESS_EVENTS:
        if status is not None and status in STATELESS_EVENTS[event]:
            return status
        raise TransitionError(status, event)
    try:
        return TRANSITIONS[(status, event)]
    except KeyError:
        raise TransitionError(status, event) from None


def allowed_events(status: Status) -> list[Event]:
    """Every event that may be applied in `status` (for menus and key hints)."""
    out = [e for (s, e) in TRANSITIONS if s == status]
    out += [e for e, states in STATELESS_EVENTS.items() if status in states]
    return sorted(set(out), key=list(Event).index)
