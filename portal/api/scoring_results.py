"""/api/v1/scoring/results: each category's aggregated figures and candidate list, for the
programme office and the organizers (the same service and predicate as the results pages)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response
from flask_babel import lazy_gettext as _l

from portal.api.auth import api_user
from portal.api.errors import ApiError
from portal.api.models.results import (
    ResultCampaign,
    ResultCategory,
    ResultsQuery,
    ScoringResults,
)
from portal.api.spec import answer, operation
from portal.campaigns.models import Campaign, CampaignCategory
from portal.campaigns.service import current_campaign
from portal.db import get_session
from portal.scoring.results import rules as results_rules
from portal.scoring.results import service as results


@operation(
    "/scoring/results",
    "Aggregated figures, ranking and candidate list of each category (programme office and "
    "organizers)",
    ScoringResults,
    query=ResultsQuery,
    description="The results, best figure first within each category",
    errors={403: "Not the programme office or an organizer", 404: "No such campaign or category"},
)
def scoring_results(query: ResultsQuery) -> Response:
    user = api_user()
    if not results_rules.can_view_results(user):
        raise ApiError(403, "forbidden", _l("Scoring results are for the office and organizers."))
    session = get_session()
    wanted = query.campaign
    campaign = session.get(Campaign, wanted) if wanted else current_campaign(session)
    if campaign is None:
        raise ApiError(404, "not_found", _l("There is no such campaign."), parameter="campaign")
    select = sa.select(CampaignCategory).where(CampaignCategory.campaign_id == campaign.id)
    if code := query.category:
        select = select.where(CampaignCategory.code == code)
    categories = session.scalars(select.order_by(CampaignCategory.position)).all()
    if code and not categories:
        raise ApiError(
            404,
            "not_found",
            _l("The campaign has no category with the code '%(code)s'.", code=code),
            parameter="category",
        )
    data = [ResultCategory.of(results.category_results(session, c)) for c in categories]
    return answer(ScoringResults(campaign=ResultCampaign.of(campaign), categories=data))
