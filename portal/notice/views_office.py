"""The office's and organizers' pages: joint approval, opening the notice, the calendar, cases."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm.exc import StaleDataError
from wtforms import SelectChoice

from portal.accounts.models import User
from portal.campaigns.models import Campaign
from portal.campaigns.service import current_campaign
from portal.db import get_or_404, get_session
from portal.files.service import send_stored_file
from portal.inputs import query_int
from portal.listing import labels_of, url_pattern
from portal.notice import objections, rules, service
from portal.notice.errors import NoticeError
from portal.notice.figures import candidate_figures
from portal.notice.forms import (
    AssignForm,
    CalendarDayForm,
    DecisionForm,
    FindingsForm,
    OpenNoticeForm,
    SendBackForm,
    SignForm,
)
from portal.notice.models import DayKind, Objection, ObjectionStatus
from portal.notice.rows import candidate_page, objection_rows
from portal.notice.views import bp
from portal.roles import Role


def _act(fn, success: str, *args, **kwargs) -> bool:
    """Run one service call; commit and flash on success, roll back and flash the refusal."""
    session = get_session()
    try:
        fn(session, *args, **kwargs)
    except NoticeError as err:
        session.rollback()
        flash(err.message, "error")
        return False
    except StaleDataError:  # another office user saved the case at the same moment
        session.rollback()
        flash(NoticeError("stale").message, "error")
        return False
    session.commit()
    flash(success, "success")
    return True


@bp.route("/manage")
@login_required
def manage_current():
    if not rules.can_view_approval(current_user):
        abort(403)
    campaign = current_campaign(get_session())
    if campaign is None:
        abort(404)
    return redirect(url_for("notice.approval", campaign_id=campaign.id))


@bp.route("/manage/<int:campaign_id>")
@login_required
def approval(campaign_id: int):
    if not rules.can_view_approval(current_user):
        abort(403)
    session = get_session()
    campaign = get_or_404(Campaign, campaign_id)
    figures = candidate_figures(session, campaign)
    return render_template(
        "notice/approval.html",
        campaign=campaign,
        candidates=candidate_page(session, campaign, query_int("page", 1), figures.total),
        figures=figures,
        status=service.approval_status(session, campaign),
        notice=service.get_notice(session, campaign),
        sign_form=SignForm(),
        send_back_form=SendBackForm(),
        open_form=OpenNoticeForm(),
        rules=rules,
    )


def _back(campaign: Campaign):
    return redirect(url_for("notice.approval", campaign_id=campaign.id))


@bp.route("/manage/<int:campaign_id>/request", methods=["POST"])
@login_required
def request_approval(campaign_id: int):
    if not rules.can_manage_notice(current_user):
        abort(403)
    campaign = get_or_404(Campaign, campaign_id)
    _act(
        service.request_approval,
        _("The candidate list is sent to the four organizers for sign-off."),
        campaign,
        current_user,
    )
    return _back(campaign)


@bp.route("/manage/<int:campaign_id>/sign", methods=["POST"])
@login_required
def sign(campaign_id: int):
    if not rules.can_sign(current_user):
        abort(403)
    campaign = get_or_404(Campaign, campaign_id)
    form = SignForm()
    if form.validate_on_submit():
        _act(
            service.sign_list,
            _("Your organization has signed the candidate list."),
            campaign,
            current_user,
            form.digest.data,
        )
    else:
        flash(NoticeError("list_changed").message, "error")
    return _back(campaign)


@bp.route("/manage/<int:campaign_id>/send-back", methods=["POST"])
@login_required
def send_back(campaign_id: int):
    if not rules.can_sign(current_user):
        abort(403)
    campaign = get_or_404(Campaign, campaign_id)
    form = SendBackForm()
    if not form.validate_on_submit():
        flash(NoticeError("reason_required").message, "error")
        return _back(campaign)
    _act(
        service.send_back,
        _("The list is sent back to the programme office."),
        campaign,
        current_user,
        form.digest.data,
        form.reason.data,
    )
    return _back(campaign)


@bp.route("/manage/<int:campaign_id>/open", methods=["POST"])
@login_required
def open_notice(campaign_id: int):
    if not rules.can_manage_notice(current_user):
        abort(403)
    campaign = get_or_404(Campaign, campaign_id)
    form = OpenNoticeForm()
    if not form.validate_on_submit():
        flash(_("Enter the opening time as YYYY-MM-DD HH:MM (Beijing time)."), "error")
        return _back(campaign)
    _act(
        service.open_notice,
        _("The public notice is published."),
        campaign,
        current_user,
        opens_at=form.opens_at.data,
    )
    return _back(campaign)


@bp.route("/calendar", methods=["GET", "POST"])
@login_required
def calendar():
    if not rules.can_manage_notice(current_user):
        abort(403)
    session = get_session()
    form = CalendarDayForm()
    if form.validate_on_submit():
        service.mark_day(
            session, current_user, form.day.data, DayKind(form.kind.data), form.note.data or ""
        )
        session.commit()
        flash(_("The calendar is saved."), "success")
        return redirect(url_for("notice.calendar", year=form.day.data.year))
    year = query_int("year", None, 1900, 9999) or date.today().year
    return render_template(
        "notice/calendar.html", form=form, year=year, days=service.calendar_days(session, year)
    )


@bp.route("/calendar/<day>/delete", methods=["POST"])
@login_required
def calendar_delete(day: str):
    if not rules.can_manage_notice(current_user):
        abort(403)
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        abort(404)
    session = get_session()
    service.unmark_day(session, current_user, parsed)
    session.commit()
    flash(_("The date follows the weekday rule again."), "info")
    return redirect(url_for("notice.calendar", year=parsed.year))


# --- objections, for the office ----------------------------------------------------------------


@bp.route("/manage/objections")
@login_required
def objection_list():
    if not rules.can_handle_objections(current_user):
        abort(403)
    status = request.args.get("status") or None
    try:
        status = ObjectionStatus(status) if status else None
    except ValueError:
        status = None
    found = objection_rows(get_session(), query_int("campaign"), status, query_int("page", 1))
    return render_template(
        "notice/objections.html",
        rows=found.items,
        page=found.page,
        has_next=found.has_next,
        status=status,
        statuses=list(ObjectionStatus),
        status_labels=labels_of(ObjectionStatus),
        case_url=url_pattern("notice.objection", "objection_id"),
    )


def _objection_or_404(objection_id: int) -> Objection:
    if not rules.can_handle_objections(current_user):
        abort(403)
    objection = get_or_404(Objection, objection_id)
    return objection


def _office_users() -> list[User]:
    return list(
        get_session().scalars(
            sa.select(User).where(User.role == Role.OFFICE, User.active).order_by(User.name)
        )
    )


@bp.route("/manage/objections/<int:objection_id>")
@login_required
def objection(objection_id: int):
    case = _objection_or_404(objection_id)
    assign = AssignForm(lock_version=case.lock_version, investigator=case.investigator_id)
    assign.investigator.choices = [
        SelectChoice(u.id, f"{u.name} <{u.email}>") for u in _office_users()
    ]
    return render_template(
        "notice/objection_case.html",
        case=case,
        assign_form=assign,
        findings_form=FindingsForm(lock_version=case.lock_version, findings=case.findings),
        decision_form=DecisionForm(lock_version=case.lock_version),
    )


def _case_back(case: Objection):
    return redirect(url_for("notice.objection", objection_id=case.id))


@bp.route("/manage/objections/<int:objection_id>/assign", methods=["POST"])
@login_required
def objection_assign(objection_id: int):
    case = _objection_or_404(objection_id)
    form = AssignForm()
    form.investigator.choices = [SelectChoice(u.id, u.name) for u in _office_users()]
    investigator = (
        get_session().get(User, form.investigator.data) if form.validate_on_submit() else None
    )
    if investigator is None:
        flash(NoticeError("not_investigator").message, "error")
        return _case_back(case)
    _act(
        lambda s: objections.assign_investigator(
            s, case, current_user, investigator, form.lock_version.data
        ),
        _("The investigator is assigned."),
    )
    return _case_back(case)


@bp.route("/manage/objections/<int:objection_id>/findings", methods=["POST"])
@login_required
def objection_findings(objection_id: int):
    case = _objection_or_404(objection_id)
    form = FindingsForm()
    if form.validate_on_submit():
        _act(
            lambda s: objections.record_findings(
                s, case, current_user, form.findings.data, form.lock_version.data
            ),
            _("The findings are saved."),
        )
    else:
        flash(_("Write the findings before saving."), "error")
    return _case_back(case)


@bp.route("/manage/objections/<int:objection_id>/decide", methods=["POST"])
@login_required
def objection_decide(objection_id: int):
    case = _objection_or_404(objection_id)
    form = DecisionForm()
    if not form.validate_on_submit():
        flash(_("Choose upheld or dismissed and write the reply to the objector."), "error")
        return _case_back(case)
    upheld = form.decision.data == "upheld"
    _act(
        lambda s: objections.decide_objection(
            s,
            case,
            current_user,
            upheld=upheld,
            reply=form.reply.data,
            lock_version=form.lock_version.data,
        ),
        _("The objection is upheld; the candidate is withdrawn and the list republished.")
        if upheld
        else _("The objection is dismissed."),
    )
    return _case_back(case)


@bp.route("/manage/objections/<int:objection_id>/files/<int:file_id>")
@login_required
def objection_file(objection_id: int, file_id: int):
    case = _objection_or_404(objection_id)
    link = next((f for f in case.files if f.stored_file_id == file_id), None)
    if link is None:
        abort(404)
    return send_stored_file(link.stored_file)
