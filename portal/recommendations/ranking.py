"""The ranking page's data: one page of the packets awaiting a channel's ranking, the ranked
ones first, read as the columns the page shows, and the saved ranking the page's ranks join.

A channel may have thousands of packets in a category, so the page shows PER_PAGE of them;
the ranks typed on a page are placed among the ranks saved on the others (rules.place_ranks).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased, joinedload

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CampaignCategory
from portal.campaigns.quotas import ChannelQuota
from portal.organizations.models import ChannelLevel, District, Industry, Organization
from portal.pagination import Page, counted_page, found_first
from portal.recommendations.models import Recommendation, RecommendationEntry
from portal.recommendations.quota import quota_for
from portal.review.routing import has_industry_channel, routed_to, routed_to_bound, routing_values

PER_PAGE = 50


@dataclass
class RankingPage:
    """What the ranking page shows: a page of packets, the saved ranking, the quota."""

    campaign: Campaign
    category: CampaignCategory
    organization: Organization
    recommendation: Recommendation | None
    channel_quota: ChannelQuota
    packets: Page  # rows of the columns the page shows, with the saved rank
    saved: list[int]  # the saved ranking's packets that still await it, in rank order
    dropped: list[str]  # titles of ranked packets that no longer await the ranking

    @property
    def quota(self) -> int:
        return self.channel_quota.value

    @property
    def lock_version(self) -> int:
        return self.recommendation.lock_version if self.recommendation else 0

    def unchanged(self, order: list[int], opinion: str) -> bool:
        """Whether saving this order and opinion would change nothing of the saved ranking."""
        rec = self.recommendation
        return order == self.saved and opinion == (rec.opinion if rec else "")


def awaiting(organization: Organization, campaign: Campaign, category: CampaignCategory):
    """SQL condition on Application: the packet awaits the organization's ranking."""
    return sa.and_(
        routed_to(organization, campaign),
        Application.category_id == category.id,
        Application.state == ApplicationState.CHANNEL_APPROVED,
    )


# --- the page's statements, built once per process for each shape ----------------------------
# Building the routing condition cost more than running it, so the page's statements take the
# organization, campaign, category and recommendation as bind parameters (as review/queue.py).

_CAMPAIGN: sa.BindParameter[int] = sa.bindparam("campaign_id")
_RECOMMENDATION: sa.BindParameter[int] = sa.bindparam("recommendation_id")


def _params(
    organization: Organization,
    campaign: Campaign,
    category: CampaignCategory | None,
    rec: Recommendation | None,
) -> dict:
    return {
        "campaign_id": campaign.id,
        **routing_values(organization),
        "category_id": category.id if category is not None else None,
        "recommendation_id": rec.id if rec is not None else None,
    }


def _awaiting(industry_level: bool, in_category: bool = True):
    """awaiting() with bind parameters (in any category unless `in_category`); only the
    organization's channel level shapes it."""
    condition = sa.and_(
        Application.campaign_id == _CAMPAIGN,
        routed_to_bound(industry_level, _CAMPAIGN),
        Application.state == ApplicationState.CHANNEL_APPROVED,
    )
    if in_category:
        condition = sa.and_(condition, Application.category_id == sa.bindparam("category_id"))
    return condition


@functools.cache
def _saved_statement(industry_level: bool) -> sa.Select:
    """The recommendation's entries in rank order: packet, still awaiting?, its names."""
    return (
        sa.select(
            RecommendationEntry.application_id,
            sa.case((_awaiting(industry_level), True), else_=False),
            Application.team_name,
            Application.person_name,
        )
        .join(Application, Application.id == RecommendationEntry.application_id)
        .where(RecommendationEntry.recommendation_id == _RECOMMENDATION)
        .order_by(RecommendationEntry.rank)
    )


@functools.cache
def _rows_statement(industry_level: bool, ranked: bool, backward: bool = False) -> sa.Select:
    """The awaiting packets as the page shows them (`limit` from place `offset`, counted from
    the end when `backward`: pagination.window): ranked first in rank order (when there is a
    recommendation), then in the order they arrived. The page's packets are found first, from
    what the order needs only (ix_application_queue, which a list without ranks reads a page
    of and stops, and the saved ranks), and only they are joined to their unit, district and
    industry: joined before the OFFSET, every packet passed over on the way to a deep page was
    joined too."""
    arrival = (Application.submitted_at, Application.id)
    found = sa.select(Application.id).where(_awaiting(industry_level))
    order: tuple = arrival
    if ranked:
        entry = sa.and_(
            RecommendationEntry.application_id == Application.id,
            RecommendationEntry.recommendation_id == _RECOMMENDATION,
        )
        found = found.add_columns(RecommendationEntry.rank).outerjoin(RecommendationEntry, entry)
        order = (RecommendationEntry.rank.is_(None), RecommendationEntry.rank, *arrival)
    shown = found_first(found, order, backward=backward)
    rank = shown.c.rank if ranked else sa.null()
    unit = aliased(Organization)  # not Organization: the routing's subqueries name that one
    query = (
        sa.select(
            Application.id,
            Application.team_name,
            Application.person_name,
            unit.name.label("unit"),
            District.name_zh.label("district_zh"),
            District.name_en.label("district_en"),
            Industry.name_zh.label("industry_zh"),
            Industry.name_en.label("industry_en"),
            Application.kind,
            Application.member_count,
            Application.average_age,
            Application.women_count,
            Application.women_share,
            Application.female,
            Application.age,
            Application.post,
            Application.satisfaction_rate,
            rank.label("rank"),
        )
        .select_from(shown)
        .join(Application, Application.id == shown.c.id)
        .join(unit, unit.id == Application.organization_id)
        .outerjoin(District, District.id == Application.district_id)
        .outerjoin(Industry, Industry.id == Application.industry_id)
    )
    if not ranked:
        return query.order_by(*arrival)
    return query.order_by(shown.c.rank.is_(None), shown.c.rank, *arrival)


@functools.cache
def _count_statement(industry_level: bool, in_category: bool = True) -> sa.Select:
    """How many packets await the organization's ranking. An industry channel's are those of
    its industry: the routing tests each packet with one comparison. A district channel's are
    those of its district but the ones an industry channel takes (has_industry_channel), a
    list looked up for each packet (0.1 µs a packet, 0.86 ms of SQLite at 5,000), while the
    routing's other terms are the same for every packet of the district: so they are counted
    as the district's packets less those of the taken industries, two ranges of
    ix_application_notice_groups, when any packet of the district is routed to it at all."""
    if industry_level:
        return sa.select(sa.func.count()).where(_awaiting(True, in_category))
    district = [
        Application.campaign_id == _CAMPAIGN,
        Application.state == ApplicationState.CHANNEL_APPROVED,
        Application.district_id == sa.bindparam("district_id"),
    ]
    if in_category:
        district.append(Application.category_id == sa.bindparam("category_id"))

    def counted(*where: sa.ColumnElement[bool]) -> sa.ScalarSelect[int]:
        return sa.select(sa.func.count()).where(*district, *where).scalar_subquery()

    taken = has_industry_channel(_CAMPAIGN, sa.bindparam("org_system"))
    routed_here = sa.exists(sa.select(Application.id).where(_awaiting(False, in_category)))
    return sa.select(sa.case((routed_here, counted() - counted(taken)), else_=0))


def count_awaiting(session: Session, organization: Organization, campaign: Campaign) -> int:
    """How many packets await the organization's ranking in the campaign, in any category."""
    statement = _count_statement(organization.channel_level is ChannelLevel.INDUSTRY, False)
    values = _params(organization, campaign, None, None)
    return session.execute(statement, values).scalar_one()


def channel_recommendation(
    session: Session,
    organization_id: int,
    campaign: Campaign,
    category: CampaignCategory,
    *,
    lock: bool = False,
) -> Recommendation | None:
    """The organization's recommendation in the category, if it has one: for the page, with
    its last editor; with `lock`, for a change, its row locked for the transaction and read
    again (PostgreSQL refuses FOR UPDATE on the outer join that would load the editor)."""
    values = {"campaign_id": campaign.id, "organization_id": organization_id,
              "category_id": category.id}  # fmt: skip
    return session.scalar(_recommendation_statement(lock), values)


@functools.cache
def _recommendation_statement(lock: bool) -> sa.Select:
    query = sa.select(Recommendation).where(
        Recommendation.campaign_id == _CAMPAIGN,
        Recommendation.organization_id == sa.bindparam("organization_id"),
        Recommendation.category_id == sa.bindparam("category_id"),
    )
    if lock:
        return query.with_for_update().execution_options(populate_existing=True)
    return query.options(joinedload(Recommendation.updated_by))


def _saved(session: Session, industry_level: bool, values: dict) -> tuple[list[int], list[str]]:
    """(ids of the ranked packets still awaiting, in rank order; titles of the others)."""
    rows = session.execute(_saved_statement(industry_level), values).all()
    saved = [app_id for app_id, present, *_ in rows if present]
    dropped = [(team or person or "").strip() for _, present, team, person in rows if not present]
    return saved, dropped


def _page(session: Session, industry_level: bool, values: dict, number: int) -> Page:
    """Page `number` of the rows (the last page when beyond it), counted first by a statement
    of its own (a count over every row would make the page read them all), and read from the
    end when nearer it; the rows are kept as named rows (portal.pagination's are tuples)."""
    total = session.execute(_count_statement(industry_level), values).scalar_one()
    reading = counted_page(total, number, PER_PAGE)
    ranked = values["recommendation_id"] is not None
    statement = _rows_statement(industry_level, ranked, reading.backward)
    return reading.of(list(session.execute(statement, {**values, **reading.bounds}).all()))


def ranking_page(
    session: Session,
    organization: Organization,
    campaign: Campaign,
    category: CampaignCategory,
    number: int = 1,
) -> RankingPage:
    """Page `number` of the ranking (the last page when beyond it) of a channel organization
    (one that may rank: rules.can_rank)."""
    rec = channel_recommendation(session, organization.id, campaign, category)
    values = _params(organization, campaign, category, rec)
    industry_level = organization.channel_level is ChannelLevel.INDUSTRY
    saved, dropped = _saved(session, industry_level, values) if rec is not None else ([], [])
    packets = _page(session, industry_level, values, number)
    quota = quota_for(session, organization, campaign, category)
    return RankingPage(campaign, category, organization, rec, quota, packets, saved, dropped)
