"""The application's life: every state and every allowed move, with who may make it.

This table is the only place a packet's state changes. Services call fire(); pages, the API,
the audit trail and the tests read APPLICATION_WORKFLOW. Each domain adds its checks as
guards below (organization, stage, deadline); a guard returns a message key or None.

    draft ─submit─▶ submitted ─forward─▶ submitted (next channel stage) … ─▶ channel_approved
    submitted/channel_approved ─return─▶ returned ─resubmit─▶ submitted
    submitted/channel_approved ─not recommend─▶ not_recommended
    channel_approved ─recommend─▶ recommended ─accept─▶ accepted / ─reject─▶ rejected
    recommended ─return for completion─▶ incomplete ─resubmit─▶ recommended (the formal check)
    incomplete ─reject─▶ rejected   (only once the completion's due date has passed)
    accepted ─shortlist─▶ candidate / ─leave out─▶ not_selected   (ranking; reopen goes back)
    candidate ─disqualify─▶ disqualified (upheld objection) / ─award─▶ awarded
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from sqlalchemy.orm import Session, object_session

from portal.applications import rules
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign
from portal.db import utcnow
from portal.roles import Role
from portal.workflow import StaleState, TransitionRefused, Workflow, allow

S = ApplicationState


# The workflow's guards have no clock argument; submit_application(now=...) sets this so that
# the guard and the caller agree on the instant the deadline is compared with.
_now: ContextVar[datetime | None] = ContextVar("application_now", default=None)


@contextmanager
def _clock(now: datetime | None):
    token = _now.set(now)
    try:
        yield
    finally:
        _now.reset(token)


def _current_time() -> datetime:
    return _now.get() or utcnow()


def deadline_passed(campaign: Campaign, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= campaign.application_deadline


def _guard_own_packet(app: Application, _current, _target, actor) -> str | None:
    if actor.role is Role.ENTERPRISE and actor.organization_id != app.organization_id:
        return "not_own"
    return None


def _guard_channel(app: Application, _current, _target, actor) -> str | None:
    if actor.role is Role.CHANNEL_REVIEWER and not rules.in_reviewer_channel(actor, app):
        return "not_in_channel"
    return None


def _guard_deadline(app: Application, current, target, _actor) -> str | None:
    submitting = target is S.SUBMITTED and current in (S.DRAFT, S.RETURNED)
    if submitting and deadline_passed(app.campaign, _current_time()):
        return "deadline_passed"
    return None


def _guard_withdraw(app: Application, current, target, _actor) -> str | None:
    if (current, target) == (S.SUBMITTED, S.DRAFT) and rules.review_has_started(app):
        return "review_started"
    return None


def _guard_review_stage(app: Application, current, target, actor) -> str | None:
    """A channel reviewer decides only for the routed organization of the packet's current
    stage, once per version, and approves for ranking only at the last channel position."""
    if actor.role is not Role.CHANNEL_REVIEWER or current is not S.SUBMITTED:
        return None
    from portal.review import chain

    session = object_session(app)
    problem = chain.stage_problem(session, app, actor.organization)
    if problem:
        return problem
    if target is S.CHANNEL_APPROVED and not chain.is_last_position(session, app):
        return "not_last_stage"
    return None


def _guard_completion_due(app: Application, current, target, _actor) -> str | None:
    """A packet returned for completion is resubmitted before its due date; only after it may
    the office reject it for not being completed (review/completion.py)."""
    if current is not S.INCOMPLETE:
        return None
    from portal.review.completion import is_overdue

    overdue = is_overdue(object_session(app), app, _current_time())
    if target is S.RECOMMENDED and overdue:
        return "completion_overdue"
    if target is S.REJECTED and not overdue:
        return "completion_pending"
    return None


def _guard_recommendation_deadline(app: Application, current, _target, actor) -> str | None:
    closed = _current_time() >= app.campaign.recommendation_deadline
    if actor.role is Role.CHANNEL_REVIEWER and current is S.SUBMITTED and closed:
        return "recommendation_closed"
    return None


def _guard_recommending_organization(app: Application, current, target, actor) -> str | None:
    """Only the packet's recommending organization (its channel of the last channel stage)
    recommends it, and only before the recommendation deadline."""
    if (current, target) != (S.CHANNEL_APPROVED, S.RECOMMENDED):
        return None
    if _current_time() >= app.campaign.recommendation_deadline:
        return "recommendation_closed"
    from portal.recommendations.service import recommending_organization

    org = recommending_organization(object_session(app), app)
    if org is None or org.id != actor.organization_id:
        return "not_routed"
    return None


CHANNEL = Role.CHANNEL_REVIEWER
OFFICE = Role.OFFICE

APPLICATION_WORKFLOW = Workflow(
    "application",
    "state",
    {
        # The enterprise (issue 3)
        (S.DRAFT, S.SUBMITTED): allow("submit", Role.ENTERPRISE),
        (S.SUBMITTED, S.DRAFT): allow("withdraw", Role.ENTERPRISE),
        (S.RETURNED, S.SUBMITTED): allow("resubmit", Role.ENTERPRISE),
        # The channel review chain (review/): a stage forwards to the next channel stage
        # (the state stays 'submitted'), or, at the last channel stage, to ranking.
        (S.SUBMITTED, S.SUBMITTED): allow("forward", CHANNEL),
        (S.SUBMITTED, S.CHANNEL_APPROVED): allow("approve_at_channel", CHANNEL),
        (S.SUBMITTED, S.RETURNED): allow("return_for_revision", CHANNEL, needs_reason=True),
        (S.SUBMITTED, S.NOT_RECOMMENDED): allow("not_recommend", CHANNEL, needs_reason=True),
        (S.CHANNEL_APPROVED, S.RETURNED): allow("return_for_revision", CHANNEL, needs_reason=True),
        (S.CHANNEL_APPROVED, S.NOT_RECOMMENDED): allow("not_recommend", CHANNEL, needs_reason=True),
        # The ranked recommendation, then the office's formal check (形式审查)
        (S.CHANNEL_APPROVED, S.RECOMMENDED): allow("recommend", CHANNEL),
        (S.RECOMMENDED, S.ACCEPTED): allow("accept", OFFICE),
        (S.RECOMMENDED, S.REJECTED): allow("reject", OFFICE, needs_reason=True),
        # Return for completion (退回补正): back to the formal check on resubmission
        (S.RECOMMENDED, S.INCOMPLETE): allow("return_for_completion", OFFICE, needs_reason=True),
        (S.INCOMPLETE, S.RECOMMENDED): allow("resubmit_completed", Role.ENTERPRISE),
        (S.INCOMPLETE, S.REJECTED): allow("reject", OFFICE, needs_reason=True),
        # Expert review and ranking (scoring/): the office confirms the candidate list
        (S.ACCEPTED, S.CANDIDATE): allow("shortlist", OFFICE),
        (S.ACCEPTED, S.NOT_SELECTED): allow("leave_unselected", OFFICE, needs_reason=True),
        (S.CANDIDATE, S.ACCEPTED): allow("reopen_ranking", OFFICE, needs_reason=True),
        (S.NOT_SELECTED, S.ACCEPTED): allow("reopen_ranking", OFFICE, needs_reason=True),
        # Public notice (notice/): an upheld objection withdraws; the final list awards
        (S.CANDIDATE, S.DISQUALIFIED): allow("disqualify", OFFICE, needs_reason=True),
        (S.CANDIDATE, S.AWARDED): allow("award", OFFICE),
    },
    guards=[
        _guard_own_packet,
        _guard_channel,
        _guard_deadline,
        _guard_withdraw,
        _guard_recommendation_deadline,
        _guard_completion_due,
        _guard_review_stage,
        _guard_recommending_organization,
    ],
)
GUARD_KEYS = {
    "not_own",
    "not_in_channel",
    "deadline_passed",
    "review_started",
    "recommendation_closed",
    "wrong_stage",
    "not_routed",
    "stage_decided",
    "not_last_stage",
    "completion_overdue",
    "completion_pending",
}


def _refusal_time(app: Application, key: str):
    if key.startswith("completion_"):
        from portal.review.completion import open_request

        request = open_request(object_session(app), app)
        return request.due_at if request is not None else None
    campaign = app.campaign
    closed = key == "recommendation_closed"
    return campaign.recommendation_deadline if closed else campaign.application_deadline


def fire(
    session: Session,
    app: Application,
    target: S,
    actor,
    reason: str = "",
    extra=None,
    *,
    notify: bool = True,
):
    """Move the packet to target through APPLICATION_WORKFLOW, or raise ApplicationError.

    Side effects: the state, and one audit entry ('application.<move>'). A move that ends the
    packet against its unit (portal/applications/outcome.py) mails the unit its reason, unless
    the caller mails a message of its own about the decision (notify=False). Callers lock the
    row, commit, and send any other mail.
    """
    from portal.applications import outcome

    try:
        move = APPLICATION_WORKFLOW.fire(
            session, app, target, actor=actor, reason=reason, extra=extra
        )
    except StaleState as err:
        raise ApplicationError("stale") from err
    except TransitionRefused as err:
        key = str(err)
        if key in GUARD_KEYS:
            raise ApplicationError(key, when=_refusal_time(app, key)) from err
        if key.endswith("needs a reason"):
            raise ApplicationError("opinion_required") from err
        raise ApplicationError("not_allowed") from err
    if notify and target in outcome.NEGATIVE_STATES:
        outcome.tell_unit(session, app, reason.strip())
    return move
