"""Eligibility rules of a campaign's category, the unit's signed declaration, and findings of
fabricated or concealed material with the bar they carry."""

from __future__ import annotations

import enum
from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal import labels
from portal.accounts.models import User
from portal.applications.models import Application
from portal.campaigns.models import Campaign, CampaignCategory
from portal.db import Base, UTCDateTime, enum_column, utcnow


class EligibilityRules(Base):
    """The application conditions (申报条件) of one category; an empty threshold is a rule not
    in force. Rows are seeded with the programme's defaults when the campaign is created."""

    __tablename__ = "eligibility_rules"
    __table_args__ = (
        sa.CheckConstraint(
            "(team_min_members IS NULL OR team_min_members >= 1) AND "
            "(team_max_members IS NULL OR team_min_members IS NULL "
            "OR team_max_members >= team_min_members)",
            name="member_bounds",
        ),
        sa.CheckConstraint(
            "(founded_min_years IS NULL OR founded_min_years >= 0) AND "
            "(post_min_years IS NULL OR post_min_years >= 0) AND "
            "(clean_record_years IS NULL OR clean_record_years >= 1) AND "
            "(title_holder_years IS NULL OR title_holder_years >= 1)",
            name="years_non_negative",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign_category.id", ondelete="CASCADE"), unique=True
    )
    # Team: founded at least this many years before the campaign's reference date.
    founded_min_years: Mapped[int | None] = mapped_column()
    team_min_members: Mapped[int | None] = mapped_column()
    team_max_members: Mapped[int | None] = mapped_column()
    # Individual: at least this many whole years in the current post at the reference date.
    post_min_years: Mapped[int | None] = mapped_column()
    # The unit declares no verified serious complaint, incident or violation in these years.
    clean_record_years: Mapped[int | None] = mapped_column()
    # No holder of the same title awarded within these years applies again.
    title_holder_years: Mapped[int | None] = mapped_column()
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    category: Mapped[CampaignCategory] = relationship()


class CleanRecordDeclaration(Base):
    """The unit's signed declaration (承诺) of no verified serious complaint, service incident or
    violation in the period; a reviewer may contest it, with a reason."""

    __tablename__ = "clean_record_declaration"
    __table_args__ = (
        sa.CheckConstraint(
            "(contested_at IS NULL AND contest_reason IS NULL) OR "
            "(contested_at IS NOT NULL AND contest_reason IS NOT NULL)",
            name="contest_has_reason",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), unique=True
    )
    years: Mapped[int] = mapped_column()
    signed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    signed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    contested_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    contested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    contest_reason: Mapped[str | None] = mapped_column(sa.Text)

    application: Mapped[Application] = relationship()
    signed_by: Mapped[User | None] = relationship(foreign_keys=[signed_by_id])
    contested_by: Mapped[User | None] = relationship(foreign_keys=[contested_by_id])


class FindingSource(enum.StrEnum):
    """Where the fabricated or concealed material came to light."""

    REVIEW = "review"  # in the channel review or the formal check (审核)
    OBJECTION = "objection"  # on a public-notice objection (异议)
    INSPECTION = "inspection"  # in an open or unannounced inspection (检查)


labels.declare(
    FindingSource,
    {
        FindingSource.REVIEW: _l("Review"),
        FindingSource.OBJECTION: _l("Objection"),
        FindingSource.INSPECTION: _l("Inspection"),
    },
)


class IntegrityFinding(Base):
    """A finding that a packet's material was fabricated or concealed facts (弄虚作假): the packet
    is disqualified, and its unit (by credit code) or person (by ID number) is barred from the
    campaigns up to `barred_through_year`."""

    __tablename__ = "integrity_finding"
    __table_args__ = (
        sa.CheckConstraint(
            "barred_credit_code IS NOT NULL OR barred_id_number IS NOT NULL", name="bars_someone"
        ),
        sa.Index("ix_integrity_finding_credit_code", "barred_credit_code"),
        sa.Index("ix_integrity_finding_id_number", "barred_id_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"), index=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"))
    source: Mapped[FindingSource] = mapped_column(enum_column(FindingSource, "finding_source"))
    found_on: Mapped[date] = mapped_column(sa.Date())
    description: Mapped[str] = mapped_column(sa.Text)
    barred_credit_code: Mapped[str | None] = mapped_column(sa.String(18))
    barred_id_number: Mapped[str | None] = mapped_column(sa.String(18))
    barred_name: Mapped[str] = mapped_column(sa.String(200))
    barred_through_year: Mapped[int] = mapped_column()
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    application: Mapped[Application] = relationship()
    campaign: Mapped[Campaign] = relationship()
    recorded_by: Mapped[User | None] = relationship()
