"""Ranking and submitting the recommendation of a channel organization; every change audited.

A recommendation is drafted (ranks and opinion saved, any number of times) and then submitted
once, before the campaign's recommendation deadline: every ranked packet moves
channel_approved → recommended, every other packet awaiting this organization's recommendation
in the category moves channel_approved → not_recommended, through the application workflow.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal import audit
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.applications.workflow import fire
from portal.campaigns.models import Campaign, CampaignCategory, CampaignStatus
from portal.campaigns.quotas import ChannelQuota
from portal.clock import SHANGHAI
from portal.db import utcnow
from portal.organizations.models import Organization
from portal.percent import percent_text
from portal.recommendations import rules
from portal.recommendations.errors import RankingError
from portal.recommendations.models import Recommendation, RecommendationEntry
from portal.recommendations.quota import quota_for
from portal.recommendations.ranking import awaiting, channel_recommendation
from portal.review.routing import routed_to, stage_organization

OPINION_MAX_CHARS = 2000
# Stored with the move of every packet left out of a submitted recommendation.
LEFT_OUT_REASON = "未列入推荐名次（超出渠道推荐名额）/ Not ranked within the channel's quota"


# --- who recommends what ----------------------------------------------------------------------


def recommending_organization(session: Session, app: Application) -> Organization | None:
    """The channel organization that ranks this packet: its channel of the last channel stage."""
    system = rules.recommending_system(app.campaign)
    return stage_organization(session, app, system) if system is not None else None


def _packet_loads():
    return (
        joinedload(Application.organization),
        joinedload(Application.district),
        joinedload(Application.industry),
        joinedload(Application.category),
    )


def awaiting_packets(
    session: Session,
    organization: Organization,
    campaign: Campaign,
    category: CampaignCategory,
    *,
    lock: bool = False,
    only: list[int] | None = None,
) -> list[Application]:
    """The packets of the organization's channel in the category that await its ranking
    (of the packets `only`, when given)."""
    query = (
        sa.select(Application)
        .where(awaiting(organization, campaign, category))
        .order_by(Application.submitted_at, Application.id)
    )
    if only is not None:
        query = query.where(Application.id.in_(only))
    if lock:
        query = query.with_for_update(of=Application).execution_options(populate_existing=True)
    return list(session.scalars(query.options(*_packet_loads())).unique())


def load_recommendation(session: Session, recommendation_id: int) -> Recommendation | None:
    return session.scalar(
        sa.select(Recommendation)
        .where(Recommendation.id == recommendation_id)
        .options(
            joinedload(Recommendation.organization),
            joinedload(Recommendation.category),
            joinedload(Recommendation.campaign),
            selectinload(Recommendation.entries)
            .joinedload(RecommendationEntry.application)
            .options(*_packet_loads()),
        )
    )


@dataclass(frozen=True)
class CategoryOverview:
    category: CampaignCategory
    recommendation: Recommendation | None
    awaiting: int
    quota: ChannelQuota


def channel_overview(
    session: Session, organization: Organization, campaign: Campaign
) -> list[CategoryOverview]:
    """Per category: the organization's recommendation and how many packets await ranking."""
    counts = dict(
        session.execute(
            sa.select(Application.category_id, sa.func.count())
            .where(
                routed_to(organization, campaign),
                Application.state == ApplicationState.CHANNEL_APPROVED,
            )
            .group_by(Application.category_id)
        ).all()
    )
    recs = {
        r.category_id: r
        for r in session.scalars(
            sa.select(Recommendation)
            .where(
                Recommendation.campaign_id == campaign.id,
                Recommendation.organization_id == organization.id,
            )
            .options(selectinload(Recommendation.entries))
        )
    }
    return [
        CategoryOverview(
            c, recs.get(c.id), counts.get(c.id, 0), quota_for(session, organization, campaign, c)
        )
        for c in campaign.categories
    ]


def submitted_recommendations(session: Session, campaign: Campaign) -> list[Recommendation]:
    """Every submitted recommendation of the campaign, for the office's read-only list."""
    return list(
        session.scalars(
            sa.select(Recommendation)
            .where(
                Recommendation.campaign_id == campaign.id,
                Recommendation.submitted_at.is_not(None),
            )
            .options(
                joinedload(Recommendation.organization),
                joinedload(Recommendation.category),
                selectinload(Recommendation.entries),
            )
            .order_by(Recommendation.submitted_at, Recommendation.id)
        )
    )


def closed_recommendation(session: Session, app: Application) -> Recommendation | None:
    """The submitted recommendation that the packet's channel made in its category: once it
    exists, a packet forwarded to the end of the chain could no longer be ranked by anyone."""
    organization = recommending_organization(session, app)
    if organization is None:
        return None
    return session.scalar(
        sa.select(Recommendation).where(
            Recommendation.campaign_id == app.campaign_id,
            Recommendation.organization_id == organization.id,
            Recommendation.category_id == app.category_id,
            Recommendation.submitted_at.is_not(None),
        )
    )


def stranded_packets(
    session: Session, campaign: Campaign
) -> list[tuple[Application, Recommendation]]:
    """Packets still in the channel chain or awaiting ranking whose channel has already
    submitted its recommendation in their category: they wait on a step that is closed."""
    stranded: list[tuple[Application, Recommendation]] = []
    for rec in submitted_recommendations(session, campaign):
        apps = session.scalars(
            sa.select(Application)
            .where(
                routed_to(rec.organization, campaign),
                Application.category_id == rec.category_id,
                Application.state.in_(
                    (ApplicationState.SUBMITTED, ApplicationState.CHANNEL_APPROVED)
                ),
            )
            .options(*_packet_loads())
            .order_by(Application.id)
        ).unique()
        stranded.extend((app, rec) for app in apps)
    return stranded


# --- saving and submitting --------------------------------------------------------------------


def clean_text(text: str | None) -> str:
    """An opinion or reason as it is kept: one kind of line break, no blank ends."""
    return (text or "").replace("\r\n", "\n").strip()


def _snapshot(rec: Recommendation) -> dict:
    return {
        "opinion": rec.opinion,
        "entries": [{"application_id": e.application_id, "rank": e.rank} for e in rec.entries],
        "submitted_at": rec.submitted_at,
    }


def _check(
    session: Session,
    actor,
    campaign: Campaign,
    category: CampaignCategory,
    order: list[int],
    opinion: str,
    lock_version: int | None,
    now: datetime,
    *,
    every: bool = False,
) -> tuple[Recommendation | None, dict[int, Application]]:
    """Every refusal that does not depend on saving, in the order the user can act on them.

    Gives the ranked packets, locked, or with `every` every packet awaiting the ranking."""
    if not rules.can_rank(actor, campaign) or category.campaign_id != campaign.id:
        raise RankingError("not_allowed")
    if campaign.status is not CampaignStatus.OPEN:
        raise RankingError("campaign_not_open")
    if now >= campaign.recommendation_deadline:
        raise RankingError("deadline_passed", when=campaign.recommendation_deadline)
    rec = channel_recommendation(session, actor.organization_id, campaign, category, lock=True)
    if rec is not None and rec.submitted_at is not None:
        raise RankingError("already_submitted")
    if lock_version is not None and lock_version != (rec.lock_version if rec else 0):
        raise RankingError("stale")
    if len(set(order)) != len(order):
        raise RankingError("duplicate_packet")
    quota = quota_for(session, actor.organization, campaign, category)
    if len(order) > quota.value:
        raise RankingError("over_quota", count=len(order), quota=quota.value, how=quota)
    if len(opinion) > OPINION_MAX_CHARS:
        raise RankingError("opinion_too_long", max=OPINION_MAX_CHARS)
    only = None if every else order
    packets = awaiting_packets(
        session, actor.organization, campaign, category, lock=True, only=only
    )
    eligible = {a.id: a for a in packets}
    if any(app_id not in eligible for app_id in order):
        raise RankingError("not_rankable")
    return rec, eligible


def _write(
    session: Session,
    actor,
    rec: Recommendation | None,
    campaign: Campaign,
    category: CampaignCategory,
    order: list[int],
    opinion: str,
    now: datetime,
) -> tuple[Recommendation, dict]:
    before: dict = {}
    if rec is None:
        rec = Recommendation(
            campaign_id=campaign.id, organization_id=actor.organization_id, category_id=category.id
        )
        session.add(rec)
    else:
        before = _snapshot(rec)
        # Old entries go first: ranks are unique within the recommendation.
        rec.entries.clear()
        session.flush()
    rec.entries.extend(
        RecommendationEntry(application_id=app_id, rank=rank)
        for rank, app_id in enumerate(order, start=1)
    )
    rec.opinion = opinion
    rec.updated_at = now
    rec.updated_by_id = actor.id
    try:
        session.flush()
    except IntegrityError as err:  # another reviewer created it a moment ago
        raise RankingError("stale") from err
    except StaleDataError as err:
        raise RankingError("stale") from err
    return rec, before


def save_ranking(
    session: Session,
    actor,
    campaign: Campaign,
    category: CampaignCategory,
    order: list[int],
    opinion: str = "",
    *,
    lock_version: int | None = None,
    now: datetime | None = None,
) -> Recommendation:
    """Save the draft: packets in rank order (ids) and the opinion. Raises RankingError."""
    now = now or utcnow()
    opinion = clean_text(opinion)
    rec, _eligible = _check(session, actor, campaign, category, order, opinion, lock_version, now)
    rec, before = _write(session, actor, rec, campaign, category, order, opinion, now)
    audit.record(
        session,
        actor=actor,
        action="recommendation.save",
        obj=rec,
        before=before or None,
        after=_snapshot(rec),
    )
    return rec


def _left_out_reason(typed: str | None, left_out: set[int]) -> str:
    if typed is None:
        return LEFT_OUT_REASON
    reason = clean_text(typed)
    if left_out and not reason:
        raise RankingError("left_out_reason_required")
    if len(reason) > OPINION_MAX_CHARS:
        raise RankingError("opinion_too_long", max=OPINION_MAX_CHARS)
    return reason


def submit_recommendation(
    session: Session,
    actor,
    campaign: Campaign,
    category: CampaignCategory,
    order: list[int],
    opinion: str,
    *,
    left_out_reason: str | None = None,
    lock_version: int | None = None,
    now: datetime | None = None,
) -> Recommendation:
    """Save and submit once: the ranked packets become recommended, the rest not recommended.

    The units of the packets left out are mailed `left_out_reason`, the reviewer's words
    (required when a packet is left out; None, for callers without the form's field: the
    standard LEFT_OUT_REASON). A second request finds the recommendation submitted and gets
    'already_submitted'.
    """
    now = now or utcnow()
    opinion = clean_text(opinion)
    rec, eligible = _check(
        session, actor, campaign, category, order, opinion, lock_version, now, every=True
    )
    if not eligible:
        raise RankingError("nothing_to_recommend")
    if not opinion:
        raise RankingError("opinion_required")
    left = _left_out_reason(left_out_reason, set(eligible) - set(order))
    rec, before = _write(session, actor, rec, campaign, category, order, opinion, now)
    try:
        for rank, app_id in enumerate(order, start=1):
            extra = {"recommendation": rec.id, "rank": rank}
            fire(
                session, eligible[app_id], ApplicationState.RECOMMENDED, actor, extra=extra, now=now
            )
        for app_id, app in eligible.items():
            if app_id not in order:
                extra = {"recommendation": rec.id}
                fire(
                    session,
                    app,
                    ApplicationState.NOT_RECOMMENDED,
                    actor,
                    reason=left,
                    extra=extra,
                    now=now,
                )
    except ApplicationError as err:
        raise RankingError("not_allowed") from err
    rec.submitted_at = now
    rec.submitted_by_id = actor.id
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="recommendation.submit",
        obj=rec,
        before=before or None,
        after={**_snapshot(rec), "left_out": sorted(set(eligible) - set(order))},
    )
    return rec


# --- the recommendation form (推荐表) ---------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "normalize"):
        return format(value.normalize(), "f")
    return str(value)


def _entry_data(rank: int, app: Application) -> dict:
    where = " / ".join(p.name_zh for p in (app.district, app.industry) if p is not None)
    data = {
        "rank": str(rank),
        "unit": app.organization.name,
        "name": app.title,
        "where": where,
        "satisfaction_rate": percent_text(app.satisfaction_rate),
    }
    if app.category.kind.value == "team":
        women = _text(app.women_count)
        if app.women_share is not None:
            women = f"{women}（{percent_text(app.women_share)}）"
        data.update(
            member_count=_text(app.member_count),
            average_age=_text(app.average_age),
            women=women,
        )
    else:
        sex = "" if app.female is None else ("女" if app.female else "男")
        data.update(sex=sex, age=_text(app.age), post=app.post or "")
    return data


def recommendation_form_data(session: Session, rec: Recommendation) -> dict:
    """Everything the recommendation form shows, as text (the exporter does not query)."""
    quota = quota_for(session, rec.organization, rec.campaign, rec.category)
    local = rec.submitted_at.astimezone(SHANGHAI) if rec.submitted_at else None
    return {
        "campaign_year": str(rec.campaign.year),
        "campaign_theme": rec.campaign.theme,
        "organization": rec.organization.name,
        "category_kind": rec.category.kind.value,
        "category_name": rec.category.name_zh,
        "quota": str(quota.value),
        "entries": [_entry_data(e.rank, e.application) for e in rec.entries],
        "opinion": rec.opinion,
        "submitted_on": f"{local:%Y年%m月%d日}" if local else "",
    }
