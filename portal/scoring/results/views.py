"""Pages of the scoring results: figures per category, moves, confirm, reopen, exports.

The office shapes and confirms the candidate list; the organizers read it; experts and
everyone else are refused (403: the pages' existence is no secret, their content is).
"""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from portal.applications.models import ApplicationState
from portal.applications.visibility import visible_submitted_ids
from portal.campaigns.models import Campaign, CampaignCategory
from portal.campaigns.service import current_campaign
from portal.db import get_or_404, get_session
from portal.inputs import query_int
from portal.listing import labels_of, url_pattern
from portal.scoring import exports
from portal.scoring.errors import ResultsError, results_problem
from portal.scoring.models import Panel
from portal.scoring.ranking import TieBreak
from portal.scoring.results import rules as results_rules
from portal.scoring.results import service as results
from portal.scoring.results.forms import MoveForm, ReopenForm
from portal.scoring.results.labels import status_label, tie_label
from portal.scoring.results.listing import results_page

bp = Blueprint("scoring_results", __name__, url_prefix="/scoring/results")
ROWS_PER_PAGE = 50  # of the ranking; the figures above and below it are of the whole list


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        results_rules=results_rules,
        tie_label=tie_label,
        list_status_label=status_label,
        results_problem=results_problem,
    )


@bp.before_request
@login_required
def _readers_only():
    if not results_rules.can_view_results(current_user):
        abort(403)


def _manager_only() -> None:
    if not results_rules.can_manage_candidate_list(current_user):
        abort(403)


def _category(category_id: int) -> CampaignCategory:
    """The category with its campaign, in one statement, or a 404."""
    return get_or_404(CampaignCategory, category_id, [joinedload(CampaignCategory.campaign)])


def _panel(panel_id: int) -> Panel:
    panel = get_or_404(Panel, panel_id)
    return panel


def _download(filename: str, mimetype: str, content: bytes):
    return send_file(
        BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename
    )


@bp.route("/")
def index():
    session = get_session()
    campaign_id = query_int("campaign")
    campaign = session.get(Campaign, campaign_id) if campaign_id else current_campaign(session)
    if campaign_id and campaign is None:
        abort(404)
    overview = results.campaign_overview(session, campaign) if campaign else None
    campaigns = session.scalars(sa.select(Campaign).order_by(Campaign.year.desc())).all()
    return render_template(
        "scoring/results/index.html", campaign=campaign, overview=overview, campaigns=campaigns
    )


@bp.route("/categories/<int:category_id>")
def show(category_id: int):
    category = _category(category_id)
    data = results_page(get_session(), category, query_int("page", 1), ROWS_PER_PAGE)
    readable = visible_submitted_ids(
        get_session(), current_user, [r.application.id for r in data.rows]
    )
    return render_template(
        "scoring/results/show.html",
        results=data,
        rows=data.rows,
        readable=readable,
        app_url=url_pattern("applications.show", "app_id"),
        states=labels_of(ApplicationState),
        ties={tie: tie_label(tie) for tie in TieBreak},
        move_form=MoveForm(),
    )


@bp.route("/categories/<int:category_id>/move", methods=["POST"])
def move(category_id: int):
    _manager_only()
    category = _category(category_id)
    form = MoveForm()
    session = get_session()
    if not form.validate_on_submit():
        flash(_("The move could not be read; please try again."), "error")
    else:
        try:
            results.move_packet(
                session,
                category.id,
                form.application_id,
                form.direction,
                current_user,
                form.reason.data,
            )
        except ResultsError as err:
            session.rollback()
            flash(err.message, "error")
        else:
            session.commit()
            flash(_("The packet was moved; the reason is in the audit trail."), "success")
    return redirect(url_for(".show", category_id=category.id))


@bp.route("/categories/<int:category_id>/confirm", methods=["POST"])
def confirm(category_id: int):
    _manager_only()
    category = _category(category_id)
    session = get_session()
    try:
        done = results.confirm_list(session, category.id, current_user)
    except ResultsError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(
            _(
                "The candidate list is confirmed: %(n)s candidates, %(m)s not selected.",
                n=len(done.candidates),
                m=len(done.not_selected),
            ),
            "success",
        )
    return redirect(url_for(".show", category_id=category.id))


@bp.route("/categories/<int:category_id>/reopen", methods=["POST"])
def reopen(category_id: int):
    _manager_only()
    category = _category(category_id)
    form = ReopenForm()
    session = get_session()
    try:
        count = results.reopen_list(session, category.id, current_user, form.reason.data or "")
    except ResultsError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(_("The ranking is reopened: %(n)s packets are back in expert review.", n=count))
    return redirect(url_for(".show", category_id=category.id))


@bp.route("/categories/<int:category_id>/list.docx")
def list_docx(category_id: int):
    data = results.category_results(get_session(), _category(category_id))
    return _download(*exports.candidate_list_docx(data))


@bp.route("/categories/<int:category_id>/list.csv")
def list_csv(category_id: int):
    data = results.category_results(get_session(), _category(category_id))
    return _download(*exports.candidate_list_csv(data))


@bp.route("/panels/<int:panel_id>/scores.docx")
def panel_docx(panel_id: int):
    table = results.panel_table(get_session(), _panel(panel_id))
    return _download(*exports.panel_table_docx(table))


@bp.route("/panels/<int:panel_id>/scores.csv")
def panel_csv(panel_id: int):
    table = results.panel_table(get_session(), _panel(panel_id))
    return _download(*exports.panel_table_csv(table))
