"""Pages of expert review: the expert's assignments, pledge, packet and sheet. The office's
pages are in portal.scoring.views_office, on the same blueprint."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.applications.personal import packet_snapshot, reveal_personal_data
from portal.campaigns.models import Campaign
from portal.campaigns.structure import format_points
from portal.checks import mask_email, mask_mobile
from portal.db import get_or_404, get_session
from portal.errors import Invalid
from portal.inputs import query_int
from portal.listing import labels_of
from portal.scoring import assignment as assigning
from portal.scoring import pool, progress, rules, sheets
from portal.scoring.errors import Refused
from portal.scoring.forms import (
    ActionForm,
    PledgeForm,
    SheetForm,
    WithdrawForm,
)
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    SheetStatus,
    WithdrawalKind,
)
from portal.scoring.reopening import reopen_reason

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


def _own_assignment(assignment_id: int) -> tuple[Expert, Assignment]:
    """The expert's own assignment; 404 when it is someone else's (they must not learn of it)."""
    expert = _expert()
    a = get_session().get(Assignment, assignment_id)
    if a is None or a.expert_id != expert.id or a.status is AssignmentStatus.RELEASED:
        abort(404)
    return expert, a


def _refused(err: Refused) -> None:
    get_session().rollback()
    flash(err.message, "error")


# --- expert pages ---------------------------------------------------------------------------


@bp.route("/")
@login_required
def index():
    expert = _expert()
    work, pages = progress.expert_work(get_session(), expert, query_int("page", 1))
    return render_template(
        "scoring/index.html",
        work=work,
        pages=pages,
        # Each state's word translated once for the whole list, not once per row (one dict
        # per enum: members of two enums with the same value are equal keys).
        statuses=labels_of(AssignmentStatus),
        withdrawals=labels_of(WithdrawalKind),
        sheet_states=labels_of(SheetStatus),
    )


@bp.route("/campaigns/<int:campaign_id>/pledge", methods=["GET", "POST"])
@login_required
def pledge(campaign_id: int):
    expert = _expert()
    campaign = get_or_404(Campaign, campaign_id)
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
        flash(Refused("pledge_required").message, "error")
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
        snap=packet_snapshot(
            version.snapshot if version else None,
            full=reveal_personal_data(get_session(), current_user, a.application, "page"),
        ),
        sheet=a.sheet,
        reopen_reason=reopen_reason(get_session(), a.sheet),
        form=form,
        lock_form=ActionForm(),
        withdraw_form=WithdrawForm(),
        entries=entries or {},
        problems=problems or {},
        max_count=sheets.max_count,
        fmt_points=format_points,
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
    except Refused as err:
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
    except Refused as err:
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
        flash(Refused("reason_required").message, "error")
        return redirect(url_for(".packet", assignment_id=a.id))
    try:
        assigning.withdraw(session, current_user, expert, a, form.kind.data, form.reason.data)
    except Refused as err:
        _refused(err)
        return redirect(url_for(".packet", assignment_id=a.id))
    session.commit()
    flash(_("Your declaration is recorded; the programme office will reassign the packet."), "info")
    return redirect(url_for(".index"))


from portal.scoring import views_office  # noqa: E402, F401
