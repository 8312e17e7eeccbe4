"""What the public-notice package answers when another package asks (portal.signals)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import signals
from portal.notice.models import PublicNotice


def subscribe() -> None:
    signals.published_notice.connect(_published_notice)


def _published_notice(campaign_id: int, *, session, **_) -> PublicNotice | None:
    return session.scalar(sa.select(PublicNotice).where(PublicNotice.campaign_id == campaign_id))
