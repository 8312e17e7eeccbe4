"""The campaign's review chain as it applies to one packet: positions, who acts, moving on.

The chain is the campaign's ordered `stages`; stages sharing a position run in parallel. A
channel stage whose system has no channel organization for the packet (routing answers None)
is skipped. The packet's place is `Application.stage_position`; it moves on when every
stage acting at that position has forwarded the current version.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, ReviewStage, StageSystem
from portal.organizations.models import Organization, OrgKind, OrgSystem
from portal.refusals import Refusal
from portal.review.models import Decision, StageDecision
from portal.review.routing import routed_to, stage_organization

# States in which the packet's stage_position says how far it has come.
IN_CHAIN = (ApplicationState.SUBMITTED, ApplicationState.RETURNED, ApplicationState.NOT_RECOMMENDED)


def channel_stages(campaign: Campaign) -> list[ReviewStage]:
    return [s for s in campaign.stages if s.system is not StageSystem.OFFICE]


def channel_positions(campaign: Campaign) -> list[int]:
    return sorted({s.position for s in channel_stages(campaign)})


def office_stage(campaign: Campaign) -> ReviewStage | None:
    return next((s for s in campaign.stages if s.system is StageSystem.OFFICE), None)


def stages_at(campaign: Campaign, position: int | None) -> list[ReviewStage]:
    return [s for s in channel_stages(campaign) if s.position == position]


def stage_org(session: Session, app: Application, stage: ReviewStage) -> Organization | None:
    """The channel organization acting for the packet at this stage (None: stage skipped)."""
    return stage_organization(session, app, OrgSystem(stage.system.value))


def active_stages(
    session: Session, app: Application, position: int | None
) -> list[tuple[ReviewStage, Organization]]:
    pairs = [(s, stage_org(session, app, s)) for s in stages_at(app.campaign, position)]
    return [(s, org) for s, org in pairs if org is not None]


def next_active_position(session: Session, app: Application, after: int | None) -> int | None:
    """The first channel position after `after` (from the start when None) with a stage that
    has an organization for this packet; None when none is left."""
    for position in channel_positions(app.campaign):
        if after is not None and position <= after:
            continue
        if active_stages(session, app, position):
            return position
    return None


def entry_position(session: Session, app: Application) -> int | None:
    """Where a (re)submitted packet enters: the stage that returned it, else the first stage
    with an organization. With no organization anywhere it waits at that stage's position."""
    returned_at = session.scalar(
        sa.select(ReviewStage.position)
        .join(StageDecision, StageDecision.stage_id == ReviewStage.id)
        .where(
            StageDecision.application_id == app.id,
            StageDecision.decision == Decision.RETURN,
        )
        .order_by(StageDecision.version_number.desc(), StageDecision.id.desc())
        .limit(1)
    )
    positions = channel_positions(app.campaign)
    if not positions:
        return None
    start = returned_at if returned_at is not None else positions[0]
    found = next_active_position(session, app, start - 1)
    return start if found is None else found


def enter_chain(session: Session, app: Application) -> None:
    """Called when a packet is (re)submitted: place it in the chain; no stage has acted yet."""
    app.stage_position = entry_position(session, app)
    app.review_started_at = None


def current_version_number(app: Application) -> int | None:
    latest = app.latest_version
    return latest.number if latest is not None else None


def current_decisions(session: Session, app: Application) -> list[StageDecision]:
    return list(
        session.scalars(
            sa.select(StageDecision)
            .where(
                StageDecision.application_id == app.id,
                StageDecision.version_number == current_version_number(app),
            )
            .order_by(StageDecision.id)
        )
    )


def all_decisions(session: Session, app: Application) -> list[StageDecision]:
    """Every stage's opinion on every version, oldest first (earlier opinions stay visible)."""
    return list(
        session.scalars(
            sa.select(StageDecision)
            .where(StageDecision.application_id == app.id)
            .order_by(StageDecision.decided_at, StageDecision.id)
        )
    )


def acting_stage(app: Application, organization: Organization | None) -> ReviewStage | None:
    """The stage at the packet's current position that belongs to the organization's system."""
    if organization is None or organization.kind is not OrgKind.CHANNEL:
        return None
    if organization.system is None:
        return None
    for stage in stages_at(app.campaign, app.stage_position):
        if stage.system.value == organization.system.value:
            return stage
    return None


def stage_problem(session: Session, app: Application, organization: Organization | None):
    """Why this channel organization may not decide on the packet now, or None.

    'review.wrong_stage': the packet is not at a stage of the organization's system;
    'review.not_routed': that stage reviews the packet through another organization (归口);
    'review.stage_decided': the stage has already decided on this version.
    """
    stage = acting_stage(app, organization)
    if stage is None or organization is None:  # acting_stage finds none without one
        return Refusal("review.wrong_stage")
    org = stage_org(session, app, stage)
    if org is None or org.id != organization.id:
        return Refusal("review.not_routed")
    if any(d.stage_id == stage.id for d in current_decisions(session, app)):
        return Refusal("review.stage_decided")
    return None


def position_complete_with(session: Session, app: Application, stage: ReviewStage) -> bool:
    """Whether every active stage at the packet's position has forwarded once `stage` does."""
    forwarded = {
        d.stage_id for d in current_decisions(session, app) if d.decision is Decision.FORWARD
    }
    forwarded.add(stage.id)
    return all(s.id in forwarded for s, _org in active_stages(session, app, app.stage_position))


def is_last_position(session: Session, app: Application) -> bool:
    return next_active_position(session, app, app.stage_position) is None


def skipped_stages(session: Session, app: Application) -> list[ReviewStage]:
    """Channel stages with no organization for this packet (skipped), in chain order."""
    return [s for s in channel_stages(app.campaign) if stage_org(session, app, s) is None]


def _first_channel_position_sql():
    stage = aliased(ReviewStage)  # the enclosing query may join ReviewStage itself
    return (
        sa.select(sa.func.min(stage.position))
        .where(stage.campaign_id == Application.campaign_id, stage.system != StageSystem.OFFICE)
        .correlate(Application)
        .scalar_subquery()
    )


def effective_position_sql():
    return sa.func.coalesce(Application.stage_position, _first_channel_position_sql())


def reviewer_sees_sql(organization: Organization):
    """A channel organization reads the packets routed to it once they reach its stage
    (the reviewer's part of portal/applications/visibility.py)."""
    if organization.kind is not OrgKind.CHANNEL or organization.system is None:
        return sa.false()
    stage = aliased(ReviewStage)
    own_first = (
        sa.select(sa.func.min(stage.position))
        .where(
            stage.campaign_id == Application.campaign_id,
            stage.system == StageSystem(organization.system.value),
        )
        .correlate(Application)
        .scalar_subquery()
    )
    return sa.and_(
        Application.state != ApplicationState.DRAFT,
        routed_to(organization),
        own_first.is_not(None),
        sa.or_(Application.state.not_in(IN_CHAIN), own_first <= effective_position_sql()),
    )
