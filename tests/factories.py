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
