"""The reviewer counts the filled-in surveys of each scanned paper batch beside the packet's
survey figures; those who judge the packet read the counts and what the packet is short of."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.applications.models import Application
from portal.db import get_session
from portal.survey import batches, figures, forms, rules, service
from portal.survey.errors import SurveyError

# Nested in the survey's blueprint (views.py): its endpoints are survey.batches.*.
bp = Blueprint("batches", __name__, url_prefix="/survey/packets")


def paper_panel(application: Application) -> dict | None:
    """The packet's paper batches with their counts, for those who judge the packet, and a
    form a batch for whoever may count them now; None where paper does not stand in."""
    session = get_session()
    settings = service.settings_of(session, application.campaign_id)
    if settings is None or not settings.paper_batch_answers:
        return None
    if not rules.can_read_origins(current_user, application):
        return None
    online = figures.count_answers(session, service.survey_of(session, application))
    paper = batches.paper_figures(session, settings, application, online)
    if not paper.batches:
        return None
    may_count = rules.can_count_batches(current_user, application)
    return {"paper": paper, "forms": _forms(paper) if may_count else {}}


def _forms(paper: batches.PaperFigures) -> dict[int, forms.BatchCountForm]:
    """A form a batch, each field with an id of its own on the page."""
    made = {}
    for b in paper.batches:
        form = forms.BatchCountForm(
            formdata=None, data={"counted": b.count.counted if b.count is not None else None}
        )
        form.counted.id = form.counted.label.field_id = f"{_anchor(b.file.id)}-counted"
        made[b.file.id] = form
    return made


def _anchor(file_id: int) -> str:
    return f"batch-{file_id}"


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(survey_paper_panel=paper_panel)


@bp.route("/<int:app_id>/batches/<int:file_id>/count", methods=["POST"])
@login_required
def count(app_id: int, file_id: int):
    session = get_session()
    application = session.get(Application, app_id)
    if application is None or not rules.can_read_figures(current_user, application):
        abort(404)
    if not rules.can_count_batches(current_user, application):
        abort(403)
    back = redirect(url_for("review.show", app_id=app_id, _anchor=_anchor(file_id)))
    form = forms.BatchCountForm()
    if not form.validate_on_submit():
        _flash_errors(form)
        return back
    settings = service.settings_of(session, application.campaign_id)
    try:
        batches.record_count(
            session, settings, application, file_id, form.counted.data, current_user
        )
    except SurveyError as err:
        session.rollback()
        if err.key == "no_batch":
            abort(404)
        flash(err.message, "error")
        return back
    session.commit()
    flash(_("The count of %(n)s filled-in surveys is recorded.", n=form.counted.data), "success")
    return back


def _flash_errors(form: forms.BatchCountForm) -> None:
    """One clear message for a count that is not a whole number from 0 to 10000 (empty,
    letters, a fraction, a negative number), the form's own for anything else."""
    if form.counted.errors:
        flash(SurveyError("count_range").message, "error")
    for name, errors in form.errors.items():
        if name != "counted":
            flash(str(errors[0]), "error")
