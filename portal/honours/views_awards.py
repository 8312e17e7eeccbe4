"""The office records the award given with a title and, after a revocation, its recovery."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.db import get_session
from portal.honours import awards, rules
from portal.honours.errors import AwardError
from portal.honours.forms import AwardForm, RecoveryForm
from portal.honours.models import AwardRecovery, Honour

bp = Blueprint("honour_awards", __name__, url_prefix="/honours")


def award_panel(honour: Honour) -> dict:
    """What the honour's record page shows of the award, with the office's two forms."""
    award = honour.award
    award_form = AwardForm(obj=award) if award is not None else AwardForm()
    return {
        "award": award,
        "items": awards.award_items(award),
        "award_form": award_form,
        "recovery_form": RecoveryForm(),
    }


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        honour_award_panel=award_panel,
        award_items=awards.award_items,
    )


def _honour(honour_id: int) -> Honour:
    if not rules.can_manage_honours(current_user):
        abort(403)
    honour = get_session().get(Honour, honour_id)
    if honour is None:
        abort(404)
    return honour


def _finish(honour: Honour, form, action, success: str):
    session = get_session()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "error")
    else:
        try:
            action(form)
        except AwardError as err:
            session.rollback()
            flash(err.message, "error")
        else:
            session.commit()
            flash(success, "success")
    return redirect(url_for("honours.show", honour_id=honour.id, _anchor="award"))


@bp.route("/<int:honour_id>/award", methods=["POST"])
@login_required
def record(honour_id: int):
    honour = _honour(honour_id)

    def act(form: AwardForm) -> None:
        data = awards.AwardData(
            certificate=form.certificate.data,
            prize=form.prize.data or "",
            bonus_yuan=form.bonus_yuan.data,
        )
        awards.record_award(get_session(), honour, current_user, data)

    return _finish(honour, AwardForm(), act, _("The award is recorded."))


@bp.route("/<int:honour_id>/award/recovery", methods=["POST"])
@login_required
def recovery(honour_id: int):
    honour = _honour(honour_id)

    def act(form: RecoveryForm) -> None:
        data = awards.RecoveryData(
            recovery=AwardRecovery(form.recovery.data),
            recovered_on=form.recovered_on.data,
            recovered_by=form.recovered_by.data or "",
            note=form.note.data or "",
        )
        awards.record_recovery(get_session(), honour, current_user, data)

    return _finish(honour, RecoveryForm(), act, _("The recovery of the award is recorded."))
