"""Build reviewed packets with locked score sheets straight through the models."""

from __future__ import annotations

import itertools
from decimal import Decimal

import sqlalchemy as sa

from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.db import get_session, utcnow
from portal.organizations.models import OrgKind
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    Panel,
    ScoreSheet,
    SheetStatus,
)
from tests.factories import make_application, make_org

_seq = itertools.count(1)


def make_expert(name: str | None = None, user=None) -> Expert:
    n = next(_seq)
    expert = Expert(name=name or f"专家{n}", organization=make_org(OrgKind.OTHER), user=user)
    get_session().add(expert)
    get_session().flush()
    return expert


def panel_for(campaign, industry) -> Panel:
    session = get_session()
    panel = session.scalar(
        sa.select(Panel).where(Panel.campaign_id == campaign.id, Panel.industry_id == industry.id)
    )
    if panel is None:
        panel = Panel(campaign=campaign, industry=industry, name=f"{industry.name_zh}评审组")
        session.add(panel)
        session.flush()
    return panel


def sheet(
    app,
    expert: Expert,
    total,
    *,
    criteria=None,
    status: SheetStatus = SheetStatus.LOCKED,
    assignment_status: AssignmentStatus = AssignmentStatus.ACTIVE,
) -> ScoreSheet:
    """An assignment of the packet to the expert in its industry's panel, with a sheet."""
    total = Decimal(str(total))
    criteria = total if criteria is None else Decimal(str(criteria))
    session = get_session()
    assignment = Assignment(
        campaign_id=app.campaign_id,
        panel=panel_for(app.campaign, app.industry),
        application=app,
        expert=expert,
        status=assignment_status,
        withdrawal_kind=None if assignment_status is AssignmentStatus.ACTIVE else "conflict",
        withdrawal_reason="" if assignment_status is AssignmentStatus.ACTIVE else "亲属",
        withdrawn_at=None if assignment_status is AssignmentStatus.ACTIVE else utcnow(),
    )
    result = ScoreSheet(
        assignment=assignment,
        campaign_id=app.campaign_id,
        application=app,
        expert=expert,
        status=status,
        criteria_points=criteria,
        bonus_points=max(total - criteria, Decimal(0)),
        deduction_points=max(criteria - total, Decimal(0)),
        total=total,
        locked_at=utcnow() if status is SheetStatus.LOCKED else None,
    )
    session.add_all([assignment, result])
    session.flush()
    return result


def scored_packet(campaign, experts, totals, *, kind=CategoryKind.TEAM, criteria=None, **fields):
    """An accepted packet with one locked sheet per total, by the experts in order."""
    app = make_application(ApplicationState.ACCEPTED, campaign=campaign, kind=kind, **fields)
    for expert, total in zip(experts, totals, strict=False):
        sheet(app, expert, total, criteria=criteria)
    return app


def category_of(campaign, kind=CategoryKind.TEAM):
    return next(c for c in campaign.categories if c.kind is kind)


def four_scored_teams(campaign, quota: int, packet_fields=lambda n: {}):
    """The campaign's teams' category with room for `quota` and four packets scored by three
    experts, 90-80-85 less one a packet in turn (the first ranks first); `packet_fields(n)`
    gives the n-th packet's other fields. Returns the category and the packets."""
    experts = [make_expert() for _ in range(3)]
    category = category_of(campaign)
    category.quota = quota
    packets = [
        scored_packet(campaign, experts, [90 - n, 80 - n, 85 - n], **packet_fields(n))
        for n in range(4)
    ]
    return category, packets
