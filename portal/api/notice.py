"""/api/v1/notice: the public notice list and case status (public); the office's objections.

The public routes need no token and return no personal data: the same rows as the page.
"""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import force_locale
from sqlalchemy.orm.exc import StaleDataError

from portal.api.auth import api_user, public
from portal.api.body import json_object
from portal.api.errors import ApiError, api_locale
from portal.api.views import _enum_arg, _int_arg, bp
from portal.campaigns.models import Campaign
from portal.db import get_session, will_write
from portal.limits import REPLY_CHARS, too_long
from portal.notice import objections, rules, service
from portal.notice.errors import NoticeError
from portal.notice.models import Objection, ObjectionStatus
from portal.notice.workdays import SHANGHAI

STATUS = {"stale": 409, "already_decided_case": 409, "reply_required": 422}


def _time(instant) -> str | None:
    return instant.astimezone(SHANGHAI).isoformat() if instant else None


def _named(code: str, zh: str, en: str) -> dict | None:
    return {"code": code, "name_zh": zh, "name_en": en} if code else None


def candidate(row: service.PublicRow) -> dict:
    return {
        "id": row.id,
        "name": row.name,
        "unit": row.unit,
        "kind": row.kind,
        "category": _named(row.category_code, row.category_zh, row.category_en),
        "industry": _named(row.industry_code, row.industry_zh, row.industry_en),
        "district": _named(row.district_code, row.district_zh, row.district_en),
    }


@bp.get("/notice")
@public
def notice_list():
    """The open or last public notice (or that of ?year=), with the page's search and filters."""
    session = get_session()
    year = _int_arg("year", None, 1900, 9999)
    notice = service.visible_notice(session, year)
    if notice is None:
        raise ApiError(404, "not_found", NoticeError("no_notice").message)
    rows = service.public_rows(session, notice)
    a = request.args
    filters = service.Filters(
        q=a.get("q", "")[:100],
        category=a.get("category", ""),
        district=a.get("district", ""),
        industry=a.get("industry", ""),
    )
    response = jsonify(
        {
            "year": notice.campaign.year,
            "theme": notice.campaign.theme,
            "opens_at": _time(notice.opens_at),
            "closes_at": _time(notice.closes_at),
            "working_days": notice.working_days,
            "open": service.notice_is_open(notice),
            "revised_at": _time(notice.revised_at),
            "total": len(rows),
            "candidates": [candidate(r) for r in service.filter_rows(rows, filters)],
        }
    )
    response.cache_control.public = True
    response.cache_control.max_age = 1
    return response


def case_status(case: Objection) -> dict:
    return {
        "case_number": case.case_number,
        "status": case.status.value,
        "received_at": _time(case.created_at),
        "decided_at": _time(case.decided_at),
        "reply": case.reply if case.decided else None,
    }


@bp.get("/notice/objections/status")
@public
def objection_status():
    will_write()  # the lookup is counted, although the method is GET
    session = get_session()
    try:
        case = objections.lookup_case(
            session,
            request.args.get("case", ""),
            request.args.get("mobile", ""),
            ip=request.remote_addr or "",
        )
    except NoticeError as err:
        session.commit()  # the refused lookup counts too
        with force_locale(api_locale()):
            message = err.message
        raise ApiError(
            429,
            "too_many_requests",
            message,
            headers={"Retry-After": str(err.params["retry_after"])},
        ) from None
    session.commit()  # the lookup counts, found or not
    if case is None:
        raise ApiError(404, "not_found", NoticeError("no_case").message)
    response = jsonify(case_status(case))
    response.cache_control.no_store = True
    return response


def _office():
    user = api_user()
    if not rules.can_handle_objections(user):
        raise ApiError(403, "forbidden", NoticeError("office_only").message)
    return user


def objection(case: Objection) -> dict:
    app = case.application
    return {
        **case_status(case),
        "id": case.id,
        "lock_version": case.lock_version,
        "year": case.notice.campaign.year,
        "candidate": {
            "id": app.id,
            "name": app.title,
            "unit": app.organization.name,
            "state": app.state.value,
        },
        "objector": {"name": case.name, "mobile": case.mobile, "email": case.email},
        "reason": case.reason,
        "findings": case.findings,
        "investigator": case.investigator.name if case.investigator else None,
        "files": [
            {
                "id": f.stored_file.id,
                "filename": f.stored_file.filename,
                "kind": f.stored_file.kind,
                "size": f.stored_file.size,
            }
            for f in case.files
        ],
    }


@bp.get("/notice/objections")
def objection_list():
    _office()
    campaign_id = None
    if (year := _int_arg("year", None, 1900, 9999)) is not None:
        campaign = get_session().query(Campaign).filter_by(year=year).one_or_none()
        campaign_id = campaign.id if campaign else -1
    rows = objections.list_objections(
        get_session(), campaign_id, _enum_arg("status", ObjectionStatus)
    )
    return jsonify({"data": [objection(o) for o in rows]})


@bp.post("/notice/objections/<int:objection_id>/decision")
def objection_decision(objection_id: int):
    user = _office()
    session = get_session()
    case = session.get(Objection, objection_id)
    if case is None:
        raise ApiError(404, "not_found", NoticeError("no_case").message)
    body = json_object()
    if body.get("decision") not in ("upheld", "dismissed"):
        raise ApiError(
            422, "invalid", NoticeError("decision_required").message, parameter="decision"
        )
    lock_version = body.get("lock_version")
    if not isinstance(lock_version, int):
        raise ApiError(
            422, "invalid", NoticeError("decision_required").message, parameter="lock_version"
        )
    reply = str(body.get("reply") or "")
    if problem := too_long(reply.strip(), REPLY_CHARS):  # as the office's page form allows
        raise ApiError(422, "invalid", problem, parameter="reply")
    try:
        objections.decide_objection(
            session,
            case,
            user,
            upheld=body["decision"] == "upheld",
            reply=reply,
            lock_version=lock_version,
        )
    except NoticeError as err:
        session.rollback()
        raise ApiError(STATUS.get(err.key, 409), err.key, err.message) from None
    except StaleDataError:
        session.rollback()
        err = NoticeError("stale")
        raise ApiError(409, err.key, err.message) from None
    session.commit()
    return jsonify(objection(case))
