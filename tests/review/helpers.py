"""A small world for review tests: one channel organization of each system in Huangpu, their
reviewers, and a campaign whose recommendation deadline is still ahead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from portal.accounts.models import Role, User
from portal.campaigns.models import Campaign, StageSystem
from portal.db import get_session
from portal.organizations.models import ChannelLevel, Organization, OrgKind, OrgSystem
from tests.factories import district, make_org, make_user

SYSTEMS = (OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN, OrgSystem.QUALITY)


def channel(system: OrgSystem, code: str = "huangpu", **fields) -> Organization:
    fields.setdefault("channel_level", ChannelLevel.DISTRICT)
    fields.setdefault("district", district(code))
    return make_org(OrgKind.CHANNEL, system=system, **fields)


@dataclass
class World:
    campaign: Campaign
    orgs: dict[OrgSystem, Organization]
    reviewers: dict[OrgSystem, User]
    office: User

    def reviewer(self, system: OrgSystem) -> User:
        return self.reviewers[system]


def make_world(campaign: Campaign | None = None, systems=SYSTEMS) -> World:
    from tests.applications.helpers import open_campaign

    campaign = campaign or open_campaign()
    orgs = {s: channel(s) for s in systems}
    reviewers = {s: make_user(Role.CHANNEL_REVIEWER, organization=o) for s, o in orgs.items()}
    return World(campaign, orgs, reviewers, make_user(Role.OFFICE))


def parallel_chain(campaign: Campaign) -> None:
    """Union, then youth and women side by side, then quality, then the office."""
    positions = {
        StageSystem.UNION: 0,
        StageSystem.YOUTH: 1,
        StageSystem.WOMEN: 1,
        StageSystem.QUALITY: 2,
        StageSystem.OFFICE: 3,
    }
    for stage in campaign.stages:
        stage.position = positions[stage.system]
    get_session().flush()
    get_session().expire(campaign, ["stages"])


def after_deadline(campaign: Campaign):
    return campaign.recommendation_deadline + timedelta(seconds=1)


def before_deadline(campaign: Campaign):
    return campaign.recommendation_deadline - timedelta(seconds=1)
