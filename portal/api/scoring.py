"""/api/v1/scoring: experts read their assignments and fill, save and lock their own sheets;
the office reads every assignment and reopens sheets.

The same predicates (portal.scoring.rules) and service functions (portal.scoring.sheets) as the
web pages decide; an expert never receives another expert's sheet, name or scores.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.api.auth import api_user
from portal.api.body import json_object
from portal.api.errors import ApiError, api_locale
from portal.api.serializers import iso, number
from portal.api.views import _enum_arg, _int_arg, _page, bp
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.db import get_session
from portal.errors import Invalid
from portal.scoring import rules, sheets
from portal.scoring.models import Assignment, AssignmentStatus, Pledge, ScoreItem, ScoreSheet
from portal.scoring.pool import expert_for_user

STATUS = {
    "pledge_required": 403,
    "not_allowed": 403,
    "not_assigned": 404,
    "not_active": 409,
    "sheet_locked": 409,
    "sheet_not_locked": 409,
    "stale": 409,
    "incomplete": 422,
    "reason_required": 422,
    "reason_too_long": 422,
}


def _text(value) -> str:
    with force_locale(api_locale()):
        return str(value)


def _refusal(err: rules.Refused) -> ApiError:
    extra = {}
    if "problems" in err.params:
        extra["problems"] = {k: _text(m) for k, m in err.params["problems"].items()}
    return ApiError(STATUS.get(err.key, 409), err.key, rules.MESSAGES[err.key], **extra)


def _forbidden() -> ApiError:
    return ApiError(403, "forbidden", _l("Only experts and the programme office use scoring."))


def _hidden(sheet_id: int) -> ApiError:
    return ApiError(
        404, "not_found", _l("There is no score sheet with the id %(id)s.", id=sheet_id)
    )


def _caller():
    """(user, expert or None); refused unless an active expert or the office."""
    user = api_user()
    if rules.can_manage_scoring(user):
        return user, None
    expert = expert_for_user(get_session(), user) if rules.can_score(user) else None
    if expert is None or not expert.active:
        raise _forbidden()
    return user, expert


def _assignment(a: Assignment, pledged: bool) -> dict:
    app = a.application
    return {
        "id": a.id,
        "campaign_id": a.campaign_id,
        "panel_id": a.panel_id,
        "status": a.status.value,
        "pledged": pledged,
        "expert": {"id": a.expert.id, "name": a.expert.name},
        # Nothing of the packet before the pledge.
        "application": (
            {
                "id": app.id,
                "title": app.title,
                "unit": app.organization.name,
                "category": app.category.code,
            }
            if pledged
            else None
        ),
        "withdrawal": (
            {
                "kind": a.withdrawal_kind.value,
                "reason": a.withdrawal_reason,
                "at": iso(a.withdrawn_at),
            }
            if a.withdrawal_kind
            else None
        ),
        "sheet": (
            {
                "id": a.sheet.id,
                "status": a.sheet.status.value,
                "total": number(a.sheet.total),
                "lock_version": a.sheet.lock_version,
            }
            if a.sheet is not None and pledged
            else None
        ),
    }


def _sheet(s: ScoreSheet) -> dict:
    return {
        "id": s.id,
        "assignment_id": s.assignment_id,
        "application_id": s.application_id,
        "campaign_id": s.campaign_id,
        "expert": {"id": s.expert.id, "name": s.expert.name},
        "status": s.status.value,
        "locked_at": iso(s.locked_at),
        "lock_version": s.lock_version,
        "reopen_count": s.reopen_count,
        "criteria_points": number(s.criteria_points),
        "bonus_points": number(s.bonus_points),
        "deduction_points": number(s.deduction_points),
        "total": number(s.total),
        "comment": s.comment,
        "items": [
            {
                "code": line.rubric_item.code,
                "kind": line.rubric_item.kind.value,
                "name_zh": line.rubric_item.name_zh,
                "name_en": line.rubric_item.name_en,
                "points": number(line.rubric_item.points),
                "cap": number(line.rubric_item.cap),
                "score": number(line.score),
                "count": line.count,
                "line_points": number(line.points),
            }
            for line in s.items
        ],
    }


@bp.get("/scoring/assignments")
def scoring_assignments():
    user, expert = _caller()
    query = sa.select(Assignment)
    if expert is not None:
        query = query.where(
            Assignment.expert_id == expert.id, Assignment.status != AssignmentStatus.RELEASED
        )
    elif (expert_id := _int_arg("expert_id", None, 1)) is not None:
        query = query.where(Assignment.expert_id == expert_id)
    if (campaign_id := _int_arg("campaign_id", None, 1)) is not None:
        query = query.where(Assignment.campaign_id == campaign_id)
    if (year := _int_arg("year", None, 1900, 9999)) is not None:
        query = query.where(
            Assignment.campaign_id.in_(sa.select(Campaign.id).where(Campaign.year == year))
        )
    if (panel_id := _int_arg("panel_id", None, 1)) is not None:
        query = query.where(Assignment.panel_id == panel_id)
    if status := _enum_arg("status", AssignmentStatus):
        query = query.where(Assignment.status == status)
    options = [
        selectinload(Assignment.expert),
        selectinload(Assignment.sheet),
        selectinload(Assignment.application).selectinload(Application.organization),
        selectinload(Assignment.application).selectinload(Application.category),
    ]
    rows, meta = _page(query.order_by(Assignment.id), options)
    if expert is None:
        pledged = {a.campaign_id for a in rows}
    else:
        pledged = set(
            get_session().scalars(
                sa.select(Pledge.campaign_id).where(Pledge.expert_id == expert.id)
            )
        )
    return jsonify({"data": [_assignment(a, a.campaign_id in pledged) for a in rows], "meta": meta})


def _load_sheet(sheet_id: int):
    """The sheet for its own expert (after the pledge) or the office; 404 for anyone else."""
    user, expert = _caller()
    sheet = get_session().scalar(
        sa.select(ScoreSheet)
        .where(ScoreSheet.id == sheet_id)
        .options(selectinload(ScoreSheet.items).selectinload(ScoreItem.rubric_item))
    )
    if sheet is None or not rules.can_view_sheet(user, sheet, expert):
        raise _hidden(sheet_id)
    if expert is not None and sheets.pledge_of(get_session(), expert, sheet.campaign_id) is None:
        raise _refusal(rules.Refused("pledge_required"))
    return user, expert, sheet


@bp.get("/scoring/sheets/<int:sheet_id>")
def scoring_sheet(sheet_id: int):
    _user, _expert, sheet = _load_sheet(sheet_id)
    return jsonify(_sheet(sheet))


@bp.put("/scoring/sheets/<int:sheet_id>")
def scoring_sheet_save(sheet_id: int):
    user, expert, sheet = _load_sheet(sheet_id)
    if expert is None:
        raise _forbidden()
    body = json_object()
    if not isinstance(body.get("lock_version"), int):
        raise ApiError(
            422, "invalid", _l("Send the lock_version you read."), problems={"lock_version": ""}
        )
    items = body.get("items", {})
    comment = body.get("comment")
    if not isinstance(items, dict) or not (comment is None or isinstance(comment, str)):
        raise ApiError(400, "bad_request", _l("items is an object by rubric code; comment a text."))
    session = get_session()
    try:
        sheets.save_sheet(session, user, expert, sheet, items, comment, body["lock_version"])
    except rules.Refused as err:
        session.rollback()
        raise _refusal(err) from err
    except Invalid as err:
        session.rollback()
        raise ApiError(
            422,
            "invalid",
            _l("Some entries need correcting; nothing was saved."),
            problems={k: _text(m) for k, m in err.problems.items()},
        ) from err
    session.commit()
    return jsonify(_sheet(sheet))


def _lock_version(body: dict):
    value = body.get("lock_version")
    return value if isinstance(value, int) else None


@bp.post("/scoring/sheets/<int:sheet_id>/lock")
def scoring_sheet_lock(sheet_id: int):
    user, expert, sheet = _load_sheet(sheet_id)
    if expert is None:
        raise _forbidden()
    body = json_object(optional=True)
    session = get_session()
    try:
        sheets.lock_sheet(session, user, expert, sheet, _lock_version(body))
    except rules.Refused as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    return jsonify(_sheet(sheet))


@bp.post("/scoring/sheets/<int:sheet_id>/reopen")
def scoring_sheet_reopen(sheet_id: int):
    user, expert, sheet = _load_sheet(sheet_id)
    if expert is not None:
        raise _forbidden()
    body = json_object()
    session = get_session()
    try:
        sheets.reopen_sheet(
            session, user, sheet, str(body.get("reason") or ""), _lock_version(body)
        )
    except rules.Refused as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    return jsonify(_sheet(sheet))
