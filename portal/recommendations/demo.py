"""Demo packets for the ranked recommendation: four awaiting the Huangpu quality association's
ranking, and a submitted recommendation of the Xuhui quality association for the dashboard.

Idempotent: nothing is done when the campaign already holds the demo packets.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.applications.demo import DemoPacket, demo_packet
from portal.applications.models import Application, ApplicationState
from portal.campaigns import service as campaigns
from portal.campaigns.models import Campaign, CampaignStatus, CategoryKind, QuotaRule
from portal.db import utcnow
from portal.recommendations import service

XUHUI_REVIEWER = "zhixie.xuhui@demo.example.com"  # one of the demo logins

HUANGPU = [
    DemoPacket("申城第一百货商店有限公司", CategoryKind.TEAM, "一楼化妆品柜组服务班组",
               "柜组长", "99.3", members=12, women=10, average_age=31),
    DemoPacket("申城外滩大酒店有限公司", CategoryKind.TEAM, "前厅礼宾服务班组",
               "礼宾主管", "98.8", members=9, women=5, average_age=34),
    DemoPacket("申城老饭店餐饮管理有限公司", CategoryKind.INDIVIDUAL, "陈晓燕",
               "餐厅领班", "99.1", birth=date(1998, 4, 12), female=True),
    DemoPacket("申城第一百货商店有限公司", CategoryKind.INDIVIDUAL, "周建华",
               "商品部柜长", "98.5", birth=date(1979, 8, 3), female=False),
]  # fmt: skip
XUHUI = [
    DemoPacket("申城公交第一客运有限公司", CategoryKind.TEAM, "71路中运量车队服务班组",
               "车队长", "97.9", members=24, women=6, average_age=41),
    DemoPacket("申城第六人民医院", CategoryKind.INDIVIDUAL, "李婷",
               "门诊导医", "99.5", birth=date(1993, 2, 21), female=True),
]  # fmt: skip


def _awaiting_ranking(session: Session, campaign: Campaign, p: DemoPacket, n: int, at: datetime):
    return demo_packet(
        session, campaign, p, state=ApplicationState.CHANNEL_APPROVED, serial=n, submitted_at=at
    )


def _proportional_team_quota(campaign: Campaign) -> None:
    """Teams are recommended in proportion, as a bank's rule has it: 30% of the packets a
    channel received, at least 1 and at most 5 (the ranking page shows the sum)."""
    for category in campaign.categories:
        if category.kind is CategoryKind.TEAM and category.quota_rule is QuotaRule.FIXED:
            category.quota_rule, category.quota_share = QuotaRule.PROPORTIONAL, Decimal(30)
            category.quota_min, category.quota_max = 1, 5


def seed_recommendation_demo(session: Session, campaign: Campaign) -> None:
    """Balance targets on the campaign, packets awaiting the Huangpu quality association's
    ranking, and Xuhui's submitted recommendation. Needs the open demo campaign."""
    if campaign.status is not CampaignStatus.OPEN:
        return
    done = session.scalar(
        sa.select(Application.id).where(
            Application.campaign_id == campaign.id, Application.team_name == HUANGPU[0].name
        )
    )
    if done is not None:
        return
    settings = campaigns.CampaignSettings.of(campaign)
    if settings.target_women_share is None and settings.target_young_share is None:
        targets = replace(settings, target_women_share=Decimal(50), target_young_share=Decimal(40))
        campaigns.update_settings(session, None, campaign, targets)
    _proportional_team_quota(campaign)
    # Within the recommendation window even when the demo is seeded for another day.
    now = min(utcnow(), campaign.recommendation_deadline - timedelta(hours=1))
    at = min(now - timedelta(days=2), campaign.application_deadline - timedelta(hours=1))
    for n, p in enumerate(HUANGPU, start=1):
        _awaiting_ranking(session, campaign, p, n, at)
    xuhui = [_awaiting_ranking(session, campaign, p, 10 + n, at) for n, p in enumerate(XUHUI)]
    reviewer = session.scalar(sa.select(User).where(User.email == XUHUI_REVIEWER))
    for app in xuhui:
        service.submit_recommendation(
            session,
            reviewer,
            campaign,
            app.category,
            [app.id],
            "该申报对象服务规范、群众满意度高，经徐汇区质量协会初评，同意推荐。",
            now=now,
        )
