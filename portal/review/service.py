"""Review decisions: a channel stage forwards, returns or declines a packet; the programme
office gives the formal check. Each decision fires one move of APPLICATION_WORKFLOW (which
checks role, stage, organization and deadline), is kept as a StageDecision and is mailed to
the enterprise. Callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from portal import signals
from portal.applications import service as applications
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.applications.workflow import fire
from portal.campaigns.models import Campaign, CampaignCategory
from portal.campaigns.service import current_campaign
from portal.db import utcnow
from portal.limits import REASON_CHARS
from portal.organizations.models import Organization
from portal.review import chain, queue
from portal.review.errors import ReviewError
from portal.review.models import NEEDS_REASON, OFFICE_DECISIONS, Decision, StageDecision
from portal.review.notify import tell_enterprise
from portal.roles import Role

PAGE_SIZE = 50


def decide(
    session: Session,
    application_id: int,
    actor,
    decision: Decision | str,
    opinion: str = "",
    *,
    lock_version: int | None = None,
    now: datetime | None = None,
) -> StageDecision:
    """Record the actor's decision on the packet's current version and move the packet.

    lock_version is the packet's version when the reviewer opened it: if anyone acted since,
    the decision is refused ('decision_stale') and nothing changes. Raises ApplicationError
    with the message key of any refusal.
    """
    now = now or utcnow()
    app = applications.load_for_update(session, application_id)
    if lock_version is not None and lock_version != app.lock_version:
        raise ReviewError("decision_stale")
    try:
        decision = Decision(decision)
    except ValueError as err:
        raise ApplicationError("not_allowed") from err
    if decision is Decision.COMPLETION:  # its list and due date: review/completion.py
        raise ApplicationError("not_allowed")
    opinion = (opinion or "").strip()
    if decision in NEEDS_REASON and not opinion:
        raise ReviewError("opinion_required")
    if len(opinion) > REASON_CHARS:
        raise ReviewError("opinion_too_long")
    if decision in OFFICE_DECISIONS:
        stage, organization = _formal_check(session, app, actor, decision, opinion, now)
    else:
        stage, organization = _channel_decision(session, app, actor, decision, opinion, now)
    record = StageDecision(
        application=app,
        version_number=chain.current_version_number(app),
        stage=stage,
        organization=organization,
        reviewer=actor,
        decision=decision,
        opinion=opinion,
        decided_at=now,
    )
    session.add(record)
    app.review_started_at = app.review_started_at or now
    app.updated_at = now  # every decision bumps lock_version, even one that keeps the state
    try:
        session.flush()
    except StaleDataError as err:
        raise ReviewError("decision_stale") from err
    tell_enterprise(session, app, record)
    return record


def _channel_decision(session, app, actor, decision, opinion, now):
    stage = chain.acting_stage(app, getattr(actor, "organization", None))
    moves_on = False
    if decision is Decision.FORWARD:
        _refuse_if_ranking_closed(session, app)
        target = ApplicationState.SUBMITTED
        if stage is not None and app.state is ApplicationState.SUBMITTED:
            moves_on = chain.position_complete_with(session, app, stage)
            if moves_on and chain.is_last_position(session, app):
                target = ApplicationState.CHANNEL_APPROVED
    elif decision is Decision.RETURN:
        target = ApplicationState.RETURNED
    else:
        target = ApplicationState.NOT_RECOMMENDED
    extra = {"decision": decision.value, "stage_id": stage.id if stage else None}
    extra["position"] = app.stage_position
    fire(session, app, target, actor, reason=opinion, extra=extra, notify=False, now=now)
    if decision is Decision.RETURN:
        version = app.latest_version
        version.returned_at = now
        version.return_reason = opinion
    if moves_on and target is ApplicationState.SUBMITTED:
        app.stage_position = chain.next_active_position(session, app, app.stage_position)
    return stage, actor.organization


def _refuse_if_ranking_closed(session, app) -> None:
    """A packet forwarded after its channel submitted the recommendation of its category would
    wait for a ranking that can no longer happen (待排序 for good): the forward is refused."""
    for closed in signals.answers(signals.closed_ranking, app, session=session):
        raise ReviewError("ranking_closed", organization=closed.organization.name)


def _formal_check(session, app, actor, decision, opinion, now):
    if getattr(actor, "role", None) is not Role.OFFICE:
        raise ApplicationError("not_allowed")
    if app.state is not ApplicationState.RECOMMENDED:
        raise ReviewError("not_at_formal_check")
    target = ApplicationState.ACCEPTED if decision is Decision.ACCEPT else ApplicationState.REJECTED
    stage = chain.office_stage(app.campaign)
    extra = {"decision": decision.value}
    fire(session, app, target, actor, reason=opinion, extra=extra, notify=False, now=now)
    return stage, getattr(actor, "organization", None)


# --- what reviewers see -----------------------------------------------------------------------


@dataclass
class QueuePage:
    rows: list  # (packet, stage) objects, or queue.QueueRow for the page
    total: int
    page: int
    pages: int


def reviewer_queue(
    session: Session,
    organization: Organization,
    campaign: Campaign,
    *,
    category_id: int | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
    objects: bool = True,
) -> QueuePage:
    """One page of the queue, oldest submission first, in two statements: (packet, stage)
    objects, or with objects=False the columns the queue page shows (queue.QueueRow)."""
    total = queue.count(session, organization, campaign, category_id)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    at = (session, organization, campaign, category_id, per_page, (page - 1) * per_page)
    if not objects:
        return QueuePage(queue.rows(*at, total), total, page, pages)
    options = (selectinload(Application.category), selectinload(Application.organization))
    return QueuePage(queue.packets(*at, options=options), total, page, pages)


def queue_count(session: Session, organization: Organization, campaign: Campaign) -> int:
    return queue.count(session, organization, campaign)


def _count(session: Session, query: sa.Select) -> int:
    """How many packets the query of packets selects."""
    return session.execute(query.with_only_columns(sa.func.count(Application.id))).scalar_one()


def formal_check_query(campaign: Campaign, category_id: int | None = None):
    return sa.select(Application).where(*queue.formal_check_conditions(campaign.id, category_id))


def formal_check_queue(
    session: Session,
    campaign: Campaign,
    *,
    category_id: int | None = None,
    page: int = 1,
    per_page: int = PAGE_SIZE,
    objects: bool = True,
) -> tuple[list, int, int, int]:
    """One page of the formal check, in id order, and the count: the packets, or with
    objects=False the columns the page shows (queue.QueueRow)."""
    query = formal_check_query(campaign, category_id)
    total = _count(session, query)
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    if not objects:
        rows = queue.formal_check_rows(session, campaign.id, category_id, page, per_page, total)
        return rows, total, page, pages
    query, offset = query.order_by(Application.id), (page - 1) * per_page
    objs = session.scalars(
        query.options(selectinload(Application.category), selectinload(Application.organization))
        .limit(per_page)
        .offset(offset)
    ).all()
    return list(objs), total, page, pages


def is_overdue(campaign: Campaign, now: datetime | None = None) -> bool:
    """Channel decisions are due by the recommendation deadline (Asia/Shanghai, server time)."""
    return (now or utcnow()) >= campaign.recommendation_deadline


def categories(campaign: Campaign) -> list[CampaignCategory]:
    return list(campaign.categories)


@dataclass
class HomeSummary:
    campaign: Campaign | None
    waiting: int
    overdue: int


def home_summary(session: Session, user, campaign: Campaign | None = None) -> HomeSummary:
    """What the reviewer's home card shows: packets waiting at their stage in the current
    campaign (counted by the queue's own query), and how many of them are overdue (past the
    recommendation deadline)."""
    campaign = campaign or current_campaign(session)
    if campaign is None:
        return HomeSummary(None, 0, 0)
    if user.role.value == "office":
        waiting = _count(session, formal_check_query(campaign))
        return HomeSummary(campaign, waiting, 0)
    waiting = queue_count(session, user.organization, campaign)
    return HomeSummary(campaign, waiting, waiting if is_overdue(campaign) else 0)
