"""What the packet routes share: loading a packet as the caller may see it, and the API's
status and words for a refusal of the application service."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.api.auth import api_user
from portal.api.errors import ApiError, api_locale
from portal.api.spec import text
from portal.applications import rules
from portal.applications.errors import ApplicationError, Incomplete, InvalidData
from portal.applications.models import Application
from portal.db import get_session

HIDDEN = "No such application (or file), or not visible to this account"
CONFLICT = "The packet's state does not allow this now"
APPLICATION_ID = {"application_id": "application"}
FILE_IDS = {**APPLICATION_ID, "file_id": "stored file (the `id` in `files`)"}

# HTTP status for each refusal of the application service.
STATUS = {
    "not_allowed": 403,
    "not_own": 403,
    "not_in_channel": 403,
    "not_found": 404,
    "file_not_found": 404,
    "not_editable": 409,
    "campaign_not_open": 409,
    "deadline_passed": 409,
    "stale": 409,
    "already_submitted": 409,
    "not_submitted": 409,
    "review_started": 409,
    "recommendation_closed": 409,
    "wrong_stage": 409,
    "not_routed": 409,
    "stage_decided": 409,
    "not_last_stage": 409,
    "not_at_formal_check": 409,
    "decision_stale": 409,
    "opinion_required": 422,
    "too_many_files": 422,
    "reason_required": 422,
    "incomplete": 422,
    "invalid": 422,
}


def refusal(err: ApplicationError, **extra) -> ApiError:
    """The web page's message for the same refusal, with the API's status code."""
    with force_locale(api_locale()):
        message = err.message
    if isinstance(err, InvalidData):
        extra["problems"] = {key: text(m) for key, m in err.problems.items()}
    if isinstance(err, Incomplete):
        extra["missing"] = [text(m) for m in err.missing]
    return ApiError(STATUS.get(err.key, 409), err.key, message, **extra)


def unprocessable(problems: dict) -> ApiError:
    return ApiError(
        422,
        "invalid",
        _l("Some fields need correcting; see the messages beside them."),
        problems={key: text(m) for key, m in problems.items()},
    )


def load_visible(application_id: int) -> Application:
    """The packet, or 404 for anyone who may not see it (as on the web)."""
    app = get_session().get(Application, application_id)
    if app is None or not rules.can_view_application(api_user(), app):
        raise no_application(application_id)
    return app


def no_application(application_id: int) -> ApiError:
    return ApiError(
        404, "not_found", _l("There is no application with the id %(id)s.", id=application_id)
    )


def load_own(application_id: int) -> Application:
    """The packet for a change: only its own enterprise learns that it exists."""
    app = load_visible(application_id)
    if not rules.is_own(api_user(), app):
        raise no_application(application_id)
    return app
