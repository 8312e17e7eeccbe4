"""/api/v1/applications: enterprises prepare and submit packets; the office and channels read.

Visibility and every change go through the same predicates (portal.applications.rules) and
service functions (portal.applications.service) as the web pages; this module only translates
between JSON and those calls.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.api import serializers, visibility
from portal.api.auth import api_user
from portal.api.body import json_object
from portal.api.errors import ApiError, api_locale
from portal.api.views import _enum_arg, _int_arg, _page, bp
from portal.applications import rules, service
from portal.applications.fields import fields_for
from portal.applications.messages import error_message
from portal.applications.models import Application, ApplicationState, FileCategory
from portal.applications.personal import reveal_personal_data
from portal.applications.visibility import visible_applications
from portal.campaigns.models import Campaign
from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.files.intake import UploadRequestInvalid, request_upload_filename, stream_request_body
from portal.files.models import StoredFile
from portal.files.service import UploadRejected, send_stored_file

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
# API error code for each problem of a raw-body upload request.
UPLOAD_REQUEST_CODES = {
    "length_required": "length_required",
    "length_invalid": "invalid_header",
    "incomplete": "incomplete_upload",
    "filename_missing": "invalid_parameter",
    "filename_encoding": "invalid_parameter",
}
OPTIONS = [
    selectinload(Application.campaign),
    selectinload(Application.category),
    selectinload(Application.organization),
]


def _text(value) -> str:
    """A lazy or plain message in the API caller's language."""
    with force_locale(api_locale()):
        return str(value)


def _refusal(err: service.ApplicationError, **extra) -> ApiError:
    """The web page's message for the same refusal, with the API's status code."""
    with force_locale(api_locale()):
        message = error_message(err)
    if isinstance(err, service.InvalidData):
        extra["problems"] = {key: _text(m) for key, m in err.problems.items()}
    if isinstance(err, service.Incomplete):
        extra["missing"] = [_text(m) for m in err.missing]
    return ApiError(STATUS.get(err.key, 409), err.key, message, **extra)


def _unprocessable(problems: dict) -> ApiError:
    return ApiError(
        422,
        "invalid",
        _l("Some fields need correcting; see the messages beside them."),
        problems={key: _text(m) for key, m in problems.items()},
    )


def _load(application_id: int) -> Application:
    """The packet, or 404 for anyone who may not see it (as on the web)."""
    app = get_session().get(Application, application_id)
    if app is None or not rules.can_view_application(api_user(), app):
        raise ApiError(
            404,
            "not_found",
            _l("There is no application with the id %(id)s.", id=application_id),
        )
    return app


def _load_own(application_id: int) -> Application:
    """The packet for a change: only its own enterprise learns that it exists."""
    app = _load(application_id)
    if not rules.is_own(api_user(), app):
        raise ApiError(
            404,
            "not_found",
            _l("There is no application with the id %(id)s.", id=application_id),
        )
    return app


def _personal(user: User, app: Application, where: str) -> bool:
    """Whether this reader gets the packet's personal data in full; the office's look is kept."""
    session = get_session()
    full = reveal_personal_data(session, user, app, where)
    session.commit()
    return full


def _detail(app: Application) -> dict:
    user = api_user()
    if rules.is_own(user, app):
        snap, shown = service.make_snapshot(app), None
    else:
        latest = app.latest_version
        snap, shown = latest.snapshot, latest.number
    editable = rules.can_edit_application(user, app)
    return serializers.application(
        app,
        snap=snap,
        shown_version=shown,
        personal=_personal(user, app, "api_detail"),
        missing=[_text(m) for m in service.completeness(app)] if editable else [],
        return_reason=service.return_reason(app),
    )


@bp.get("/applications")
def applications():
    user = api_user()
    query = sa.select(Application).where(visible_applications(user))
    if state := _enum_arg("state", ApplicationState):
        query = query.where(Application.state == state)
    if (year := _int_arg("year", None, 1900, 9999)) is not None:
        query = query.join(Campaign, Application.campaign).where(Campaign.year == year)
    rows, meta = _page(query.order_by(Application.id.desc()), OPTIONS)
    return jsonify({"data": [serializers.application_summary(a) for a in rows], "meta": meta})


def _campaign_for(body: dict) -> Campaign:
    session = get_session()
    if body.get("campaign_id") is None:
        campaign = current_campaign(session)
    else:
        campaign_id = body["campaign_id"]
        campaign = session.get(Campaign, campaign_id) if isinstance(campaign_id, int) else None
        if campaign is None or not visibility.can_see_campaign(api_user(), campaign):
            raise _unprocessable(
                {"campaign_id": _l("There is no campaign with the id %(id)s.", id=campaign_id)}
            )
    if campaign is None:
        raise ApiError(
            409,
            "campaign_not_open",
            _l("No campaign is open for applications at the moment."),
        )
    return campaign


@bp.post("/applications")
def create_application():
    user = api_user()
    if not rules.can_create_application(user):
        raise ApiError(403, "forbidden", _l("Only enterprise accounts can make applications."))
    body = json_object()
    campaign = _campaign_for(body)
    code = body.get("category")
    category = next((c for c in campaign.categories if c.code == code), None)
    if category is None:
        raise _unprocessable(
            {
                "category": _l(
                    "Choose the category by its code: %(codes)s.",
                    codes=", ".join(c.code for c in campaign.categories),
                )
            }
        )
    session = get_session()
    try:
        app = service.create_application(session, user, campaign, category)
    except service.ApplicationError as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    response = jsonify(_detail(app))
    response.status_code = 201
    response.headers["Location"] = url_for("api.application", application_id=app.id)
    return response


@bp.get("/applications/<int:application_id>")
def application(application_id: int):
    return jsonify(_detail(_load(application_id)))


def _field_texts(app: Application, raw: object, problems: dict) -> dict[str, str]:
    """The `fields` object as the texts the service parses; unknown names are problems."""
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        problems["fields"] = _l("Send the fields as an object of names and values.")
        return {}
    known = {spec.name for spec in fields_for(app.category.kind)}
    texts: dict[str, str] = {}
    for name, value in raw.items():
        if name not in known:
            problems[name] = _l(
                "There is no field %(name)s on this form; the fields are: %(names)s.",
                name=name,
                names=", ".join(spec.name for spec in fields_for(app.category.kind)),
            )
        elif isinstance(value, bool) or not isinstance(value, str | int | float | None):
            problems[name] = _l("Send this field's value as text or a number.")
        else:
            texts[name] = "" if value is None else str(value)
    return texts


def _rows(body: dict, key: str, problems: dict) -> list[dict] | None:
    rows = body.get(key)
    if rows is None:
        return None
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        problems[key] = _l("Send %(key)s as a list of objects.", key=key)
        return None
    return rows


@bp.patch("/applications/<int:application_id>")
def update_application(application_id: int):
    """Save fields, members, honours and the narrative, all or nothing."""
    app = _load_own(application_id)
    user = api_user()
    body = json_object()
    lock_version = body.get("lock_version")
    if not isinstance(lock_version, int) or isinstance(lock_version, bool):
        raise _unprocessable(
            {
                "lock_version": _l(
                    "Send the lock_version of the application as you last read it "
                    "(it is %(n)s now).",
                    n=app.lock_version,
                )
            }
        )
    problems: dict = {}
    fields = _field_texts(app, body.get("fields"), problems)
    members = _rows(body, "members", problems)
    honours = _rows(body, "honours", problems)
    narrative = body.get("narrative")
    if narrative is not None and not isinstance(narrative, str):
        problems["narrative"] = _l("Send the introductory material as text.")
        narrative = None
    session = get_session()
    current = app.lock_version
    try:
        service.update_application(
            session,
            app,
            user,
            fields=fields,
            members=members,
            honours=honours,
            narrative=narrative,
            lock_version=lock_version,
        )
    except service.InvalidData as err:
        session.rollback()
        raise _unprocessable({**problems, **err.problems}) from err
    except service.ApplicationError as err:
        session.rollback()
        if err.key == "stale":
            raise ApiError(
                409,
                "stale",
                _l(
                    "The application was saved by someone else after you read it: you sent "
                    "lock_version %(sent)s, it is now %(now)s. Nothing was saved; read it "
                    "again and repeat your changes.",
                    sent=lock_version,
                    now=current,
                ),
                lock_version=current,
            ) from err
        raise _refusal(err) from err
    if problems:
        session.rollback()
        raise _unprocessable(problems)
    session.commit()
    return jsonify(_detail(app))


@bp.route("/applications/<int:application_id>/files", methods=["PUT", "POST"])
def upload_file(application_id: int):
    """Attach the raw request body as a file of the `category`; nothing else changes."""
    app = _load_own(application_id)
    category = _enum_arg("category", FileCategory)
    if category is None:
        raise ApiError(
            400,
            "invalid_parameter",
            _l(
                "Say which material this is with ?category= (one of: %(allowed)s).",
                allowed=", ".join(c.value for c in FileCategory),
            ),
            parameter="category",
        )
    if request.mimetype != "application/octet-stream":
        raise ApiError(
            415,
            "unsupported_media_type",
            _l("Send the file as the raw request body with Content-Type application/octet-stream."),
        )
    session = get_session()
    try:
        link = service.add_file(
            session,
            app,
            api_user(),
            category=category,
            filename=request_upload_filename(),
            stream=stream_request_body(),
        )
    except UploadRequestInvalid as err:
        session.rollback()
        raise ApiError(
            err.code, UPLOAD_REQUEST_CODES[err.key], err.message, parameter=err.parameter
        ) from err
    except UploadRejected as err:
        session.rollback()
        with force_locale(api_locale()):
            message = err.message
        raise ApiError(422, "upload_rejected", message, reason=err.key) from err
    except service.ApplicationError as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    response = jsonify(serializers.stored_file(app.id, link))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.application_file", application_id=app.id, file_id=link.stored_file_id
    )
    return response


@bp.get("/applications/<int:application_id>/files/<int:file_id>")
def application_file(application_id: int, file_id: int):
    """Download: draft files for the enterprise, submitted ones for those who may read them."""
    app = _load(application_id)
    if not rules.can_download_file(api_user(), app, file_id):
        raise ApiError(
            404, "not_found", _l("There is no file with the id %(id)s here.", id=file_id)
        )
    return send_stored_file(get_session().get(StoredFile, file_id))


@bp.delete("/applications/<int:application_id>/files/<int:file_id>")
def delete_application_file(application_id: int, file_id: int):
    app = _load_own(application_id)
    link = next((f for f in app.files if f.stored_file_id == file_id), None)
    session = get_session()
    try:
        # An unknown file goes to the service too, so a submitted packet says so first.
        service.remove_file(session, app, api_user(), link.id if link else 0)
    except service.ApplicationError as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    return "", 204


@bp.post("/applications/<int:application_id>/submit")
def submit_application(application_id: int):
    """Freeze the packet as its next version, once; the deadline is the server's clock."""
    app = _load_own(application_id)
    session = get_session()
    try:
        version = service.submit_application(session, app.id, api_user())
    except service.ApplicationError as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    personal = rules.can_see_personal_data(api_user(), app)  # the enterprise's own packet
    response = jsonify(serializers.application_version(app, version, personal=personal))
    response.status_code = 201
    response.headers["Location"] = url_for(
        "api.application_version", application_id=app.id, number=version.number
    )
    return response


@bp.post("/applications/<int:application_id>/withdraw")
def withdraw_application(application_id: int):
    app = _load_own(application_id)
    session = get_session()
    try:
        service.withdraw_application(session, app.id, api_user())
    except service.ApplicationError as err:
        session.rollback()
        raise _refusal(err) from err
    session.commit()
    return jsonify(_detail(app))


@bp.get("/applications/<int:application_id>/versions/<int:number>")
def application_version(application_id: int, number: int):
    app = _load(application_id)
    version = service.get_version(app, number)
    if version is None:
        raise ApiError(
            404,
            "not_found",
            _l("This application has no version %(n)s.", n=number),
        )
    return jsonify(
        serializers.application_version(
            app, version, personal=_personal(api_user(), app, "api_version")
        )
    )
