"""/api/v1 review chain: a reviewer's queue (or the office's formal check), a packet's
decisions, and making one. The same predicates and service as the review pages."""

from __future__ import annotations

import math
from collections.abc import Sequence

from flask import Response
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.api.auth import api_user
from portal.api.errors import ApiError, api_locale
from portal.api.models.applications import ApplicationError as ApplicationRefusal
from portal.api.models.applications import ApplicationSummary
from portal.api.models.campaigns import Stage
from portal.api.models.common import PageMeta
from portal.api.models.review import (
    ApplicationStanding,
    DecisionCreate,
    DecisionList,
    DecisionMade,
    ReviewQueue,
    ReviewQueueItem,
    ReviewQueueQuery,
    StageDecision,
)
from portal.api.spec import answer, operation, parse_body
from portal.applications import rules as application_rules
from portal.applications.errors import ApplicationError
from portal.applications.models import Application
from portal.campaigns.models import Campaign, ReviewStage
from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.review import chain, rules, service
from portal.review.models import Decision
from portal.roles import Role

# Every refusal of a decision is a conflict with the packet's state, except these.
STATUS = {"not_found": 404, "opinion_required": 422, "opinion_too_long": 422}


def _refusal(err: ApplicationError, app: Application) -> ApiError:
    with force_locale(api_locale()):
        message = err.message
    status = STATUS.get(err.key, 409)
    if err.key == "decision_stale":  # the client retries against the packet as it now is
        return ApiError(status, err.key, message, lock_version=app.lock_version)
    return ApiError(status, err.key, message)


def _not_found(application_id: int) -> ApiError:
    return ApiError(
        404, "not_found", _l("There is no application with the id %(id)s.", id=application_id)
    )


def _queue_item(app: Application, stage: ReviewStage | None, campaign: Campaign) -> ReviewQueueItem:
    return ReviewQueueItem(
        **ApplicationSummary.summary(app),
        lock_version=app.lock_version,
        stage=Stage.of(stage) if stage is not None else None,
        overdue=stage is not None and service.is_overdue(campaign),
    )


def _campaign(wanted: int | None) -> Campaign | None:
    session = get_session()
    if wanted is None:
        return current_campaign(session)
    campaign = session.get(Campaign, wanted)
    if campaign is None:
        raise ApiError(404, "not_found", _l("There is no campaign with the id %(id)s.", id=wanted))
    return campaign


@operation(
    "/review/queue",
    "Packets waiting for the token's channel organization at its stage (channel reviewers), "
    "or recommended packets at the formal check (the office)",
    ReviewQueue,
    query=ReviewQueueQuery,
    description="One page, oldest submission first",
    errors={403: "Not a channel reviewer or the programme office", 404: "No such campaign"},
)
def review_queue(query: ReviewQueueQuery) -> Response:
    """A channel reviewer's packets waiting at their stage; the office's formal check."""
    user = api_user()
    if not (rules.can_use_queue(user) or rules.can_formal_check(user)):
        raise ApiError(403, "forbidden", _l("The review queue is for reviewers and the office."))
    campaign = _campaign(query.campaign_id)
    page, per_page, category = query.page, query.per_page, query.category_id
    session = get_session()
    rows: Sequence[tuple[Application, ReviewStage | None]]
    if campaign is None:
        rows, total = [], 0
    elif user.role is Role.OFFICE:
        apps, total, _p, _n = service.formal_check_queue(
            session, campaign, category_id=category, page=page, per_page=per_page
        )
        rows = [(a, chain.office_stage(campaign)) for a in apps]
    else:
        result = service.reviewer_queue(
            session, user.organization, campaign, category_id=category, page=page, per_page=per_page
        )
        rows, total = result.rows, result.total
    meta = PageMeta(page=page, per_page=per_page, total=total, pages=math.ceil(total / per_page))
    return answer(
        ReviewQueue(
            data=[_queue_item(a, s, campaign) for a, s in rows] if campaign else [],
            meta=meta,
            deadline=campaign.recommendation_deadline if campaign else None,
        )
    )


def _load(application_id: int) -> Application:
    app = get_session().get(Application, application_id)
    if app is None or not application_rules.can_view_application(api_user(), app):
        raise _not_found(application_id)
    return app


HIDDEN = "No such application (or file), or not visible to this account"


@operation(
    "/applications/<int:application_id>/decisions",
    "Every stage's decision on every version of the packet, oldest first",
    DecisionList,
    description="The decisions and where the packet stands",
    path_ids={"application_id": "application"},
    errors={404: HIDDEN},
)
def application_decisions(application_id: int) -> Response:
    """Every stage's decision on every version, oldest first (the enterprise sees them too)."""
    app = _load(application_id)
    rows = chain.all_decisions(get_session(), app)
    data = [StageDecision.of(r) for r in rows]
    return answer(DecisionList(application=ApplicationStanding.of(app), data=data))


DECISIONS = ", ".join(d.value for d in Decision)


@operation(
    "/applications/<int:application_id>/decisions",
    "Decide at the packet's current stage: forward, return or not recommend (channel), "
    "accept or reject (office formal check)",
    DecisionMade,
    methods=("POST",),
    body=DecisionCreate,
    status=201,
    description="The decision, and where the packet now stands",
    path_ids={"application_id": "application"},
    refusal=ApplicationRefusal,
    errors={
        404: HIDDEN,
        409: "Someone decided since lock_version was read (decision_stale), or the decision is "
        "not allowed: wrong stage or organization, already decided, or after the "
        "recommendation deadline",
        422: "An unknown decision, or no reason for a return, not-recommend or rejection",
    },
)
def decide_application(application_id: int) -> Response:
    user = api_user()
    app = _load(application_id)
    if not rules.can_open_review(user, app):
        raise _not_found(application_id)
    messages = {
        "decision": _l("The decision must be one of: %(values)s.", values=DECISIONS),
        "lock_version": _l("lock_version must be a whole number."),
    }
    body = parse_body(DecisionCreate, messages=messages)
    session = get_session()
    try:
        row = service.decide(
            session, app.id, user, body.decision, body.opinion or "", lock_version=body.lock_version
        )
    except ApplicationError as err:
        session.rollback()
        raise _refusal(err, app) from err
    session.commit()
    made = DecisionMade(application=ApplicationStanding.of(app), decision=StageDecision.of(row))
    return answer(made, 201)
