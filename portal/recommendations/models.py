"""Ranked recommendations (推荐): a channel organization's ordered list per category, with its
opinion (推荐意见), drafted and then submitted once."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.applications.models import Application
from portal.campaigns.models import Campaign, CampaignCategory
from portal.db import Base, UTCDateTime, utcnow
from portal.organizations.models import Organization


class Recommendation(Base):
    """A recommending organization's ranked recommendation in one category of a campaign."""

    __tablename__ = "recommendation"
    __table_args__ = (
        sa.UniqueConstraint("campaign_id", "organization_id", "category_id"),
        sa.CheckConstraint(
            "(submitted_at IS NULL) = (submitted_by_id IS NULL)", name="submitted_together"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign.id"), index=True)
    organization_id: Mapped[int] = mapped_column(sa.ForeignKey("organization.id"))
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("campaign_category.id"))
    opinion: Mapped[str] = mapped_column(sa.Text, default="")
    lock_version: Mapped[int] = mapped_column(default=1)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    campaign: Mapped[Campaign] = relationship()
    organization: Mapped[Organization] = relationship()
    category: Mapped[CampaignCategory] = relationship()
    updated_by: Mapped[User | None] = relationship(foreign_keys=[updated_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    entries: Mapped[list[RecommendationEntry]] = relationship(
        back_populates="recommendation",
        cascade="all, delete-orphan",
        order_by="RecommendationEntry.rank",
    )

    __mapper_args__ = {"version_id_col": lock_version}

    @property
    def submitted(self) -> bool:
        return self.submitted_at is not None

    def __repr__(self) -> str:
        return f"<Recommendation {self.id} org={self.organization_id} cat={self.category_id}>"


class RecommendationEntry(Base):
    """One packet at its rank (名次) in a recommendation; a packet is ranked in one only."""

    __tablename__ = "recommendation_entry"
    __table_args__ = (
        sa.UniqueConstraint("recommendation_id", "rank"),
        sa.UniqueConstraint("application_id"),
        sa.CheckConstraint("rank >= 1", name="rank_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recommendation_id: Mapped[int] = mapped_column(
        sa.ForeignKey("recommendation.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"))
    rank: Mapped[int] = mapped_column()

    recommendation: Mapped[Recommendation] = relationship(back_populates="entries")
    application: Mapped[Application] = relationship()
