"""Who sees which records through the API: each rule once as a predicate, once as SQL.

The predicate answers for one loaded row (detail endpoints); the clause filters a list query.
tests/api/test_visibility.py checks that the two agree for every role.
"""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts import rules as account_rules
from portal.accounts.models import User
from portal.campaigns.models import Campaign, CampaignStatus
from portal.organizations.models import ChannelLevel, Organization, OrgKind
from portal.roles import Role

SEES_ALL_ORGANIZATIONS = (Role.OFFICE, Role.ADMIN)
# Organizers, the office and the channels are the programme's public directory.
DIRECTORY_KINDS = (OrgKind.ORGANIZER, OrgKind.OFFICE, OrgKind.CHANNEL)
SEES_RUBRIC = (Role.OFFICE, Role.ORGANIZER, Role.ADMIN, Role.EXPERT)


def _channel_scope(user: User) -> tuple[str, int] | None:
    """('district', id) or ('industry', id) for a channel reviewer's own channel, else None."""
    if user.role is not Role.CHANNEL_REVIEWER:
        return None
    own = user.organization
    if own.kind is not OrgKind.CHANNEL:
        return None
    if own.channel_level is ChannelLevel.DISTRICT and own.district_id is not None:
        return ("district", own.district_id)
    if own.channel_level is ChannelLevel.INDUSTRY and own.industry_id is not None:
        return ("industry", own.industry_id)
    return None


def can_see_organization(user: User, org: Organization) -> bool:
    """Office and admin see all; others the directory, their own organization, and a channel
    reviewer also the enterprises of the channel's district or industry (归口管理)."""
    if user.role in SEES_ALL_ORGANIZATIONS:
        return True
    if org.kind in DIRECTORY_KINDS or org.id == user.organization_id:
        return True
    scope = _channel_scope(user)
    if scope is None or org.kind is not OrgKind.ENTERPRISE:
        return False
    level, ref_id = scope
    return (org.district_id if level == "district" else org.industry_id) == ref_id


def visible_organizations(user: User) -> sa.ColumnElement[bool]:
    """The SQL form of can_see_organization, for list queries."""
    if user.role in SEES_ALL_ORGANIZATIONS:
        return sa.true()
    clauses = [Organization.kind.in_(DIRECTORY_KINDS), Organization.id == user.organization_id]
    scope = _channel_scope(user)
    if scope is not None:
        level, ref_id = scope
        column = Organization.district_id if level == "district" else Organization.industry_id
        clauses.append(sa.and_(Organization.kind == OrgKind.ENTERPRISE, column == ref_id))
    return sa.or_(*clauses)


def can_see_personal_data(user: User, org: Organization) -> bool:
    """Contact mobiles and e-mail addresses: office, admin and the organization's own users."""
    return user.role in SEES_ALL_ORGANIZATIONS or org.id == user.organization_id


def can_see_campaign(user: User, campaign: Campaign) -> bool:
    """Drafts are for those who configure or approve campaigns; the rest for every token."""
    return campaign.status is not CampaignStatus.DRAFT or account_rules.can_view_campaigns(user)


def visible_campaigns(user: User) -> sa.ColumnElement[bool]:
    if account_rules.can_view_campaigns(user):
        return sa.true()
    return Campaign.status != CampaignStatus.DRAFT


def can_see_rubric(user: User) -> bool:
    return user.role in SEES_RUBRIC
