"""/api/v1/scoring: experts read their assignments and fill, save and lock their own sheets;
the office reads every assignment and reopens sheets.

The same predicates (portal.scoring.rules) and service functions (portal.scoring.sheets) as the
web pages decide; an expert never receives another expert's sheet, name or scores.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.api.auth import api_user
from portal.api.errors import ApiError
from portal.api.models.scoring import (
    Assignment as AssignmentAnswer,
)
from portal.api.models.scoring import (
    AssignmentPage,
    AssignmentQuery,
    ScoreSheet,
    ScoreSheetLock,
    ScoreSheetReopen,
    ScoreSheetSave,
    ScoringError,
)
from portal.api.spec import answer, operation, parse_body, text
from portal.api.views import page_of
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.db import get_session
from portal.errors import Invalid
from portal.scoring import rules, sheets
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Pledge, ScoreItem
from portal.scoring.models import ScoreSheet as SheetRow
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


def _refusal(err: rules.Refused) -> ApiError:
    extra = {}
    if "problems" in err.params:
        extra["problems"] = {k: text(m) for k, m in err.params["problems"].items()}
    return ApiError(STATUS.get(err.key, 409), err.key, rules.MESSAGES[err.key], **extra)


def _forbidden() -> ApiError:
    return ApiError(403, "forbidden", _l("Only experts and the programme office use scoring."))


def _hidden(sheet_id: int) -> ApiError:
    return ApiError(
        404, "not_found", _l("There is no score sheet with the id %(id)s.", id=sheet_id)
    )


def _caller() -> tuple[User, Expert | None]:
    """(user, expert or None); refused unless an active expert or the office."""
    user = api_user()
    if rules.can_manage_scoring(user):
        return user, None
    expert = expert_for_user(get_session(), user) if rules.can_score(user) else None
    if expert is None or not expert.active:
        raise _forbidden()
    return user, expert


SHEET_ID = {"sheet_id": "score sheet"}
FORBIDDEN = "Not an expert of the pool nor the programme office, or the pledge is missing"
HIDDEN = "No such sheet, or not the caller's own"
CONFLICT = "Stale lock_version, or the sheet is locked (or not locked, to reopen)"


@operation(
    "/scoring/assignments",
    "Assignments: an expert's own; every assignment for the office (filterable)",
    AssignmentPage,
    query=AssignmentQuery,
    description="One page of assignments, by id",
    refusal=ScoringError,
    errors={403: FORBIDDEN},
)
def scoring_assignments(query: AssignmentQuery) -> Response:
    _user, expert = _caller()
    select = sa.select(Assignment)
    if expert is not None:
        select = select.where(
            Assignment.expert_id == expert.id, Assignment.status != AssignmentStatus.RELEASED
        )
    elif query.expert_id is not None:
        select = select.where(Assignment.expert_id == query.expert_id)
    if query.campaign_id is not None:
        select = select.where(Assignment.campaign_id == query.campaign_id)
    if query.year is not None:
        years = sa.select(Campaign.id).where(Campaign.year == query.year)
        select = select.where(Assignment.campaign_id.in_(years))
    if query.panel_id is not None:
        select = select.where(Assignment.panel_id == query.panel_id)
    if query.status:
        select = select.where(Assignment.status == query.status)
    options = [
        selectinload(Assignment.expert),
        selectinload(Assignment.sheet),
        selectinload(Assignment.application).selectinload(Application.organization),
        selectinload(Assignment.application).selectinload(Application.category),
    ]
    rows, meta = page_of(select.order_by(Assignment.id), options, query)
    if expert is None:
        pledged = {a.campaign_id for a in rows}
    else:
        pledged = set(
            get_session().scalars(
                sa.select(Pledge.campaign_id).where(Pledge.expert_id == expert.id)
            )
        )
    data = [AssignmentAnswer.of(a, a.campaign_id in pledged) for a in rows]
    return answer(AssignmentPage(data=data, meta=meta))


def _load_sheet(sheet_id: int) -> tuple[User, Expert | None, SheetRow]:
    """The sheet for its own expert (after the pledge) or the office; 404 for anyone else."""
    user, expert = _caller()
    sheet = get_session().scalar(
        sa.select(SheetRow)
        .where(SheetRow.id == sheet_id)
        .options(selectinload(SheetRow.items).selectinload(ScoreItem.rubric_item))
    )
    if sheet is None or not rules.can_view_sheet(user, sheet, expert):
        raise _hidden(sheet_id)
    if expert is not None and sheets.pledge_of(get_session(), expert, sheet.campaign_id) is None:
        raise _refusal(rules.Refused("pledge_required"))
    return user, expert, sheet


@operation(
    "/scoring/sheets/<int:sheet_id>",
    "One score sheet: the expert's own (after the pledge), or any for the office",
    ScoreSheet,
    description="The sheet",
    path_ids=SHEET_ID,
    refusal=ScoringError,
    errors={403: FORBIDDEN, 404: HIDDEN},
)
def scoring_sheet(sheet_id: int) -> Response:
    _user, _expert, sheet = _load_sheet(sheet_id)
    return answer(ScoreSheet.of(sheet))


@operation(
    "/scoring/sheets/<int:sheet_id>",
    "Save the expert's draft sheet; every problem at once, nothing saved on one",
    ScoreSheet,
    methods=("PUT",),
    body=ScoreSheetSave,
    description="The sheet",
    path_ids=SHEET_ID,
    refusal=ScoringError,
    errors={
        403: FORBIDDEN,
        404: HIDDEN,
        409: CONFLICT,
        422: "Entries out of range, a comment over 4,000 characters, or lock_version missing",
    },
)
def scoring_sheet_save(sheet_id: int) -> Response:
    user, expert, sheet = _load_sheet(sheet_id)
    if expert is None:
        raise _forbidden()
    body = parse_body(
        ScoreSheetSave, messages={"lock_version": _l("Send the lock_version you read.")}
    )
    session = get_session()
    try:
        sheets.save_sheet(session, user, expert, sheet, body.items, body.comment, body.lock_version)
    except rules.Refused as err:
        session.rollback()
        raise _refusal(err) from err
    except Invalid as err:
        session.rollback()
        raise ApiError(
            422,
            "invalid",
            _l("Some entries need correcting; nothing was saved."),
            problems={k: text(m) for k, m in err.problems.items()},
        ) from err
    session.commit()
    return answer(ScoreSheet.of(sheet))


@operation(
    "/scoring/sheets/<int:sheet_id>/lock",
    "Lock the expert's sheet; every criterion must be scored",
    ScoreSheet,
    methods=("POST",),
    body=ScoreSheetLock,
    body_optional=True,
    description="The sheet",
    path_ids=SHEET_ID,
    refusal=ScoringError,
    errors={
        403: FORBIDDEN,
        404: HIDDEN,
        409: CONFLICT,
        422: "Criteria left unscored, listed at once",
    },
)
def scoring_sheet_lock(sheet_id: int) -> Response:
    user, expert, sheet = _load_sheet(sheet_id)
    if expert is None:
        raise _forbidden()
    body = parse_body(ScoreSheetLock, optional=True)
    session = get_session()
    try:
        sheets.lock_sheet(session, user, expert, sheet, body.lock_version)
    except rules.Refused as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    return answer(ScoreSheet.of(sheet))


@operation(
    "/scoring/sheets/<int:sheet_id>/reopen",
    "The office reopens a locked sheet, with a reason",
    ScoreSheet,
    methods=("POST",),
    body=ScoreSheetReopen,
    description="The sheet",
    path_ids=SHEET_ID,
    refusal=ScoringError,
    errors={
        403: FORBIDDEN,
        404: HIDDEN,
        409: CONFLICT,
        422: "No reason given, or one longer than 2,000 characters",
    },
)
def scoring_sheet_reopen(sheet_id: int) -> Response:
    user, expert, sheet = _load_sheet(sheet_id)
    if expert is not None:
        raise _forbidden()
    body = parse_body(ScoreSheetReopen)
    session = get_session()
    try:
        sheets.reopen_sheet(session, user, sheet, body.reason or "", body.lock_version)
    except rules.Refused as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    return answer(ScoreSheet.of(sheet))
