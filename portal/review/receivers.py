"""What the review chain does when something happens in another package (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.review.chain import enter_chain, reviewer_sees_sql
from portal.roles import Role


def subscribe() -> None:
    signals.packet_submitted.connect(_place_in_chain)
    signals.packet_readers.connect(_reviewer_reads, sender=Role.CHANNEL_REVIEWER)


def _place_in_chain(app, *, session, completing: bool = False, **_) -> None:
    if not completing:  # a completed packet goes back to the formal check, not the chain
        enter_chain(session, app)


def _reviewer_reads(_role, *, user, **_):
    return reviewer_sees_sql(user.organization)
