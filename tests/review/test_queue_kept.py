"""The queues' kept rows and sums (review/queue_kept.py) stay what the packets say through the
review workflow: every queue counts and lists the packets the chain's own rules (chain.py,
routing.stage_organization) put before the organization, and every sum is its kept rows."""

from __future__ import annotations

import sqlalchemy as sa

from portal.applications import service as applications
from portal.applications.models import Application, ApplicationState
from portal.organizations.models import OrgSystem
from portal.review import chain, queue, queue_kept, service
from portal.review.models import Decision
from portal.review.queue_kept import QueuePacket, QueueSums
from tests.applications.helpers import make_submitted
from tests.factories import district, make_application
from tests.review.helpers import channel, make_world, parallel_chain

UNION, YOUTH, WOMEN, QUALITY = OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN, OrgSystem.QUALITY


def _by_the_chain(session, organization, campaign) -> list[int]:
    """The packets waiting for the organization, by the chain's rules for one packet."""
    positions = chain.channel_positions(campaign)
    found = []
    submitted = sa.select(Application).where(
        Application.campaign_id == campaign.id, Application.state == ApplicationState.SUBMITTED
    )
    for app in session.scalars(submitted.order_by(Application.submitted_at, Application.id)):
        place = positions[0] if app.stage_position is None else app.stage_position
        decided = {d.stage_id for d in chain.current_decisions(session, app)}
        if any(
            s.system.value == organization.system.value
            and s.id not in decided
            and chain.stage_org(session, app, s) == organization
            for s in chain.stages_at(campaign, place)
        ):
            found.append(app.id)
    return found


def _sums_are_their_rows(session) -> None:
    keys = [getattr(QueuePacket, name) for name in queue_kept.KEYS]
    grouped = session.execute(sa.select(*keys, sa.func.count()).group_by(*keys))
    rows = {tuple(r[:-1]): r[-1] for r in grouped}
    sums = {
        tuple(getattr(s, name) for name in queue_kept.KEYS): s.packets
        for s in session.scalars(sa.select(QueueSums))
        if s.packets
    }
    assert sums == rows


def _queues(session, world, organizations=()) -> dict[OrgSystem | str, list[int]]:
    """Each organization's queue as the page lists it, after checking it against the chain's
    rules, its count, and the kept sums against the kept rows."""
    session.flush()
    _sums_are_their_rows(session)
    found = {}
    for name, organization in [*world.orgs.items(), *organizations]:
        listed = service.reviewer_queue(session, organization, world.campaign, per_page=100)
        ids = [app.id for app, _stage in listed.rows]
        assert ids == _by_the_chain(session, organization, world.campaign)
        assert listed.total == len(ids) == queue.count(session, organization, world.campaign)
        by_category = [
            queue.count(session, organization, world.campaign, c.id)
            for c in world.campaign.categories
        ]
        assert sum(by_category) == len(ids)
        found[name] = ids
    return found


def _decide(session, app, world, system, decision, opinion="意见"):
    service.decide(session, app.id, world.reviewer(system), decision, opinion)


def test_the_queues_follow_decisions_returns_and_new_versions(session):
    world = make_world()
    a, b, c = (make_submitted(campaign=world.campaign) for _ in range(3))
    assert _queues(session, world)[UNION] == [a.id, b.id, c.id]
    _decide(session, a, world, UNION, Decision.FORWARD)
    _decide(session, b, world, UNION, Decision.FORWARD)
    _decide(session, c, world, UNION, Decision.NOT_RECOMMEND)
    queues = _queues(session, world)
    assert (queues[UNION], queues[YOUTH]) == ([], [a.id, b.id])
    _decide(session, b, world, YOUTH, Decision.RETURN)
    assert _queues(session, world)[YOUTH] == [a.id]
    applications.update_application(session, b, b.created_by, fields={"deeds_summary": "已补充"})
    applications.submit_application(session, b.id, b.created_by)  # version 2, back at youth
    assert _queues(session, world)[YOUTH] == [a.id, b.id]
    _decide(session, b, world, YOUTH, Decision.FORWARD)
    queues = _queues(session, world)
    assert (queues[YOUTH], queues[WOMEN]) == ([a.id], [b.id])


def test_the_queues_follow_parallel_stages_and_a_chain_changed_under_waiting_packets(session):
    world = make_world()
    first = make_application(campaign=world.campaign, stage_position=1)
    later = make_application(campaign=world.campaign, stage_position=2)
    unplaced = make_application(campaign=world.campaign, stage_position=None)
    queues = _queues(session, world)
    assert (queues[UNION], queues[YOUTH], queues[WOMEN]) == ([unplaced.id], [first.id], [later.id])
    parallel_chain(world.campaign)  # youth and women side by side at 1, quality at 2
    queues = _queues(session, world)
    assert (queues[YOUTH], queues[WOMEN], queues[QUALITY]) == (
        [first.id],
        [first.id],
        [later.id],
    )
    _decide(session, first, world, WOMEN, Decision.FORWARD)  # youth still to decide
    queues = _queues(session, world)
    assert (queues[YOUTH], queues[WOMEN]) == ([first.id], [])
    _decide(session, first, world, YOUTH, Decision.FORWARD)
    assert _queues(session, world)[QUALITY] == [first.id, later.id]  # in submission order


def test_the_queues_follow_a_packet_moved_to_another_district_or_withdrawn(session):
    world = make_world()
    elsewhere = channel(UNION, "jingan")
    app = make_submitted(campaign=world.campaign)
    other = make_submitted(campaign=world.campaign)
    jingan = [("jingan", elsewhere)]
    assert _queues(session, world, jingan)["jingan"] == []
    app.district = district("jingan")
    queues = _queues(session, world, jingan)
    assert (queues[UNION], queues["jingan"]) == ([other.id], [app.id])
    applications.withdraw_application(session, other.id, other.created_by)
    assert _queues(session, world, jingan)[UNION] == []
    queue_kept.refresh(session, [app.id, other.id])  # counted again from scratch: no change
    assert _queues(session, world, jingan)["jingan"] == [app.id]
