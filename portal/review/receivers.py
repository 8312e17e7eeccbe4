"""What the review chain does when something happens in another package (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.review.chain import enter_chain


def subscribe() -> None:
    signals.packet_submitted.connect(_place_in_chain)


def _place_in_chain(app, *, session, completing: bool = False, **_) -> None:
    if not completing:  # a completed packet goes back to the formal check, not the chain
        enter_chain(session, app)
