"""What the review chain does when another package announces or asks something (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.applications.models import Application, ApplicationState
from portal.db import session_of
from portal.refusals import Refusal
from portal.review import chain, service
from portal.review.completion import open_request
from portal.roles import Role


def subscribe() -> None:
    signals.packet_submitted.connect(_place_in_chain)
    signals.packet_readers.connect(_reviewer_reads, sender=Role.CHANNEL_REVIEWER)
    signals.packet_move.connect(_stage_refusal)
    signals.packet_move.connect(_completion_refusal)
    for role in (Role.CHANNEL_REVIEWER, Role.OFFICE):
        signals.home_work.connect(_queue_home, sender=role)


def _queue_home(_role, *, user, session, campaign, **_) -> dict | None:
    """The reviewer's queue, or the office's formal check, counted by the list's query."""
    if campaign is None:
        return None
    return {"review": service.home_summary(session, user, campaign)}


def _place_in_chain(app, *, session, completing: bool = False, **_) -> None:
    if not completing:  # a completed packet goes back to the formal check, not the chain
        chain.enter_chain(session, app)


def _reviewer_reads(_role, *, user, **_):
    return chain.reviewer_sees_sql(user.organization)


def _stage_refusal(app: Application, *, current, target, actor, **_) -> Refusal | None:
    """A channel reviewer decides only for the routed organization of the packet's current
    stage, once per version, and approves for ranking only at the last channel position."""
    if actor.role is not Role.CHANNEL_REVIEWER or current is not ApplicationState.SUBMITTED:
        return None
    session = session_of(app)
    problem = chain.stage_problem(session, app, actor.organization)
    if problem is not None:
        return problem
    if target is ApplicationState.CHANNEL_APPROVED and not chain.is_last_position(session, app):
        return Refusal("review.not_last_stage")
    return None


def _completion_refusal(app: Application, *, current, target, now, **_) -> Refusal | None:
    """A packet returned for completion is resubmitted before its due date; only after it may
    the office reject it for not being completed (review/completion.py)."""
    if current is not ApplicationState.INCOMPLETE:
        return None
    request = open_request(session_of(app), app)
    overdue = request is not None and now >= request.due_at
    due = {"when": request.due_at if request is not None else None}
    if target is ApplicationState.RECOMMENDED and overdue:
        return Refusal("review.completion_overdue", due)
    if target is ApplicationState.REJECTED and not overdue:
        return Refusal("review.completion_pending", due)
    return None
