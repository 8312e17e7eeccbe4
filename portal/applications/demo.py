"""Demo application packets placed straight into a later state of their life, with one frozen
version, for the demo seeds of the review chain and the ranked recommendation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.accounts.models import User
from portal.applications.members import derive_figures
from portal.applications.models import Application, ApplicationState, ApplicationVersion, TeamMember
from portal.applications.service import make_snapshot
from portal.campaigns.models import Campaign, CategoryKind
from portal.checks import ID_CHECK_CHARS, ID_WEIGHTS
from portal.organizations.models import Organization

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("敏", "伟", "芳", "娜", "强", "磊", "静", "军", "洋", "艳", "杰", "丽")


@dataclass(frozen=True)
class DemoPacket:
    unit: str  # the enterprise's registered name
    kind: CategoryKind
    name: str  # team name or person's name
    post: str
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


def demo_packet(
    session: Session,
    campaign: Campaign,
    p: DemoPacket,
    *,
    state: ApplicationState,
    serial: int,
    submitted_at: datetime,
    creator: User | None = None,
) -> Application:
    """A packet of p's unit in `state`, submitted at `submitted_at`, with its version 1.

    `serial` keeps the ID numbers of a seed's individuals apart; `creator` is recorded as the
    packet's author when they belong to its unit.
    """
    unit = session.scalar(sa.select(Organization).where(Organization.name == p.unit))
    fields = dict(
        unit_nature=unit.unit_nature,
        unit_address=unit.address,
        created_by=creator if creator and creator.organization_id == unit.id else None,
        satisfaction_rate=Decimal(p.satisfaction),
        service_content="窗口服务",
        honours=[],
    )
    if p.kind is CategoryKind.TEAM:
        fields.update(team_name=p.name, leader_name=p.name[:2], leader_post=p.post)
        fields["members"] = demo_members(p, campaign.reference_date)
    else:
        fields.update(person_name=p.name, post=p.post)
        fields["id_number"] = demo_id_number(p.birth, p.female, serial)
        fields["post_start_date"] = date(campaign.reference_date.year - 5, 3, 1)
    return demo_application(
        session, campaign, unit, p.kind, state, submitted_at, derive=True, **fields
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
    session.add(
        ApplicationVersion(
            application=app, number=1, submitted_at=submitted_at, snapshot=make_snapshot(app)
        )
    )
    session.flush()
    audit.record(session, actor=None, action="application.demo", obj=app, after=audit.snapshot(app))
    return app
