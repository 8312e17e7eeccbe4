"""Demo application packets placed straight into a later state of their life, with one frozen
version, for the demo seeds of the review chain and the ranked recommendation."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.applications import demo_texts as texts
from portal.applications.members import derive_figures
from portal.applications.models import Application, ApplicationState, ApplicationVersion, TeamMember
from portal.applications.service import make_snapshot
from portal.campaigns.models import Campaign, CategoryKind
from portal.checks import ID_CHECK_CHARS, ID_WEIGHTS
from portal.organizations.models import Organization

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
WOMEN_NAMES = ("秀英", "丽华", "静怡", "晓燕", "佳慧", "海燕", "雪梅", "婷", "敏", "玉兰", "春霞")
MEN_NAMES = ("建华", "志强", "伟", "国平", "俊杰", "海波", "文斌", "磊", "浩然", "永明", "立新")
ETHNIC, POLITICAL, EDUCATION = "汉族", ("中共党员", "共青团员", "群众"), ("大专", "本科")


@dataclass(frozen=True)
class DemoPacket:
    unit: str  # the enterprise's registered name
    kind: CategoryKind
    name: str  # team name or person's name
    post: str  # the team leader's post, or the person's
    satisfaction: str
    members: int = 0
    women: int = 0
    average_age: int = 0
    birth: date | None = None  # individuals
    female: bool = False


def demo_id_number(birth: date, female: bool, serial: int) -> str:
    """A valid resident ID number (GB 11643-1999) of a Xuhui-registered person."""
    body = f"310104{birth:%Y%m%d}{serial % 100:02d}{(serial % 4) * 2 + (0 if female else 1)}"
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK_CHARS[total % 11]


def demo_members(p: DemoPacket, ref: date) -> list[TeamMember]:
    """p.members people, p.women of them women, ages spread around p.average_age; the first
    is the team leader. Names are drawn per packet, so teams do not share their people."""
    rng = random.Random(p.name)
    women = set(rng.sample(range(p.members), p.women))
    surnames = rng.sample(SURNAMES, min(p.members, len(SURNAMES)))
    rows = []
    for i in range(p.members):
        female = i in women
        age = max(21, min(58, p.average_age + (i % 5 - 2) * 3 + (i // 5) % 2))
        given = WOMEN_NAMES if female else MEN_NAMES
        rows.append(
            TeamMember(
                position=i,
                name=surnames[i % len(surnames)] + given[(i * 3 + len(p.name)) % len(given)],
                birth_date=date(ref.year - age, 1 + (i * 5) % 12, 1 + (i * 7) % 28),
                female=female,
                post=p.post if i == 0 else MEMBER_POSTS.get(p.post, "组员"),
                years_in_post=min(age - 20, 2 + (i * 3) % 9),
            )
        )
    return rows


# The post of the other members of a team, by the leader's post.
MEMBER_POSTS = {
    "柜组长": "营业员",
    "礼宾主管": "礼宾员",
    "宴会主管": "宴会服务员",
    "楼层主管": "客房服务员",
    "点心师": "点心制作员",
    "车队长": "驾驶员",
}


def _facts(p: DemoPacket, app: Application) -> texts.NarrativeFacts:
    """What the narrative tells of the packet, read from its rows and derived figures."""
    team = p.kind is CategoryKind.TEAM
    founded = app.team_founded_on if team else app.post_start_date
    if founded is None:  # demo_packet fills both in
        raise ValueError(f"the demo packet {p.name} has no founding or post start date")
    return texts.NarrativeFacts(
        industry=app.organization.industry.code if app.organization.industry else "commerce",
        unit=app.organization.name,
        name=p.name,
        team=team,
        post=p.post,
        founded=founded.year,
        members=app.member_count or 0,
        women=app.women_count or 0,
        women_share=app.women_share,
        average_age=app.average_age,
        satisfaction=p.satisfaction,
        year=app.campaign.year - 1,
    )


def demo_packet(
    session: Session,
    campaign: Campaign,
    p: DemoPacket,
    *,
    state: ApplicationState,
    serial: int,
    submitted_at: datetime,
    creator: User | None = None,
    retell: Callable[[texts.NarrativeFacts], str] | None = None,
) -> Application:
    """A packet of p's unit in `state`, submitted at `submitted_at`, with its version 1: every
    field of the form filled, figures derived from its members or ID number, and a narrative
    told from those figures (by `retell` when given: a recycled one).

    `serial` keeps the ID numbers of a seed's individuals apart; `creator` is recorded as the
    packet's author when they belong to its unit.
    """
    unit = session.scalars(sa.select(Organization).where(Organization.name == p.unit)).one()
    trade = texts.TRADES.get(unit.industry.code if unit.industry else "", texts.TRADES["commerce"])
    ref = campaign.reference_date
    rate = Decimal(p.satisfaction)
    fields: dict[str, object] = dict(
        unit_nature=unit.unit_nature,
        unit_address=unit.address,
        unit_postcode="200001",
        created_by=creator if creator and creator.organization_id == unit.id else None,
        satisfaction_rate=rate,
        on_time_rate=min(Decimal("99.9"), rate + Decimal("0.4")),
        complaint_rate=Decimal("0.02"),
        complaint_handling_rate=Decimal("100"),
        service_content=trade.service,
        customers_served=trade.served,
        honours=[],
    )
    if p.kind is CategoryKind.TEAM:
        members = demo_members(p, ref)
        fields.update(
            team_name=p.name,
            team_founded_on=date(ref.year - 6 - serial % 9, 3, 1),
            leader_name=members[0].name,
            leader_post=p.post,
            leader_mobile=f"1391800{serial:04d}",
            members=members,
        )
    else:
        birth = p.birth
        if birth is None:
            raise ValueError(f"the demo individual {p.name} has no birth date")
        fields.update(
            person_name=p.name,
            post=p.post,
            id_number=demo_id_number(birth, p.female, serial),
            ethnicity=ETHNIC,
            political_status=POLITICAL[serial % len(POLITICAL)],
            education=EDUCATION[serial % len(EDUCATION)],
            work_start_date=date(birth.year + 21, 7, 1),
            post_start_date=date(max(birth.year + 23, ref.year - 8 + serial % 4), 3, 1),
            mobile=f"1391700{serial:04d}",
        )

    def compose(app: Application) -> None:
        facts = _facts(p, app)
        told = session.scalars(
            sa.select(Application.narrative).where(
                Application.industry_id == unit.industry_id, Application.narrative != ""
            )
        )
        app.narrative = retell(facts) if retell else texts.narrative(facts, list(told))
        app.deeds_summary = texts.summary(facts)

    return demo_application(
        session, campaign, unit, p.kind, state, submitted_at, derive=True, compose=compose, **fields
    )


def demo_application(
    session: Session,
    campaign: Campaign,
    unit: Organization,
    kind: CategoryKind,
    state: ApplicationState,
    submitted_at: datetime,
    *,
    derive: bool = False,
    compose: Callable[[Application], None] | None = None,
    **fields,
) -> Application:
    """A packet of `unit` in `state` with its frozen version 1, audited as created by the demo.

    `fields` are the packet's own (names, figures, narrative...); with `derive` its figures
    are derived from its members or ID number as a submission would.
    """
    fields.setdefault("narrative", "")
    app = Application(
        campaign=campaign,
        category=next(c for c in campaign.categories if c.kind is kind),
        organization=unit,
        district_id=unit.district_id,
        industry_id=unit.industry_id,
        state=state,
        submitted_at=submitted_at,
        **fields,
    )
    session.add(app)
    session.flush()
    if derive:
        derive_figures(app)
    if compose is not None:
        compose(app)
    session.add(
        ApplicationVersion(
            application=app, number=1, submitted_at=submitted_at, snapshot=make_snapshot(app)
        )
    )
    session.flush()
    audit.record(session, actor=None, action="application.demo", obj=app, after=audit.snapshot(app))
    return app
