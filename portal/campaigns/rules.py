"""Who may see and change campaigns (创建活动) and their settings."""

from __future__ import annotations

from portal.campaigns.models import Campaign, CampaignStatus
from portal.roles import Role, has_role

# Settings of a closed or archived campaign are the record of that year; they stay as they were.
EDITABLE_STATUSES = frozenset({CampaignStatus.DRAFT, CampaignStatus.OPEN})


def can_manage_campaigns(user) -> bool:
    """The programme office configures campaigns."""
    return has_role(user, Role.OFFICE)


def can_view_campaigns(user) -> bool:
    """The office, the organizers and administrators may read campaign settings."""
    return has_role(user, Role.OFFICE, Role.ORGANIZER, Role.ADMIN)


def can_edit_campaign(user, campaign: Campaign) -> bool:
    return can_manage_campaigns(user) and campaign.status in EDITABLE_STATUSES


def can_copy_campaign(user, campaign: Campaign) -> bool:
    return can_manage_campaigns(user)


def can_change_campaign_status(user, campaign: Campaign) -> bool:
    return can_manage_campaigns(user)
