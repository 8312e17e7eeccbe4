"""/api/v1 review chain: a reviewer's queue (or the office's formal check), a packet's
decisions, and making one. The same predicates and service as the review pages."""

from __future__ import annotations

import math

from flask import jsonify
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.api import serializers
from portal.api.auth import api_user
from portal.api.body import json_object
from portal.api.errors import ApiError, api_locale
from portal.api.views import DEFAULT_PER_PAGE, MAX_PER_PAGE, _int_arg, bp
from portal.applications import rules as application_rules
from portal.applications.errors import ApplicationError
from portal.applications.messages import error_message
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.review import chain, rules, service
from portal.review.models import Decision, StageDecision
from portal.roles import Role

# Every refusal of a decision is a conflict with the packet's state, except these.
STATUS = {"not_found": 404, "opinion_required": 422, "opinion_too_long": 422}


def _refusal(err: ApplicationError, app: Application) -> ApiError:
    with force_locale(api_locale()):
        message = error_message(err)
    extra = {"lock_version": app.lock_version} if err.key == "decision_stale" else {}
    return ApiError(STATUS.get(err.key, 409), err.key, message, **extra)


def _not_found(application_id: int) -> ApiError:
    return ApiError(
        404, "not_found", _l("There is no application with the id %(id)s.", id=application_id)
    )


def decision(row: StageDecision) -> dict:
    return {
        "id": row.id,
        "version": row.version_number,
        "stage": serializers.stage(row.stage) if row.stage is not None else None,
        "organization": (
            serializers.organization_summary(row.organization) if row.organization else None
        ),
        "decision": row.decision.value,
        "opinion": row.opinion,
        "decided_at": serializers.iso(row.decided_at),
    }


def _standing(app: Application) -> dict:
    return {
        "id": app.id,
        "state": app.state.value,
        "stage_position": app.stage_position,
        "lock_version": app.lock_version,
    }


def _queue_item(app: Application, stage, campaign: Campaign) -> dict:
    return {
        **serializers.application_summary(app),
        "lock_version": app.lock_version,
        "stage": serializers.stage(stage) if stage is not None else None,
        "overdue": stage is not None and service.is_overdue(campaign),
    }


def _campaign() -> Campaign | None:
    session = get_session()
    wanted = _int_arg("campaign_id", None, 1)
    if wanted is None:
        return current_campaign(session)
    campaign = session.get(Campaign, wanted)
    if campaign is None:
        raise ApiError(404, "not_found", _l("There is no campaign with the id %(id)s.", id=wanted))
    return campaign


@bp.get("/review/queue")
def review_queue():
    """A channel reviewer's packets waiting at their stage; the office's formal check."""
    user = api_user()
    if not (rules.can_use_queue(user) or rules.can_formal_check(user)):
        raise ApiError(403, "forbidden", _l("The review queue is for reviewers and the office."))
    campaign = _campaign()
    page = _int_arg("page", 1, 1)
    per_page = _int_arg("per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE)
    category = _int_arg("category_id", None, 1)
    session = get_session()
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
    return jsonify(
        {
            "data": [_queue_item(a, s, campaign) for a, s in rows],
            "meta": {
                "page": page,
                "per_page": per_page,
                "total": total,
                "pages": math.ceil(total / per_page),
            },
            "deadline": serializers.iso(campaign.recommendation_deadline) if campaign else None,
        }
    )


def _load(application_id: int) -> Application:
    app = get_session().get(Application, application_id)
    if app is None or not application_rules.can_view_application(api_user(), app):
        raise _not_found(application_id)
    return app


@bp.get("/applications/<int:application_id>/decisions")
def application_decisions(application_id: int):
    """Every stage's decision on every version, oldest first (the enterprise sees them too)."""
    app = _load(application_id)
    rows = chain.all_decisions(get_session(), app)
    return jsonify({"application": _standing(app), "data": [decision(r) for r in rows]})


@bp.post("/applications/<int:application_id>/decisions")
def decide_application(application_id: int):
    user = api_user()
    app = _load(application_id)
    if not rules.can_open_review(user, app):
        raise _not_found(application_id)
    body = json_object()
    kind = body.get("decision")
    if kind not in {d.value for d in Decision}:
        raise ApiError(
            422,
            "invalid",
            _l(
                "The decision must be one of: %(values)s.",
                values=", ".join(d.value for d in Decision),
            ),
        )
    lock_version = body.get("lock_version")
    if lock_version is not None and not isinstance(lock_version, int):
        raise ApiError(422, "invalid", _l("lock_version must be a whole number."))
    session = get_session()
    try:
        row = service.decide(
            session,
            app.id,
            user,
            Decision(kind),
            str(body.get("opinion") or ""),
            lock_version=lock_version,
        )
    except ApplicationError as err:
        session.rollback()
        raise _refusal(err, app) from err
    session.commit()
    response = jsonify({"application": _standing(app), "decision": decision(row)})
    response.status_code = 201
    return response
