"""Campaigns: deadlines, categories, the review chain's stages and (scoring roles) the rubric."""

from __future__ import annotations

from datetime import date

from pydantic import Field

from portal.api.models.common import Page
from portal.api.spec import Answer, Figure, PageQuery, ShanghaiTime, Year
from portal.campaigns.models import Campaign as CampaignRow
from portal.campaigns.models import (
    CampaignCategory,
    CampaignStatus,
    CategoryKind,
    ReviewStage,
    RubricKind,
    StageSystem,
)
from portal.campaigns.models import RubricItem as RubricItemRow


class Category(Answer):
    code: str
    kind: CategoryKind
    name_zh: str
    name_en: str
    quota: int = Field(ge=0)
    narrative_min_chars: int = Field(ge=0)
    narrative_max_chars: int = Field(ge=0)
    min_surveys: int = Field(ge=0)

    @classmethod
    def of(cls, row: CampaignCategory) -> Category:
        return cls.model_validate(row, from_attributes=True)


class Stage(Answer):
    position: int = Field(description="Equal positions run in parallel")
    system: StageSystem
    name_zh: str
    name_en: str

    @classmethod
    def of(cls, row: ReviewStage) -> Stage:
        return cls.model_validate(row, from_attributes=True)


class RubricItem(Answer):
    code: str
    kind: RubricKind
    name_zh: str
    name_en: str
    description: str
    points: Figure = Field(
        description="Criterion: maximum points; bonus or deduction: points each time"
    )
    cap: Figure | None

    @classmethod
    def of(cls, row: RubricItemRow) -> RubricItem:
        return cls.model_validate(row, from_attributes=True)


class Deadlines(Answer):
    application: ShanghaiTime
    recommendation: ShanghaiTime
    review: ShanghaiTime


class Attachments(Answer):
    allowed_file_types: list[str]
    max_file_mb: int
    max_packet_mb: int
    max_files: int


class Campaign(Answer):
    id: int
    year: int
    theme: str
    status: CampaignStatus
    deadlines: Deadlines
    reference_date: date
    notice_working_days: int = Field(ge=1)
    categories: list[Category]
    stages: list[Stage]
    districts: list[str]
    industries: list[str]
    attachments: Attachments
    rubric: list[RubricItem] = Field(
        default_factory=list,
        description="Only for the office, organizers, experts and administrators",
    )

    @classmethod
    def of(cls, row: CampaignRow, *, rubric: bool) -> Campaign:
        """The campaign's configuration; the rubric only when `rubric` (scoring roles)."""
        campaign = cls(
            id=row.id,
            year=row.year,
            theme=row.theme,
            status=row.status,
            deadlines=Deadlines(
                application=row.application_deadline,
                recommendation=row.recommendation_deadline,
                review=row.review_deadline,
            ),
            reference_date=row.reference_date,
            notice_working_days=row.notice_working_days,
            categories=[Category.of(c) for c in row.categories],
            stages=[Stage.of(s) for s in row.stages],
            districts=[d.code for d in row.districts],
            industries=[i.code for i in row.industries],
            attachments=Attachments(
                allowed_file_types=list(row.allowed_file_types),
                max_file_mb=row.max_file_mb,
                max_packet_mb=row.max_packet_mb,
                max_files=row.max_files,
            ),
        )
        if rubric:
            campaign.rubric = [RubricItem.of(r) for r in row.rubric]
        return campaign


class CampaignPage(Page[Campaign]):
    pass


class CampaignQuery(PageQuery):
    status: CampaignStatus | None = Field(default=None, description="Only this status")
    year: Year | None = Field(default=None, description="Only this year")
