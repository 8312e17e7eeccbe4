"""Demo: one narrative of last year's campaign recycled by two packets of this year's, with
their own names and figures, and an unrelated packet beside them; all checked."""

from __future__ import annotations

from datetime import timedelta
from functools import partial
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.demo import DemoPacket, demo_packet
from portal.applications.demo_texts import NarrativeFacts, recycle
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import utcnow
from portal.organizations.models import Organization
from portal.review.chain import enter_chain
from portal.similarity import service

T = TypeVar("T")

# (year, unit, team, its leader's post, state); the first is the source the two next ones
# recycle, the last tells its own story.
PACKETS = [
    (2025, "申城第一百货商店有限公司", "南京路店化妆品柜组", "柜组长", ApplicationState.NOT_SELECTED),  # noqa: E501
    (2026, "申城外滩大酒店有限公司", "前台礼宾服务班组", "礼宾主管", ApplicationState.SUBMITTED),
    (2026, "申城老饭店餐饮管理有限公司", "大堂迎宾服务班组", "迎宾领班", ApplicationState.SUBMITTED),  # noqa: E501
    (2026, "申城公交第一客运有限公司", "徐汇枢纽调度班组", "调度长", ApplicationState.SUBMITTED),
]  # fmt: skip
SIZES = [(10, 8, 33), (9, 6, 31), (8, 5, 36), (12, 3, 42)]  # members, women, average age
SATISFACTION = ["98.9", "98.6", "98.3", "97.8"]


def _given(value: T | None, what: str) -> T:
    """A field every demo team packet has filled in."""
    if value is None:
        raise ValueError(f"a demo team packet has no {what}")
    return value


def _facts(app: Application) -> NarrativeFacts:
    return NarrativeFacts(
        industry=_given(app.organization.industry, "industry").code,
        unit=app.organization.name,
        name=_given(app.team_name, "team name"),
        team=True,
        post=_given(app.leader_post, "leader's post"),
        founded=_given(app.team_founded_on, "founding date").year,
        members=_given(app.member_count, "member count"),
        women=_given(app.women_count, "count of women"),
        women_share=app.women_share,
        average_age=app.average_age,
        satisfaction=str(app.satisfaction_rate),
        year=app.campaign.year - 1,
    )


def seed_similarity_demo(session: Session) -> int:
    """Create the four packets if missing, then check every packet that has no fingerprint."""
    campaigns = {c.year: c for c in session.scalars(sa.select(Campaign))}
    if 2025 not in campaigns or 2026 not in campaigns:
        return 0
    created = 0
    at = min(utcnow(), campaigns[2026].application_deadline) - timedelta(days=2)
    source = None
    for n, (year, unit_name, team, post, state) in enumerate(PACKETS):
        campaign = campaigns[year]
        exists = session.scalar(
            sa.select(Application).where(
                Application.campaign_id == campaign.id, Application.team_name == team
            )
        )
        unit = session.scalar(sa.select(Organization).where(Organization.name == unit_name))
        if exists is not None or unit is None:
            source = source or exists
            continue
        created += 1
        members, women, age = SIZES[n]
        packet = DemoPacket(unit_name, CategoryKind.TEAM, team, post, SATISFACTION[n],
                            members=members, women=women, average_age=age)  # fmt: skip
        submitted = at if year == 2026 else campaign.application_deadline - timedelta(days=3)
        retell = None
        if source is not None and n in (1, 2):
            retell = partial(recycle, source.narrative, _facts(source))
        app = demo_packet(
            session,
            campaign,
            packet,
            state=state,
            serial=90 + n,
            submitted_at=submitted,
            retell=retell,
        )
        source = source or app
        if state is ApplicationState.SUBMITTED:
            enter_chain(session, app)
            session.flush()
    service.index_pending(session)
    return created
