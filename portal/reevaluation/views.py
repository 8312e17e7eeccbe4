"""Re-evaluation pages: the list and the office's round, one holder's report, reviews and
decision. Each view checks the role (403), then whether the caller may see the record (404)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError

from portal.clock import shanghai_today
from portal.db import get_or_404, get_session
from portal.files.service import UploadRejected, send_stored_file
from portal.reevaluation import rules, service
from portal.reevaluation.errors import ReevaluationError
from portal.reevaluation.forms import (
    ActionForm,
    DecisionForm,
    LapseForm,
    ReportForm,
    ReviewForm,
    RoundForm,
)
from portal.reevaluation.models import Reevaluation, ReevaluationState
from portal.reevaluation.workflow import report_complete
from portal.roles import Role, has_role

bp = Blueprint("reevaluation", __name__, url_prefix="/reevaluation")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(reevaluation_rules=rules)


def _require(allowed: bool) -> None:
    if not allowed:
        abort(403)


def _load(reevaluation_id: int, *roles: Role) -> Reevaluation:
    """The re-evaluation, for a caller of one of `roles` (403) who may see it (404)."""
    _require(has_role(current_user, *roles))
    reevaluation = get_or_404(Reevaluation, reevaluation_id)
    if not rules.can_view(current_user, reevaluation):
        abort(404)
    return reevaluation


def _act(
    reevaluation: Reevaluation, action: Callable[[], object], success: str | Callable[[], str]
):
    """Run one service call, commit or roll back, flash (the success message may depend on
    where the call left the record), and go back to the re-evaluation."""
    session = get_session()
    try:
        action()
        session.commit()
    except (ReevaluationError, UploadRejected) as err:
        session.rollback()
        flash(err.message, "error")
    except StaleDataError:
        session.rollback()
        flash(ReevaluationError("stale").message, "error")
    else:
        flash(success() if callable(success) else success, "success")
    return redirect(url_for("reevaluation.show", reevaluation_id=reevaluation.id))


def _invalid(form, reevaluation: Reevaluation):
    for errors in form.errors.values():
        for error in errors:
            flash(str(error), "error")
    return redirect(url_for("reevaluation.show", reevaluation_id=reevaluation.id))


@bp.route("/")
@login_required
def index():
    _require(rules.can_list(current_user))
    session = get_session()
    can_open = rules.can_open_round(current_user)
    return render_template(
        "reevaluation/index.html",
        reevaluations=service.visible_reevaluations(session, current_user),
        can_open=can_open,
        rounds=service.rounds(session) if can_open else [],
        due=service.holders_due(session, shanghai_today()) if can_open else [],
        form=RoundForm(),
    )


@bp.route("/rounds", methods=["POST"])
@login_required
def open_round():
    _require(rules.can_open_round(current_user))
    form = RoundForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
        return redirect(url_for("reevaluation.index"))
    session = get_session()
    try:
        round_ = service.open_round(session, current_user, form.title.data, form.report_by.data)
    except ReevaluationError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        session.commit()
        n = len(round_.reevaluations)
        flash(_("The round is open: %(n)s holders are asked to report.", n=n), "success")
    return redirect(url_for("reevaluation.index"))


@bp.route("/<int:reevaluation_id>")
@login_required
def show(reevaluation_id: int):
    reevaluation = _load(reevaluation_id, *rules.TAKING_PART)
    return render_template(
        "reevaluation/show.html",
        r=reevaluation,
        rules=rules,
        complete=report_complete(reevaluation),
        can_vote=rules.can_decide(current_user, reevaluation)
        and not service.has_voted(current_user, reevaluation),
        report_form=ReportForm(obj=reevaluation),
        review_form=ReviewForm(),
        decision_form=DecisionForm(),
        lapse_form=LapseForm(),
        action_form=ActionForm(),
    )


@bp.route("/<int:reevaluation_id>/report", methods=["POST"])
@login_required
def save_report(reevaluation_id: int):
    reevaluation = _load(reevaluation_id, Role.ENTERPRISE)
    form = ReportForm()
    if not form.validate_on_submit():
        return _invalid(form, reevaluation)
    data = service.ReportData(
        changes=form.changes.data or "",
        surveys=form.surveys.data or "",
        staff_count=form.staff_count.data,
        satisfaction_rate=form.satisfaction_rate.data,
        complaints=form.complaints.data,
    )
    upload = request.files.get("file")
    stream = (upload.stream, upload.filename) if upload and upload.filename else None
    return _act(
        reevaluation,
        lambda: service.save_report(get_session(), reevaluation, current_user, data, stream),
        _("The report is saved."),
    )


@bp.route("/<int:reevaluation_id>/submit", methods=["POST"])
@login_required
def submit(reevaluation_id: int):
    reevaluation = _load(reevaluation_id, Role.ENTERPRISE)
    if not ActionForm().validate_on_submit():
        abort(400)
    return _act(
        reevaluation,
        lambda: service.submit_report(get_session(), reevaluation, current_user),
        _("The report is submitted to your channel."),
    )


def _review(reevaluation_id: int, role: Role, success: str):
    reevaluation = _load(reevaluation_id, role)
    form = ReviewForm()
    if not form.validate_on_submit():
        return _invalid(form, reevaluation)
    forward = form.decision.data == "forward"
    return _act(
        reevaluation,
        lambda: service.review(
            get_session(), reevaluation, current_user, forward, form.opinion.data
        ),
        success if forward else _("The report is returned to the unit."),
    )


@bp.route("/<int:reevaluation_id>/channel", methods=["POST"])
@login_required
def channel_review(reevaluation_id: int):
    return _review(
        reevaluation_id,
        Role.CHANNEL_REVIEWER,
        _("The report is forwarded to the programme office."),
    )


@bp.route("/<int:reevaluation_id>/office", methods=["POST"])
@login_required
def office_review(reevaluation_id: int):
    return _review(
        reevaluation_id,
        Role.OFFICE,
        _("The report is forwarded to the organizers."),
    )


@bp.route("/<int:reevaluation_id>/lapse", methods=["POST"])
@login_required
def lapse(reevaluation_id: int):
    reevaluation = _load(reevaluation_id, Role.OFFICE)
    form = LapseForm()
    if not form.validate_on_submit():
        return _invalid(form, reevaluation)
    return _act(
        reevaluation,
        lambda: service.let_lapse_unreported(
            get_session(), reevaluation, current_user, form.reason.data
        ),
        _("The title will lapse on its date."),
    )


@bp.route("/<int:reevaluation_id>/decision", methods=["POST"])
@login_required
def decide(reevaluation_id: int):
    reevaluation = _load(reevaluation_id, Role.ORGANIZER)
    form = DecisionForm()
    if not form.validate_on_submit():
        return _invalid(form, reevaluation)
    renew = form.decision.data == "renew"
    return _act(
        reevaluation,
        lambda: service.decide(
            get_session(), reevaluation, current_user, renew, form.reason.data or ""
        ),
        lambda: _vote_message(reevaluation),
    )


def _vote_message(reevaluation: Reevaluation) -> str:
    if reevaluation.state is ReevaluationState.RENEWED:
        return _("The title is renewed for three years.")
    if reevaluation.state is ReevaluationState.LAPSED:
        return _("The title will lapse on its date.")
    return _("Your decision is recorded.")


@bp.route("/<int:reevaluation_id>/file")
@login_required
def report_file(reevaluation_id: int):
    reevaluation = _load(reevaluation_id, *rules.TAKING_PART)
    if reevaluation.stored_file is None:
        abort(404)
    return send_stored_file(reevaluation.stored_file)
