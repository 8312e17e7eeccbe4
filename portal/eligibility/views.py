"""Pages: the office's application conditions and integrity overview of a campaign; the unit's
declaration, a reviewer's contest and the office's finding, posted from a packet's page."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.applications import rules as application_rules
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.checks import mask_id_number
from portal.db import get_or_404, get_session
from portal.eligibility import rules, service
from portal.eligibility.defaults import DEFAULTS, columns_for
from portal.eligibility.errors import EligibilityError, RulesInvalid
from portal.eligibility.forms import (
    COLUMN_LABELS,
    ContestForm,
    DeclarationForm,
    FindingForm,
    RulesForm,
    field_name,
)
from portal.eligibility.models import FindingSource
from portal.eligibility.service_integrity import (
    campaign_findings,
    double_nominations,
    finding_of,
    nominated_elsewhere,
    record_finding,
)

bp = Blueprint("eligibility", __name__, url_prefix="/eligibility")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        eligibility_rules=rules,
        eligibility_checks=lambda app: service.evaluate(get_session(), app),
        eligibility_declaration=lambda app: service.declaration_of(get_session(), app),
        eligibility_finding=lambda app: finding_of(get_session(), app),
        eligibility_nominations=lambda app: nominated_elsewhere(
            get_session(), app, service.packet_id_numbers(app)
        ),
        eligibility_mask_id=mask_id_number,
        eligibility_default=lambda category, column: DEFAULTS.get(category.kind, {}).get(
            column, ""
        ),
        eligibility_forms=lambda: {
            "declaration": DeclarationForm(),
            "contest": ContestForm(),
            "finding": FindingForm(),
        },
    )


def _packet(app_id: int) -> Application:
    app = get_session().get(Application, app_id)
    if app is None or not application_rules.can_view_application(current_user, app):
        abort(404)
    return app


def _back(app: Application):
    if application_rules.is_own(current_user, app):
        return redirect(url_for("applications.show", app_id=app.id) + "#eligibility")
    version = app.latest_version
    number = version.number if version is not None else 1
    return redirect(url_for("applications.version", app_id=app.id, number=number))


def _settle(app: Application, action, done: str):
    session = get_session()
    try:
        action()
    except EligibilityError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        flash(done, "success")
    return _back(app)


@bp.route("/campaigns/<int:campaign_id>/rules", methods=["GET", "POST"])
@login_required
def campaign_rules(campaign_id: int):
    if not rules.can_edit_rules(current_user):
        abort(403)
    session = get_session()
    campaign = get_or_404(Campaign, campaign_id)
    form = RulesForm()
    problems: dict[str, object] = {}
    if form.validate_on_submit():
        values, problems = form.values(campaign, request.form)
        if not problems:
            try:
                service.update_rules(session, current_user, campaign, values)
            except RulesInvalid as err:
                session.rollback()
                problems = err.problems
            else:
                session.commit()
                flash(_("The application conditions are saved."), "success")
                return redirect(url_for("eligibility.campaign_rules", campaign_id=campaign.id))
    shown = {c.id: service.rules_of(session, c) for c in campaign.categories}
    return render_template(
        "eligibility/rules.html",
        campaign=campaign,
        form=form,
        shown=shown,
        posted=request.form if problems else None,
        problems={k: str(v) for k, v in problems.items()},
        columns_for=columns_for,
        column_labels=COLUMN_LABELS,
        field_name=field_name,
    ), (422 if problems else 200)


@bp.route("/campaigns/<int:campaign_id>/integrity")
@login_required
def integrity(campaign_id: int):
    if not rules.can_see_integrity(current_user):
        abort(403)
    session = get_session()
    campaign = get_or_404(Campaign, campaign_id)
    return render_template(
        "eligibility/integrity.html",
        campaign=campaign,
        findings=campaign_findings(session, campaign),
        doubles=double_nominations(session, campaign),
    )


@bp.route("/applications/<int:app_id>/declaration", methods=["POST"])
@login_required
def sign(app_id: int):
    app = _packet(app_id)
    if not application_rules.is_own(current_user, app):
        abort(404)
    if not DeclarationForm().validate_on_submit():
        abort(400)
    return _settle(
        app,
        lambda: service.sign_declaration(get_session(), current_user, app),
        _("The declaration is signed."),
    )


@bp.route("/applications/<int:app_id>/declaration/contest", methods=["POST"])
@login_required
def contest(app_id: int):
    if not rules.can_contest_declaration(current_user):
        abort(403)
    app = _packet(app_id)
    form = ContestForm()
    if not form.validate_on_submit():
        flash(_("Give the reason (at most 2000 characters)."), "error")
        return _back(app)
    return _settle(
        app,
        lambda: service.contest_declaration(get_session(), current_user, app, form.reason.data),
        _("The declaration is marked as contested."),
    )


@bp.route("/applications/<int:app_id>/finding", methods=["POST"])
@login_required
def finding(app_id: int):
    if not rules.can_record_finding(current_user):
        abort(403)
    app = _packet(app_id)
    form = FindingForm()
    if not form.validate_on_submit():
        flash(_("Say where and what was found (at most 2000 characters)."), "error")
        return _back(app)
    return _settle(
        app,
        lambda: record_finding(
            get_session(),
            current_user,
            app,
            source=FindingSource(form.source.data),
            description=form.description.data,
            found_on=form.found_on.data,
        ),
        _("The finding is recorded: the application is disqualified and the applicant barred."),
    )
