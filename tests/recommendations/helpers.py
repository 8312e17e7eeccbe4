"""A campaign whose recommendation window is open, a quality-association channel of Huangpu
(the last channel stage by default) with a reviewer, and packets awaiting its ranking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignCategory, CategoryKind
from portal.db import utcnow
from portal.organizations.models import Organization, OrgKind, OrgSystem
from tests.applications.helpers import open_campaign
from tests.factories import district, make_application, make_org, make_user

S = ApplicationState


@dataclass
class Channel:
    campaign: Campaign
    team: CampaignCategory
    individual: CampaignCategory
    organization: Organization
    reviewer: object


def quality_channel(campaign: Campaign | None = None, district_code: str = "huangpu", **fields):
    """A quality-association district channel with one reviewer, in an open campaign whose
    application deadline has passed and whose recommendation deadline is a day ahead."""
    if campaign is None:
        now = utcnow()
        campaign = open_campaign(
            application_deadline=now - timedelta(days=1),
            recommendation_deadline=now + timedelta(days=1),
            review_deadline=now + timedelta(days=10),
            **fields,
        )
    org = make_org(OrgKind.CHANNEL, system=OrgSystem.QUALITY, district=district(district_code))
    reviewer = make_user(Role.CHANNEL_REVIEWER, organization=org)
    team = next(c for c in campaign.categories if c.kind is CategoryKind.TEAM)
    individual = next(c for c in campaign.categories if c.kind is CategoryKind.INDIVIDUAL)
    return Channel(campaign, team, individual, org, reviewer)


def enterprise(district_code: str = "huangpu") -> Organization:
    return make_org(OrgKind.ENTERPRISE, district=district(district_code))


def awaiting(channel: Channel, n: int = 1, kind=CategoryKind.TEAM, **fields) -> list[Application]:
    """n packets of the channel's district at channel_approved."""
    unit = enterprise(channel.organization.district.code)
    return [
        make_application(
            S.CHANNEL_APPROVED, campaign=channel.campaign, organization=unit, kind=kind, **fields
        )
        for _ in range(n)
    ]
