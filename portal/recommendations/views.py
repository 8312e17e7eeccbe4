"""Pages of the ranked recommendation: rank, write the opinion, submit, read, download the form."""

from __future__ import annotations

from io import BytesIO

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from portal.campaigns.models import Campaign, CampaignCategory
from portal.campaigns.service import current_campaign
from portal.db import get_session, utcnow
from portal.recommendations import dashboard, rules, service
from portal.recommendations.errors import RankingError
from portal.recommendations.forms import RankingForm
from portal.recommendations.quota import quota_for
from portal.roles import Role

bp = Blueprint("recommendations", __name__, url_prefix="/recommendations")


@bp.record_once
def _template_globals(state) -> None:
    state.app.jinja_env.globals.update(recommendation_rules=rules)


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


def _ranking_target(campaign_id: int, category_id: int) -> tuple[Campaign, CampaignCategory]:
    session = get_session()
    campaign = session.get(Campaign, campaign_id)
    category = session.get(CampaignCategory, category_id)
    if campaign is None or category is None or category.campaign_id != campaign.id:
        abort(404)
    if not rules.can_rank(current_user, campaign):
        abort(403)
    return campaign, category


def _rank_url(campaign: Campaign, category: CampaignCategory) -> str:
    return url_for("recommendations.rank", campaign_id=campaign.id, category_id=category.id)


def _act(campaign_id: int, category_id: int, submitting: bool):
    campaign, category = _ranking_target(campaign_id, category_id)
    session = get_session()
    page = service.ranking_page(session, current_user.organization, campaign, category)
    if page.recommendation is not None and page.recommendation.submitted:
        return redirect(url_for("recommendations.show", rec_id=page.recommendation.id))
    form = RankingForm()
    typed = None
    if request.method == "GET":
        form.opinion.data = page.recommendation.opinion if page.recommendation else ""
        form.lock_version.data = str(page.lock_version)
        form.left_out_reason.data = service.LEFT_OUT_REASON
    elif form.validate_on_submit():
        typed = form.typed_ranks(request.form, [a.id for a in page.packets])
        act = service.submit_recommendation if submitting else service.save_ranking
        try:
            order = rules.parse_ranks(typed)
            rec = act(
                session,
                current_user,
                campaign,
                category,
                order,
                form.opinion.data or "",
                lock_version=form.lock(),
                **({"left_out_reason": form.left_out_reason.data} if submitting else {}),
            )
        except RankingError as err:
            session.rollback()
            flash(err.message, "error" if err.key != "already_submitted" else "info")
            if err.key in ("stale", "already_submitted", "not_rankable"):
                return redirect(_rank_url(campaign, category))
        else:
            session.commit()
            if submitting:
                flash(_("The recommendation is submitted to the programme office."), "success")
                return redirect(url_for("recommendations.show", rec_id=rec.id))
            flash(_("The ranking is saved. Submit it before the deadline."), "success")
            return redirect(_rank_url(campaign, category))
    return render_template(
        "recommendations/rank.html",
        page=page,
        form=form,
        typed=typed,
        deadline_passed=utcnow() >= campaign.recommendation_deadline,
    )


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
