"""The channel reviewers' queues kept in the database as packets and decisions change, so that a
queue is counted from a few rows and its pages walk its own packets alone, however many packets
wait elsewhere in the chain.

queue_packet holds one row for each stage a submitted packet waits for: a channel stage at the
packet's place in the chain (its stage_position, or the chain's first channel position when not
yet placed) that has not decided the packet's current version, with the packet's campaign,
category, district, industry and submission. queue_sums holds the same counted per campaign,
stage, district, industry and category. Which organization reviews a packet (review/routing.py)
is not kept: the queue applies the routing to these rows when it reads them, so that a change to
the channel organizations or to a campaign's channel list moves nothing here.

Whenever a flush writes a packet's state, place, campaign, category, district, industry or
submission, a decision, a version, or a stage of a chain, the packets concerned are counted
again in the same transaction (`refresh`): their rows are deleted and inserted again from the
packets, and the sums move by the difference (portal.kept_sums). `refresh` does the same for
packets written without the ORM's unit of work (bulk inserts).

A packet with no district or industry keeps 0 there (a unique key treats NULLs as distinct);
no organization's district or industry is 0, so the routing finds none.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, Session, mapped_column

from portal import kept_sums
from portal.applications.models import Application, ApplicationState, ApplicationVersion
from portal.campaigns.models import ReviewStage, StageSystem
from portal.db import Base, UTCDateTime
from portal.review.models import StageDecision

KEYS = ("campaign_id", "stage_id", "district_id", "industry_id", "category_id")


class QueuePacket(Base):
    """A submitted packet waiting for a channel stage at its place in the chain."""

    __tablename__ = "queue_packet"
    __table_args__ = (
        # A district channel's queue, and an industry channel's, in submission order: a page
        # walks its own packets and stops; the other columns are what the queue tests.
        sa.Index(
            "ix_queue_packet_district",
            "campaign_id", "stage_id", "district_id", "submitted_at", "application_id",
            "industry_id", "category_id",
        ),
        sa.Index(
            "ix_queue_packet_industry",
            "campaign_id", "stage_id", "industry_id", "submitted_at", "application_id",
            "category_id",
        ),
    )  # fmt: skip

    # No foreign keys: a row must outlive any delete until refresh() has taken it out of the
    # sums.
    application_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    stage_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    campaign_id: Mapped[int]
    district_id: Mapped[int]  # 0: not given
    industry_id: Mapped[int]  # 0: not given
    category_id: Mapped[int]
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime())


class QueueSums(Base):
    """The packets waiting for one stage, per campaign, district, industry and category."""

    __tablename__ = "queue_sums"
    __table_args__ = (sa.UniqueConstraint(*KEYS, name="uq_queue_sums_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int]
    stage_id: Mapped[int]
    district_id: Mapped[int]
    industry_id: Mapped[int]
    category_id: Mapped[int]
    packets: Mapped[int]


P, S, A = QueuePacket, QueueSums, Application


@cache
def _counted() -> sa.Select:
    """The rows of the packets in the expanding parameter `ids`: each submitted packet with each
    channel stage at its place that has not decided its current version (no version of the
    packet is newer than the one a decision of the stage was on)."""
    ids: sa.BindParameter[list[int]] = sa.bindparam("ids", expanding=True)
    first = (
        sa.select(sa.func.min(ReviewStage.position))
        .where(ReviewStage.campaign_id == A.campaign_id, ReviewStage.system != StageSystem.OFFICE)
        .correlate(A)
        .scalar_subquery()
    )
    newer = sa.exists(
        sa.select(ApplicationVersion.id).where(
            ApplicationVersion.application_id == A.id,
            ApplicationVersion.number > StageDecision.version_number,
        )
    ).correlate(A, StageDecision)
    decided = sa.exists(
        sa.select(StageDecision.id).where(
            StageDecision.application_id == A.id, StageDecision.stage_id == ReviewStage.id, ~newer
        )
    ).correlate(A, ReviewStage)
    at_place = sa.and_(
        ReviewStage.campaign_id == A.campaign_id,
        ReviewStage.system != StageSystem.OFFICE,
        ReviewStage.position == sa.func.coalesce(A.stage_position, first),
    )
    return (
        sa.select(
            A.id,
            ReviewStage.id,
            A.campaign_id,
            sa.func.coalesce(A.district_id, 0),
            sa.func.coalesce(A.industry_id, 0),
            A.category_id,
            A.submitted_at,
        )
        .join(ReviewStage, at_place)
        .where(A.id.in_(ids), A.state == ApplicationState.SUBMITTED, ~decided)
    )


@cache
def _insert() -> sa.Insert:
    names = ("application_id", "stage_id", "campaign_id", "district_id", "industry_id",
             "category_id", "submitted_at")  # fmt: skip
    return sa.insert(P).from_select([getattr(P, name) for name in names], _counted())


def refresh(connection: sa.Connection | Session, application_ids: Iterable[int]) -> None:
    """Count these packets again: their rows from the packets as they now stand, and the sums
    moved by the difference."""
    kept_sums.recount(connection, application_ids, P, S, _insert, KEYS)


# --- which packets a flush touches --------------------------------------------------------

# What a change can move in the rows: of a packet (only while it is, or was, submitted), of a
# decision or a version (its packet's), of a stage (every submitted packet of its campaign).
_PACKET = (
    "state", "stage_position", "campaign_id", "campaign", "category_id", "category",
    "district_id", "district", "industry_id", "industry", "submitted_at",
)  # fmt: skip
_OF_PACKET = {
    StageDecision: ("application_id", "application", "version_number", "stage_id", "stage"),
    ApplicationVersion: ("application_id", "application", "number"),
}
_STAGE = ("campaign_id", "campaign", "position", "system")


def _submitted(obj, state) -> bool:
    return ApplicationState.SUBMITTED in (obj.state, *state.attrs.state.history.deleted)


def _campaigns_of(obj, state) -> set[int]:
    found = {obj.campaign_id, *state.attrs.campaign_id.history.deleted}
    found.update(c.id for c in state.attrs.campaign.history.deleted if c is not None)
    return found


def _touched(session: Session) -> set[int]:
    """The packets whose rows this flush may change."""
    found: set[int] = set()
    campaigns: set[int] = set()
    for obj, state, writes in kept_sums.written(session):
        if isinstance(obj, Application):
            if writes(_PACKET) and _submitted(obj, state):
                found.add(obj.id)
        elif type(obj) in _OF_PACKET:
            if writes(_OF_PACKET[type(obj)]):
                found.update(kept_sums.packets_of(obj, state))
        elif isinstance(obj, ReviewStage) and writes(_STAGE):
            campaigns.update(_campaigns_of(obj, state))
    campaigns.discard(None)
    if campaigns:
        found.update(
            session.scalars(
                sa.select(A.id).where(
                    A.campaign_id.in_(campaigns), A.state == ApplicationState.SUBMITTED
                )
            )
        )
        kept = sa.select(P.application_id).where(P.campaign_id.in_(campaigns))
        found.update(session.scalars(kept))
    found.discard(None)
    return found


kept_sums.after_flush(_touched, refresh)
