"""The city's list of honour holders recommended to the national programme, one per year."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.db import Base, UTCDateTime, utcnow
from portal.honours.models import Honour


class NationalNomination(Base):
    """One holder on the year's national recommendation list (全国推荐名单), at its rank."""

    __tablename__ = "national_nomination"
    __table_args__ = (
        sa.UniqueConstraint("year", "honour_id"),
        sa.CheckConstraint("rank >= 1", name="rank_positive"),
        sa.CheckConstraint("year >= 2000 AND year <= 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The year of the national programme the city recommends to.
    year: Mapped[int] = mapped_column(index=True)
    honour_id: Mapped[int] = mapped_column(sa.ForeignKey("honour.id"))
    rank: Mapped[int] = mapped_column()
    # Why the office recommends this holder (the 推荐理由 of the list).
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    honour: Mapped[Honour] = relationship()
