"""What the recommendations package answers when another package asks (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.applications.models import Application, ApplicationState
from portal.db import session_of
from portal.recommendations.service import (
    closed_recommendation,
    recommending_organization,
    stranded_packets,
)
from portal.refusals import Refusal


def subscribe() -> None:
    signals.closed_ranking.connect(_closed_ranking)
    signals.stranded_packets.connect(_stranded)
    signals.packet_move.connect(_recommender_refusal)


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
