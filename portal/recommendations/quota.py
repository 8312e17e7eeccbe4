"""A channel organization's quota in a category, from the figures of its own channel.

The figures: the packets the channel received in the category (every packet routed to it that
was ever submitted, whatever became of it since) and the units (enterprises) those packets
came from. A fixed quota needs neither and asks nothing of the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application
from portal.campaigns.models import Campaign, CampaignCategory, QuotaRule
from portal.campaigns.quotas import ChannelQuota, channel_quota
from portal.organizations.models import Organization
from portal.review.routing import routed_to


def channel_counts(
    session: Session, organization: Organization, campaign: Campaign, category: CampaignCategory
) -> tuple[int, int]:
    """(packets received, units applying) of the organization's channel in the category."""
    received, units = session.execute(
        sa.select(
            sa.func.count(Application.id),
            sa.func.count(sa.distinct(Application.organization_id)),
        ).where(
            routed_to(organization, campaign),
            Application.category_id == category.id,
            Application.submitted_at.is_not(None),
        )
    ).one()
    return int(received), int(units)


def quota_for(
    session: Session, organization: Organization, campaign: Campaign, category: CampaignCategory
) -> ChannelQuota:
    """The organization's quota in the category, with how it was computed."""
    if category.quota_rule is QuotaRule.FIXED:
        return channel_quota(category, 0, 0)
    received, units = channel_counts(session, organization, campaign, category)
    return channel_quota(category, received, units)
