"""Demo packets in the Huangpu review chain: waiting at each channel stage, one returned to
its enterprise with the women's federation's reason, with the stages' opinions on record.

Idempotent: nothing is done when the campaign already holds the demo packets.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.accounts.models import User
from portal.applications.demo import DemoPacket, demo_packet
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignStatus, CategoryKind
from portal.db import utcnow
from portal.review import chain, service
from portal.review.models import Decision

REVIEWERS = {
    "union": "gonghui.huangpu@demo.example.com",
    "youth": "tuanwei.huangpu@demo.example.com",
    "women": "fulian.huangpu@demo.example.com",
    "quality": "zhixie.huangpu@demo.example.com",
}
ENTERPRISE_LOGIN = "qiye@demo.example.com"  # 申城第一百货商店有限公司
OPINIONS = {
    "union": "班组建设扎实，职工满意度高，同意推荐。",
    "youth": "青年员工占比较高，服务创新突出，同意推荐。",
    "women": "女职工比例符合要求，同意推荐。",
}
RETURN_REASON = "请补充近三年用户(顾客)评价调查表原件，并说明女职工人数的统计口径。"

# Each packet, and the decisions made on it in chain order.
PACKETS = [
    (
        DemoPacket("申城第一百货商店有限公司", CategoryKind.TEAM, "黄金珠宝柜组服务班组",
                   "柜组长", "99.0", members=8, women=6, average_age=33),
        [],
    ),
    (
        DemoPacket("申城外滩大酒店有限公司", CategoryKind.INDIVIDUAL, "刘佳",
                   "客房服务员", "98.9", birth=date(1995, 6, 18), female=True),
        [("union", Decision.FORWARD)],
    ),
    (
        DemoPacket("申城老饭店餐饮管理有限公司", CategoryKind.TEAM, "点心制作服务班组",
                   "点心师", "98.6", members=10, women=4, average_age=38),
        [("union", Decision.FORWARD), ("youth", Decision.FORWARD)],
    ),
    (
        DemoPacket("申城第一百货商店有限公司", CategoryKind.INDIVIDUAL, "孙丽华",
                   "服装部营业员", "99.2", birth=date(1987, 11, 2), female=True),
        [("union", Decision.FORWARD), ("youth", Decision.FORWARD), ("women", Decision.RETURN)],
    ),
    (
        DemoPacket("申城外滩大酒店有限公司", CategoryKind.TEAM, "客房部楼层服务班组",
                   "楼层主管", "99.4", members=14, women=11, average_age=35),
        [("union", Decision.FORWARD), ("youth", Decision.FORWARD), ("women", Decision.FORWARD)],
    ),
]  # fmt: skip


def seed_review_demo(session: Session, campaign: Campaign | None) -> int:
    """Put five Huangpu packets of the open campaign at different stages of the chain.

    Returns the number of packets created (0 when already seeded or not possible).
    """
    if campaign is None or campaign.status is not CampaignStatus.OPEN:
        return 0
    done = session.scalar(
        sa.select(Application.id).where(
            Application.campaign_id == campaign.id, Application.team_name == PACKETS[0][0].name
        )
    )
    if done is not None:
        return 0
    reviewers = {
        system: session.scalar(sa.select(User).where(User.email == email))
        for system, email in REVIEWERS.items()
    }
    if any(user is None for user in reviewers.values()):
        return 0
    creator = session.scalar(sa.select(User).where(User.email == ENTERPRISE_LOGIN))
    # Within the review window even when the demo is seeded on another day.
    now = min(utcnow(), campaign.recommendation_deadline - timedelta(hours=2))
    at = min(now - timedelta(days=3), campaign.application_deadline - timedelta(hours=2))
    for n, (packet, decisions) in enumerate(PACKETS):
        app = demo_packet(
            session,
            campaign,
            packet,
            state=ApplicationState.SUBMITTED,
            serial=40 + n,
            submitted_at=at,
            creator=creator,
        )
        chain.enter_chain(session, app)
        session.flush()
        for step, (system, decision) in enumerate(decisions):
            opinion = RETURN_REASON if decision is Decision.RETURN else OPINIONS[system]
            when = at + timedelta(days=1, hours=step)
            service.decide(session, app.id, reviewers[system], decision, opinion, now=when)
    return len(PACKETS)
