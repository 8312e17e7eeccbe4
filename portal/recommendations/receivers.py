"""What the recommendations package answers when the review chain asks (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.recommendations.service import closed_recommendation, stranded_packets


def subscribe() -> None:
    signals.closed_ranking.connect(_ranking_closed)
    signals.stranded_packets.connect(_stranded)


def _ranking_closed(app, *, session, **_):
    return closed_recommendation(session, app)


def _stranded(campaign, *, session, **_):
    return stranded_packets(session, campaign)
