"""Campaign queries and operations."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.campaigns.models import Campaign, CampaignStatus


def current_campaign(session: Session) -> Campaign | None:
    """The open campaign, or else the latest one that is not a draft."""
    open_one = session.scalar(
        sa.select(Campaign)
        .where(Campaign.status == CampaignStatus.OPEN)
        .order_by(Campaign.year.desc())
    )
    if open_one is not None:
        return open_one
    return session.scalar(
        sa.select(Campaign)
        .where(Campaign.status != CampaignStatus.DRAFT)
        .order_by(Campaign.year.desc())
    )
