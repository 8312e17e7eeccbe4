"""The balance dashboard's data: a channel's packets counted in the database (one GROUP BY of a
few dozen groups), the citywide figures read from the sums kept as packets change
(portal.recommendations.balance_kept: a few dozen rows, however many packets), figured by
portal.balance, measured against the campaign's targets."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import balance_counted
from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures, Group, Shortfall, figures_of, shortfalls
from portal.campaigns.models import Campaign, CampaignCategory
from portal.organizations.models import District, Industry, Organization
from portal.recommendations import balance_kept
from portal.recommendations.balance_kept import KEPT_STATES, BalanceSums
from portal.recommendations.models import Recommendation, RecommendationEntry
from portal.recommendations.ranking import count_awaiting
from portal.review.routing import routed_to

# Packets that a submitted recommendation sent on: at the office's check or any later state.
RECOMMENDED_OR_LATER = KEPT_STATES


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


def _section(campaign: Campaign, groups, **who) -> Section:
    figures = figures_of(groups)
    missed = shortfalls(figures, campaign.target_women_share, campaign.target_young_share)
    return Section(figures, missed, **who)


def _by_category(campaign: Campaign, groups: list[CountedGroup]) -> list[Section]:
    return [
        # Sorted by category only, as the page shows them: not by system.
        _section(
            campaign,
            [replace(g.group, system=None) for g in groups if g.category_id == c.id],
            category=c,
        )
        for c in campaign.categories
    ]


# --- the figures counted in the database ------------------------------------------------------


@dataclass(frozen=True)
class CountedGroup:
    """A group of packets (portal.balance.Group) with the category and channel it is of."""

    category_id: int
    recommender_id: int | None
    group: Group


def _grouped() -> sa.Select:
    """The packets counted per category, kind, district, industry and age band, with the
    share of women's sums as portal.balance.group_of counts one packet (and no recommending
    channel: the columns of balance_kept.by_category_and_recommender)."""
    band = balance_counted.age_band()
    keys = (Application.category_id, Application.kind, Application.district_id,
            Application.industry_id, band)  # fmt: skip
    return sa.select(
        *keys[:4], band.label("band"), sa.null().label("recommender_id"), *balance_counted.sums()
    ).group_by(*keys)


def _groups(session: Session, query: sa.Select, values: dict, systems: dict) -> list[CountedGroup]:
    """The rows of a _grouped or kept query as groups, with their districts and industries (the
    campaign's few reference rows, read once each)."""
    rows = session.execute(query, values).all()
    districts = _reference(session, District, {r.district_id for r in rows})
    industries = _reference(session, Industry, {r.industry_id for r in rows})
    return [
        CountedGroup(
            r.category_id,
            r.recommender_id,
            balance_counted.group(
                r.kind,
                districts.get(r.district_id),
                industries.get(r.industry_id),
                systems.get(r.recommender_id),
                r.band,
                r[6:],
            ),
        )
        for r in rows
    ]


def _reference(session: Session, model, ids: set) -> dict:
    ids.discard(None)
    if not ids:
        return {}
    return {o.id: o for o in session.scalars(sa.select(model).where(model.id.in_(ids)))}


@functools.cache
def _channel_statement() -> sa.Select:
    """The groups of a channel's ranked packets (draft or submitted) in a campaign."""
    return (
        _grouped()
        .join(RecommendationEntry, RecommendationEntry.application_id == Application.id)
        .join(Recommendation, Recommendation.id == RecommendationEntry.recommendation_id)
        .where(
            Recommendation.campaign_id == sa.bindparam("campaign_id"),
            Recommendation.organization_id == sa.bindparam("organization_id"),
        )
    )


def _submitted():
    """(packet, recommending organization) of the campaign's submitted recommendations."""
    return (
        sa.select(RecommendationEntry.application_id, Recommendation.organization_id)
        .join(Recommendation, Recommendation.id == RecommendationEntry.recommendation_id)
        .where(
            Recommendation.campaign_id == sa.bindparam("campaign_id"),
            Recommendation.submitted_at.is_not(None),
        )
        .subquery()
    )


@functools.cache
def _citywide_statements() -> tuple[sa.Select, sa.Select]:
    """(the recommending organizations, the groups of the campaign's packets recommended or
    later with their recommending organization, from the sums kept as packets change:
    portal.recommendations.balance_kept keeps the packets in RECOMMENDED_OR_LATER)."""
    submitted = _submitted()
    organizations = (
        sa.select(Organization)
        .where(Organization.id.in_(sa.select(submitted.c.organization_id)))
        .order_by(Organization.name)
    )
    groups = balance_kept.by_category_and_recommender(
        BalanceSums.campaign_id == sa.bindparam("campaign_id")
    )
    return organizations, groups


def channel_dashboard(
    session: Session, organization: Organization, campaign: Campaign
) -> Dashboard:
    """The organization's ranked packets (draft or submitted) in the campaign."""
    values = {"campaign_id": campaign.id, "organization_id": organization.id}
    # Each group is of the organization's system (the query names no recommender).
    groups = _groups(session, _channel_statement(), values, {None: organization.system})
    return Dashboard(
        campaign=campaign,
        overall=_section(campaign, [g.group for g in groups], organization=organization),
        by_category=_by_category(campaign, groups),
        awaiting=count_awaiting(session, organization, campaign),
    )


def citywide_dashboard(session: Session, campaign: Campaign) -> Dashboard:
    """Every packet of the campaign at 'recommended' or later, overall, per category and per
    recommending organization (with the targets each one misses)."""
    organizations, grouped = _citywide_statements()
    values = {"campaign_id": campaign.id}
    orgs = list(session.scalars(organizations, values))
    groups = _groups(session, grouped, values, {o.id: o.system for o in orgs})
    channels = [
        _section(
            campaign,
            # A channel's own figures do not sort by system (it has one).
            [replace(g.group, system=None) for g in groups if g.recommender_id == org.id],
            organization=org,
        )
        for org in orgs
    ]
    return Dashboard(
        campaign=campaign,
        overall=_section(campaign, [g.group for g in groups]),
        by_category=_by_category(campaign, groups),
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
