"""Campaign management for the programme office."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from portal.accounts import rules
from portal.campaigns.models import Campaign
from portal.db import get_session

bp = Blueprint("campaigns", __name__, url_prefix="/office/campaigns")


@bp.route("/")
@login_required
def index():
    if not rules.can_view_campaigns(current_user):
        abort(403)
    campaigns = get_session().scalars(sa.select(Campaign).order_by(Campaign.year.desc())).all()
    return render_template("campaigns/index.html", campaigns=campaigns)
