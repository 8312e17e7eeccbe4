"""/api/v1/applications: enterprises prepare and submit packets; the office and channels read.

Visibility and every change go through the same predicates (portal.applications.rules) and
service functions (portal.applications.service) as the web pages; this module only translates
between JSON and those calls.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from portal.accounts.models import User
from portal.api import visibility
from portal.api.auth import api_user
from portal.api.errors import ApiError
from portal.api.models.applications import Application as ApplicationAnswer
from portal.api.models.applications import (
    ApplicationCreate,
    ApplicationError,
    ApplicationPage,
    ApplicationQuery,
    ApplicationSummary,
    ApplicationUpdate,
    ApplicationVersion,
    Packet,
    VersionSummary,
)
from portal.api.packets import (
    APPLICATION_ID,
    CONFLICT,
    HIDDEN,
    load_own,
    load_visible,
    no_application,
    refusal,
    unprocessable,
)
from portal.api.spec import answer, operation, parse_body, text
from portal.api.views import page_of
from portal.applications import rules, service
from portal.applications.fields import fields_for
from portal.applications.models import Application
from portal.applications.personal import reveal_personal_data
from portal.applications.visibility import visible_applications
from portal.campaigns.models import Campaign
from portal.campaigns.service import current_campaign
from portal.db import get_session

OPTIONS = [
    selectinload(Application.campaign),
    selectinload(Application.category),
    selectinload(Application.organization),
]


def _personal(user: User, app: Application, where: str) -> bool:
    """Whether this reader gets the packet's personal data in full; the office's look is kept."""
    session = get_session()
    full = reveal_personal_data(session, user, app, where)
    session.commit()
    return full


def _detail(app: Application) -> ApplicationAnswer:
    user = api_user()
    if rules.is_own(user, app):
        snap, shown = service.make_snapshot(app), None
    else:
        latest = app.latest_version
        if latest is None:  # others see submitted packets only, each with its version
            raise no_application(app.id)
        snap, shown = latest.snapshot, latest.number
    editable = rules.can_edit_application(user, app)
    personal = _personal(user, app, "api_detail")
    return ApplicationAnswer(
        **ApplicationSummary.summary(app),
        lock_version=app.lock_version,
        deadline=app.campaign.application_deadline,
        return_reason=service.return_reason(app),
        shown_version=shown,
        missing=[text(m) for m in service.completeness(app)] if editable else [],
        versions=[VersionSummary.of(v) for v in app.versions],
        **Packet.content(app.id, snap, app.category.kind, personal=personal),
    )


@operation(
    "/applications",
    "Packets visible to the token's user: an enterprise's own, the submitted ones for the "
    "office, those of a reviewer's channel",
    ApplicationPage,
    query=ApplicationQuery,
    description="One page of packets, newest first",
)
def applications(query: ApplicationQuery) -> Response:
    user = api_user()
    select = sa.select(Application).where(visible_applications(user))
    if query.state:
        select = select.where(Application.state == query.state)
    if query.year is not None:
        select = select.join(Campaign, Application.campaign).where(Campaign.year == query.year)
    rows, meta = page_of(select.order_by(Application.id.desc()), OPTIONS, query)
    data = [ApplicationSummary.of(a) for a in rows]
    return answer(ApplicationPage(data=data, meta=meta))


def _campaign_for(body: ApplicationCreate) -> Campaign:
    session = get_session()
    if body.campaign_id is None:
        campaign = current_campaign(session)
    else:
        campaign = session.get(Campaign, body.campaign_id)
        if campaign is None or not visibility.can_see_campaign(api_user(), campaign):
            raise unprocessable(
                {"campaign_id": _l("There is no campaign with the id %(id)s.", id=body.campaign_id)}
            )
    if campaign is None:
        raise ApiError(
            409,
            "campaign_not_open",
            _l("No campaign is open for applications at the moment."),
        )
    return campaign


@operation(
    "/applications",
    "Start a draft packet in the open campaign (enterprises)",
    ApplicationAnswer,
    methods=("POST",),
    body=ApplicationCreate,
    status=201,
    description="The new draft",
    refusal=ApplicationError,
    errors={
        403: "Not an enterprise account",
        409: "No campaign is open, or its deadline has passed",
        422: "Unknown category or campaign",
    },
)
def create_application() -> Response:
    user = api_user()
    if not rules.can_create_application(user):
        raise ApiError(403, "forbidden", _l("Only enterprise accounts can make applications."))
    body = parse_body(ApplicationCreate)
    campaign = _campaign_for(body)
    category = next((c for c in campaign.categories if c.code == body.category), None)
    if category is None:
        raise unprocessable(
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
        raise refusal(err) from err
    session.commit()
    response = answer(_detail(app), 201)
    response.headers["Location"] = url_for("api.application", application_id=app.id)
    return response


@operation(
    "/applications/<int:application_id>",
    "One packet: form, computed figures, completeness, files and versions",
    ApplicationAnswer,
    description="The packet",
    path_ids=APPLICATION_ID,
    errors={404: HIDDEN},
)
def application(application_id: int) -> Response:
    return answer(_detail(load_visible(application_id)))


def _field_texts(app: Application, raw: dict | None, problems: dict) -> dict[str, str]:
    """The `fields` object as the texts the service parses; unknown names are problems."""
    if raw is None:
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


def _stale(lock_version: int, current: int) -> ApiError:
    return ApiError(
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
    )


@operation(
    "/applications/<int:application_id>",
    "Save fields, members, honours and narrative, all or nothing",
    ApplicationAnswer,
    methods=("PATCH",),
    body=ApplicationUpdate,
    description="The saved packet, with its new lock_version",
    path_ids=APPLICATION_ID,
    refusal=ApplicationError,
    errors={
        404: HIDDEN,
        409: "Saved by someone else since lock_version was read (stale), or not editable",
        422: "Every field problem, listed at once",
    },
)
def update_application(application_id: int) -> Response:
    """Save fields, members, honours and the narrative, all or nothing."""
    app = load_own(application_id)
    user = api_user()
    lock_message = _l(
        "Send the lock_version of the application as you last read it (it is %(n)s now).",
        n=app.lock_version,
    )
    messages = {
        "lock_version": lock_message,
        "fields": _l("Send the fields as an object of names and values."),
        "members": _l("Send %(key)s as a list of objects.", key="members"),
        "honours": _l("Send %(key)s as a list of objects.", key="honours"),
        "narrative": _l("Send the introductory material as text."),
    }
    body = parse_body(ApplicationUpdate, messages=messages)
    problems: dict = {}
    fields = _field_texts(app, body.fields, problems)
    session = get_session()
    current = app.lock_version
    try:
        service.update_application(
            session,
            app,
            user,
            fields=fields,
            members=body.members,
            honours=body.honours,
            narrative=body.narrative,
            lock_version=body.lock_version,
        )
    except service.InvalidData as err:
        session.rollback()
        raise unprocessable({**problems, **err.problems}) from err
    except service.ApplicationError as err:
        session.rollback()
        if err.key == "stale":
            raise _stale(body.lock_version, current) from err
        raise refusal(err) from err
    if problems:
        session.rollback()
        raise unprocessable(problems)
    session.commit()
    return answer(_detail(app))


@operation(
    "/applications/<int:application_id>/submit",
    "Submit once before the deadline (server time, Asia/Shanghai); frozen as a version",
    ApplicationVersion,
    methods=("POST",),
    status=201,
    description="The new version",
    path_ids=APPLICATION_ID,
    refusal=ApplicationError,
    errors={
        404: HIDDEN,
        409: "Already submitted, or the deadline has passed",
        422: "Incomplete: everything missing, listed at once",
    },
)
def submit_application(application_id: int) -> Response:
    """Freeze the packet as its next version, once; the deadline is the server's clock."""
    app = load_own(application_id)
    session = get_session()
    try:
        version = service.submit_application(session, app.id, api_user())
    except service.ApplicationError as err:
        session.rollback()
        raise refusal(err) from err
    session.commit()
    personal = rules.can_see_personal_data(api_user(), app)  # the enterprise's own packet
    response = answer(ApplicationVersion.frozen(app, version, personal=personal), 201)
    response.headers["Location"] = url_for(
        "api.application_version", application_id=app.id, number=version.number
    )
    return response


@operation(
    "/applications/<int:application_id>/withdraw",
    "Take a submitted packet back to draft before review starts",
    ApplicationAnswer,
    methods=("POST",),
    description="The packet, a draft again",
    path_ids=APPLICATION_ID,
    refusal=ApplicationError,
    errors={404: HIDDEN, 409: CONFLICT},
)
def withdraw_application(application_id: int) -> Response:
    app = load_own(application_id)
    session = get_session()
    try:
        service.withdraw_application(session, app.id, api_user())
    except service.ApplicationError as err:
        session.rollback()
        raise refusal(err) from err
    session.commit()
    return answer(_detail(app))


@operation(
    "/applications/<int:application_id>/versions/<int:number>",
    "One submitted version, frozen as it was submitted",
    ApplicationVersion,
    description="The version",
    path_ids=APPLICATION_ID,
    errors={404: HIDDEN},
    extra={
        "parameters": [
            {
                "name": "number",
                "in": "path",
                "required": True,
                "schema": {"type": "integer", "minimum": 1},
                "description": "Version number, from 1",
            }
        ]
    },
)
def application_version(application_id: int, number: int) -> Response:
    app = load_visible(application_id)
    version = service.get_version(app, number)
    if version is None:
        raise ApiError(
            404,
            "not_found",
            _l("This application has no version %(n)s.", n=number),
        )
    personal = _personal(api_user(), app, "api_version")
    return answer(ApplicationVersion.frozen(app, version, personal=personal))
