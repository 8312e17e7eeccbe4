"""The demo seeds expert review on the open campaign, keeping the conflicted expert away."""

from __future__ import annotations

import sqlalchemy as sa

from portal.campaigns.models import Campaign
from portal.demo import seed_demo
from portal.scoring.demo import PANELS, seed_scoring_demo
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Panel, ScoreSheet


def test_demo_has_panels_assignments_and_sheets_without_conflicts(session):
    seed_demo()
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == 2026))
    panels = session.scalars(sa.select(Panel).where(Panel.campaign_id == campaign.id)).all()
    assert sorted(p.name for p in panels) == sorted(PANELS.values())
    active = session.scalars(
        sa.select(Assignment).where(Assignment.status == AssignmentStatus.ACTIVE)
    ).all()
    assert len(active) == 4 * 5  # four packets, five experts each
    insider = session.scalar(sa.select(Expert).where(Expert.name == "范建华"))
    assert all(
        a.application.organization_id != insider.organization_id
        for a in active
        if a.expert_id == insider.id
    )
    locked = session.scalars(sa.select(ScoreSheet).where(ScoreSheet.status == "locked")).all()
    assert locked and all(s.total > 0 for s in locked)
    shen = session.scalar(sa.select(Expert).where(Expert.name == "沈立群"))
    assert shen.user.email == "zhuanjia1@demo.example.com"
    assert seed_scoring_demo(session, campaign) == 0
