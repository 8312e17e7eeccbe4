"""The office's national recommendation page: pick current holders, rank them, export Word."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.clock import shanghai_today
from portal.db import get_session
from portal.inputs import query_int
from portal.national import rules, service
from portal.national.errors import NationalError
from portal.national.forms import ActionForm, AddForm

bp = Blueprint("national", __name__, url_prefix="/national")
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _require_office() -> None:
    if not rules.can_recommend_nationally(current_user):
        abort(403)


def _year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        abort(404)
    return year


def _page(year: int):
    return redirect(url_for("national.index", year=year))


def _run(year: int, form, action, success: str):
    """Validate, run one service call, commit or roll back, flash, back to the list."""
    session = get_session()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(" ".join(str(e) for e in errors), "error")
        return _page(year)
    try:
        action()
    except NationalError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(success, "success")
    return _page(year)


@bp.route("/")
@login_required
def index():
    _require_office()
    year = query_int("year", shanghai_today().year, FIRST_YEAR, LAST_YEAR)
    session = get_session()
    form = AddForm()
    candidates = service.candidates(session, year)
    form.honour_id.choices = [
        (h.id, f"{h.holder_name} · {h.unit_name} · {h.certificate_number}") for h in candidates
    ]
    return render_template(
        "national/index.html",
        year=year,
        entries=service.national_list(session, year),
        form=form,
        action_form=ActionForm(),
        today=shanghai_today(),
    )


@bp.route("/<int:year>/add", methods=["POST"])
@login_required
def add(year: int):
    _require_office()
    form = AddForm()
    return _run(
        _year(year),
        form,
        lambda: service.add_nomination(
            get_session(), current_user, year, form.honour_id.data, form.reason.data or ""
        ),
        _("The holder is added to the list."),
    )


@bp.route("/<int:year>/order", methods=["POST"])
@login_required
def order(year: int):
    _require_office()
    typed = {
        int(key.removeprefix("rank-")): value
        for key, value in request.form.items()
        if key.startswith("rank-") and key.removeprefix("rank-").isdigit()
    }
    return _run(
        _year(year),
        ActionForm(),
        lambda: service.reorder(get_session(), current_user, year, typed),
        _("The order is saved."),
    )


@bp.route("/<int:year>/<int:nomination_id>/remove", methods=["POST"])
@login_required
def remove(year: int, nomination_id: int):
    _require_office()
    return _run(
        _year(year),
        ActionForm(),
        lambda: service.remove_nomination(get_session(), current_user, year, nomination_id),
        _("The holder is taken off the list."),
    )


@bp.route("/<int:year>/recommendation.docx")
@login_required
def export(year: int):
    _require_office()
    try:
        data = service.export_data(get_session(), _year(year))
    except NationalError as err:
        flash(err.message, "error")
        return _page(year)
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.documents.national_list import render_national_list

    filename, mimetype, content = render_national_list(data)
    return send_file(
        BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename
    )
