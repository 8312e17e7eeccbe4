"""Pages for recycled narratives: the office's flag list and one flagged pair side by side."""

from __future__ import annotations

import click
from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required

from portal.campaigns.service import current_campaign, list_campaigns
from portal.db import get_session
from portal.inputs import query_int
from portal.similarity import rules, service
from portal.similarity.models import NarrativeMatch

bp = Blueprint("similarity", __name__, url_prefix="/similarity", cli_group="similarity")
# Flags on one page of the office's list.
PAGE_SIZE = 100


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        similarity_rules=rules,
        narrative_flags=lambda application: service.matches_for(get_session(), application),
    )


@bp.cli.command("index")
def index_command() -> None:
    """Fingerprint every submitted version that has no fingerprint yet, and flag matches."""
    session = get_session()
    count = service.index_pending(session)
    session.commit()
    click.echo(f"{count} narratives checked.")


@bp.route("/")
@login_required
def index():
    if not rules.can_list_matches(current_user):
        abort(403)
    session = get_session()
    campaigns = list_campaigns(session)  # every campaign: the chosen one is among them
    campaign_id = query_int("campaign")
    if campaign_id:
        campaign = next((c for c in campaigns if c.id == campaign_id), None)
    else:
        campaign = current_campaign(session)
    matches = service.list_matches(session, campaign, query_int("page", 1), PAGE_SIZE)
    return render_template(
        "similarity/index.html",
        matches=matches,
        seen_sides=rules.sides_seen(session, current_user, matches.items),
        campaign=campaign,
        campaigns=campaigns,
    )


@bp.route("/matches/<int:match_id>")
@login_required
def show(match_id: int):
    match = get_session().get(NarrativeMatch, match_id)
    if match is None or not rules.can_view_match(current_user, match):
        abort(404)
    comparison = service.compare(match, lambda app: rules.can_see_side(current_user, app))
    return render_template("similarity/show.html", comparison=comparison, match=match)
