"""Routing (归口): a packet goes to its industry channel when one is in play, else its district."""

from __future__ import annotations

import sqlalchemy as sa

from portal.applications.models import Application
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem
from portal.review.routing import routed_to, stage_organization
from tests.factories import district, industry, make_application, make_campaign, make_org

UNION = OrgSystem.UNION


def _channel(level, system=UNION, **fields):
    return make_org(OrgKind.CHANNEL, system=system, channel_level=level, **fields)


def _routed(session, org, campaign):
    return set(session.scalars(sa.select(Application.id).where(routed_to(org, campaign))))


def test_district_channel_reviews_when_no_industry_channel_is_in_play(session):
    campaign = make_campaign(year=3001)
    huangpu = _channel(ChannelLevel.DISTRICT, district=district("huangpu"))
    _channel(ChannelLevel.DISTRICT, district=district("xuhui"))
    _channel(ChannelLevel.DISTRICT, system=OrgSystem.YOUTH, district=district("huangpu"))
    app = make_application(campaign=campaign)  # an enterprise in huangpu, finance
    assert stage_organization(session, app, UNION) is huangpu
    assert _routed(session, huangpu, campaign) == {app.id}


def test_an_industry_channel_in_play_takes_its_industry_from_the_district(session):
    campaign = make_campaign(year=3002)
    huangpu = _channel(ChannelLevel.DISTRICT, district=district("huangpu"))
    bank = _channel(ChannelLevel.INDUSTRY, industry=industry("finance"), district=None)
    finance = make_application(campaign=campaign)
    hotel = make_application(
        campaign=campaign,
        organization=make_org(OrgKind.ENTERPRISE, industry=industry("hotels")),
    )
    assert stage_organization(session, finance, UNION) is bank
    assert stage_organization(session, hotel, UNION) is huangpu
    assert _routed(session, bank, campaign) == {finance.id}
    assert _routed(session, huangpu, campaign) == {hotel.id}


def test_the_campaign_channel_list_decides_who_is_in_play(session):
    huangpu = _channel(ChannelLevel.DISTRICT, district=district("huangpu"))
    bank = _channel(ChannelLevel.INDUSTRY, industry=industry("finance"), district=None)
    campaign = make_campaign(year=3003, channels=[huangpu])
    app = make_application(campaign=campaign)
    assert stage_organization(session, app, UNION) is huangpu
    assert _routed(session, huangpu, campaign) == {app.id}
    assert _routed(session, bank, campaign) == set()


def test_an_inactive_or_missing_channel_reviews_nothing(session):
    campaign = make_campaign(year=3004)
    gone = _channel(ChannelLevel.DISTRICT, district=district("huangpu"), active=False)
    app = make_application(campaign=campaign)
    assert stage_organization(session, app, UNION) is None
    assert stage_organization(session, app, OrgSystem.WOMEN) is None
    assert _routed(session, gone, campaign) == set()


def test_across_campaigns_each_packet_is_routed_by_its_own_campaigns_channel_list(session):
    huangpu = _channel(ChannelLevel.DISTRICT, district=district("huangpu"))
    bank = _channel(ChannelLevel.INDUSTRY, industry=industry("finance"), district=None)
    district_year = make_campaign(year=3005, channels=[huangpu])
    industry_year = make_campaign(year=3006, channels=[bank])
    by_district = make_application(campaign=district_year)  # an enterprise in huangpu, finance
    by_industry = make_application(campaign=industry_year)
    assert stage_organization(session, by_district, UNION) is huangpu
    assert stage_organization(session, by_industry, UNION) is bank
    mine = {by_district.id, by_industry.id}
    assert _routed(session, huangpu, None) & mine == {by_district.id}
    assert _routed(session, bank, None) & mine == {by_industry.id}


def test_a_packet_without_an_industry_goes_to_its_district_beside_an_industry_channel(session):
    campaign = make_campaign(year=3007)
    huangpu = _channel(ChannelLevel.DISTRICT, district=district("huangpu"))
    bank = _channel(ChannelLevel.INDUSTRY, industry=industry("finance"), district=None)
    _channel(ChannelLevel.INDUSTRY, industry=None, district=None)  # a channel of no industry
    unclassified = make_application(
        campaign=campaign, organization=make_org(OrgKind.ENTERPRISE, industry=None)
    )
    finance = make_application(campaign=campaign)
    assert stage_organization(session, unclassified, UNION) is huangpu
    assert _routed(session, huangpu, campaign) == {unclassified.id}
    assert _routed(session, bank, campaign) == {finance.id}
