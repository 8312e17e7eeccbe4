"""User account and role management for the programme office and administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from portal.accounts import rules
from portal.accounts.models import User
from portal.db import get_session

bp = Blueprint("users", __name__, url_prefix="/office/users")


@bp.route("/")
@login_required
def index():
    if not rules.can_manage_users(current_user):
        abort(403)
    users = get_session().scalars(sa.select(User).order_by(User.role, User.email)).all()
    return render_template("users/index.html", users=users)
