"""Demo packets for the ranked recommendation: four awaiting the Huangpu quality association's
ranking, and a submitted recommendation of the Xuhui quality association for the dashboard.

Idempotent: nothing is done when the campaign already holds the demo packets.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import Role, User
from portal.applications.members import derive_figures
from portal.applications.models import Application, ApplicationState, ApplicationVersion, TeamMember
from portal.campaigns import service as campaigns
from portal.campaigns.models import Campaign, CampaignStatus, CategoryKind
from portal.checks import ID_CHECK_CHARS, ID_WEIGHTS
from portal.db import utcnow
from portal.organizations.models import Organization
from portal.recommendations import service

DEMO_PASSWORD = "demo-password-2026"
XUHUI_REVIEWER = ("zhixie.xuhui@demo.example.com", "蒋文斌", "徐汇区质量协会")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("敏", "伟", "芳", "娜", "强", "磊", "静", "军", "洋", "艳", "杰", "丽")


@dataclass(frozen=True)
class DemoPacket:
    unit: str
    kind: CategoryKind
    name: str  # team name or person's name
    post: str
    satisfaction: str
    members: int = 0
    women: int = 0
    average_age: int = 0
    birth: date | None = None  # individuals
    female: bool = False


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


def _id_number(birth: date, female: bool, serial: int) -> str:
    """A valid resident ID number (GB 11643-1999) of a Xuhui-registered person."""
    body = f"310104{birth:%Y%m%d}{serial % 100:02d}{(serial % 4) * 2 + (0 if female else 1)}"
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK_CHARS[total % 11]


def _members(p: DemoPacket, ref: date) -> list[TeamMember]:
    """Members whose ages spread evenly around the packet's average age."""
    rows = []
    for i in range(p.members):
        age = p.average_age + (i % 5 - 2) * 3
        name = SURNAMES[(i * 7) % len(SURNAMES)] + GIVEN[i % len(GIVEN)]
        rows.append(
            TeamMember(
                position=i,
                name=name,
                birth_date=date(ref.year - age, 1 + i % 12, 10),
                female=i < p.women,
                post="组员" if i else p.post,
                years_in_post=3 + i % 6,
            )
        )
    return rows


def _packet(session: Session, campaign: Campaign, p: DemoPacket, n: int, at: datetime):
    unit = session.scalar(sa.select(Organization).where(Organization.name == p.unit))
    category = next(c for c in campaign.categories if c.kind is p.kind)
    app = Application(
        campaign=campaign,
        category=category,
        organization=unit,
        district_id=unit.district_id,
        industry_id=unit.industry_id,
        unit_nature=unit.unit_nature,
        unit_address=unit.address,
        state=ApplicationState.CHANNEL_APPROVED,
        submitted_at=at,
        satisfaction_rate=Decimal(p.satisfaction),
        service_content="窗口服务",
        honours=[],
        narrative="",
    )
    if p.kind is CategoryKind.TEAM:
        app.team_name, app.leader_name, app.leader_post = p.name, p.name[:2], p.post
        app.members = _members(p, campaign.reference_date)
    else:
        app.person_name, app.post = p.name, p.post
        app.id_number = _id_number(p.birth, p.female, n)
        app.post_start_date = date(campaign.reference_date.year - 5, 3, 1)
    session.add(app)
    session.flush()
    derive_figures(app)
    session.add(
        ApplicationVersion(
            application=app, number=1, submitted_at=at, snapshot=service_snapshot(app)
        )
    )
    session.flush()
    audit.record(session, actor=None, action="application.demo", obj=app, after=audit.snapshot(app))
    return app


def service_snapshot(app: Application) -> dict:
    from portal.applications.service import make_snapshot

    return make_snapshot(app)


def _xuhui_reviewer(session: Session) -> tuple[User | None, int]:
    """The Xuhui quality association's reviewer, and 1 if the account was created now."""
    email, name, org_name = XUHUI_REVIEWER
    user = session.scalar(sa.select(User).where(User.email == email))
    if user is not None:
        return user, 0
    org = session.scalar(sa.select(Organization).where(Organization.name == org_name))
    if org is None:
        return None, 0
    user = User(email=email, name=name, role=Role.CHANNEL_REVIEWER, organization=org)
    user.set_password(DEMO_PASSWORD)
    session.add(user)
    session.flush()
    after = {**audit.snapshot(user), "password_setup": "initial_password"}
    audit.record(session, actor=None, action="user.create", obj=user, after=after)
    return user, 1


def seed_recommendation_demo(session: Session, campaign: Campaign) -> int:
    """Balance targets on the campaign, packets awaiting the Huangpu quality association's
    ranking, and Xuhui's submitted recommendation. Needs the open demo campaign.

    Returns the number of accounts created (the Xuhui reviewer, zhixie.xuhui@demo.example.com).
    """
    if campaign.status is not CampaignStatus.OPEN:
        return 0
    done = session.scalar(
        sa.select(Application.id).where(
            Application.campaign_id == campaign.id, Application.team_name == HUANGPU[0].name
        )
    )
    if done is not None:
        return 0
    settings = campaigns.CampaignSettings.of(campaign)
    if settings.target_women_share is None and settings.target_young_share is None:
        targets = replace(settings, target_women_share=Decimal(50), target_young_share=Decimal(40))
        campaigns.update_settings(session, None, campaign, targets)
    # Within the recommendation window even when the demo is seeded for another day.
    now = min(utcnow(), campaign.recommendation_deadline - timedelta(hours=1))
    at = min(now - timedelta(days=2), campaign.application_deadline - timedelta(hours=1))
    for n, p in enumerate(HUANGPU, start=1):
        _packet(session, campaign, p, n, at)
    xuhui = [_packet(session, campaign, p, 10 + n, at) for n, p in enumerate(XUHUI)]
    reviewer, created = _xuhui_reviewer(session)
    if reviewer is None:
        return created
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
    return created
