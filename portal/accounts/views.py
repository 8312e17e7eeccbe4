"""Login, logout, registration, password reset, the role home page and API tokens."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from portal.accounts import home as homes
from portal.accounts import rules, service
from portal.accounts.forms import (
    CHOOSE,
    ApiTokenForm,
    ForgotPasswordForm,
    LoginForm,
    RegisterForm,
    ResetPasswordForm,
)
from portal.accounts.models import ApiToken
from portal.db import get_session
from portal.i18n import localized_name
from portal.labels import choices
from portal.mail import send_mail
from portal.organizations.models import District, Industry, UnitNature

bp = Blueprint("accounts", __name__)


def _safe_next(target: str | None) -> str:
    if target and not urlsplit(target).netloc and target.startswith("/"):
        return target
    return url_for("accounts.home")


@bp.route("/login", methods=["GET", "POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = LoginForm()
    if form.validate_on_submit():
        session = get_session()
        try:
            user = service.authenticate(
                session, form.email.data, form.password.data, request.remote_addr or "-"
            )
        except service.AccountError as err:
            flash(err.message, "error")
        else:
            session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("accounts/login.html", form=form)


@bp.route("/logout", methods=["POST"])
def logout():
    if current_user.is_authenticated:
        session = get_session()
        service.end_sessions(session, current_user)
        session.commit()
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("public.index"))


def _reference_choices(model) -> list[tuple[int, str]]:
    rows = get_session().scalars(sa.select(model).order_by(model.position)).all()
    return [(r.id, localized_name(r)) for r in rows]


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.home"))
    form = RegisterForm()
    form.district_id.choices = [CHOOSE, *_reference_choices(District)]
    form.industry_id.choices = [CHOOSE, *_reference_choices(Industry)]
    form.unit_nature.choices = [CHOOSE, *choices(UnitNature)]
    if form.validate_on_submit():
        session = get_session()
        data = service.EnterpriseRegistration(
            **{k: form[k].data for k in service.EnterpriseRegistration.__dataclass_fields__}
        )
        try:
            user = service.register_enterprise(session, data)
        except service.AccountError as err:
            session.rollback()
            flash(err.message, "error")
        else:
            session.commit()
            login_user(user)
            flash(_("Your unit is registered. Welcome!"), "success")
            return redirect(url_for("accounts.home"))
    return render_template("accounts/register.html", form=form)


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        session = get_session()
        user = service.find_user_by_email(session, form.email.data)
        if user is not None and user.active:
            link = url_for(
                "accounts.reset_password", token=service.make_reset_token(user), _external=True
            )
            send_mail(
                session,
                user.email,
                _("Password reset for the Service Star portal"),
                _(
                    "Open this link within one hour to choose a new password:\n%(link)s\n\n"
                    "If you did not ask for this, ignore this message.",
                    link=link,
                ),
                secret=link,
            )
            session.commit()
        # The same answer whether or not the address has an account.
        flash(_("If the address has an account, a reset link is on its way."), "info")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    session = get_session()
    try:
        service.user_for_reset_token(session, token)
    except service.AccountError as err:
        flash(err.message, "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        service.reset_password(
            session, token, form.password.data, revoke_tokens=form.revoke_tokens.data
        )
        session.commit()
        flash(_("Your password is changed. Please log in."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.app_template_filter("time_left")
def time_left(deadline, now=None) -> str:
    return homes.time_left(deadline, now)


@bp.route("/home")
@login_required
def home():
    work = homes.gather(get_session(), current_user)
    return render_template("accounts/home.html", campaign=work.campaign, home=work, rules=rules)


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def api_tokens():
    session = get_session()
    form = ApiTokenForm()
    new_secret = None
    if form.validate_on_submit():
        _token, new_secret = service.create_api_token(session, current_user, form.name.data)
        session.commit()
    tokens = session.scalars(
        sa.select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)
    ).all()
    return render_template("accounts/tokens.html", form=form, tokens=tokens, new_secret=new_secret)


@bp.route("/account/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_api_token(token_id: int):
    session = get_session()
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != current_user.id:
        abort(404)
    if token.revoked_at is None:
        service.revoke_api_token(session, current_user, token)
        session.commit()
    flash(_("The token is revoked."), "info")
    return redirect(url_for("accounts.api_tokens"))
