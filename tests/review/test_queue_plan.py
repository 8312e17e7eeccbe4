"""The review queue's page walks its index in submission order and stops at a page's worth,
instead of reading and sorting every packet waiting; its count reads that index alone."""

from __future__ import annotations

from portal.applications.models import ApplicationState
from portal.organizations.models import OrgSystem
from portal.review import queue
from tests.factories import make_application
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
    statement = queue._rows_statement(*shape).limit(50).offset(0)
    plan = sqlite_plan(session, statement, values)
    if plan is not None:
        assert "USING INDEX ix_application_queue" in plan
        assert "TEMP B-TREE FOR ORDER BY" not in plan
    assert len(queue.rows(session, union, world.campaign, None, 50, 0)) == 3


def test_the_queue_is_counted_on_its_index_alone(session):
    world = _world()
    union = world.orgs[OrgSystem.UNION]
    shape, values, _stages = queue._queue(union, world.campaign, None)
    plan = sqlite_plan(session, queue._count_statement(*shape), values)
    if plan is not None:
        assert "COVERING INDEX ix_application_queue" in plan
    assert queue.count(session, union, world.campaign) == 3
