"""Public pages of the notice (公示): the list, its Word copy, objections and case status.

The list is served to anonymous visitors without touching the session (no cookie, no CSRF
token) and with `Cache-Control: public, max-age=1`, so a short cache in front of the app
server absorbs bursts. The objection form, with its CSRF token, is a page of its own.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, make_response, render_template, request
from flask.blueprints import BlueprintSetupState
from flask_login import current_user

from portal.db import get_session, utcnow
from portal.files.service import UploadRejected
from portal.inputs import query_int, query_text
from portal.listing import url_pattern
from portal.notice import objections, public, rules, service
from portal.notice.errors import NoticeError
from portal.notice.forms import (
    ObjectionForm,
    StatusLookupForm,
    form_started_token,
    seconds_since,
)
from portal.notice.workdays import SHANGHAI
from portal.storage import content_disposition

bp = Blueprint("notice", __name__, url_prefix="/notice")


@bp.record_once
def _rules_in_templates(state: BlueprintSetupState) -> None:
    """Templates ask notice_rules what a user may do: a module as a template global, which
    add_app_template_global, typed for functions, would not take."""
    state.app.jinja_env.globals["notice_rules"] = rules


def _cacheable(response):
    """Anonymous visitors share one cached copy for a second; signed-in users get their own."""
    if current_user.is_authenticated:
        response.cache_control.private = True
        response.cache_control.no_cache = True
    else:
        response.cache_control.public = True
        response.cache_control.max_age = 1
    return response


def _filters() -> public.Filters:
    return public.Filters(
        q=query_text("q")[:100],
        category=query_text("category"),
        district=query_text("district"),
        industry=query_text("industry"),
    )


def _render_list(notice):
    now = utcnow()
    filters = _filters()
    listing = None
    if notice is not None:
        listing = public.public_page(get_session(), notice, filters, query_int("page", 1))
    html = render_template(
        "notice/list.html",
        notice=notice,
        listing=listing,
        filters=filters,
        page_url=_page_url(filters),
        is_open=service.notice_is_open(notice, now),
        last_second=notice.closes_at - timedelta(seconds=1) if notice else None,
    )
    return _cacheable(make_response(html))


def _page_url(filters: public.Filters):
    """The list's address with its search and filters, the page left open."""
    kept = {name: value for name, value in vars(filters).items() if value}
    here = request.view_args or {}
    return url_pattern(request.endpoint or "notice.index", "page", **here, **kept)


@bp.route("")
def index():
    return _render_list(public.visible_notice(get_session()))


@bp.route("/<int:year>")
def year(year: int):
    notice = public.visible_notice(get_session(), year)
    if notice is None:
        abort(404)
    return _render_list(notice)


@bp.route("/<int:year>/list.docx")
def docx(year: int):
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.notice.documents import notice_list

    session = get_session()
    notice = public.visible_notice(session, year)
    if notice is None:
        abort(404)
    last = notice.closes_at - timedelta(seconds=1)
    window = f"公示期：{_shanghai(notice.opens_at)} 至 {_shanghai(last)}（北京时间）"
    revised = f"名单于 {_shanghai(notice.revised_at)} 更新。" if notice.revised_at else ""
    filename, mimetype, data = notice_list.build(
        year, notice.campaign.theme, public.public_rows(session, notice), window, revised
    )
    response = make_response(data)
    response.mimetype = mimetype
    response.headers["Content-Disposition"] = content_disposition(filename)
    return _cacheable(response)


def _shanghai(instant) -> str:
    return instant.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M:%S")


@bp.route("/<int:year>/candidates/<int:app_id>/objection", methods=["GET", "POST"])
def object_to(year: int, app_id: int):
    session = get_session()
    notice = public.visible_notice(session, year)
    if notice is None:
        abort(404)
    app = objections.objectable(session, notice, app_id)
    if app is None:
        abort(404)
    form = ObjectionForm()
    row = public.public_row(app)
    now = utcnow()
    error = None
    if not service.notice_is_open(notice, now):
        error = _window_error(notice, now)
    elif form.validate_on_submit():
        files = [(f.stream, f.filename or "") for f in form.evidence.data or [] if f.filename]
        try:
            case = objections.submit_objection(
                session,
                notice,
                app,
                name=form.name.data,
                mobile=form.mobile.data,
                email=form.email.data,
                reason=form.reason.data,
                files=files,
                ip=request.remote_addr or "",
                honeypot=form.website.data or "",
                filled_seconds=seconds_since(form.started.data),
                now=now,
            )
        except (NoticeError, UploadRejected) as err:
            session.rollback()
            error = err.message
        else:
            session.commit()
            return render_template("notice/received.html", case=case, row=row, notice=notice)
    elif "csrf_token" in form.errors:  # the page was open for hours: keep what was typed
        error = NoticeError("form_expired").message
    form.started.data = form_started_token()
    status = 200 if error is None or request.method == "GET" else 422
    return (
        render_template(
            "notice/objection.html",
            form=form,
            row=row,
            notice=notice,
            error=error,
            year=year,
            window_open=service.notice_is_open(notice, now),
            min_fill_seconds=objections.MIN_FILL_SECONDS,
        ),
        status,
    )


def _window_error(notice, now) -> str:
    if now < notice.opens_at:
        return NoticeError("window_not_open", when=notice.opens_at).message
    return NoticeError("window_closed", when=notice.closes_at - timedelta(seconds=1)).message


@bp.route("/objections/status", methods=["GET", "POST"])
def status():
    form = StatusLookupForm()
    case = error = None
    looked_up = False
    response_status, headers = 200, {}
    if form.validate_on_submit():
        session = get_session()
        try:
            case = objections.lookup_case(
                session, form.case.data, form.mobile.data, ip=request.remote_addr or ""
            )
            looked_up = True
        except NoticeError as err:
            error, response_status = err.message, 429
            headers["Retry-After"] = str(err.params["retry_after"])
        session.commit()  # the lookup counts, found or not
    html = render_template(
        "notice/status.html", form=form, case=case, looked_up=looked_up, error=error
    )
    response = make_response(html, response_status, headers)
    response.cache_control.no_store = True
    return response


from portal.notice import views_office  # noqa: E402, F401
