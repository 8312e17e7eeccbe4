"""Factory functions that build real rows through the models, with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from portal.accounts.models import Role, User
from portal.campaigns import defaults
from portal.campaigns.models import Campaign, CampaignStatus
from portal.checks import CREDIT_ALPHABET, CREDIT_WEIGHTS
from portal.db import get_session
from portal.organizations.models import (
    ChannelLevel,
    District,
    Industry,
    Organization,
    OrgKind,
    OrgSystem,
)
from portal.reference import seed_reference

SHANGHAI = ZoneInfo("Asia/Shanghai")
PASSWORD = "password-123456"
_seq = itertools.count(1)
# A packet made without a campaign gets one of its own, of a year no test names (they name
# years up to 3007), unique within a test; the years come round again after 5,000 such
# campaigns, so that a long run never reaches a year a date cannot hold.
_own_years = (4000 + n % 5000 for n in itertools.count())


def make_credit_code(serial: int) -> str:
    """A valid unified social credit code with the given serial in its body."""
    body = f"91310000{serial:09d}"
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=True))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def shanghai(*args) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def district(code: str = "huangpu") -> District:
    session = get_session()
    seed_reference(session)
    return session.scalar(sa.select(District).where(District.code == code))


def industry(code: str = "finance") -> Industry:
    session = get_session()
    seed_reference(session)
    return session.scalar(sa.select(Industry).where(Industry.code == code))


def make_org(kind: OrgKind = OrgKind.ENTERPRISE, **fields) -> Organization:
    n = next(_seq)
    fields.setdefault("name", f"{kind.value}-{n} 测试单位")
    if kind is OrgKind.ENTERPRISE:
        fields.setdefault("credit_code", make_credit_code(n))
        fields.setdefault("district", district())
        fields.setdefault("industry", industry())
    if kind in (OrgKind.ORGANIZER, OrgKind.CHANNEL):
        fields.setdefault("system", OrgSystem.UNION)
    if kind is OrgKind.CHANNEL:
        fields.setdefault("channel_level", ChannelLevel.DISTRICT)
        fields.setdefault("district", district())
    org = Organization(kind=kind, **fields)
    get_session().add(org)
    get_session().flush()
    return org


ROLE_ORG_KIND = {
    Role.ENTERPRISE: OrgKind.ENTERPRISE,
    Role.CHANNEL_REVIEWER: OrgKind.CHANNEL,
    Role.OFFICE: OrgKind.OFFICE,
    Role.ORGANIZER: OrgKind.ORGANIZER,
    Role.EXPERT: OrgKind.OTHER,
    Role.ADMIN: OrgKind.OFFICE,
}


def make_user(
    role: Role = Role.ENTERPRISE,
    organization: Organization | None = None,
    password: str = PASSWORD,
    **fields,
) -> User:
    n = next(_seq)
    fields.setdefault("email", f"{role.value}{n}@example.com")
    fields.setdefault("name", f"用户{n}")
    user = User(role=role, organization=organization or make_org(ROLE_ORG_KIND[role]), **fields)
    user.set_password(password)
    get_session().add(user)
    get_session().flush()
    return user


def make_campaign(
    year: int = 2026, status: CampaignStatus = CampaignStatus.OPEN, **fields
) -> Campaign:
    fields.setdefault("theme", defaults.THEME)
    fields.setdefault("application_deadline", shanghai(year, 11, 10, 17, 0))
    fields.setdefault("recommendation_deadline", shanghai(year, 11, 15, 17, 0))
    fields.setdefault("review_deadline", shanghai(year, 11, 25, 17, 0))
    fields.setdefault("reference_date", date(year, 11, 10))
    campaign = Campaign(year=year, status=status, **fields)
    campaign.categories = defaults.default_categories()
    campaign.stages = defaults.default_stages()
    campaign.rubric = defaults.default_rubric()
    get_session().add(campaign)
    get_session().flush()
    return campaign


def make_application(
    state=None,
    *,
    campaign: Campaign | None = None,
    organization: Organization | None = None,
    kind=None,
    members: int = 3,
    women: int = 1,
    **fields,
):
    """A packet put straight into any state, with one frozen version (no files, no workflow).

    For tests of what happens after submission: review, scoring, notice, honours. Individuals
    get age and sex from fields (age=, female=); teams get member figures computed from
    `members` and `women`. Anything else goes through **fields.
    """
    from decimal import Decimal

    from portal.applications.models import Application, ApplicationState, ApplicationVersion
    from portal.applications.service import make_snapshot
    from portal.campaigns.models import CategoryKind
    from portal.db import utcnow

    state = state or ApplicationState.SUBMITTED
    kind = kind or CategoryKind.TEAM
    campaign = campaign or make_campaign(year=next(_own_years))
    organization = organization or make_org(OrgKind.ENTERPRISE)
    category = next(c for c in campaign.categories if c.kind is kind)
    n = next(_seq)
    if kind is CategoryKind.TEAM:
        fields.setdefault("team_name", f"服务班组{n}")
        fields.setdefault("member_count", members)
        fields.setdefault("women_count", women)
        fields.setdefault("women_share", Decimal(round(100 * women / members, 1)))
        fields.setdefault("average_age", Decimal("36.5"))
    else:
        fields.setdefault("person_name", f"申报人{n}")
        fields.setdefault("female", n % 2 == 0)
        fields.setdefault("age", 30 + n % 30)
    fields.setdefault("narrative", "")
    submitted = None if state is ApplicationState.DRAFT else utcnow()
    app = Application(
        campaign=campaign,
        category=category,
        organization=organization,
        district_id=organization.district_id,
        industry_id=organization.industry_id,
        state=state,
        submitted_at=submitted,
        **fields,
    )
    session = get_session()
    session.add(app)
    session.flush()
    if submitted:
        session.add(
            ApplicationVersion(
                application=app, number=1, submitted_at=submitted, snapshot=make_snapshot(app)
            )
        )
        session.flush()
    return app
