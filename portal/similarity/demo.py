"""Demo: one narrative of last year's campaign recycled by two packets of this year's, with
the names and figures changed, and an unrelated packet beside them; all checked."""

from __future__ import annotations

import random
from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.demo import demo_application
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import utcnow
from portal.organizations.models import Organization
from portal.similarity import service
from portal.review.chain import enter_chain
from portal.similarity.corpus import Names, narrative, paragraphs, recycle

# (year, unit, team, leader, state); the first is the source the two next ones recycle.
S = ApplicationState
PACKETS = [
    (2025, "申城第一百货商店有限公司", "南京路店化妆品柜组", "王丽华", S.NOT_SELECTED),
    (2026, "申城外滩大酒店有限公司", "前台礼宾服务班组", "陈晓燕", S.SUBMITTED),
    (2026, "申城老饭店餐饮管理有限公司", "大堂迎宾服务班组", "张建英", S.SUBMITTED),
    (2026, "申城公交第一客运有限公司", "徐汇枢纽调度班组", "赵明", S.SUBMITTED),
]  # fmt: skip


def _texts() -> list[str]:
    rng = random.Random(2026)
    names = [Names(unit, team, leader, "李静") for _y, unit, team, leader, _s in PACKETS]
    source = narrative(rng, names[0], 2600)
    copies = [recycle(rng, source, names[0], edits=3, new=n) for n in names[1:3]]
    return [paragraphs(t) for t in (source, *copies, narrative(rng, names[3], 2600))]


def seed_similarity_demo(session: Session) -> int:
    """Create the four packets if missing, then check every packet that has no fingerprint."""
    campaigns = {c.year: c for c in session.scalars(sa.select(Campaign))}
    if 2025 not in campaigns or 2026 not in campaigns:
        return 0
    created = 0
    texts = _texts()
    at = min(utcnow(), campaigns[2026].application_deadline) - timedelta(days=2)
    for (year, unit_name, team, leader, state), text in zip(PACKETS, texts, strict=True):
        campaign = campaigns[year]
        exists = session.scalar(
            sa.select(Application.id).where(
                Application.campaign_id == campaign.id, Application.team_name == team
            )
        )
        unit = session.scalar(sa.select(Organization).where(Organization.name == unit_name))
        if exists is not None or unit is None:
            continue
        created += 1
        submitted = at if year == 2026 else campaign.application_deadline - timedelta(days=3)
        app = demo_application(
            session,
            campaign,
            unit,
            CategoryKind.TEAM,
            state,
            submitted,
            unit_nature=unit.unit_nature,
            unit_address=unit.address,
            team_name=team,
            leader_name=leader,
            leader_post="班组长",
            service_content="窗口服务",
            honours=[],
            narrative=text,
        )
        if state is S.SUBMITTED:
            enter_chain(session, app)
            session.flush()
    service.index_pending(session)
    return created
