"""The review queue's page walks the kept rows of its stage (review/queue_kept.py) in submission
order and stops at a page's worth, instead of reading and sorting every packet waiting, or
passing over the packets waiting elsewhere in the chain; its count reads the kept sums alone."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.applications.models import Application, ApplicationState
from portal.organizations.models import OrgSystem
from portal.review import queue, queue_kept
from portal.review import service as review
from tests.factories import make_application
from tests.page_plans import before_offset, copies
from tests.plans import sqlite_plan
from tests.review.helpers import make_world


def _world():
    world = make_world()
    for _ in range(3):
        make_application(ApplicationState.SUBMITTED, campaign=world.campaign)
    make_application(ApplicationState.RECOMMENDED, campaign=world.campaign)
    return world


def test_a_queue_page_reads_its_stage_s_kept_rows_in_submission_order_without_sorting(session):
    world = _world()
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    statement = queue._rows_statement(*shape)
    values = {**values, "limit": 50, "offset": 0}
    if session.bind.dialect.name == "sqlite":  # PostgreSQL: as the deep page's test says
        read = before_offset(session, statement, "ix_queue_packet_district", values)
        assert read.tables == {"queue_packet"}
        assert read.index_only and not read.sorts
    assert len(queue.rows(session, union, world.campaign, None, 50, 0, 3)) == 3


def test_a_deep_queue_page_passes_over_the_kept_rows_alone(session):
    """The packets before a deep page are passed over along the stage's kept rows, tested
    against the routing's lookups, neither read whole nor joined to their units, nor looked up
    in the decisions. On PostgreSQL the kept rows are many (2,000 copies of a packet) and
    counted, so that the planner plans for the volumes deep pages are about."""
    world = _world()
    packet = make_application(ApplicationState.SUBMITTED, campaign=world.campaign)
    copies(session, packet)
    waiting = sa.select(Application.id).where(Application.campaign_id == world.campaign.id)
    queue_kept.refresh(session, session.scalars(waiting).all())
    if session.bind.dialect.name == "postgresql":
        session.execute(sa.text("ANALYZE queue_packet"))
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    values = {**values, "limit": 50, "offset": 500}
    statement = queue._rows_statement(*shape)
    read = before_offset(session, statement, "queue_packet", values)
    assert read.tables == {"queue_packet"} and not read.sorts
    assert read.filters <= {"organization", "campaign_channel"}  # the routing's, once
    if session.bind.dialect.name == "sqlite":
        assert read.index_only


def test_the_queue_is_counted_from_the_kept_sums_alone(session):
    world = _world()
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    plan = sqlite_plan(session, queue._count_statement(*shape), values)
    if plan is not None:
        assert "queue_sums" in plan
        assert not {"application", "queue_packet", "stage_decision"} & set(plan.split())
    assert queue.count(session, union, world.campaign) == 3


@pytest.mark.parametrize("per_page", [2, 3, 7])  # pages read from either end, and one page
def test_every_page_is_its_slice_of_the_queue_from_either_end(session, per_page):
    """A page nearer the end is read from the end: every page is still its slice of the
    queue in submission order, ties broken by id, the last page a short one."""
    world = _world()
    made = [make_application(ApplicationState.SUBMITTED, campaign=world.campaign) for _ in range(4)]
    made[1].submitted_at = made[2].submitted_at = made[3].submitted_at
    session.flush()
    union = world.orgs[OrgSystem.UNION]
    whole = review.reviewer_queue(session, union, world.campaign, objects=False, per_page=100)
    assert len(whole.rows) == 7
    pages = -(-7 // per_page)
    for number in range(1, pages + 1):
        found = review.reviewer_queue(
            session, union, world.campaign, page=number, per_page=per_page, objects=False
        )
        assert found.rows == whole.rows[(number - 1) * per_page : number * per_page]


def test_a_page_nearer_the_end_walks_the_kept_rows_backwards_without_sorting(session):
    world = _world()
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    statement = queue._rows_statement(*shape, backward=True)
    values = {**values, "limit": 50, "offset": 0}
    if session.bind.dialect.name == "sqlite":  # PostgreSQL: as the deep page's test says
        read = before_offset(session, statement, "ix_queue_packet_district", values)
        assert read.tables == {"queue_packet"}
        assert read.index_only and not read.sorts
