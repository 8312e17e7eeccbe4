"""The recommendation demo: packets awaiting Huangpu's ranking, Xuhui's submitted one."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign, QuotaRule
from portal.demo import seed_demo
from portal.organizations.models import Organization
from portal.recommendations import service
from portal.recommendations.dashboard import citywide_dashboard
from portal.recommendations.models import Recommendation
from portal.recommendations.quota import channel_counts

S = ApplicationState


def test_the_demo_leaves_four_packets_to_rank_and_one_submitted_channel(session):
    seed_demo(today=date(2026, 9, 1))
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == 2026))
    huangpu = session.scalar(sa.select(Organization).where(Organization.name == "黄浦区质量协会"))
    overview = service.channel_overview(session, huangpu, campaign)
    assert [(o.category.code, o.awaiting, o.recommendation) for o in overview] == [
        ("team", 2, None),
        ("individual", 2, None),
    ]
    recs = session.scalars(sa.select(Recommendation)).all()
    assert [(r.organization.name, len(r.entries), r.submitted) for r in recs] == [
        ("徐汇区质量协会", 1, True),
        ("徐汇区质量协会", 1, True),
    ]
    [team_quota, individual_quota] = [o.quota for o in overview]
    received, _units = channel_counts(session, huangpu, campaign, overview[0].category)
    assert (team_quota.rule, team_quota.share, team_quota.received) == (
        QuotaRule.PROPORTIONAL,
        Decimal(30),
        received,
    )
    assert team_quota.value == min(5, max(1, received * 3 // 10))
    assert individual_quota.rule is QuotaRule.FIXED
    board = citywide_dashboard(session, campaign)
    [xuhui] = board.by_channel
    # The bus team (24 members, 6 women) and Li Ting: 7 women of 25 people.
    assert (xuhui.figures.total, xuhui.figures.women_share) == (2, Decimal("28.0"))
    assert (campaign.target_women_share, campaign.target_young_share) == (50, 40)
    assert [s.target for s in xuhui.shortfalls] == ["women_share"]
