"""The review queue's page walks its index in submission order and stops at a page's worth,
instead of reading and sorting every packet waiting; its count reads that index alone."""

from __future__ import annotations

import pytest

from portal.applications.models import ApplicationState
from portal.organizations.models import OrgSystem
from portal.review import queue
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


def test_a_queue_page_reads_the_index_in_submission_order_without_sorting(session):
    world = _world()
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    statement = queue._rows_statement(*shape)
    plan = sqlite_plan(session, statement, {**values, "limit": 50, "offset": 0})
    if plan is not None:
        assert "COVERING INDEX ix_application_queue" in plan
    assert len(queue.rows(session, union, world.campaign, None, 50, 0, 3)) == 3


def test_a_deep_queue_page_passes_over_the_queue_index_alone(session):
    """The packets before a deep page are tested against the queue's conditions (the routing's
    and the decisions' lookups) and passed over, neither read whole nor joined to their units.
    SQLite walks ix_application_queue for them; PostgreSQL may instead anti-join the decisions
    and sort, as its statistics of the moment say (tests/plans.py): the units are joined after
    the OFFSET either way."""
    world = _world()
    packet = make_application(ApplicationState.SUBMITTED, campaign=world.campaign)
    copies(session, packet)
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    values = {**values, "limit": 50, "offset": 500}
    statement = queue._rows_statement(*shape)
    read = before_offset(session, statement, "stage_decision", values)
    assert "application" in read.tables and "organization" not in read.tables
    if session.bind.dialect.name == "sqlite":
        read = before_offset(session, statement, "ix_application_queue", values)
        assert read.tables == {"application"}
        assert read.index_only and not read.sorts


def test_the_queue_is_counted_on_its_index_alone(session):
    world = _world()
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    plan = sqlite_plan(session, queue._count_statement(*shape), values)
    if plan is not None:
        assert "COVERING INDEX ix_application_queue" in plan
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


def test_a_page_nearer_the_end_walks_the_queue_index_backwards_without_sorting(session):
    world = _world()
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    statement = queue._rows_statement(*shape, backward=True)
    values = {**values, "limit": 50, "offset": 0}
    if session.bind.dialect.name == "sqlite":  # PostgreSQL: as the deep page's test says
        read = before_offset(session, statement, "ix_application_queue", values)
        assert read.tables == {"application"}
        assert read.index_only and not read.sorts
