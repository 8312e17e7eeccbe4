"""The office's moves of packets across the quota line of a candidate list (调整)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.accounts.models import User
from portal.applications.models import Application, ApplicationState
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
    """A packet of a category's results (one that reached expert review) with its sheets
    summed up, kept as they lock and reopen, as its assignments are made, withdrawn or
    promoted and as the packet enters or leaves the results (results.kept), so that the
    results page reads a category in its order from an index, and counts it, from one row a
    packet instead of ranking every sheet on every request.

    The figures: the locked sheets of active assignments counted, their means and spread in
    whole cents, and the active assignments whose sheet is not locked yet; the means are empty
    while no sheet is locked. They depend on the packet's own sheets only; the z-score method, whose
    expert scales come from the whole campaign, is ranked from the sheets themselves. The
    category, state and submission time are the packet's, kept beside them for the order and
    the counts.
    """

    __tablename__ = "packet_figures"

    application_id: Mapped[int] = mapped_column(
        sa.ForeignKey("application.id", ondelete="CASCADE"), primary_key=True
    )
    category_id: Mapped[int] = mapped_column(
        sa.ForeignKey("campaign_category.id", ondelete="CASCADE")
    )
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState, "packet_figures_state")
    )
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    unsubmitted: Mapped[bool]  # no submission time: ordered after those with one
    unscored: Mapped[bool]  # no locked sheet: ranked after every scored packet
    sheets: Mapped[int]  # locked
    awaited: Mapped[int]  # active assignments whose sheet is not locked
    spread_cents: Mapped[int | None]  # the highest locked total less the lowest
    mean_cents: Mapped[int | None]  # rounded half up, as portal.scoring.aggregation rounds
    trimmed_cents: Mapped[int | None]  # without the lowest and the highest from TRIM_FROM on
    criteria_mean_cents: Mapped[int | None]  # the criteria subtotal's mean: the first tie-break
    # The locked totals themselves, in cents, comma-separated, in no order (what the row
    # prints); empty while no sheet is locked.
    locked_totals: Mapped[str | None] = mapped_column(sa.Text)


class FiguresSums(Base):
    """The packets of a category's results in one state, scored or not, counted, with the
    sheets they await: kept beside their rows (results.kept), so that the results page counts
    a whole list from a few rows."""

    __tablename__ = "packet_figures_sums"
    __table_args__ = (
        sa.UniqueConstraint("category_id", "state", "unscored", name="uq_packet_figures_sums_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key, as for the balance sums: the rows are counted, not referred to.
    category_id: Mapped[int]
    state: Mapped[ApplicationState] = mapped_column(
        enum_column(ApplicationState, "packet_figures_sums_state")
    )
    unscored: Mapped[bool]
    packets: Mapped[int]
    awaited: Mapped[int]


# The list's order under each method (results.listing): the figure, the criteria subtotal, the
# sheets, then the earlier submission; unscored packets last. A page, the quota line and the
# packets on the list are read along it, without a sort.
for _name, _figure in (
    ("mean", PacketFigures.mean_cents),
    ("trimmed", PacketFigures.trimmed_cents),
):
    sa.Index(
        f"ix_packet_figures_{_name}_order",
        PacketFigures.category_id,
        PacketFigures.unscored,
        _figure.desc(),
        PacketFigures.criteria_mean_cents.desc(),
        PacketFigures.sheets.desc(),
        PacketFigures.unsubmitted,
        PacketFigures.submitted_at,
        PacketFigures.application_id,
    )
# The packets whose scores differ by more than the campaign's threshold (which the office may
# change, so they are counted, not kept), read from the index alone: as many as are flagged.
sa.Index("ix_packet_figures_spread", PacketFigures.category_id, PacketFigures.spread_cents)
