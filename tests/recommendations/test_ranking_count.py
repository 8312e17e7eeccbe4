"""How many packets await a channel's ranking: the count the ranking page shows and pages by is
the number of packets the routing sends the channel, as the channels and the campaign's channel
list change, for a district channel and an industry channel alike."""

from __future__ import annotations

import sqlalchemy as sa

from portal.applications.models import Application
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem
from portal.recommendations import ranking
from tests.factories import district, industry, make_application, make_org
from tests.plans import sqlite_plan
from tests.recommendations.helpers import S, awaiting, quality_channel


def _routed(session, org, ch, category) -> int:
    """The packets the routing sends `org`, tested one by one (ranking.awaiting)."""
    condition = ranking.awaiting(org, ch.campaign, category)
    return session.scalar(sa.select(sa.func.count(Application.id)).where(condition))


def _counts(session, org, ch) -> tuple[int, int]:
    """(the team ranking page's count, the count in any category), each held to the routing."""
    page = ranking.ranking_page(session, org, ch.campaign, ch.team).packets.total
    anywhere = ranking.count_awaiting(session, org, ch.campaign)
    assert page == _routed(session, org, ch, ch.team)
    assert anywhere == _routed(session, org, ch, ch.team) + _routed(session, org, ch, ch.individual)
    return page, anywhere


def _packets(ch, n: int, place: str = "huangpu", trade: str | None = "finance", **fields):
    """n packets awaiting a ranking, of an enterprise of that district and industry."""
    unit = make_org(
        OrgKind.ENTERPRISE, district=district(place), industry=trade and industry(trade)
    )
    return [
        make_application(S.CHANNEL_APPROVED, campaign=ch.campaign, organization=unit, **fields)
        for _ in range(n)
    ]


def _quality_channel(level: ChannelLevel, **fields):
    return make_org(OrgKind.CHANNEL, system=OrgSystem.QUALITY, channel_level=level, **fields)


def test_the_count_is_the_packets_routed_to_the_channel_as_the_channels_change(session):
    ch = quality_channel()  # Huangpu's, at the district level
    finance = _packets(ch, 3)  # of an enterprise in Huangpu, finance
    hotels = _packets(ch, 2, trade="hotels")
    _packets(ch, 1, trade=None)
    _packets(ch, 1, kind=ch.individual.kind)  # finance
    _packets(ch, 1, place="xuhui")  # another district's, finance
    finance[0].state = S.SUBMITTED  # not yet through the channel stages
    session.flush()
    huangpu = ch.organization
    assert _counts(session, huangpu, ch) == (2 + 2 + 1, 6)

    bank = _quality_channel(ChannelLevel.INDUSTRY, industry=industry("finance"), district=None)
    session.flush()
    assert _counts(session, huangpu, ch) == (2 + 1, 3)  # the finance packets leave it
    assert _counts(session, bank, ch) == (3, 4)  # of every district
    hotels[0].state = S.NOT_RECOMMENDED
    session.flush()
    assert _counts(session, huangpu, ch) == (2, 2)

    bank.active = False  # its industry comes back to the district
    session.flush()
    assert _counts(session, huangpu, ch) == (4, 5)
    assert _counts(session, bank, ch) == (0, 0)

    bank.active = True
    ch.campaign.channels = [huangpu]  # the industry channel takes no part in this campaign
    session.flush()
    assert _counts(session, huangpu, ch) == (4, 5)
    assert _counts(session, bank, ch) == (0, 0)
    ch.campaign.channels = [bank]  # nor the district channel in this one
    session.flush()
    assert _counts(session, huangpu, ch) == (0, 0)
    assert _counts(session, bank, ch) == (3, 4)  # of every district

    ch.campaign.channels = []
    second = _quality_channel(ChannelLevel.DISTRICT, district=district("huangpu"))
    session.flush()  # of two channels of a district, the first made ranks
    assert _counts(session, second, ch) == (0, 0)
    assert _counts(session, huangpu, ch) == (2, 2)


def test_a_district_channel_s_count_looks_the_industry_channels_packets_up_along_the_index(
    session,
):
    """Counted without testing each packet of the district against the industries the industry
    channels take: those industries' packets are found along ix_application_notice_groups."""
    ch = quality_channel()
    awaiting(ch, 2)
    values = ranking._params(ch.organization, ch.campaign, ch.team, None)
    plan = sqlite_plan(session, ranking._count_statement(False), values)
    if plan is not None:  # SQLite
        assert "district_id=? AND industry_id=?" in plan, plan
