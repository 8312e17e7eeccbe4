"""Scoring results: each category's aggregated figures, ranking and candidate list."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from portal.api.models.common import Reference
from portal.api.models.organizations import OrganizationSummary
from portal.api.spec import Answer, Figure, Query, RowId
from portal.applications.models import ApplicationState
from portal.campaigns.models import AggregationMethod, CategoryKind
from portal.campaigns.models import Campaign as CampaignRow
from portal.scoring.ranking import Direction, TieBreak
from portal.scoring.results.service import CategoryResults, ListStatus, ResultRow

TWO_PLACES = "2 places, rounded half up; null without locked sheets"
Problem = Literal[
    "nothing_to_confirm",
    "already_confirmed",
    "partly_confirmed",
    "sheets_pending",
    "unscored",
    "over_quota",
]


class ListMove(Answer):
    direction: Direction
    reason: str


class ResultPacket(Answer):
    application_id: int
    title: str = Field(description="Team name, or the person's name")
    organization: OrganizationSummary
    district: Reference | None
    industry: Reference | None
    state: ApplicationState
    position: int = Field(ge=1)
    rank: int = Field(ge=1, description="Shared by equal figures")
    score: Figure | None = Field(description="The campaign method's figure; " + TWO_PLACES)
    mean: Figure | None = Field(description=TWO_PLACES)
    criteria: Figure | None = Field(description="Mean criteria subtotal (first tie-break)")
    mean_z: Figure | None = Field(description="z_score method: mean z, 4 places")
    totals: list[Figure]
    dropped: list[Figure] | None = Field(
        description="trimmed_mean: the lowest and highest totals left out"
    )
    sheet_count: int = Field(ge=0)
    pending_sheets: int = Field(ge=0)
    spread: Figure | None
    flagged: bool = Field(description="Spread above the threshold")
    tie_broken_by: TieBreak | None
    within_quota: bool
    in_list: bool
    move: ListMove | None

    @classmethod
    def of(cls, row: ResultRow) -> ResultPacket:
        app, ranked, score = row.application, row.ranked, row.score
        return cls(
            application_id=app.id,
            title=app.title,
            organization=OrganizationSummary.of(app.organization),
            district=Reference.of(app.district),
            industry=Reference.of(app.industry),
            state=app.state,
            position=ranked.position,
            rank=ranked.rank,
            score=score.score,
            mean=score.mean,
            criteria=score.criteria,
            mean_z=score.mean_z,
            totals=list(score.totals),
            dropped=list(score.dropped) if score.dropped else None,
            sheet_count=score.sheet_count,
            pending_sheets=row.pending_sheets,
            spread=score.spread,
            flagged=score.flagged,
            tie_broken_by=ranked.tie_broken_by,
            within_quota=ranked.within_quota,
            in_list=ranked.in_list,
            move=ListMove(direction=row.move.direction, reason=row.move.reason)
            if row.move
            else None,
        )


class ResultCategory(Answer):
    id: int
    code: str
    kind: CategoryKind
    name_zh: str
    name_en: str
    quota: int = Field(ge=0)
    status: ListStatus
    in_count: int = Field(ge=0)
    quota_tie: TieBreak | None
    problems: list[Problem] = Field(description="Why the list cannot be confirmed now")
    packets: list[ResultPacket]

    @classmethod
    def of(cls, data: CategoryResults) -> ResultCategory:
        category, ranking = data.category, data.ranking
        return cls(
            id=category.id,
            code=category.code,
            kind=category.kind,
            name_zh=category.name_zh,
            name_en=category.name_en,
            quota=category.quota,
            status=data.status,
            in_count=ranking.in_count,
            quota_tie=ranking.quota_tie,
            problems=data.problems(),  # type: ignore[arg-type]  # the keys Problem lists
            packets=[ResultPacket.of(row) for row in data.rows],
        )


class ResultCampaign(Answer):
    id: int
    year: int
    aggregation_method: AggregationMethod
    score_spread_threshold: Figure | None

    @classmethod
    def of(cls, campaign: CampaignRow) -> ResultCampaign:
        return cls(
            id=campaign.id,
            year=campaign.year,
            aggregation_method=campaign.aggregation_method,
            score_spread_threshold=campaign.score_spread_threshold,
        )


class ScoringResults(Answer):
    campaign: ResultCampaign
    categories: list[ResultCategory]


class ResultsQuery(Query):
    campaign: RowId | None = Field(default=None, description="Campaign id; default current")
    category: str = Field(default="", description="Only this category (code, e.g. team)")
