"""Demo: statistics tables of this year's campaign, filed by channel organizations of Huangpu,
Xuhui and the railway bureau, one still a draft."""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import audit
from portal.campaigns.models import Campaign
from portal.db import utcnow
from portal.organizations.models import Organization
from portal.statistics.models import COUNT_NAMES, ActivityStatistics, StatisticsState

# enterprises, teams, individuals, sessions, trained, skill events, volunteer activities,
# volunteers, teams recommended, individuals recommended, of them women, of them 35 or under
TABLES = [
    ("黄浦区总工会", "吴刚", "63281001", (38, 52, 61, 12, 860, 4, 9, 240, 6, 5, 3, 2), True),
    ("共青团黄浦区委员会", "郑晓", "63281002", (21, 30, 44, 8, 410, 3, 15, 520, 4, 6, 3, 5), True),
    ("黄浦区妇女联合会", "何丽萍", "63281003", (17, 22, 35, 6, 300, 2, 7, 160, 3, 4, 4, 1), False),
    ("徐汇区总工会", "孙强", "64871001", (29, 41, 50, 10, 620, 5, 6, 180, 5, 5, 2, 2), True),
    ("上海铁路局工会", "钱路", "51221001", (12, 35, 28, 9, 1200, 6, 4, 90, 4, 3, 1, 1), True),
]  # fmt: skip


def seed_statistics_demo(session: Session, campaign: Campaign | None) -> int:
    """Create the tables that are missing; returns how many were created."""
    if campaign is None:
        return 0
    created = 0
    filed_at = min(utcnow(), campaign.recommendation_deadline - timedelta(days=1))
    for name, contact, phone, values, submitted in TABLES:
        org = session.scalar(sa.select(Organization).where(Organization.name == name))
        if org is None or session.scalar(
            sa.select(ActivityStatistics.id).where(
                ActivityStatistics.campaign_id == campaign.id,
                ActivityStatistics.organization_id == org.id,
            )
        ):
            continue
        table = ActivityStatistics(
            campaign=campaign,
            organization=org,
            state=StatisticsState.SUBMITTED if submitted else StatisticsState.DRAFT,
            contact_name=contact,
            contact_phone=phone,
            report_date=date(campaign.year, 11, 12) if submitted else None,
            submitted_at=filed_at if submitted else None,
            **dict(zip(COUNT_NAMES, values, strict=True)),
        )
        session.add(table)
        session.flush()
        audit.record(
            session, actor=None, action="statistics.demo", obj=table, after=audit.snapshot(table)
        )
        created += 1
    return created
