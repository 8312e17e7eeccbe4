"""Pages of expert review: the expert's assignments, pledge, packet and sheet; the office's
pool, panels, assignment, progress, reminders and reopening."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from portal.api.serializers import mask_email
from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.checks import mask_mobile
from portal.db import get_session
from portal.errors import Invalid
from portal.i18n import localized_name
from portal.organizations.models import Industry, Organization
from portal.scoring import assignment as assigning
from portal.scoring import pool, rules, sheets
from portal.scoring.forms import (
    ActionForm,
    AssignForm,
    ExpertForm,
    PanelForm,
    PledgeForm,
    ReassignForm,
    ReopenForm,
    SheetForm,
    WithdrawForm,
)
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Panel, ScoreSheet

bp = Blueprint("scoring", __name__, url_prefix="/scoring")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        scoring_rules=rules,
        mask_email=mask_email,
        mask_expert_mobile=mask_mobile,
    )


def _office() -> None:
    if not rules.can_manage_scoring(current_user):
        abort(403)


def _expert() -> Expert:
    """The pool entry of the logged-in expert; 403 for anyone else."""
    if not rules.can_score(current_user):
        abort(403)
    expert = pool.expert_for_user(get_session(), current_user)
    if expert is None or not expert.active:
        abort(403)
    return expert


def _get(model, ident: int):
    row = get_session().get(model, ident)
    if row is None:
        abort(404)
    return row


def _own_assignment(assignment_id: int) -> tuple[Expert, Assignment]:
    """The expert's own assignment; 404 when it is someone else's (they must not learn of it)."""
    expert = _expert()
    a = get_session().get(Assignment, assignment_id)
    if a is None or a.expert_id != expert.id or a.status is AssignmentStatus.RELEASED:
        abort(404)
    return expert, a


def _refused(err: rules.Refused) -> None:
    get_session().rollback()
    flash(rules.message(err), "error")


# --- expert pages ---------------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    expert = _expert()
    return render_template("scoring/index.html", work=sheets.expert_work(get_session(), expert))


@bp.route("/campaigns/<int:campaign_id>/pledge", methods=["GET", "POST"])
@login_required
def pledge(campaign_id: int):
    expert = _expert()
    campaign = _get(Campaign, campaign_id)
    session = get_session()
    form = PledgeForm()
    existing = sheets.pledge_of(session, expert, campaign.id)
    if existing is None and form.validate_on_submit():
        sheets.accept_pledge(session, current_user, expert, campaign)
        session.commit()
        flash(_("Thank you. The pledge is recorded; the packets are open to you."), "success")
        return redirect(url_for(".index"))
    return render_template(
        "scoring/pledge.html", campaign=campaign, form=form, pledge=existing, text=rules.PLEDGE_TEXT
    )


@bp.route("/assignments/<int:assignment_id>")
@login_required
def packet(assignment_id: int):
    expert, a = _own_assignment(assignment_id)
    session = get_session()
    if sheets.pledge_of(session, expert, a.campaign_id) is None:
        flash(rules.message(rules.Refused("pledge_required")), "error")
        return redirect(url_for(".pledge", campaign_id=a.campaign_id))
    return _packet_page(a, SheetForm(obj=a.sheet) if a.sheet is not None else None)


def _packet_page(a: Assignment, form, entries=None, problems=None):
    """The submitted packet with the expert's sheet; typed entries and problems when shown
    again after a refused save. A reserve sees only the declaration form until called in."""
    version = a.application.latest_version if a.status is AssignmentStatus.ACTIVE else None
    return render_template(
        "scoring/packet.html",
        assignment=a,
        app=a.application,
        version=version,
        snap=version.snapshot if version else None,
        mask=True,
        sheet=a.sheet,
        form=form,
        lock_form=ActionForm(),
        withdraw_form=WithdrawForm(),
        entries=entries or {},
        problems=problems or {},
    )


@bp.route("/assignments/<int:assignment_id>/sheet", methods=["POST"])
@login_required
def save_sheet(assignment_id: int):
    expert, a = _own_assignment(assignment_id)
    session = get_session()
    form = SheetForm()
    if a.sheet is None:
        abort(409)
    entries = {
        line.rubric_item.code: request.form.get(f"item-{line.rubric_item.code}")
        for line in a.sheet.items
        if f"item-{line.rubric_item.code}" in request.form
    }
    try:
        sheets.save_sheet(
            session, current_user, expert, a.sheet, entries, form.comment.data, form.version()
        )
    except rules.Refused as err:
        _refused(err)
    except Invalid as err:
        session.rollback()
        flash(_("Some entries need correcting; nothing was saved."), "error")
        return _packet_page(a, form, entries, err.problems), 422
    else:
        session.commit()
        flash(_("The draft sheet is saved."), "success")
    return redirect(url_for(".packet", assignment_id=a.id))


@bp.route("/assignments/<int:assignment_id>/lock", methods=["POST"])
@login_required
def lock_sheet(assignment_id: int):
    expert, a = _own_assignment(assignment_id)
    session = get_session()
    form = SheetForm()
    if a.sheet is None:
        abort(409)
    try:
        sheets.lock_sheet(session, current_user, expert, a.sheet, form.version())
    except rules.Refused as err:
        _refused(err)
    else:
        session.commit()
        flash(_("The sheet is locked. Thank you."), "success")
    return redirect(url_for(".packet", assignment_id=a.id))


@bp.route("/assignments/<int:assignment_id>/withdraw", methods=["POST"])
@login_required
def withdraw(assignment_id: int):
    expert, a = _own_assignment(assignment_id)
    session = get_session()
    form = WithdrawForm()
    if not form.validate_on_submit():
        flash(rules.message(rules.Refused("reason_required")), "error")
        return redirect(url_for(".packet", assignment_id=a.id))
    try:
        assigning.withdraw(session, current_user, expert, a, form.kind.data, form.reason.data)
    except rules.Refused as err:
        _refused(err)
        return redirect(url_for(".packet", assignment_id=a.id))
    session.commit()
    flash(_("Your declaration is recorded; the programme office will reassign the packet."), "info")
    return redirect(url_for(".index"))


# --- office: pool ---------------------------------------------------------------------------


@bp.route("/office")
@login_required
def overview():
    _office()
    campaigns = get_session().scalars(sa.select(Campaign).order_by(Campaign.year.desc())).all()
    return render_template("scoring/overview.html", campaigns=campaigns)


@bp.route("/experts")
@login_required
def experts():
    _office()
    return render_template("scoring/experts.html", experts=pool.list_experts(get_session()))


def _expert_choices(form: ExpertForm, expert: Expert | None) -> None:
    session = get_session()
    orgs = session.scalars(sa.select(Organization).order_by(Organization.name))
    form.organization_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(o.id, o.name) for o in orgs
    ]
    industries = session.scalars(sa.select(Industry).order_by(Industry.position))
    form.industry_ids.choices = [SelectChoice(i.id, localized_name(i)) for i in industries]
    form.user_id.choices = [SelectChoice("", _("No login"))] + [
        SelectChoice(u.id, f"{u.name} <{u.email}>") for u in pool.expert_logins(session, expert)
    ]


def _save_expert(form: ExpertForm, expert: Expert | None):
    session = get_session()
    try:
        if expert is None:
            expert = pool.create_expert(session, current_user, form.to_data())
        else:
            pool.update_expert(session, current_user, expert, form.to_data())
    except Invalid as err:
        session.rollback()
        for name, problem in err.problems.items():
            getattr(form, name).errors = [*getattr(form, name).errors, problem]
        return None
    except rules.Refused as err:
        _refused(err)
        return None
    session.commit()
    flash(_("The expert %(name)s is saved.", name=expert.name), "success")
    return redirect(url_for(".experts"))


@bp.route("/experts/new", methods=["GET", "POST"])
@login_required
def new_expert():
    _office()
    form = ExpertForm()
    _expert_choices(form, None)
    if form.validate_on_submit():
        done = _save_expert(form, None)
        if done is not None:
            return done
    return render_template("scoring/expert_form.html", form=form, expert=None)


@bp.route("/experts/<int:expert_id>/edit", methods=["GET", "POST"])
@login_required
def edit_expert(expert_id: int):
    _office()
    expert = _get(Expert, expert_id)
    form = ExpertForm(obj=expert)
    if request.method == "GET":
        form.industry_ids.data = [i.id for i in expert.industries]
    _expert_choices(form, expert)
    if form.validate_on_submit():
        done = _save_expert(form, expert)
        if done is not None:
            return done
    return render_template("scoring/expert_form.html", form=form, expert=expert)


# --- office: panels and assignment ----------------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/panels")
@login_required
def panels(campaign_id: int):
    _office()
    campaign = _get(Campaign, campaign_id)
    return render_template(
        "scoring/panels.html", campaign=campaign, panels=pool.list_panels(get_session(), campaign)
    )


def _panel_choices(form: PanelForm, campaign: Campaign) -> None:
    form.industry_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(i.id, localized_name(i)) for i in campaign.industries
    ]
    candidates = pool.panel_candidates(get_session())
    form.member_ids.choices = [
        SelectChoice(
            e.id,
            f"{e.name} · {e.organization.name} · "
            + "、".join(localized_name(i) for i in e.industries),
        )
        for e in candidates
    ]
    form.leader_id.choices = [SelectChoice("", "—")] + [
        SelectChoice(e.id, e.name) for e in candidates
    ]


def _save_panel(form: PanelForm, campaign: Campaign, panel: Panel | None):
    session = get_session()
    try:
        if panel is None:
            panel = pool.create_panel(session, current_user, campaign, form.to_data())
        else:
            pool.update_panel(session, current_user, panel, form.to_data())
    except Invalid as err:
        session.rollback()
        for name, problem in err.problems.items():
            getattr(form, name).errors = [*getattr(form, name).errors, problem]
        return None
    except rules.Refused as err:
        _refused(err)
        return None
    session.commit()
    flash(_("The panel %(name)s is saved.", name=panel.name), "success")
    return redirect(url_for(".panel", panel_id=panel.id))


@bp.route("/campaigns/<int:campaign_id>/panels/new", methods=["GET", "POST"])
@login_required
def new_panel(campaign_id: int):
    _office()
    campaign = _get(Campaign, campaign_id)
    form = PanelForm()
    _panel_choices(form, campaign)
    if form.validate_on_submit():
        done = _save_panel(form, campaign, None)
        if done is not None:
            return done
    return render_template("scoring/panel_form.html", form=form, campaign=campaign, panel=None)


@bp.route("/panels/<int:panel_id>/edit", methods=["GET", "POST"])
@login_required
def edit_panel(panel_id: int):
    _office()
    panel = _get(Panel, panel_id)
    form = PanelForm(obj=panel)
    if request.method == "GET":
        form.member_ids.data = [e.id for e in panel.members]
    _panel_choices(form, panel.campaign)
    if form.validate_on_submit():
        done = _save_panel(form, panel.campaign, panel)
        if done is not None:
            return done
    return render_template(
        "scoring/panel_form.html", form=form, campaign=panel.campaign, panel=panel
    )


@bp.route("/panels/<int:panel_id>")
@login_required
def panel(panel_id: int):
    _office()
    panel = _get(Panel, panel_id)
    session = get_session()
    assign_form = AssignForm()
    assign_form.expert_id.choices = [SelectChoice(e.id, e.name) for e in panel.members]
    return render_template(
        "scoring/panel.html",
        panel=panel,
        packets=assigning.panel_packets(session, panel),
        by_packet=assigning.panel_assignments(session, panel),
        action_form=ActionForm(),
        assign_form=assign_form,
        reassign_form=ReassignForm(),
    )


@bp.route("/panels/<int:panel_id>/auto", methods=["POST"])
@login_required
def auto_assign(panel_id: int):
    _office()
    panel = _get(Panel, panel_id)
    session = get_session()
    if ActionForm().validate_on_submit():
        result = assigning.auto_assign(session, current_user, panel)
        session.commit()
        flash(_("%(n)s assignments were made.", n=result.created), "success")
        if result.short:
            flash(
                _(
                    "Not enough eligible experts for packets %(ids)s.",
                    ids=", ".join(f"#{a.id}" for a in result.short),
                ),
                "error",
            )
    return redirect(url_for(".panel", panel_id=panel.id))


@bp.route("/panels/<int:panel_id>/assign", methods=["POST"])
@login_required
def assign(panel_id: int):
    _office()
    panel = _get(Panel, panel_id)
    session = get_session()
    form = AssignForm()
    form.expert_id.choices = [SelectChoice(e.id, e.name) for e in panel.members]
    if not form.validate_on_submit():
        flash(_("Choose a packet and an expert."), "error")
        return redirect(url_for(".panel", panel_id=panel.id))
    app = _get(Application, form.application_id.data)
    expert = _get(Expert, form.expert_id.data)
    try:
        assigning.assign_expert(
            session, current_user, panel, app, expert, reserve=bool(form.reserve.data)
        )
    except rules.Refused as err:
        _refused(err)
    else:
        session.commit()
        flash(_("%(name)s is assigned to packet #%(id)s.", name=expert.name, id=app.id), "success")
    return redirect(url_for(".panel", panel_id=panel.id) + f"#packet-{app.id}")


@bp.route("/assignments/<int:assignment_id>/reassign", methods=["POST"])
@login_required
def reassign(assignment_id: int):
    _office()
    a = _get(Assignment, assignment_id)
    session = get_session()
    form = ReassignForm()
    form.validate_on_submit()
    expert = _get(Expert, form.expert_id.data) if form.expert_id.data else None
    try:
        successor = assigning.reassign(session, current_user, a, expert)
    except rules.Refused as err:
        _refused(err)
    else:
        session.commit()
        flash(
            _(
                "Packet #%(id)s now goes to %(name)s.",
                id=a.application_id,
                name=successor.expert.name,
            ),
            "success",
        )
    return redirect(url_for(".panel", panel_id=a.panel_id) + f"#packet-{a.application_id}")


# --- office: progress, reminders, reopening -------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/progress")
@login_required
def progress(campaign_id: int):
    _office()
    campaign = _get(Campaign, campaign_id)
    return render_template(
        "scoring/progress.html",
        campaign=campaign,
        progress=sheets.campaign_progress(get_session(), campaign),
        action_form=ActionForm(),
    )


@bp.route("/campaigns/<int:campaign_id>/remind", methods=["POST"])
@login_required
def remind(campaign_id: int):
    _office()
    campaign = _get(Campaign, campaign_id)
    session = get_session()
    if ActionForm().validate_on_submit():
        sent, unreachable = sheets.remind_experts(session, current_user, campaign)
        session.commit()
        flash(_("Reminders were sent to %(n)s experts.", n=sent), "success")
        if unreachable:
            names = "、".join(e.name for e in unreachable)
            flash(_("No e-mail address for: %(names)s.", names=names), "error")
    return redirect(url_for(".progress", campaign_id=campaign.id))


@bp.route("/sheets/<int:sheet_id>")
@login_required
def sheet(sheet_id: int):
    _office()
    sheet = _get(ScoreSheet, sheet_id)
    return render_template(
        "scoring/sheet.html", sheet=sheet, form=ReopenForm(lock_version=sheet.lock_version)
    )


@bp.route("/sheets/<int:sheet_id>/reopen", methods=["POST"])
@login_required
def reopen(sheet_id: int):
    _office()
    sheet = _get(ScoreSheet, sheet_id)
    session = get_session()
    form = ReopenForm()
    form.validate_on_submit()
    try:
        sheets.reopen_sheet(session, current_user, sheet, form.reason.data or "", form.version())
    except rules.Refused as err:
        _refused(err)
    else:
        session.commit()
        flash(_("The sheet is reopened; its expert can correct it."), "success")
    return redirect(url_for(".sheet", sheet_id=sheet.id))
