"""Pages of the ranked recommendation: rank, write the opinion, submit, read, download the form."""

from __future__ import annotations

from functools import cache
from io import BytesIO

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.orm import joinedload

from portal.campaigns.models import Campaign, CampaignCategory
from portal.campaigns.service import current_campaign
from portal.db import get_session, utcnow
from portal.inputs import query_int
from portal.listing import url_pattern
from portal.recommendations import dashboard, ranking, rules, service, texts
from portal.recommendations.errors import RankingError
from portal.recommendations.forms import RankingForm
from portal.recommendations.quota import quota_for
from portal.roles import Role

bp = Blueprint("recommendations", __name__, url_prefix="/recommendations")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(
        recommendation_rules=rules,
        figure_words=texts.figure_words,
        key_figures=texts.key_figures,
    )


@bp.route("/")
@login_required
def index():
    if not rules.can_open_recommendations(current_user):
        abort(403)
    session = get_session()
    campaign = current_campaign(session)
    overview = submitted = None
    if campaign is not None and rules.can_rank(current_user, campaign):
        overview = service.channel_overview(session, current_user.organization, campaign)
    if campaign is not None and current_user.role is Role.OFFICE:
        submitted = service.submitted_recommendations(session, campaign)
    return render_template(
        "recommendations/index.html",
        campaign=campaign,
        overview=overview,
        submitted=submitted,
        system=rules.recommending_system(campaign) if campaign else None,
    )


@cache
def _target_statement() -> sa.Select:
    """One statement for the category, its campaign and the stages can_rank reads."""
    return (
        sa.select(CampaignCategory)
        .where(
            CampaignCategory.id == sa.bindparam("category_id"),
            CampaignCategory.campaign_id == sa.bindparam("campaign_id"),
        )
        .options(joinedload(CampaignCategory.campaign).joinedload(Campaign.stages))
    )


def _ranking_target(campaign_id: int, category_id: int) -> tuple[Campaign, CampaignCategory]:
    values = {"category_id": category_id, "campaign_id": campaign_id}
    category = get_session().scalar(_target_statement(), values)
    if category is None:
        abort(404)
    campaign = category.campaign
    if not rules.can_rank(current_user, campaign):
        abort(403)
    return campaign, category


def _rank_url(campaign: Campaign, category: CampaignCategory, number: int = 1) -> str:
    return url_for(
        "recommendations.rank",
        campaign_id=campaign.id,
        category_id=category.id,
        page=number if number > 1 else None,
    )


def _act(campaign_id: int, category_id: int, submitting: bool):
    campaign, category = _ranking_target(campaign_id, category_id)
    session = get_session()
    page = ranking.ranking_page(
        session, current_user.organization, campaign, category, query_int("page", 1)
    )
    if page.recommendation is not None and page.recommendation.submitted:
        return redirect(url_for("recommendations.show", rec_id=page.recommendation.id))
    form = RankingForm()
    typed = None
    if request.method == "GET":
        form.opinion.data = page.recommendation.opinion if page.recommendation else ""
        form.lock_version.data = str(page.lock_version)
        form.left_out_reason.data = service.LEFT_OUT_REASON
    elif form.validate_on_submit():
        typed = form.typed_ranks(request.form)
        try:
            done = _save(page, form, typed, submitting)
        except RankingError as err:
            session.rollback()
            flash(err.message, "error" if err.key != "already_submitted" else "info")
            if err.key in ("stale", "already_submitted", "not_rankable"):
                return redirect(_rank_url(campaign, category, page.packets.page))
        else:
            return done
    return render_template(
        "recommendations/rank.html",
        page=page,
        rows=texts.ranking_rows(
            page.packets.items, url_pattern("applications.show", "app_id"), typed
        ),
        form=form,
        deadline_passed=utcnow() >= campaign.recommendation_deadline,
    )


def _save(page: ranking.RankingPage, form: RankingForm, typed: dict[int, str], submitting: bool):
    """Save (or submit) the ranks typed on the page among those saved on the others, and say
    where to go next: the recommendation, this page, or the page a page button asked for."""
    session, campaign, category = get_session(), page.campaign, page.category
    order = rules.place_ranks(typed, page.saved)
    opinion = service.clean_text(form.opinion.data)
    turn = None if submitting else form.page_to_turn(request.form)
    if turn is not None and page.unchanged(order, opinion):
        return redirect(_rank_url(campaign, category, turn))  # nothing to save on the way
    act = service.submit_recommendation if submitting else service.save_ranking
    rec = act(
        session,
        current_user,
        campaign,
        category,
        order,
        opinion,
        lock_version=form.lock(),
        **({"left_out_reason": form.left_out_reason.data} if submitting else {}),
    )
    session.commit()
    if submitting:
        flash(_("The recommendation is submitted to the programme office."), "success")
        return redirect(url_for("recommendations.show", rec_id=rec.id))
    flash(_("The ranking is saved. Submit it before the deadline."), "success")
    return redirect(_rank_url(campaign, category, turn or page.packets.page))


@bp.route("/campaigns/<int:campaign_id>/categories/<int:category_id>", methods=["GET", "POST"])
@login_required
def rank(campaign_id: int, category_id: int):
    return _act(campaign_id, category_id, submitting=False)


@bp.route("/campaigns/<int:campaign_id>/categories/<int:category_id>/submit", methods=["POST"])
@login_required
def submit(campaign_id: int, category_id: int):
    return _act(campaign_id, category_id, submitting=True)


def _load(rec_id: int):
    rec = service.load_recommendation(get_session(), rec_id)
    if rec is None or not rules.can_view_recommendation(current_user, rec):
        abort(404)
    return rec


@bp.route("/<int:rec_id>")
@login_required
def show(rec_id: int):
    rec = _load(rec_id)
    quota = quota_for(get_session(), rec.organization, rec.campaign, rec.category)
    return render_template("recommendations/show.html", rec=rec, quota=quota)


@bp.route("/<int:rec_id>/form.docx")
@login_required
def form_docx(rec_id: int):
    # why: python-docx and lxml load only when a Word file is made (test_footprint)
    from portal.documents.recommendation_form import render_recommendation_form

    filename, mimetype, content = render_recommendation_form(
        service.recommendation_form_data(get_session(), _load(rec_id))
    )
    return send_file(
        BytesIO(content), mimetype=mimetype, as_attachment=True, download_name=filename
    )


# --- the balance dashboard (/balance) ---------------------------------------------------------

balance_bp = Blueprint("balance", __name__, url_prefix="/balance")


@balance_bp.route("/")
@login_required
def citywide():
    if not rules.can_view_citywide_balance(current_user):
        abort(403)
    session = get_session()
    campaign = current_campaign(session)
    board = dashboard.citywide_dashboard(session, campaign) if campaign else None
    return render_template("balance/citywide.html", campaign=campaign, board=board)


@balance_bp.route("/channel")
@login_required
def channel():
    session = get_session()
    campaign = current_campaign(session)
    if campaign is None or not rules.can_view_channel_balance(current_user, campaign):
        abort(403)
    board = dashboard.channel_dashboard(session, current_user.organization, campaign)
    return render_template("balance/channel.html", campaign=campaign, board=board)
