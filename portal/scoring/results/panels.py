"""The results overview and each panel's score table (评分汇总表)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignCategory
from portal.scoring.aggregation import PacketScore
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Panel
from portal.scoring.ranking import Entry, rank
from portal.scoring.results.figures import POOL_STATES, ListStatus, list_status, packet_scores


@dataclass(frozen=True)
class CategoryLine:
    category: CampaignCategory
    reviewed: int  # packets that reached expert review
    candidates: int
    status: ListStatus


@dataclass(frozen=True)
class CampaignOverview:
    campaign: Campaign
    categories: tuple[CategoryLine, ...]
    panels: tuple[Panel, ...]


def campaign_overview(session: Session, campaign: Campaign) -> CampaignOverview:
    """Each category's list status and counts, and the campaign's panels, in three statements."""
    states: dict[int, dict[ApplicationState, int]] = {}
    for category_id, state, count in session.execute(
        sa.select(Application.category_id, Application.state, sa.func.count())
        .where(Application.campaign_id == campaign.id, Application.state.in_(POOL_STATES))
        .group_by(Application.category_id, Application.state)
    ):
        states.setdefault(category_id, {})[state] = count
    lines = tuple(
        CategoryLine(
            category=c,
            reviewed=sum(states.get(c.id, {}).values()),
            candidates=states.get(c.id, {}).get(ApplicationState.CANDIDATE, 0)
            + states.get(c.id, {}).get(ApplicationState.AWARDED, 0),
            status=list_status(states.get(c.id, {})),
        )
        for c in campaign.categories
    )
    panels = session.scalars(
        sa.select(Panel).where(Panel.campaign_id == campaign.id).order_by(Panel.name, Panel.id)
    ).all()
    return CampaignOverview(campaign, lines, tuple(panels))


@dataclass(frozen=True)
class PanelRow:
    application: Application
    totals: dict[int, Decimal]  # expert id → locked total
    score: PacketScore


@dataclass(frozen=True)
class PanelTable:
    """A panel's score table (评分汇总表): packet × expert totals, the figure, the flag."""

    panel: Panel
    experts: tuple[Expert, ...]
    rows: tuple[PanelRow, ...]

    @property
    def method(self):
        return self.panel.campaign.aggregation_method


def panel_table(session: Session, panel: Panel) -> PanelTable:
    """The panel's packets (those with an active assignment in it), best figure first."""
    campaign = panel.campaign
    assignments = session.scalars(
        sa.select(Assignment)
        .where(Assignment.panel_id == panel.id, Assignment.status == AssignmentStatus.ACTIVE)
        .options(
            joinedload(Assignment.expert),
            joinedload(Assignment.application).joinedload(Application.organization),
        )
        .order_by(Assignment.application_id, Assignment.expert_id)
    ).all()
    apps = {a.application_id: a.application for a in assignments}
    experts = {a.expert_id: a.expert for a in assignments}
    scores, sheets = packet_scores(session, campaign, apps)
    totals: dict[int, dict[int, Decimal]] = {app_id: {} for app_id in apps}
    for sheet in sheets:
        if sheet.application_id in totals and sheet.expert_id in experts:
            totals[sheet.application_id][sheet.expert_id] = sheet.total
    ranking = rank([Entry(scores[i], a.submitted_at) for i, a in apps.items()], len(apps))
    rows = tuple(
        PanelRow(apps[p.application_id], totals[p.application_id], p.score) for p in ranking.packets
    )
    return PanelTable(panel, tuple(experts[i] for i in sorted(experts)), rows)
