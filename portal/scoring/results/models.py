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


class PacketFigures(Base):
    """A packet's sheets summed up, kept as they lock and reopen and as its assignments are
    made, withdrawn or promoted (results.kept), so that the results page ranks a category and
    counts the sheets it awaits from one row a packet instead of from every sheet.

    A packet has a row while it has an active assignment: its locked sheets (of active
    assignments) counted, their totals in whole cents, and the active assignments whose sheet
    is not locked yet. The means are empty while no sheet is locked. The figures depend on the
    packet's own sheets only; the z-score method, whose expert scales come from the whole
    campaign, is ranked from the sheets themselves.
    """

    __tablename__ = "packet_figures"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    sheets: Mapped[int]  # locked
    awaited: Mapped[int]  # active assignments whose sheet is not locked
    total_cents: Mapped[int | None]  # the locked sheets' totals added up
    lowest_cents: Mapped[int | None]
    highest_cents: Mapped[int | None]
    mean_cents: Mapped[int | None]  # rounded half up, as portal.scoring.aggregation rounds
    trimmed_cents: Mapped[int | None]  # without the lowest and the highest from TRIM_FROM on
    criteria_mean_cents: Mapped[int | None]  # the criteria subtotal's mean: the first tie-break
