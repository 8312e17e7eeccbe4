"""Campaigns: one year of the programme, entirely data."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.organizations.models import District, Industry, Organization, OrgSystem


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"  # being configured; invisible to enterprises
    OPEN = "open"  # running: applications, review, scoring, notice
    CLOSED = "closed"  # finished; records kept
    ARCHIVED = "archived"


labels.declare(
    CampaignStatus,
    {
        CampaignStatus.DRAFT: _l("Draft"),
        CampaignStatus.OPEN: _l("Open"),
        CampaignStatus.CLOSED: _l("Closed"),
        CampaignStatus.ARCHIVED: _l("Archived"),
    },
)


class CategoryKind(enum.StrEnum):
    TEAM = "team"  # 班组
    INDIVIDUAL = "individual"  # 个人


labels.declare(
    CategoryKind,
    {
        CategoryKind.TEAM: _l("Team"),
        CategoryKind.INDIVIDUAL: _l("Individual"),
    },
)


class QuotaRule(enum.StrEnum):
    """How a channel's recommendation quota (推荐名额) is set: see portal/campaigns/quotas.py."""

    FIXED = "fixed"  # the same number for every channel
    PROPORTIONAL = "proportional"  # a share of the packets the channel received
    STEPPED = "stepped"  # by the number of units applying through the channel


labels.declare(
    QuotaRule,
    {
        QuotaRule.FIXED: _l("Fixed"),
        QuotaRule.PROPORTIONAL: _l("Share of packets received"),
        QuotaRule.STEPPED: _l("Steps by number of units"),
    },
)


class StageSystem(enum.StrEnum):
    """Who acts at a review stage: a channel system, or the programme office's formal check."""

    UNION = OrgSystem.UNION.value
    YOUTH = OrgSystem.YOUTH.value
    WOMEN = OrgSystem.WOMEN.value
    QUALITY = OrgSystem.QUALITY.value
    OFFICE = "office"


labels.declare(
    StageSystem,
    {
        StageSystem.UNION: _l("Trade union"),
        StageSystem.YOUTH: _l("Youth league"),
        StageSystem.WOMEN: _l("Women's federation"),
        StageSystem.QUALITY: _l("Quality association"),
        StageSystem.OFFICE: _l("Programme office"),
    },
)


class AggregationMethod(enum.StrEnum):
    """How the experts' locked totals of a packet become its score."""

    MEAN = "mean"
    TRIMMED_MEAN = "trimmed_mean"  # drop one highest and one lowest with five or more experts
    Z_SCORE = "z_score"  # each expert's totals standardized before averaging


labels.declare(
    AggregationMethod,
    {
        AggregationMethod.MEAN: _l("Mean of all experts"),
        AggregationMethod.TRIMMED_MEAN: _l("Mean without the highest and lowest (five or more)"),
        AggregationMethod.Z_SCORE: _l("Mean of standardized scores (z-score)"),
    },
)


class RubricKind(enum.StrEnum):
    CRITERION = "criterion"  # scored out of its maximum, within the 100 points
    BONUS = "bonus"  # points each time, outside the 100, up to a cap
    DEDUCTION = "deduction"  # points taken off each time


labels.declare(
    RubricKind,
    {
        RubricKind.CRITERION: _l("Criterion"),
        RubricKind.BONUS: _l("Bonus"),
        RubricKind.DEDUCTION: _l("Deduction"),
    },
)


campaign_district = sa.Table(
    "campaign_district",
    Base.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("district_id", sa.ForeignKey("district.id"), primary_key=True),
)
campaign_industry = sa.Table(
    "campaign_industry",
    Base.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("industry_id", sa.ForeignKey("industry.id"), primary_key=True),
)
campaign_channel = sa.Table(
    "campaign_channel",
    Base.metadata,
    sa.Column("campaign_id", sa.ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("organization_id", sa.ForeignKey("organization.id"), primary_key=True),
)


class Campaign(Base):
    """A year of the programme (创建活动): deadlines, quotas, chain, limits, rubric."""

    __tablename__ = "campaign"
    __table_args__ = (
        sa.CheckConstraint(
            "application_deadline <= recommendation_deadline", name="deadlines_ordered_1"
        ),
        sa.CheckConstraint(
            "recommendation_deadline <= review_deadline", name="deadlines_ordered_2"
        ),
        sa.CheckConstraint("max_file_mb > 0 AND max_packet_mb >= max_file_mb", name="file_caps"),
        sa.CheckConstraint("notice_working_days > 0", name="notice_days_positive"),
        sa.CheckConstraint(
            "(target_women_share IS NULL OR target_women_share BETWEEN 0 AND 100) AND "
            "(target_young_share IS NULL OR target_young_share BETWEEN 0 AND 100)",
            name="balance_targets_percent",
        ),
        sa.CheckConstraint(
            "experts_per_packet > 0 AND reserves_per_packet >= 0", name="experts_per_packet"
        ),
        sa.CheckConstraint(
            "records_kept_years >= 2 AND honour_records_kept_years >= 2", name="retention_years"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    theme: Mapped[str] = mapped_column(sa.String(200))
    status: Mapped[CampaignStatus] = mapped_column(
        enum_column(CampaignStatus, "campaign_status"), default=CampaignStatus.DRAFT
    )
    # Deadlines are instants (stored UTC); they are entered and shown in Asia/Shanghai.
    application_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    recommendation_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    review_deadline: Mapped[datetime] = mapped_column(UTCDateTime())
    # Ages and years in post are computed at this date.
    reference_date: Mapped[date] = mapped_column(sa.Date())
    notice_working_days: Mapped[int] = mapped_column(default=5)
    allowed_file_types: Mapped[list[str]] = mapped_column(
        sa.JSON, default=lambda: ["pdf", "jpeg", "png", "docx", "xlsx"]
    )
    max_file_mb: Mapped[int] = mapped_column(default=20)
    max_packet_mb: Mapped[int] = mapped_column(default=100)
    max_files: Mapped[int] = mapped_column(default=20)
    # Balance targets (percent, None = none) the recommendations are measured against.
    target_women_share: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1))
    target_young_share: Mapped[Decimal | None] = mapped_column(sa.Numeric(4, 1))
    # Expert review (专家评审): experts scoring each packet, reserves kept aside for
    # reassignment, the spread of totals that flags a packet, and how totals are combined.
    experts_per_packet: Mapped[int] = mapped_column(default=5)
    reserves_per_packet: Mapped[int] = mapped_column(default=1)
    score_spread_threshold: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2), default=Decimal("20"))
    aggregation_method: Mapped[AggregationMethod] = mapped_column(
        enum_column(AggregationMethod, "aggregation_method"),
        default=AggregationMethod.TRIMMED_MEAN,
    )
    # The most bonus points (outside the 100) one sheet may give in all; None = no limit.
    max_bonus: Mapped[Decimal | None] = mapped_column(
        sa.Numeric(6, 2), default=Decimal("50"), server_default="50"
    )
    # Retention (flask retention): selection records are kept this many years after the
    # notice closes; an honour's records while the title lasts and this many years after.
    records_kept_years: Mapped[int] = mapped_column(default=2, server_default="2")
    honour_records_kept_years: Mapped[int] = mapped_column(default=2, server_default="2")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    copied_from_id: Mapped[int | None] = mapped_column(sa.ForeignKey("campaign.id"))

    districts: Mapped[list[District]] = relationship(
        secondary=campaign_district, order_by=District.position
    )
    industries: Mapped[list[Industry]] = relationship(
        secondary=campaign_industry, order_by=Industry.position
    )
    channels: Mapped[list[Organization]] = relationship(
        secondary=campaign_channel, order_by=Organization.name
    )
    categories: Mapped[list[CampaignCategory]] = relationship(
        back_populates="campaign",
        cascade="all, delete-orphan",
        order_by="CampaignCategory.position",
    )
    stages: Mapped[list[ReviewStage]] = relationship(
        back_populates="campaign",
        cascade="all, delete-orphan",
        order_by="[ReviewStage.position, ReviewStage.id]",
    )
    rubric: Mapped[list[RubricItem]] = relationship(
        back_populates="campaign", cascade="all, delete-orphan", order_by="RubricItem.position"
    )

    def __repr__(self) -> str:
        return f"<Campaign {self.year} {self.status}>"


class CampaignCategory(Base):
    """An award category of a campaign with its quota and the form's length limits."""

    __tablename__ = "campaign_category"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "code"),
        sa.CheckConstraint("quota >= 0", name="quota_non_negative"),
        sa.CheckConstraint("channel_quota >= 0", name="channel_quota_non_negative"),
        sa.CheckConstraint(
            "narrative_min_chars >= 0 AND narrative_max_chars >= narrative_min_chars",
            name="narrative_limits",
        ),
        sa.CheckConstraint("summary_max_chars >= 0", name="summary_limit"),
        sa.CheckConstraint(
            "quota_share IS NULL OR (quota_share > 0 AND quota_share <= 100)",
            name="quota_share_range",
        ),
        sa.CheckConstraint(
            "quota_min >= 0 AND (quota_max IS NULL OR quota_max >= quota_min)",
            name="quota_bounds",
        ),
        # What a packet's (category_id, kind) refers to: its kind is its category's.
        sa.UniqueConstraint("id", "kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[CategoryKind] = mapped_column(enum_column(CategoryKind, "category_kind"))
    name_zh: Mapped[str] = mapped_column(sa.String(64))
    name_en: Mapped[str] = mapped_column(sa.String(64))
    quota: Mapped[int] = mapped_column(default=100)
    narrative_min_chars: Mapped[int] = mapped_column(default=1500)
    narrative_max_chars: Mapped[int] = mapped_column(default=3000)
    # The summary of deeds (主要事迹) on the form, in Chinese characters as narratives count.
    summary_max_chars: Mapped[int] = mapped_column(default=800)
    min_surveys: Mapped[int] = mapped_column(default=20)
    # Packets each recommending channel organization may recommend in this category (推荐名额).
    channel_quota: Mapped[int] = mapped_column(default=10)
    # Or computed per channel (portal/campaigns/quotas.py): a share in percent of the packets
    # received, rounded down, then held between quota_min and quota_max; or by steps of
    # [from_units, quota] pairs, ascending.
    quota_rule: Mapped[QuotaRule] = mapped_column(
        enum_column(QuotaRule, "quota_rule"), default=QuotaRule.FIXED
    )
    quota_share: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    quota_min: Mapped[int] = mapped_column(default=1)
    quota_max: Mapped[int | None] = mapped_column()
    quota_steps: Mapped[list[list[int]]] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    campaign: Mapped[Campaign] = relationship(back_populates="categories")


class ReviewStage(Base):
    """One step of the ordered review chain; stages sharing a position run in parallel."""

    __tablename__ = "review_stage"
    __table_args__ = (sa.UniqueConstraint("campaign_id", "position", "system"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column()
    system: Mapped[StageSystem] = mapped_column(enum_column(StageSystem, "stage_system"))
    name_zh: Mapped[str] = mapped_column(sa.String(64))
    name_en: Mapped[str] = mapped_column(sa.String(64))

    campaign: Mapped[Campaign] = relationship(back_populates="stages")


class RubricItem(Base):
    """A scoring criterion, bonus or deduction item of the campaign's rubric."""

    __tablename__ = "rubric_item"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "code"),
        sa.CheckConstraint("points > 0", name="points_positive"),
        sa.CheckConstraint("cap IS NULL OR cap >= points", name="cap_at_least_points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(default=0)
    code: Mapped[str] = mapped_column(sa.String(32))
    kind: Mapped[RubricKind] = mapped_column(enum_column(RubricKind, "rubric_kind"))
    name_zh: Mapped[str] = mapped_column(sa.String(100))
    name_en: Mapped[str] = mapped_column(sa.String(100))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    # criterion: maximum points; bonus/deduction: points each time
    points: Mapped[Decimal] = mapped_column(sa.Numeric(6, 2))
    cap: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 2))
    # bonus/deduction: the most times it may be counted on one sheet (None = no limit)
    max_count: Mapped[int | None] = mapped_column()

    campaign: Mapped[Campaign] = relationship(back_populates="rubric")
