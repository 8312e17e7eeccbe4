"""/api/v1/notice: the public notice list and case status (public); the office's objections.

The public routes need no token and return no personal data: the same rows as the page.
"""

from __future__ import annotations

from flask import Response, request
from flask_babel import force_locale
from sqlalchemy.orm.exc import StaleDataError

from portal.accounts.models import User
from portal.api.auth import api_user
from portal.api.errors import ApiError, api_locale
from portal.api.models.notice import (
    CaseQuery,
    NoticeCandidate,
    NoticeQuery,
    Objection,
    ObjectionCaseStatus,
    ObjectionDecision,
    ObjectionList,
    ObjectionQuery,
    PublicNotice,
)
from portal.api.spec import answer, operation, parse_body
from portal.campaigns.models import Campaign
from portal.db import get_session, will_write
from portal.limits import REPLY_CHARS, too_long
from portal.notice import objections, public, rules, service
from portal.notice.errors import NoticeError
from portal.notice.models import Objection as ObjectionRow

STATUS = {"stale": 409, "already_decided_case": 409, "reply_required": 422}
OFFICE_ONLY = "Not a programme office account"


@operation(
    "/notice",
    "The candidate list on public notice (公示), open or last; no token",
    PublicNotice,
    query=NoticeQuery,
    description="The list now: withdrawn candidates left out",
    errors={404: "No notice is published (for that year)"},
    public=True,
)
def notice_list(query: NoticeQuery) -> Response:
    """The open or last public notice (or that of ?year=), with the page's search and filters."""
    session = get_session()
    notice = public.visible_notice(session, query.year)
    if notice is None:
        raise ApiError(404, "not_found", NoticeError("no_notice").message)
    rows = public.public_rows(session, notice)
    filters = public.Filters(
        q=query.q[:100], category=query.category, district=query.district, industry=query.industry
    )
    response = answer(
        PublicNotice(
            year=notice.campaign.year,
            theme=notice.campaign.theme,
            opens_at=notice.opens_at,
            closes_at=notice.closes_at,
            working_days=notice.working_days,
            open=service.notice_is_open(notice),
            revised_at=notice.revised_at,
            total=len(rows),
            candidates=[NoticeCandidate.of(r) for r in public.filter_rows(rows, filters)],
        )
    )
    response.cache_control.public = True
    response.cache_control.max_age = 1
    return response


@operation(
    "/notice/objections/status",
    "An objection's status and reply, by case number and mobile; no token",
    ObjectionCaseStatus,
    query=CaseQuery,
    description="The case",
    errors={
        404: "No case with this number and mobile (nothing more is told)",
        429: "Too many lookups from this address or for this case number this hour; the "
        "Retry-After header says when to try again",
    },
    public=True,
)
def objection_status(query: CaseQuery) -> Response:
    will_write()  # the lookup is counted, although the method is GET
    session = get_session()
    try:
        case = objections.lookup_case(
            session, query.case, query.mobile, ip=request.remote_addr or ""
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
    response = answer(ObjectionCaseStatus(**ObjectionCaseStatus.status_of(case)))
    response.cache_control.no_store = True
    return response


def _office() -> User:
    user = api_user()
    if not rules.can_handle_objections(user):
        raise ApiError(403, "forbidden", NoticeError("office_only").message)
    return user


@operation(
    "/notice/objections",
    "Objections, newest first (programme office)",
    ObjectionList,
    query=ObjectionQuery,
    description="The objections",
    errors={403: OFFICE_ONLY},
)
def objection_list(query: ObjectionQuery) -> Response:
    _office()
    campaign_id = None
    if query.year is not None:
        campaign = get_session().query(Campaign).filter_by(year=query.year).one_or_none()
        campaign_id = campaign.id if campaign else -1
    rows = objections.list_objections(get_session(), campaign_id, query.status)
    return answer(ObjectionList(data=[Objection.of(o) for o in rows]))


@operation(
    "/notice/objections/<int:objection_id>/decision",
    "Uphold (the candidate is disqualified, the list republished) or dismiss, with the reply "
    "the objector sees (programme office)",
    Objection,
    methods=("POST",),
    body=ObjectionDecision,
    description="The decided case",
    path_ids={"objection_id": "objection"},
    errors={
        403: OFFICE_ONLY,
        404: "No such record, or not visible to this account",
        409: "Already decided, or changed since lock_version was read",
        422: "decision, reply or lock_version missing or wrong, or a reply over 5,000 characters",
    },
)
def objection_decision(objection_id: int) -> Response:
    user = _office()
    session = get_session()
    case = session.get(ObjectionRow, objection_id)
    if case is None:
        raise ApiError(404, "not_found", NoticeError("no_case").message)
    required = NoticeError("decision_required").message
    body = parse_body(ObjectionDecision, messages={"decision": required, "lock_version": required})
    reply = body.reply or ""
    if problem := too_long(reply.strip(), REPLY_CHARS):  # as the office's page form allows
        raise ApiError(422, "invalid", problem, parameter="reply")
    try:
        objections.decide_objection(
            session,
            case,
            user,
            upheld=body.decision == "upheld",
            reply=reply,
            lock_version=body.lock_version,
        )
    except NoticeError as err:
        session.rollback()
        raise ApiError(STATUS.get(err.key, 409), err.key, err.message) from None
    except StaleDataError:
        session.rollback()
        stale = NoticeError("stale")
        raise ApiError(409, stale.key, stale.message) from None
    session.commit()
    return answer(Objection.of(case))
