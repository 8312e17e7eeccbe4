"""Organization management for the programme office and administrators."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from portal.accounts import rules
from portal.db import get_session
from portal.organizations.models import Organization

bp = Blueprint("organizations", __name__, url_prefix="/office/organizations")


@bp.route("/")
@login_required
def index():
    if not rules.can_manage_organizations(current_user):
        abort(403)
    orgs = (
        get_session()
        .scalars(sa.select(Organization).order_by(Organization.kind, Organization.name))
        .all()
    )
    return render_template("organizations/index.html", organizations=orgs)
