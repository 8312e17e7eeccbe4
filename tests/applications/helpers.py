"""Builders for application packets in tests: valid ID numbers, drafts, complete packets."""

from __future__ import annotations

import io
import itertools
from datetime import date, timedelta

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import service
from portal.applications.files import add_file
from portal.applications.models import Application, ApplicationState, FileCategory
from portal.campaigns.models import Campaign, CategoryKind
from portal.checks import ID_CHECK_CHARS, ID_WEIGHTS
from portal.db import get_session, utcnow
from tests.factories import make_campaign, make_user

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
# Far above every year a test names itself (the highest is 3004), and apart from the
# scoring helpers' range (3100-3999), so a counted year never meets a named one.
_years = itertools.count(4000)


def make_id_number(birth: date, female: bool, serial: int = 12, area: str = "310101") -> str:
    """A valid resident ID number (GB 11643-1999) for the birth date and sex."""
    sex_digit = (2 if female else 1) + 0
    body = f"{area}{birth:%Y%m%d}{serial:02d}{sex_digit}"
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK_CHARS[total % 11]


def _unused_year() -> int:
    """The next year of the counter that no campaign in this test holds: tests that name a
    year of their own (say 2333) must not meet the counter after a few thousand tests."""
    taken = set(get_session().scalars(sa.select(Campaign.year)))
    return next(year for year in _years if year not in taken)


def open_campaign(**fields) -> Campaign:
    """An open campaign whose application deadline is a year ahead of now."""
    if "year" not in fields:
        fields["year"] = _unused_year()
    deadline = utcnow() + timedelta(days=365)
    fields.setdefault("application_deadline", deadline)
    fields.setdefault("recommendation_deadline", deadline + timedelta(days=5))
    fields.setdefault("review_deadline", deadline + timedelta(days=15))
    fields.setdefault("reference_date", date(2026, 11, 10))
    return make_campaign(**fields)


def category(campaign: Campaign, kind: CategoryKind):
    return next(c for c in campaign.categories if c.kind is kind)


def make_draft(
    user=None, kind: CategoryKind = CategoryKind.TEAM, campaign=None, now=None
) -> Application:
    user = user or make_user(Role.ENTERPRISE)
    campaign = campaign or open_campaign()
    return service.create_application(
        get_session(), user, campaign, category(campaign, kind), now=now
    )


TEAM_FIELDS = {
    "unit_nature": "state_owned",
    "unit_address": "上海市黄浦区中山东一路1号",
    "unit_postcode": "200002",
    "team_name": "外滩营业部服务班组",
    "team_founded_on": "2015-03-01",
    "leader_name": "李红",
    "leader_post": "班组长",
    "leader_mobile": "13800138000",
    "service_content": "个人金融业务窗口服务",
    "customers_served": "社区居民与小微企业",
    "satisfaction_rate": "99.2",
    "deeds_summary": "班组坚持以客户为中心。",
}
INDIVIDUAL_FIELDS = {
    "unit_nature": "state_owned",
    "unit_address": "上海市黄浦区中山东一路1号",
    "unit_postcode": "200002",
    "person_name": "王芳",
    "id_number": make_id_number(date(1990, 5, 17), female=True),
    "ethnicity": "汉族",
    "political_status": "中共党员",
    "education": "本科",
    "work_start_date": "2012-07-01",
    "post_start_date": "2018-03-01",
    "post": "大堂经理",
    "mobile": "13900139000",
    "service_content": "大堂引导与咨询",
    "customers_served": "网点客户",
    "satisfaction_rate": "98.5",
    "deeds_summary": "热情服务每一位客户。",
}
MEMBERS = [
    {"name": "李红", "id_number": make_id_number(date(1986, 1, 20), female=True)},
    {"name": "张伟", "sex": "male", "birth_date": "1996-12-01", "post": "柜员"},
    {"name": "陈静", "sex": "female", "birth_date": "2000-11-10", "post": "柜员"},
]


def attach(app: Application, category: FileCategory, content: bytes = PDF, name="scan.pdf"):
    return add_file(
        get_session(),
        app,
        app.created_by,
        category=category,
        stream=io.BytesIO(content),
        filename=name,
    )


def make_complete(
    user=None,
    kind: CategoryKind = CategoryKind.TEAM,
    campaign=None,
    now=None,
    *,
    scanned_surveys: bool = True,
):
    """A draft with every required field, the narrative and the required files (the customer
    surveys as a scan unless told not to)."""
    app = make_draft(user, kind, campaign, now)
    team = kind is CategoryKind.TEAM
    service.update_application(
        get_session(),
        app,
        app.created_by,
        fields=TEAM_FIELDS if team else INDIVIDUAL_FIELDS,
        members=MEMBERS if team else None,
        narrative="服" * app.category.narrative_min_chars,
    )
    for cat in (FileCategory.SEALED_FORM, FileCategory.EVIDENCE, FileCategory.SURVEY):
        if scanned_surveys or cat is not FileCategory.SURVEY:
            attach(app, cat)
    return app


def make_submitted(user=None, kind: CategoryKind = CategoryKind.TEAM, campaign=None):
    app = make_complete(user, kind, campaign)
    service.submit_application(get_session(), app.id, app.created_by)
    assert app.state is ApplicationState.SUBMITTED
    return app
