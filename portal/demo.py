"""A realistic demo: the four organizers, the office, channels of every district, enterprises,
experts, the open 2026 campaign and the closed 2025 one, and a login for every role.

Idempotent: each row is created only when it is missing, so a second run changes nothing and
just prints the logins again. Everything created is in the audit trail as done by 'system',
except moves that a declared workflow allows only to a role: the campaigns' status moves, made
by the demo office user, and the demo score sheets, saved and locked in their experts' names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.campaigns import service as campaigns
from portal.campaigns.models import Campaign, CampaignStatus
from portal.campaigns.workflow import change_status
from portal.checks import CREDIT_ALPHABET, CREDIT_WEIGHTS
from portal.db import get_session
from portal.eligibility.demo import seed_eligibility_demo
from portal.honours.demo import seed_honours_demo
from portal.notice.demo import seed_notice_demo
from portal.organizations.models import (
    ChannelLevel,
    District,
    Industry,
    Organization,
    OrgKind,
    OrgSystem,
    UnitNature,
)
from portal.recommendations.demo import seed_recommendation_demo
from portal.reevaluation.demo import seed_reevaluation_demo
from portal.reference import seed_reference
from portal.review.demo import seed_review_demo
from portal.roles import Role
from portal.scoring.demo import EXPERT_HOME, seed_scoring_demo
from portal.scoring.demo import EXPERTS as DEMO_EXPERTS
from portal.similarity.demo import seed_similarity_demo
from portal.statistics.demo import seed_statistics_demo
from portal.survey.demo import seed_survey_demo
from portal.workflow import TransitionRefused

DEMO_PASSWORD = "demo-password-2026"
DEMO_THEME = "质量激发工匠精神 满意引领服务升级"

ORGANIZERS = {
    OrgSystem.QUALITY: "上海市质量协会",
    OrgSystem.UNION: "上海市总工会",
    OrgSystem.YOUTH: "共青团上海市委员会",
    OrgSystem.WOMEN: "上海市妇女联合会",
}
OFFICE = "市创建活动工作办公室"

# How each system names its district body: 黄浦区总工会, 共青团黄浦区委员会 ...
CHANNEL_NAMES = {
    OrgSystem.UNION: "{d}总工会",
    OrgSystem.YOUTH: "共青团{d}委员会",
    OrgSystem.WOMEN: "{d}妇女联合会",
    OrgSystem.QUALITY: "{d}质量协会",
}
INDUSTRY_CHANNELS = [
    ("上海铁路局工会", OrgSystem.UNION, "railway"),
    ("申城银行集团团委", OrgSystem.YOUTH, "finance"),
]

# Administrative division codes (GB/T 2260) of the districts, for the credit codes.
DIVISIONS = {
    "huangpu": "310101",
    "xuhui": "310104",
    "jingan": "310106",
    "minhang": "310112",
    "pudong": "310115",
}


@dataclass(frozen=True)
class DemoEnterprise:
    name: str
    district: str
    industry: str
    nature: UnitNature
    contact: str
    mobile: str
    address: str


ENTERPRISES = [
    DemoEnterprise(
        "申城第一百货商店有限公司",
        "huangpu",
        "commerce",
        UnitNature.STATE_CONTROLLED,
        "王敏",
        "13800000001",
        "南京东路830号",
    ),
    DemoEnterprise(
        "申城国际旅行社有限公司",
        "jingan",
        "tourism",
        UnitNature.STATE_OWNED,
        "李静",
        "13800000002",
        "北京西路1000号",
    ),
    DemoEnterprise(
        "申城老饭店餐饮管理有限公司",
        "huangpu",
        "catering",
        UnitNature.PRIVATE,
        "张伟",
        "13800000003",
        "福佑路242号",
    ),
    DemoEnterprise(
        "申城外滩大酒店有限公司",
        "huangpu",
        "hotels",
        UnitNature.STATE_CONTROLLED,
        "陈丽",
        "13800000004",
        "中山东一路19号",
    ),
    DemoEnterprise(
        "申城农商银行股份有限公司",
        "pudong",
        "finance",
        UnitNature.STATE_CONTROLLED,
        "刘洋",
        "13800000005",
        "世纪大道1500号",
    ),
    DemoEnterprise(
        "申城公交第一客运有限公司",
        "xuhui",
        "transit",
        UnitNature.STATE_OWNED,
        "赵强",
        "13800000006",
        "漕溪北路88号",
    ),
    DemoEnterprise(
        "申城第六人民医院",
        "xuhui",
        "health",
        UnitNature.PUBLIC_INSTITUTION,
        "孙芳",
        "13800000007",
        "宜山路600号",
    ),
    DemoEnterprise(
        "申城燃气客户服务有限公司",
        "minhang",
        "utilities",
        UnitNature.STATE_OWNED,
        "周杰",
        "13800000008",
        "莘庄镇沪闵路6088号",
    ),
]


@dataclass(frozen=True)
class DemoLogin:
    role: Role
    email: str
    name: str
    organization: str


LOGINS = [
    DemoLogin(Role.ENTERPRISE, "qiye@demo.example.com", "王敏", ENTERPRISES[0].name),
    DemoLogin(Role.CHANNEL_REVIEWER, "gonghui.huangpu@demo.example.com", "吴刚", "黄浦区总工会"),
    DemoLogin(
        Role.CHANNEL_REVIEWER, "tuanwei.huangpu@demo.example.com", "郑晓", "共青团黄浦区委员会"
    ),
    DemoLogin(
        Role.CHANNEL_REVIEWER, "fulian.huangpu@demo.example.com", "何丽萍", "黄浦区妇女联合会"
    ),
    DemoLogin(Role.CHANNEL_REVIEWER, "zhixie.huangpu@demo.example.com", "钱志明", "黄浦区质量协会"),
    DemoLogin(Role.CHANNEL_REVIEWER, "zhixie.xuhui@demo.example.com", "蒋文斌", "徐汇区质量协会"),
    DemoLogin(Role.OFFICE, "bangongshi@demo.example.com", "林小燕", OFFICE),
    DemoLogin(Role.ORGANIZER, "zhixie@demo.example.com", "高建国", ORGANIZERS[OrgSystem.QUALITY]),
    DemoLogin(Role.ORGANIZER, "zonggonghui@demo.example.com", "马红", ORGANIZERS[OrgSystem.UNION]),
    DemoLogin(Role.ORGANIZER, "tuanshiwei@demo.example.com", "杨帆", ORGANIZERS[OrgSystem.YOUTH]),
    DemoLogin(Role.ORGANIZER, "fulian@demo.example.com", "许文娟", ORGANIZERS[OrgSystem.WOMEN]),
    # Every expert of the demo's panels, so that each packet's sheets can all be locked.
    *[DemoLogin(Role.EXPERT, email, name, home) for email, name, _t, home, _i in DEMO_EXPERTS],
    DemoLogin(Role.ADMIN, "admin@demo.example.com", "系统管理员", OFFICE),
]


def credit_code(division: str, serial: int, unit_type: str = "91") -> str:
    """A unified social credit code (GB 32100-2015) with a correct check character."""
    body = f"{unit_type}{division}MA1F{serial:04d}L"
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


class _Seeder:
    """Get-or-create helpers that audit every row they create as done by 'system'."""

    def __init__(self, session: Session):
        self.session = session
        self.created = 0

    def org(self, name: str, kind: OrgKind, **fields) -> Organization:
        org = self.session.scalar(sa.select(Organization).where(Organization.name == name))
        if org is not None:
            return org
        org = Organization(name=name, kind=kind, **fields)
        self.session.add(org)
        self.session.flush()
        audit.record(
            self.session,
            actor=None,
            action="organization.create",
            obj=org,
            after=audit.snapshot(org),
        )
        self.created += 1
        return org

    def user(self, login: DemoLogin) -> User:
        user = self.session.scalar(sa.select(User).where(User.email == login.email))
        if user is not None:
            return user
        org = self.session.scalar(
            sa.select(Organization).where(Organization.name == login.organization)
        )
        user = User(email=login.email, name=login.name, role=login.role, organization=org)
        user.set_password(DEMO_PASSWORD)
        self.session.add(user)
        self.session.flush()
        after = audit.snapshot(user)
        after["password_setup"] = "initial_password"
        audit.record(self.session, actor=None, action="user.create", obj=user, after=after)
        self.created += 1
        return user


Coded = TypeVar("Coded", District, Industry)


def _by_code(session: Session, model: type[Coded]) -> dict[str, Coded]:
    return {row.code: row for row in session.scalars(sa.select(model))}


def _seed_organizations(s: _Seeder) -> None:
    session = s.session
    districts = _by_code(session, District)
    industries = _by_code(session, Industry)
    organizers = {
        system: s.org(name, OrgKind.ORGANIZER, system=system) for system, name in ORGANIZERS.items()
    }
    s.org(OFFICE, OrgKind.OFFICE, parent_id=organizers[OrgSystem.QUALITY].id)
    s.org(EXPERT_HOME, OrgKind.OTHER, district=districts["xuhui"])
    ordered = sorted(districts.values(), key=lambda d: d.position)
    for district in ordered:
        for system, pattern in CHANNEL_NAMES.items():
            s.org(
                pattern.format(d=district.name_zh),
                OrgKind.CHANNEL,
                system=system,
                channel_level=ChannelLevel.DISTRICT,
                district=district,
                parent_id=organizers[system].id,
            )
    for name, system, industry in INDUSTRY_CHANNELS:
        s.org(
            name,
            OrgKind.CHANNEL,
            system=system,
            channel_level=ChannelLevel.INDUSTRY,
            industry=industries[industry],
            parent_id=organizers[system].id,
        )
    for serial, e in enumerate(ENTERPRISES, start=1):
        unit_type = "12" if e.nature is UnitNature.PUBLIC_INSTITUTION else "91"
        s.org(
            e.name,
            OrgKind.ENTERPRISE,
            credit_code=credit_code(DIVISIONS[e.district], serial, unit_type),
            unit_nature=e.nature,
            district=districts[e.district],
            industry=industries[e.industry],
            contact_name=e.contact,
            contact_mobile=e.mobile,
            address=f"上海市{districts[e.district].name_zh}{e.address}",
        )


def _beijing_at_five(day: date) -> datetime:
    return datetime.combine(day, time(17, 0), tzinfo=campaigns.SHANGHAI)


def _seed_campaign(
    s: _Seeder, office: User, year: int, settings, statuses: list[CampaignStatus]
) -> Campaign:
    """Create the campaign if it is missing and walk it through `statuses` as the office."""
    session = s.session
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == year))
    if campaign is not None:
        return campaign
    campaign = campaigns.create_campaign(session, None, settings)
    s.created += 1
    for status in statuses:
        try:
            change_status(session, office, campaign, status)
        except TransitionRefused:
            break  # e.g. another campaign is already open: leave this one as it is
    return campaign


def seed_demo(today: date | None = None) -> list[str]:
    """Create what is missing of the demo, commit, and return the lines that list the logins."""
    session = get_session()
    today = today or campaigns.beijing_today()
    s = _Seeder(session)
    seed_reference(session)
    _seed_organizations(s)
    users = [s.user(login) for login in LOGINS]
    office = next(u for u in users if u.role is Role.OFFICE)

    last_year = campaigns.default_settings(session, 2025)
    last_year.theme = DEMO_THEME
    _seed_campaign(s, office, 2025, last_year, [CampaignStatus.OPEN, CampaignStatus.CLOSED])

    current = campaigns.default_settings(session, 2026)
    current.theme = DEMO_THEME
    current.application_deadline = _beijing_at_five(today + timedelta(days=30))
    current.recommendation_deadline = _beijing_at_five(today + timedelta(days=35))
    current.review_deadline = _beijing_at_five(today + timedelta(days=45))
    current.reference_date = today + timedelta(days=30)
    _seed_campaign(s, office, 2026, current, [CampaignStatus.OPEN])
    session.commit()

    year_2025 = session.scalars(sa.select(Campaign).where(Campaign.year == 2025)).one()
    year_2026 = session.scalars(sa.select(Campaign).where(Campaign.year == 2026)).one()
    seed_notice_demo(session, year_2025)

    seed_recommendation_demo(session, year_2026)
    session.commit()

    seed_review_demo(session, year_2026)
    session.commit()

    honour_lines = seed_honours_demo(session, year_2025)
    seed_reevaluation_demo(session)

    seed_scoring_demo(session, year_2026)

    seed_similarity_demo(session)
    seed_statistics_demo(session, year_2026)
    seed_eligibility_demo(session, year_2026)
    seed_survey_demo(session, year_2026)
    session.commit()

    if s.created:
        lines = [f"Demo data created ({s.created} new records)."]
    else:
        lines = ["Demo data already present; nothing changed."]
    lines.append(f"{'role':<18}{'email':<36}{'password':<22}organization")
    for login in LOGINS:
        lines.append(
            f"{login.role.value:<18}{login.email:<36}{DEMO_PASSWORD:<22}{login.organization}"
        )
    return lines + honour_lines
