"""/api/v1/scoring/results: each category's aggregated figures and candidate list, for the
programme office and the organizers (the same service and predicate as the results pages)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import jsonify, request
from flask_babel import lazy_gettext as _l

from portal.api import serializers
from portal.api.auth import api_user
from portal.api.errors import ApiError
from portal.api.views import _int_arg, bp
from portal.campaigns.models import Campaign, CampaignCategory
from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.scoring import results, results_rules
from portal.scoring.results import CategoryResults, ResultRow


def _figure(value) -> float | int | None:
    return serializers.number(value)


def _packet(row: ResultRow) -> dict:
    app, ranked, score = row.application, row.ranked, row.score
    return {
        "application_id": app.id,
        "title": app.title,
        "organization": serializers.organization_summary(app.organization),
        "district": serializers.reference(app.district),
        "industry": serializers.reference(app.industry),
        "state": app.state.value,
        "position": ranked.position,
        "rank": ranked.rank,
        "score": _figure(score.score),
        "mean": _figure(score.mean),
        "criteria": _figure(score.criteria),
        "mean_z": _figure(score.mean_z),
        "totals": [_figure(t) for t in score.totals],
        "dropped": [_figure(t) for t in score.dropped] if score.dropped else None,
        "sheet_count": score.sheet_count,
        "pending_sheets": row.pending_sheets,
        "spread": _figure(score.spread),
        "flagged": score.flagged,
        "tie_broken_by": ranked.tie_broken_by.value if ranked.tie_broken_by else None,
        "within_quota": ranked.within_quota,
        "in_list": ranked.in_list,
        "move": {"direction": row.move.direction.value, "reason": row.move.reason}
        if row.move
        else None,
    }


def _category(data: CategoryResults) -> dict:
    category, ranking = data.category, data.ranking
    return {
        "id": category.id,
        "code": category.code,
        "kind": category.kind.value,
        "name_zh": category.name_zh,
        "name_en": category.name_en,
        "quota": category.quota,
        "status": data.status.value,
        "in_count": ranking.in_count,
        "quota_tie": ranking.quota_tie.value if ranking.quota_tie else None,
        "problems": data.problems(),
        "packets": [_packet(row) for row in data.rows],
    }


@bp.get("/scoring/results")
def scoring_results():
    user = api_user()
    if not results_rules.can_view_results(user):
        raise ApiError(403, "forbidden", _l("Scoring results are for the office and organizers."))
    session = get_session()
    campaign_id = _int_arg("campaign", None, 1)
    campaign = session.get(Campaign, campaign_id) if campaign_id else current_campaign(session)
    if campaign is None:
        raise ApiError(404, "not_found", _l("There is no such campaign."), parameter="campaign")
    query = sa.select(CampaignCategory).where(CampaignCategory.campaign_id == campaign.id)
    if code := request.args.get("category"):
        query = query.where(CampaignCategory.code == code)
    categories = session.scalars(query.order_by(CampaignCategory.position)).all()
    if code and not categories:
        raise ApiError(
            404,
            "not_found",
            _l("The campaign has no category with the code '%(code)s'.", code=code),
            parameter="category",
        )
    return jsonify(
        {
            "campaign": {
                "id": campaign.id,
                "year": campaign.year,
                "aggregation_method": campaign.aggregation_method.value,
                "score_spread_threshold": _figure(campaign.score_spread_threshold),
            },
            "categories": [_category(results.category_results(session, c)) for c in categories],
        }
    )
