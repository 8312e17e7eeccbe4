"""Pages of the activity statistics table: a channel organization's own table, the office's
aggregation with its exports, one table, and returning it for correction."""

from __future__ import annotations

import enum
from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import Session

from portal.campaigns.models import Campaign
from portal.campaigns.service import current_campaign, list_campaigns
from portal.db import get_session
from portal.i18n import localized_name
from portal.inputs import form_lock_version, query_int
from portal.labels import label
from portal.statistics import rules, service
from portal.statistics.errors import problem_message
from portal.statistics.forms import ReturnForm, statistics_form_class
from portal.statistics.models import COUNT_FIELDS, COUNT_NAMES, ActivityStatistics

bp = Blueprint("statistics", __name__, url_prefix="/statistics")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(statistics_rules=rules, statistics_fields=COUNT_FIELDS)


def _name(obj) -> str:
    return label(obj) if isinstance(obj, enum.Enum) else localized_name(obj)


def _campaign() -> Campaign:
    session = get_session()
    campaign_id = query_int("campaign")
    campaign = session.get(Campaign, campaign_id) if campaign_id else current_campaign(session)
    if campaign is None:
        abort(404)
    return campaign


def _load(table_id: int) -> ActivityStatistics:
    table = get_session().get(ActivityStatistics, table_id)
    if table is None or not rules.can_view_table(current_user, table):
        abort(404)
    return table


def _fill(form, table: ActivityStatistics) -> None:
    for name in COUNT_NAMES:
        form[name].data = getattr(table, name)
    form.contact_name.data = table.contact_name
    form.contact_phone.data = table.contact_phone
    form.report_date.data = table.report_date
    form.lock_version.data = str(table.lock_version)


@bp.route("/mine", methods=["GET", "POST"])
@login_required
def mine():
    if not rules.can_file_statistics(current_user):
        abort(403)
    session = get_session()
    campaign = current_campaign(session)
    if campaign is None:
        abort(404)
    shown = _shown_table(session, campaign)
    form = statistics_form_class()()
    if request.method == "GET":
        _fill(form, shown)
    elif form.validate_on_submit():
        return _save(form, campaign, submit=request.form.get("action") == "submit")
    return render_template("statistics/mine.html", form=form, table=shown, campaign=campaign)


def _shown_table(session: Session, campaign: Campaign) -> ActivityStatistics:
    """The organization's saved table, or a blank draft before its first save."""
    found = service.find_table(session, campaign, current_user.organization)
    if found is not None:
        return found
    return service.blank_table(campaign, current_user.organization)


def _save(form, campaign: Campaign, *, submit: bool):
    session = get_session()
    try:
        table = service.save_table(
            session,
            current_user,
            campaign,
            counts={name: form[name].data for name in COUNT_NAMES},
            contact_name=form.contact_name.data or "",
            contact_phone=form.contact_phone.data or "",
            report_date=form.report_date.data,
            lock_version=form_lock_version(form.lock_version.data),
        )
        if submit:
            service.submit_table(session, table.id, current_user)
    except service.InvalidFigures as err:
        session.rollback()
        for name, key in err.problems.items():
            form[name].errors = [*form[name].errors, problem_message(key)]
        flash(err.message, "error")
        shown = _shown_table(session, campaign)
        return render_template("statistics/mine.html", form=form, table=shown, campaign=campaign)
    except service.StatisticsError as err:
        session.rollback()
        flash(err.message, "error")
        return redirect(url_for("statistics.mine"))
    session.commit()
    flash(_("The statistics table is submitted.") if submit else _("Saved."), "success")
    return redirect(url_for("statistics.mine"))


@bp.route("/")
@login_required
def index():
    if not rules.can_aggregate_statistics(current_user):
        abort(403)
    session = get_session()
    campaign = _campaign()
    return render_template(
        "statistics/index.html",
        aggregation=service.aggregate(session, campaign, _name),
        campaigns=list_campaigns(session),
    )


def _export(build):
    if not rules.can_aggregate_statistics(current_user):
        abort(403)
    filename, mimetype, data = build(service.aggregate(get_session(), _campaign(), _name))
    return send_file(BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=filename)


@bp.route("/summary.docx")
@login_required
def summary_word():
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.statistics.documents.summary import summary_docx

    return _export(summary_docx)


@bp.route("/summary.csv")
@login_required
def summary_spreadsheet():
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.statistics.documents.summary import summary_csv

    return _export(summary_csv)


@bp.route("/<int:table_id>")
@login_required
def show(table_id: int):
    table = _load(table_id)
    return render_template("statistics/show.html", table=table, return_form=ReturnForm())


@bp.route("/<int:table_id>/return", methods=["POST"])
@login_required
def return_(table_id: int):
    table = _load(table_id)
    if not rules.can_aggregate_statistics(current_user):
        abort(403)  # its own organization may read it, not return it
    form = ReturnForm()
    session = get_session()
    try:
        if not form.validate_on_submit():
            raise service.StatisticsError("reason_required")
        service.return_table(session, table.id, current_user, form.reason.data)
    except service.StatisticsError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(_("The table is returned to its organization for correction."), "success")
    return redirect(url_for("statistics.show", table_id=table_id))
