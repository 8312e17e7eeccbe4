"""The balance dashboard's data: packets gathered per channel and citywide, figured by
portal.balance, measured against the campaign's targets."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, load_only

from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures, Shortfall, balance_figures, shortfalls
from portal.campaigns.models import Campaign, CampaignCategory
from portal.organizations.models import Organization
from portal.recommendations.models import Recommendation, RecommendationEntry
from portal.review.routing import routed_to

# Packets that a submitted recommendation sent on: at the office's check or any later state.
RECOMMENDED_OR_LATER = (
    ApplicationState.RECOMMENDED,
    ApplicationState.INCOMPLETE,  # returned for completion by the formal check, still recommended
    ApplicationState.REJECTED,
    ApplicationState.ACCEPTED,
    ApplicationState.CANDIDATE,
    ApplicationState.NOT_SELECTED,
    ApplicationState.DISQUALIFIED,
    ApplicationState.AWARDED,
)


@dataclass(frozen=True)
class Section:
    """Figures of one set of packets (all, a category, a channel) and the targets it misses."""

    figures: BalanceFigures
    shortfalls: list[Shortfall]
    organization: Organization | None = None
    category: CampaignCategory | None = None


@dataclass
class Dashboard:
    campaign: Campaign
    overall: Section
    by_category: list[Section] = field(default_factory=list)
    by_channel: list[Section] = field(default_factory=list)
    awaiting: int = 0  # channel page: packets still awaiting this organization's ranking


def _section(campaign: Campaign, apps, systems=None, **who) -> Section:
    figures = balance_figures(apps, systems)
    missed = shortfalls(figures, campaign.target_women_share, campaign.target_young_share)
    return Section(figures, missed, **who)


def _by_category(campaign: Campaign, apps: list[Application]) -> list[Section]:
    return [
        _section(campaign, [a for a in apps if a.category_id == c.id], category=c)
        for c in campaign.categories
    ]


def _packet_loads():
    # Of each packet, only what the figures count (balance_figures): not its forms and texts.
    return (
        load_only(
            Application.category_id,
            Application.member_count,
            Application.women_count,
            Application.average_age,
            Application.female,
            Application.age,
            Application.district_id,
            Application.industry_id,
        ),
        joinedload(Application.category),
        joinedload(Application.district),
        joinedload(Application.industry),
    )


def channel_dashboard(
    session: Session, organization: Organization, campaign: Campaign
) -> Dashboard:
    """The organization's ranked packets (draft or submitted) in the campaign."""
    apps = list(
        session.scalars(
            sa.select(Application)
            .join(RecommendationEntry, RecommendationEntry.application_id == Application.id)
            .join(Recommendation, Recommendation.id == RecommendationEntry.recommendation_id)
            .where(
                Recommendation.campaign_id == campaign.id,
                Recommendation.organization_id == organization.id,
            )
            .order_by(Recommendation.category_id, RecommendationEntry.rank)
            .options(*_packet_loads())
        )
    )
    awaiting = session.scalar(
        sa.select(sa.func.count())
        .select_from(Application)
        .where(
            routed_to(organization, campaign),
            Application.state == ApplicationState.CHANNEL_APPROVED,
        )
    )
    systems = dict.fromkeys((a.id for a in apps), organization.system)
    return Dashboard(
        campaign=campaign,
        overall=_section(campaign, apps, systems, organization=organization),
        by_category=_by_category(campaign, apps),
        awaiting=awaiting or 0,
    )


def citywide_dashboard(session: Session, campaign: Campaign) -> Dashboard:
    """Every packet of the campaign at 'recommended' or later, overall, per category and per
    recommending organization (with the targets each one misses)."""
    apps = list(
        session.scalars(
            sa.select(Application)
            .where(
                Application.campaign_id == campaign.id, Application.state.in_(RECOMMENDED_OR_LATER)
            )
            .order_by(Application.id)
            .options(*_packet_loads())
        )
    )
    recommender = dict(
        session.execute(
            sa.select(RecommendationEntry.application_id, Recommendation.organization_id)
            .join(Recommendation, Recommendation.id == RecommendationEntry.recommendation_id)
            .where(
                Recommendation.campaign_id == campaign.id,
                Recommendation.submitted_at.is_not(None),
            )
        ).all()
    )
    orgs = {
        o.id: o
        for o in session.scalars(
            sa.select(Organization).where(Organization.id.in_(set(recommender.values())))
        )
    }
    systems = {app_id: orgs[org_id].system for app_id, org_id in recommender.items()}
    channels = []
    for org in sorted(orgs.values(), key=lambda o: o.name):
        own = [a for a in apps if recommender.get(a.id) == org.id]
        channels.append(_section(campaign, own, organization=org))
    return Dashboard(
        campaign=campaign,
        overall=_section(campaign, apps, systems),
        by_category=_by_category(campaign, apps),
        by_channel=channels,
    )


def states_by_channel(
    session: Session, campaign: Campaign, channels: list[Organization]
) -> list[tuple[Organization, list[tuple[ApplicationState, int]]]]:
    """How many of the campaign's packets are in each state, per channel organization, each
    packet counted for the channel its own lists route it to (routed_to), in one statement."""
    if not channels:
        return []
    channel_id = sa.case(*((routed_to(c, campaign), c.id) for c in channels), else_=None)
    routed = (
        sa.select(channel_id.label("channel_id"), Application.state.label("state"))
        .where(Application.campaign_id == campaign.id)
        .subquery()
    )
    counts: dict[int, dict[ApplicationState, int]] = {}
    for org_id, state, n in session.execute(
        sa.select(routed.c.channel_id, routed.c.state, sa.func.count())
        .where(routed.c.channel_id.is_not(None))
        .group_by(routed.c.channel_id, routed.c.state)
    ):
        counts.setdefault(org_id, {})[ApplicationState(state)] = n
    return [
        (c, [(s, counts[c.id][s]) for s in ApplicationState if counts.get(c.id, {}).get(s)])
        for c in channels
    ]
