"""The channel reviewer's queue in SQL: the packets waiting for a channel organization at a
stage of its system, counted, and read a page at a time.

The packets waiting for each stage are kept beside them (review/queue_kept.py: a row for each
packet and stage, and their counts per campaign, stage, district, industry and category), so
that a queue is counted from a few sums and a page walks the stage's own rows in submission
order and stops, however many packets wait elsewhere. What stays to do is the routing
(review/routing.py), applied to the kept rows' district and industry: its subqueries do not
depend on the packet, so the database runs each once per statement.

The chain's stages are read once, from the campaign, so that the SQL compares the kept rows
with known stage ids. The statements are built once per process for each shape (the
organization's channel level, a category or not) with bind parameters for everything else:
building the routing conditions costs more than running them.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, ReviewStage, StageSystem
from portal.organizations.models import ChannelLevel, Organization, OrgKind
from portal.pagination import found_first, window
from portal.review.queue_kept import QueuePacket, QueueSums
from portal.review.routing import routed_to_bound, routing_values

_CAMPAIGN: sa.BindParameter[int] = sa.bindparam("campaign_id")
_ORDER = (Application.submitted_at, Application.id)
_KEPT_ORDER = (QueuePacket.submitted_at, QueuePacket.application_id)  # the same, as kept


class QueueRow(NamedTuple):
    """One packet of a review list as the page shows it (the formal check has no stage)."""

    id: int
    title: str
    unit: str
    category_id: int
    submitted_at: datetime
    stage: ReviewStage | None = None


# What a review list shows of a packet: its columns, never the packet's object.
_COLUMNS = (
    Application.id,
    Application.team_name,
    Application.person_name,
    Organization.name,
    Application.category_id,
    Application.submitted_at,
)


def _row(r: Sequence[Any], stage: ReviewStage | None = None) -> QueueRow:
    """A row of the _COLUMNS (and the packet's place after them, which is not shown)."""
    i, team, person, unit, category, when = r[:6]
    return QueueRow(i, (team or person or "").strip(), unit, category, when, stage)


def formal_check_conditions(campaign_id: Any, category_id: Any = None) -> list[Any]:
    """The packets awaiting the office's formal check: the campaign's at 'recommended', of the
    category if one is given (values, or bind parameters of a statement built once)."""
    conditions = [
        Application.campaign_id == campaign_id,
        Application.state == ApplicationState.RECOMMENDED,
    ]
    if category_id is not None:
        conditions.append(Application.category_id == category_id)
    return conditions


@functools.cache
def _formal_check_statement(by_category: bool, backward: bool) -> sa.Select:
    """A page of the formal check in id order (`limit` from `offset`, from the end when
    `backward`: pagination.window): its packets found along their campaign and state's index
    alone, and only they joined to their unit."""
    category: Any = sa.bindparam("category_id") if by_category else None
    ids = sa.select(Application.id).where(*formal_check_conditions(_CAMPAIGN, category))
    shown = found_first(ids, (Application.id,), backward=backward)
    return (
        sa.select(*_COLUMNS)
        .select_from(shown)
        .join(Application, Application.id == shown.c.id)
        .join(Organization, Organization.id == Application.organization_id)
        .order_by(Application.id)
    )


def formal_check_rows(
    session: Session, campaign_id: int, category_id: int | None, page: int, per: int, total: int
) -> list[QueueRow]:
    """Page `page` (from 1) of the formal check's `total` packets, as QueueRows."""
    backward, limit, offset = window(total, per, (page - 1) * per)
    statement = _formal_check_statement(category_id is not None, backward)
    values = {"campaign_id": campaign_id, "category_id": category_id}
    return [
        _row(r) for r in session.execute(statement, {**values, "limit": limit, "offset": offset})
    ]


class _Queue(NamedTuple):
    """One organization's queue in one campaign: its statements' shape and values, and the
    stages of the organization's system in the chain, by id."""

    shape: tuple[bool, bool]
    values: dict[str, Any]
    stages: dict[int, ReviewStage]


def _queue(organization: Organization, campaign: Campaign, category_id: int | None):
    """The queue's shape and values, or None when the organization has none (not a channel,
    no system, or no stage of its system in the campaign's chain)."""
    if organization.kind is not OrgKind.CHANNEL or organization.system is None:
        return None
    system = StageSystem(organization.system.value)
    own = {s.id: s for s in campaign.stages if s.system is system}
    if not own:
        return None
    values = {
        **routing_values(organization),
        "campaign_id": campaign.id,
        "category_id": category_id,
        "stage_ids": sorted(own),
    }
    shape = (organization.channel_level is ChannelLevel.INDUSTRY, category_id is not None)
    return _Queue(shape, values, own)


def _waiting(kept: type[QueuePacket] | type[QueueSums], industry_level: bool, by_category: bool):
    """The queue's condition on its kept rows (packets or sums): waiting in the campaign for a
    stage of the organization's system, routed to the organization."""
    condition = sa.and_(
        kept.campaign_id == _CAMPAIGN,
        kept.stage_id.in_(sa.bindparam("stage_ids", expanding=True)),
        routed_to_bound(
            industry_level, _CAMPAIGN, district=kept.district_id, industry=kept.industry_id
        ),
    )
    if by_category:
        condition = sa.and_(condition, kept.category_id == sa.bindparam("category_id"))
    return condition


@functools.cache
def _count_statement(*shape: bool) -> sa.Select[Any]:
    return sa.select(sa.func.coalesce(sa.func.sum(QueueSums.packets), 0)).where(
        _waiting(QueueSums, *shape)
    )


@functools.cache
def _rows_statement(*shape: bool, backward: bool = False) -> sa.Select:
    """A page's columns (`limit` packets from place `offset`, counted from the end when
    `backward`): only what the queue shows of each packet, and the stage it waits for. The
    page's packets are found along the queue's kept rows in submission order, and only they
    are read and joined to their units: joined before the OFFSET, every packet passed over on
    the way to a deep page was too."""
    waiting = (
        sa.select(QueuePacket.application_id.label("id"))
        .add_columns(QueuePacket.stage_id)
        .where(_waiting(QueuePacket, *shape))
    )
    shown = found_first(waiting, _KEPT_ORDER, backward=backward)
    return (
        sa.select(*_COLUMNS, shown.c.stage_id)
        .select_from(shown)
        .join(Application, Application.id == shown.c.id)
        .join(Organization, Organization.id == Application.organization_id)
        .order_by(*_ORDER)
    )


@functools.cache
def _packets_statement(*shape: bool) -> sa.Select:
    """A page of packet objects and the stages they wait for, for the API."""
    return (
        sa.select(Application, QueuePacket.stage_id)
        .join(QueuePacket, QueuePacket.application_id == Application.id)
        .where(_waiting(QueuePacket, *shape))
        .order_by(*_ORDER)
    )


def count(session: Session, organization: Organization, campaign: Campaign, category_id=None):
    """How many packets wait for the organization in the campaign."""
    queue = _queue(organization, campaign, category_id)
    if queue is None:
        return 0
    return session.execute(_count_statement(*queue.shape), queue.values).scalar_one()


def rows(
    session: Session,
    organization: Organization,
    campaign: Campaign,
    category_id: int | None,
    limit: int,
    offset: int,
    total: int,
) -> list[QueueRow]:
    """A page of the queue of `total` packets (count()), oldest submission first, as the page
    shows it: read from the queue's end when the page is nearer the end (window)."""
    queue = _queue(organization, campaign, category_id)
    if queue is None:
        return []
    backward, limit, offset = window(total, limit, offset)
    values = {**queue.values, "limit": limit, "offset": offset}
    found = session.execute(_rows_statement(*queue.shape, backward=backward), values)
    return [_row(r, queue.stages[r[6]]) for r in found]


def packets(
    session: Session,
    organization: Organization,
    campaign: Campaign,
    category_id: int | None,
    limit: int,
    offset: int,
    options=(),
) -> list[tuple[Application, ReviewStage]]:
    """A page of the queue as (packet, stage) objects, oldest submission first."""
    queue = _queue(organization, campaign, category_id)
    if queue is None:
        return []
    statement = _packets_statement(*queue.shape).options(*options).limit(limit).offset(offset)
    found = session.execute(statement, queue.values)
    return [(app, queue.stages[stage_id]) for app, stage_id in found]
