"""Joint approval, public notice and objections: every change, with its audit entry."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.campaigns.models import Campaign
from portal.db import utcnow
from portal.notice.models import PublicNotice


def get_notice(session: Session, campaign: Campaign) -> PublicNotice | None:
    return session.scalar(sa.select(PublicNotice).where(PublicNotice.campaign_id == campaign.id))


def notice_closed(session: Session, campaign: Campaign, now: datetime | None = None) -> bool:
    """Whether the campaign's public notice has been opened and its window has ended."""
    notice = get_notice(session, campaign)
    return notice is not None and (now or utcnow()) >= notice.closes_at
