"""The office's moves of packets across the quota line of a candidate list (调整)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.applications.models import Application
from portal.campaigns.models import CampaignCategory
from portal.db import Base, UTCDateTime, enum_column, utcnow
from portal.scoring.ranking import Direction


class ListMove(Base):
    """A packet the office moved onto or off the candidate list against its rank, and why.

    One standing move per packet; moving it back deletes the row (the audit trail keeps both).
    """

    __tablename__ = "list_move"
    __table_args__ = (
        sa.UniqueConstraint("application_id"),
        sa.CheckConstraint("reason <> ''", name="move_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign_category.id", ondelete="CASCADE"), index=True
    )
    application_id: Mapped[int] = mapped_column(sa.ForeignKey("application.id"))
    direction: Mapped[Direction] = mapped_column(enum_column(Direction, "list_move_direction"))
    reason: Mapped[str] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    category: Mapped[CampaignCategory] = relationship()
    application: Mapped[Application] = relationship()
    created_by: Mapped[User | None] = relationship()
