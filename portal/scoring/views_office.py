"""The office's pages of expert review: the pool, panels, assignment, progress, reminders and
reopening of locked sheets. Routes of the scoring blueprint (see portal.scoring.views)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms import SelectChoice

from portal.applications.models import Application
from portal.campaigns.models import Campaign
from portal.db import get_or_404, get_session
from portal.errors import Invalid
from portal.i18n import localized_name
from portal.organizations.models import Industry, Organization
from portal.scoring import assignment as assigning
from portal.scoring import pool, sheets
from portal.scoring.errors import Refused
from portal.scoring.forms import (
    ActionForm,
    AssignForm,
    ExpertForm,
    PanelForm,
    ReassignForm,
    ReopenForm,
)
from portal.scoring.models import Assignment, Expert, Panel, ScoreSheet
from portal.scoring.progress import campaign_progress, remind_experts
from portal.scoring.views import _office, _refused, bp

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
    except Refused as err:
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
    expert = get_or_404(Expert, expert_id)
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
    campaign = get_or_404(Campaign, campaign_id)
    session = get_session()
    return render_template(
        "scoring/panels.html",
        campaign=campaign,
        panels=pool.list_panels(session, campaign),
        unpaneled=assigning.packets_without_panel(session, campaign),
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
    except Refused as err:
        _refused(err)
        return None
    session.commit()
    flash(_("The panel %(name)s is saved.", name=panel.name), "success")
    return redirect(url_for(".panel", panel_id=panel.id))


@bp.route("/campaigns/<int:campaign_id>/panels/new", methods=["GET", "POST"])
@login_required
def new_panel(campaign_id: int):
    _office()
    campaign = get_or_404(Campaign, campaign_id)
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
    panel = get_or_404(Panel, panel_id)
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
    panel = get_or_404(Panel, panel_id)
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
    panel = get_or_404(Panel, panel_id)
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
    panel = get_or_404(Panel, panel_id)
    session = get_session()
    form = AssignForm()
    form.expert_id.choices = [SelectChoice(e.id, e.name) for e in panel.members]
    if not form.validate_on_submit():
        flash(_("Choose a packet and an expert."), "error")
        return redirect(url_for(".panel", panel_id=panel.id))
    app = get_or_404(Application, form.application_id.data)
    expert = get_or_404(Expert, form.expert_id.data)
    try:
        assigning.assign_expert(
            session, current_user, panel, app, expert, reserve=bool(form.reserve.data)
        )
    except Refused as err:
        _refused(err)
    else:
        session.commit()
        flash(_("%(name)s is assigned to packet #%(id)s.", name=expert.name, id=app.id), "success")
    return redirect(url_for(".panel", panel_id=panel.id) + f"#packet-{app.id}")


@bp.route("/assignments/<int:assignment_id>/reassign", methods=["POST"])
@login_required
def reassign(assignment_id: int):
    _office()
    a = get_or_404(Assignment, assignment_id)
    session = get_session()
    form = ReassignForm()
    form.validate_on_submit()
    expert = get_or_404(Expert, form.expert_id.data) if form.expert_id.data else None
    try:
        successor = assigning.reassign(session, current_user, a, expert)
    except Refused as err:
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
    campaign = get_or_404(Campaign, campaign_id)
    return render_template(
        "scoring/progress.html",
        campaign=campaign,
        progress=campaign_progress(get_session(), campaign),
        action_form=ActionForm(),
    )


@bp.route("/campaigns/<int:campaign_id>/remind", methods=["POST"])
@login_required
def remind(campaign_id: int):
    _office()
    campaign = get_or_404(Campaign, campaign_id)
    session = get_session()
    if ActionForm().validate_on_submit():
        sent, unreachable = remind_experts(session, current_user, campaign)
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
    sheet = get_or_404(ScoreSheet, sheet_id)
    return render_template(
        "scoring/sheet.html", sheet=sheet, form=ReopenForm(lock_version=sheet.lock_version)
    )


@bp.route("/sheets/<int:sheet_id>/reopen", methods=["POST"])
@login_required
def reopen(sheet_id: int):
    _office()
    sheet = get_or_404(ScoreSheet, sheet_id)
    session = get_session()
    form = ReopenForm()
    form.validate_on_submit()
    try:
        sheets.reopen_sheet(session, current_user, sheet, form.reason.data or "", form.version())
    except Refused as err:
        _refused(err)
    else:
        session.commit()
        flash(_("The sheet is reopened; its expert can correct it."), "success")
    return redirect(url_for(".sheet", sheet_id=sheet.id))
