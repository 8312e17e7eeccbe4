"""Pages of the review chain: the reviewer's queue, a packet's review page with the decision
form, and the programme office's formal-check queue."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from portal import signals
from portal.applications.errors import ApplicationError
from portal.applications.models import Application
from portal.applications.personal import packet_snapshot, reveal_personal_data
from portal.campaigns.models import Campaign, CampaignStatus
from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.i18n import is_chinese, localized_name
from portal.inputs import form_lock_version, query_int
from portal.review import chain, completion, rules, service
from portal.review.forms import (
    CHANNEL_CHOICES,
    OFFICE_CHOICES,
    CompletionForm,
    DecisionForm,
    OverdueRejectionForm,
)
from portal.review.models import Decision

bp = Blueprint("review", __name__, url_prefix="/review")

DONE = {
    Decision.FORWARD: _l("Your decision is recorded: forwarded."),
    Decision.RETURN: _l("Your decision is recorded: returned for revision."),
    Decision.NOT_RECOMMEND: _l("Your decision is recorded: not recommended."),
    Decision.ACCEPT: _l("The application passed the formal check."),
    Decision.REJECT: _l("The application did not pass the formal check."),
}


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        review_rules=rules,
        review_history=lambda app: chain.all_decisions(get_session(), app),
        completion_items=completion.item_labels,
        completion_of=lambda app: completion.open_request(get_session(), app),
        completion_late=lambda app: completion.is_overdue(get_session(), app),
    )


def _campaigns() -> list[Campaign]:
    return list(
        get_session().scalars(
            sa.select(Campaign)
            .where(Campaign.status != CampaignStatus.DRAFT)
            .order_by(Campaign.year.desc())
        )
    )


def _chosen_campaign(campaigns: list[Campaign]) -> Campaign | None:
    wanted = query_int("campaign")
    chosen = next((c for c in campaigns if c.id == wanted), None)
    return chosen or current_campaign(get_session())


def _filters():
    campaigns = _campaigns()
    campaign = _chosen_campaign(campaigns)
    category_id = query_int("category")
    if campaign is None or category_id not in {c.id for c in campaign.categories}:
        category_id = None
    return campaigns, campaign, category_id, query_int("page", 1)


def _category_names(campaign: Campaign | None) -> dict[int, str]:
    """The campaign's category names in the page's language, looked up by a list's rows."""
    return {c.id: localized_name(c) for c in campaign.categories} if campaign else {}


@bp.route("/")
@login_required
def queue():
    if not rules.can_use_queue(current_user):
        abort(403)
    campaigns, campaign, category_id, page = _filters()
    result = None
    if campaign is not None:
        result = service.reviewer_queue(
            get_session(),
            current_user.organization,
            campaign,
            category_id=category_id,
            page=page,
            objects=False,
        )
    return render_template(
        "review/queue.html",
        campaigns=campaigns,
        campaign=campaign,
        category_id=category_id,
        result=result,
        overdue=campaign is not None and service.is_overdue(campaign),
        zh=is_chinese(),
        category_names=_category_names(campaign),
    )


@bp.route("/formal-check")
@login_required
def formal_check():
    if not rules.can_formal_check(current_user):
        abort(403)
    campaigns, campaign, category_id, page = _filters()
    result, stranded = None, []
    if campaign is not None:
        result = service.QueuePage(
            *service.formal_check_queue(
                get_session(), campaign, category_id=category_id, page=page, objects=False
            )
        )
        answers = signals.answers(signals.stranded_packets, campaign, session=get_session())
        stranded = [pair for answer in answers for pair in answer]
    return render_template(
        "review/formal_check.html",
        incomplete=completion.awaiting_completion(get_session(), campaign) if campaign else [],
        campaigns=campaigns,
        campaign=campaign,
        category_id=category_id,
        result=result,
        stranded=stranded,
        category_names=_category_names(campaign),
    )


def _load(app_id: int) -> Application:
    app = get_session().get(Application, app_id)
    if app is None or not rules.can_open_review(current_user, app):
        abort(404)
    return app


def _decision_form(app: Application, form: DecisionForm | None = None) -> DecisionForm:
    form = form or DecisionForm(formdata=None)
    office = rules.can_formal_check(current_user)
    form.decision.choices = OFFICE_CHOICES if office else CHANNEL_CHOICES
    if form.lock_version.data in (None, ""):
        form.lock_version.data = str(app.lock_version)
    return form


def _completion_form(app: Application, form: CompletionForm | None = None) -> CompletionForm:
    form = form or CompletionForm(formdata=None)
    if form.due_on.data is None and not form.is_submitted():
        form.due_on.data = completion.default_due_day()
    if form.lock_version.data in (None, ""):
        form.lock_version.data = str(app.lock_version)
    return form


def _render(app: Application, form: DecisionForm, status: int = 200, **forms):
    session = get_session()
    version = app.latest_version
    full = reveal_personal_data(session, current_user, app, "review_page")
    session.commit()
    return (
        render_template(
            "review/show.html",
            app=app,
            version=version,
            snap=packet_snapshot(version.snapshot if version else None, full=full),
            decisions=chain.all_decisions(session, app),
            stages=app.campaign.stages,
            skipped=chain.skipped_stages(session, app),
            may_decide=rules.can_decide(current_user, app),
            why_not=None
            if rules.can_formal_check(current_user)
            else rules.stage_problem(current_user, app),
            form=form,
            overdue=service.is_overdue(app.campaign),
            may_complete=rules.can_request_completion(current_user, app),
            completion_form=forms.get("completion_form") or _completion_form(app),
            completion_request=completion.open_request(session, app),
            completion_overdue=completion.is_overdue(session, app),
            rejection_form=forms.get("rejection_form") or OverdueRejectionForm(formdata=None),
        ),
        status,
    )


@bp.route("/applications/<int:app_id>")
@login_required
def show(app_id: int):
    app = _load(app_id)
    return _render(app, _decision_form(app))


@bp.route("/applications/<int:app_id>/decision", methods=["POST"])
@login_required
def decide(app_id: int):
    app = _load(app_id)
    form = _decision_form(app, DecisionForm())
    if not form.validate_on_submit():
        flash(_("Choose a decision; the opinion may have at most 2,000 characters."), "error")
        return _render(app, form, 422)
    session = get_session()
    decision = Decision(form.decision.data)
    try:
        service.decide(
            session,
            app.id,
            current_user,
            decision,
            form.opinion.data or "",
            lock_version=form_lock_version(form.lock_version.data),
        )
    except ApplicationError as err:
        session.rollback()
        flash(err.message, "error")
        if err.key == "decision_stale":
            return redirect(url_for("review.show", app_id=app.id))
        return _render(app, form, 409 if err.key != "opinion_required" else 422)
    session.commit()
    flash(str(DONE[decision]), "success")
    if rules.can_formal_check(current_user):
        return redirect(url_for("review.formal_check", campaign=app.campaign_id))
    return redirect(url_for("review.queue", campaign=app.campaign_id))


@bp.route("/applications/<int:app_id>/completion", methods=["POST"])
@login_required
def request_completion(app_id: int):
    """The office returns a recommended packet for completion (退回补正)."""
    app = _load(app_id)
    if not rules.can_formal_check(current_user):
        abort(403)
    form = _completion_form(app, CompletionForm())
    if not form.validate_on_submit():
        flash(_("Give the due date; the text may have at most 2,000 characters."), "error")
        return _render(app, _decision_form(app), 422, completion_form=form)
    session = get_session()
    try:
        completion.request_completion(
            session,
            app.id,
            current_user,
            form.items.data or [],
            form.note.data or "",
            form.due_on.data,
            lock_version=form_lock_version(form.lock_version.data),
        )
    except ApplicationError as err:
        session.rollback()
        flash(err.message, "error")
        if err.key == "decision_stale":
            return redirect(url_for("review.show", app_id=app.id))
        return _render(app, _decision_form(app), 422, completion_form=form)
    session.commit()
    flash(_("The application is returned to the enterprise for completion."), "success")
    return redirect(url_for("review.formal_check", campaign=app.campaign_id))


@bp.route("/applications/<int:app_id>/overdue-rejection", methods=["POST"])
@login_required
def reject_overdue(app_id: int):
    """Past the completion's due date, the office rejects the packet with a reason."""
    app = _load(app_id)
    if not rules.can_formal_check(current_user):
        abort(403)
    form = OverdueRejectionForm()
    if not form.validate_on_submit():
        flash(_("Give the reason, in at most 2,000 characters."), "error")
        return _render(app, _decision_form(app), 422, rejection_form=form)
    session = get_session()
    try:
        completion.reject_overdue(session, app.id, current_user, form.reason.data)
    except ApplicationError as err:
        session.rollback()
        flash(err.message, "error")
        return _render(app, _decision_form(app), 409, rejection_form=form)
    session.commit()
    flash(str(DONE[Decision.REJECT]), "success")
    return redirect(url_for("review.formal_check", campaign=app.campaign_id))
