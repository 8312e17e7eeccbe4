"""Survey pages: the office's settings and exports, the unit's link, code and poster, and the
public answer page behind the short link /s/<token>."""

from __future__ import annotations

import re
import secrets
from io import BytesIO

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from itsdangerous import BadSignature, URLSafeSerializer

from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.clock import utcnow
from portal.db import get_session, will_write
from portal.notice.forms import form_started_token, seconds_since
from portal.survey import answering, figures, forms, rules, service, views_batches
from portal.survey.errors import SurveyError
from portal.survey.flags import LABELS, describe

bp = Blueprint("survey", __name__, url_prefix="")
bp.register_blueprint(views_batches.bp)  # the reviewers' counts of paper batches

DEVICE_COOKIE = "survey_device"
DEVICE_DAYS = 400
DEVICE_ID = re.compile(r"[A-Za-z0-9_-]{1,64}")  # what sign_device is given: token_urlsafe(16)
REFUSAL_STATUS = {"already_answered": 409, "too_many_from_address": 429, "too_busy": 429}


@bp.app_context_processor
def _template_helpers() -> dict:
    return {"survey_panel": panel, "survey_flag_labels": LABELS, "survey_describe": describe}


def panel(application: Application, version=None) -> dict | None:
    """What the packet pages show of its survey, or None when the campaign has none."""
    session = get_session()
    settings = service.settings_of(session, application.campaign_id)
    if settings is None or not rules.can_read_figures(current_user, application):
        return None
    survey = service.survey_of(session, application)
    frozen = figures.frozen(session, version.id) if version is not None else None
    return {
        "settings": settings,
        "survey": survey,
        "figures": figures.compute(session, survey, settings),
        "frozen": frozen,
        "needed": service.minimum_answers(settings, application),
        "origins": rules.can_read_origins(current_user, application),
        "exportable": rules.can_export_answers(current_user),
        "flagged": figures.flagged_answers(session, survey, 20)
        if rules.can_read_origins(current_user, application)
        else [],
    }


def _campaign(campaign_id: int) -> Campaign:
    campaign = get_session().get(Campaign, campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def _packet(app_id: int, allowed) -> Application:
    application = get_session().get(Application, app_id)
    if application is None or not allowed(current_user, application):
        abort(404)
    return application


@bp.route("/survey/campaigns/<int:campaign_id>", methods=["GET", "POST"])
@login_required
def settings(campaign_id: int):
    if not rules.can_edit_settings(current_user):
        abort(403)
    session = get_session()
    campaign = _campaign(campaign_id)
    existing = service.settings_of(session, campaign.id)
    shown = existing or service.new_settings(campaign)
    form = forms.SettingsForm(obj=shown)
    if request.method == "GET":
        form.questions.data = forms.questions_text(shown.questions)
    if form.validate_on_submit():
        service.save_settings(session, campaign, form.values(), current_user, existing=existing)
        session.commit()
        flash(_("The survey settings are saved."), "success")
        return redirect(url_for("survey.settings", campaign_id=campaign.id))
    return render_template("survey/settings.html", form=form, campaign=campaign, existing=existing)


def public_url(survey) -> str:
    return url_for("survey.answer", token=survey.token, _external=True)


@bp.route("/survey/packets/<int:app_id>", methods=["GET"])
@login_required
def manage(app_id: int):
    will_write()  # the enterprise's network is noted (see note_enterprise_network)
    session = get_session()
    application = _packet(app_id, rules.can_manage_survey)
    survey = service.survey_of(session, application)
    service.note_enterprise_network(session, application.organization_id, request.remote_addr or "")
    session.commit()
    form = forms.OpenSurveyForm()
    form.opens.data = forms.hhmm(survey.opens_minute if survey else 8 * 60 + 30)
    form.closes.data = forms.hhmm(survey.closes_minute if survey else 17 * 60 + 30)
    return render_template(
        "survey/manage.html",
        application=application,
        survey=survey,
        url=public_url(survey) if survey else None,
        panel=panel(application),
        form=form,
        can_open=rules.can_open_survey(current_user, application),
    )


@bp.route("/survey/packets/<int:app_id>/open", methods=["POST"])
@login_required
def open_survey(app_id: int):
    session = get_session()
    application = _packet(app_id, rules.can_manage_survey)
    form = forms.OpenSurveyForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            flash(str(errors[0]), "error")
        return redirect(url_for("survey.manage", app_id=app_id))
    try:
        service.open_survey(
            session,
            application,
            current_user,
            opens_minute=forms.minutes(form.opens.data),
            closes_minute=forms.minutes(form.closes.data),
        )
    except SurveyError as err:
        session.rollback()
        flash(err.message, "error")
    else:
        service.note_enterprise_network(
            session, application.organization_id, request.remote_addr or ""
        )
        session.commit()
        flash(
            _("The survey is open. Print the poster and put it at the service window."), "success"
        )
    return redirect(url_for("survey.manage", app_id=app_id))


def _opened(app_id: int):
    application = _packet(app_id, rules.can_manage_survey)
    survey = service.survey_of(get_session(), application)
    if survey is None:
        abort(404)
    return application, survey


@bp.route("/survey/packets/<int:app_id>/qr.png")
@login_required
def qr_png(app_id: int):
    return _qr_code(app_id, "png", "image/png")


@bp.route("/survey/packets/<int:app_id>/qr.svg")
@login_required
def qr_svg(app_id: int):
    return _qr_code(app_id, "svg", "image/svg+xml")


def _qr_code(app_id: int, kind: str, mimetype: str):
    """The survey's link as a QR code of the kind asked for, to print or to put on a page."""
    # why: segno loads only when a code is drawn
    from portal.survey import qr

    _application, survey = _opened(app_id)
    drawn = qr.qr_png(public_url(survey)) if kind == "png" else qr.qr_svg(public_url(survey))
    return send_file(BytesIO(drawn), mimetype=mimetype, download_name=f"survey-qr.{kind}")


@bp.route("/survey/packets/<int:app_id>/poster.docx")
@login_required
def poster(app_id: int):
    # why: python-docx, lxml and segno load only when a document is made (test_footprint)
    from portal.survey.documents import DOCX
    from portal.survey.documents import poster as make_poster
    from portal.survey.qr import qr_png as draw

    application, survey = _opened(app_id)
    url = public_url(survey)
    content = make_poster(application.organization.name, application.title, url, draw(url))
    return send_file(
        BytesIO(content), mimetype=DOCX, as_attachment=True, download_name="survey-poster.docx"
    )


def _for_export(app_id: int):
    if not rules.can_export_answers(current_user):
        abort(403)
    application = _packet(app_id, rules.can_read_figures)
    session = get_session()
    settings = service.settings_of(session, application.campaign_id)
    if settings is None:
        abort(404)
    return application, settings, service.survey_of(session, application)


@bp.route("/survey/packets/<int:app_id>/answers.csv")
@login_required
def export_csv(app_id: int):
    # why: the documents module brings python-docx (test_footprint)
    from portal.documents.spreadsheet import CSV_MIMETYPE
    from portal.survey.documents import answers_csv

    _application, settings, survey = _for_export(app_id)
    rows = survey.answers if survey is not None else []
    content = answers_csv(settings.questions, rows)
    return send_file(
        BytesIO(content),
        mimetype=CSV_MIMETYPE,
        as_attachment=True,
        download_name=f"survey-{app_id}.csv",
    )


@bp.route("/survey/packets/<int:app_id>/summary.docx")
@login_required
def export_docx(app_id: int):
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.survey.documents import DOCX, summary_docx

    application, settings, survey = _for_export(app_id)
    data = figures.compute(get_session(), survey, settings)
    title = f"{application.organization.name} {application.title} 顾客评价汇总"
    content = summary_docx(title, settings.questions, data)
    return send_file(
        BytesIO(content), mimetype=DOCX, as_attachment=True, download_name=f"survey-{app_id}.docx"
    )


# --- the public page ----------------------------------------------------------------------


def _devices() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="survey-device")


def sign_device(device: str) -> str:
    """The cookie's value naming a device: its id, signed so no one can forge another's."""
    return _devices().dumps(device)


def device_of_request() -> str:
    """The device's id from its signed cookie, '' when it has none or a forged one."""
    try:
        device = _devices().loads(request.cookies.get(DEVICE_COOKIE, ""))
    except BadSignature:
        return ""
    return device if isinstance(device, str) and DEVICE_ID.fullmatch(device) else ""


def _with_device(response, device: str):
    if not device:
        response.set_cookie(
            DEVICE_COOKIE,
            sign_device(secrets.token_urlsafe(16)),
            max_age=DEVICE_DAYS * 86400,
            httponly=True,
            samesite="Lax",
            secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
            path="/s/",
        )
    return response


@bp.route("/s/<token>", methods=["GET", "POST"])
def answer(token: str):
    session = get_session()
    target = answering.answer_target(session, token)
    if target is None:
        abort(404)
    locale = get_locale()
    form = forms.answer_form(target.questions, locale.language if locale else "zh")
    device = device_of_request()
    error, status = None, 200
    if form.validate_on_submit():
        try:
            answering.submit_answer(
                session,
                target,
                _answer_of(form, target.questions),
                device=device,
                address=request.remote_addr or "",
            )
        except SurveyError as err:
            session.rollback()
            error, status = err.message, REFUSAL_STATUS.get(err.key, 422)
        else:
            session.commit()
            return render_template("survey/thanks.html", unit=target.unit)
    elif request.method == "POST":
        status = 422
    else:
        error = _why_not(session, target, device)
    form.started.data = form_started_token()
    page = render_template(
        "survey/answer.html",
        form=form,
        items=forms.item_fields(form, target.questions),
        target=target,
        error=error,
    )
    return _with_device(make_response(page, status), device)


def _answer_of(form, questions: list[dict]) -> answering.Answer:
    return answering.Answer(
        scores=forms.scores(form, questions),
        recommend=None if not form.recommend.data else form.recommend.data == "yes",
        suggestion=form.suggestion.data or "",
        contact=form.contact.data or "",
        seconds=_seconds(form.started.data),
    )


def _why_not(session, target: answering.Target, device: str) -> str | None:
    """What the page says before the customer starts: closed, not yet open, or answered."""
    refusal = answering.window_refusal(target, utcnow())
    if refusal:
        return SurveyError(refusal).message
    if device and answering.answered(session, target, device):
        return SurveyError("already_answered").message
    return None


def _seconds(token: str) -> int | None:
    seconds = seconds_since(token)
    return None if seconds is None else max(0, int(seconds))
