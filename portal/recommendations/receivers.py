"""What the recommendations package answers when another package asks (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.applications.models import Application, ApplicationState
from portal.campaigns.service import channel_organizations
from portal.db import session_of
from portal.recommendations import rules
from portal.recommendations.dashboard import states_by_channel
from portal.recommendations.service import (
    channel_overview,
    closed_recommendation,
    recommending_organization,
    stranded_packets,
    submitted_recommendations,
)
from portal.refusals import Refusal
from portal.roles import Role


def subscribe() -> None:
    signals.closed_ranking.connect(_closed_ranking)
    signals.stranded_packets.connect(_stranded)
    signals.packet_move.connect(_recommender_refusal)
    signals.home_work.connect(_channel_home, sender=Role.CHANNEL_REVIEWER)
    signals.home_work.connect(_office_home, sender=Role.OFFICE)


def _channel_home(_role, *, user, session, campaign, **_) -> dict | None:
    """The recommending channel's categories, as its recommendations page lists them."""
    if campaign is None or not rules.can_rank(user, campaign):
        return None
    return {"ranking": channel_overview(session, user.organization, campaign)}


def _office_home(_role, *, session, campaign, **_) -> dict | None:
    """The submitted recommendations (the office's list), and each recommending channel
    taking part: its packets in each state, and whether it has submitted a recommendation."""
    if campaign is None:
        return None
    submitted = submitted_recommendations(session, campaign)
    done = {r.organization_id for r in submitted}
    channels = campaign.channels or channel_organizations(session)
    recommending = [c for c in channels if rules.is_recommending_organization(c, campaign)]
    return {
        "recommendations": submitted,
        "channels": [
            (org, states, org.id in done)
            for org, states in states_by_channel(session, campaign, recommending)
        ],
    }


def _closed_ranking(app, *, session, **_):
    return closed_recommendation(session, app)


def _stranded(campaign, *, session, **_):
    return stranded_packets(session, campaign)


def _recommender_refusal(app: Application, *, current, target, actor, **_) -> Refusal | None:
    """Only the packet's recommending organization (its channel of the last channel stage)
    recommends it (the deadline is the application workflow's own guard)."""
    if (current, target) != (ApplicationState.CHANNEL_APPROVED, ApplicationState.RECOMMENDED):
        return None
    org = recommending_organization(session_of(app), app)
    if org is None or org.id != actor.organization_id:
        return Refusal("review.not_routed")
    return None
