"""The application's life: every state and every allowed move, with who may make it.

This table is the only place a packet's state changes. Services call fire(); pages, the API,
the audit trail and the tests read APPLICATION_WORKFLOW. Its own checks are the guards below
(organization, deadline); the packages above answer through signals.packet_move (the review
chain's stages, the recommending organization). A guard judges the move at the instant the
caller passes (`now`) and answers a Refusal or None.

    draft ─submit─▶ submitted ─forward─▶ submitted (next channel stage) … ─▶ channel_approved
    submitted/channel_approved ─return─▶ returned ─resubmit─▶ submitted
    submitted/channel_approved ─not recommend─▶ not_recommended
    channel_approved ─recommend─▶ recommended ─accept─▶ accepted / ─reject─▶ rejected
    recommended ─return for completion─▶ incomplete ─resubmit─▶ recommended (the formal check)
    incomplete ─reject─▶ rejected   (only once the completion's due date has passed)
    accepted ─shortlist─▶ candidate / ─leave out─▶ not_selected   (ranking; reopen goes back)
    candidate ─disqualify─▶ disqualified (upheld objection) / ─award─▶ awarded
    submitted … not_selected ─disqualify─▶ disqualified (a finding of fabricated material)
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from portal import signals
from portal.applications import outcome, rules
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign
from portal.clock import utcnow
from portal.refusals import Refusal
from portal.roles import Role
from portal.workflow import Workflow, allow


def deadline_passed(campaign: Campaign, now: datetime | None = None) -> bool:
    return (now or utcnow()) >= campaign.application_deadline


def _guard_own_packet(app: Application, _current, _target, actor, _now) -> Refusal | None:
    if actor.role is Role.ENTERPRISE and actor.organization_id != app.organization_id:
        return Refusal("application.not_own")
    return None


def _guard_channel(app: Application, _current, _target, actor, _now) -> Refusal | None:
    if actor.role is Role.CHANNEL_REVIEWER and not rules.in_reviewer_channel(actor, app):
        return Refusal("application.not_in_channel")
    return None


def _guard_deadline(app: Application, current, target, _actor, now) -> Refusal | None:
    submitting = target is ApplicationState.SUBMITTED and current in (
        ApplicationState.DRAFT,
        ApplicationState.RETURNED,
    )
    if submitting and deadline_passed(app.campaign, now):
        return Refusal("application.deadline_passed", {"when": app.campaign.application_deadline})
    return None


def _guard_withdraw(app: Application, current, target, _actor, _now) -> Refusal | None:
    if (current, target) == (
        ApplicationState.SUBMITTED,
        ApplicationState.DRAFT,
    ) and rules.review_has_started(app):
        return Refusal("application.review_started")
    return None


def _recommendation_closed(app: Application, now: datetime) -> Refusal | None:
    deadline = app.campaign.recommendation_deadline
    return Refusal("review.recommendation_closed", {"when": deadline}) if now >= deadline else None


def _guard_recommendation_deadline(app: Application, current, _target, actor, now):
    if actor.role is Role.CHANNEL_REVIEWER and current is ApplicationState.SUBMITTED:
        return _recommendation_closed(app, now)
    return None


def _guard_recommend_deadline(app: Application, current, target, _actor, now):
    """The recommending organization recommends only before the recommendation deadline."""
    if (current, target) == (ApplicationState.CHANNEL_APPROVED, ApplicationState.RECOMMENDED):
        return _recommendation_closed(app, now)
    return None


def _guard_other_packages(app: Application, current, target, actor, now) -> Refusal | None:
    """The checks that belong to the packages above, asked through signals.packet_move: the
    review chain's (the stage a channel decides at, the completion's due date) and the
    recommendations' (only the packet's recommending organization recommends it)."""
    refusals = signals.answers(
        signals.packet_move, app, current=current, target=target, actor=actor, now=now
    )
    return refusals[0] if refusals else None


CHANNEL = Role.CHANNEL_REVIEWER
OFFICE = Role.OFFICE
INTEGRITY_DISQUALIFIABLE = (
    ApplicationState.SUBMITTED,
    ApplicationState.RETURNED,
    ApplicationState.CHANNEL_APPROVED,
    ApplicationState.RECOMMENDED,
    ApplicationState.ACCEPTED,
    ApplicationState.NOT_SELECTED,
)

APPLICATION_WORKFLOW = Workflow(
    "application",
    "state",
    {
        # The enterprise (issue 3)
        (ApplicationState.DRAFT, ApplicationState.SUBMITTED): allow("submit", Role.ENTERPRISE),
        (ApplicationState.SUBMITTED, ApplicationState.DRAFT): allow("withdraw", Role.ENTERPRISE),
        (ApplicationState.RETURNED, ApplicationState.SUBMITTED): allow("resubmit", Role.ENTERPRISE),
        # The channel review chain (review/): a stage forwards to the next channel stage
        # (the state stays 'submitted'), or, at the last channel stage, to ranking.
        (ApplicationState.SUBMITTED, ApplicationState.SUBMITTED): allow("forward", CHANNEL),
        (ApplicationState.SUBMITTED, ApplicationState.CHANNEL_APPROVED): allow(
            "approve_at_channel", CHANNEL
        ),
        (ApplicationState.SUBMITTED, ApplicationState.RETURNED): allow(
            "return_for_revision", CHANNEL, needs_reason=True
        ),
        (ApplicationState.SUBMITTED, ApplicationState.NOT_RECOMMENDED): allow(
            "not_recommend", CHANNEL, needs_reason=True
        ),
        (ApplicationState.CHANNEL_APPROVED, ApplicationState.RETURNED): allow(
            "return_for_revision", CHANNEL, needs_reason=True
        ),
        (ApplicationState.CHANNEL_APPROVED, ApplicationState.NOT_RECOMMENDED): allow(
            "not_recommend", CHANNEL, needs_reason=True
        ),
        # The ranked recommendation, then the office's formal check (形式审查)
        (ApplicationState.CHANNEL_APPROVED, ApplicationState.RECOMMENDED): allow(
            "recommend", CHANNEL
        ),
        (ApplicationState.RECOMMENDED, ApplicationState.ACCEPTED): allow("accept", OFFICE),
        (ApplicationState.RECOMMENDED, ApplicationState.REJECTED): allow(
            "reject", OFFICE, needs_reason=True
        ),
        # Return for completion (退回补正): back to the formal check on resubmission
        (ApplicationState.RECOMMENDED, ApplicationState.INCOMPLETE): allow(
            "return_for_completion", OFFICE, needs_reason=True
        ),
        (ApplicationState.INCOMPLETE, ApplicationState.RECOMMENDED): allow(
            "resubmit_completed", Role.ENTERPRISE
        ),
        (ApplicationState.INCOMPLETE, ApplicationState.REJECTED): allow(
            "reject", OFFICE, needs_reason=True
        ),
        # Expert review and ranking (scoring/): the office confirms the candidate list
        (ApplicationState.ACCEPTED, ApplicationState.CANDIDATE): allow("shortlist", OFFICE),
        (ApplicationState.ACCEPTED, ApplicationState.NOT_SELECTED): allow(
            "leave_unselected", OFFICE, needs_reason=True
        ),
        (ApplicationState.CANDIDATE, ApplicationState.ACCEPTED): allow(
            "reopen_ranking", OFFICE, needs_reason=True
        ),
        (ApplicationState.NOT_SELECTED, ApplicationState.ACCEPTED): allow(
            "reopen_ranking", OFFICE, needs_reason=True
        ),
        # Public notice (notice/): an upheld objection withdraws; the final list awards
        (ApplicationState.CANDIDATE, ApplicationState.DISQUALIFIED): allow(
            "disqualify", OFFICE, needs_reason=True
        ),
        (ApplicationState.CANDIDATE, ApplicationState.AWARDED): allow("award", OFFICE),
        # A finding of fabricated or concealed material (portal/eligibility) disqualifies a
        # packet wherever it stands between submission and the award.
        **{
            (state, ApplicationState.DISQUALIFIED): allow("disqualify", OFFICE, needs_reason=True)
            for state in INTEGRITY_DISQUALIFIABLE
        },
    },
    guards=[
        _guard_own_packet,
        _guard_channel,
        _guard_deadline,
        _guard_withdraw,
        _guard_recommendation_deadline,
        _guard_recommend_deadline,
        _guard_other_packages,
    ],
    error=ApplicationError,
    refused_reason="review.opinion_required",
)


def fire(
    session: Session,
    app: Application,
    target: ApplicationState,
    actor,
    reason: str = "",
    extra=None,
    *,
    notify: bool = True,
    now: datetime | None = None,
):
    """Move the packet to target through APPLICATION_WORKFLOW, judged at `now` (default: this
    instant), or raise ApplicationError with the refusal of the table or of a guard.

    Side effects: the state, and one audit entry ('application.<move>'). A move that ends the
    packet against its unit (portal/applications/outcome.py) mails the unit its reason, unless
    the caller mails a message of its own about the decision (notify=False). Callers lock the
    row, commit, and send any other mail.
    """
    move = APPLICATION_WORKFLOW.fire(
        session, app, target, actor=actor, reason=reason, extra=extra, now=now
    )
    if notify and target in outcome.NEGATIVE_STATES:
        outcome.tell_unit(session, app, reason.strip())
    return move
