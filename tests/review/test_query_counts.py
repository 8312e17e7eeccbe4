"""The review queue runs the same small number of statements for 10 packets as for 5,000."""

from __future__ import annotations

import sqlalchemy as sa

from portal.applications.models import Application, ApplicationState, ApplicationVersion
from portal.campaigns.models import Campaign
from portal.db import utcnow
from portal.organizations.models import OrgSystem
from portal.review import queue_kept
from tests.factories import make_org
from tests.querycount import counting
from tests.review.helpers import make_world

UNION, YOUTH, QUALITY = OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.QUALITY


def _bulk_packets(session, campaign_id: int, count: int, start: int) -> None:
    """Submitted packets at the first stage, one frozen version each, inserted in bulk."""
    enterprise = make_org()
    campaign = session.get(Campaign, campaign_id)
    category = campaign.categories[0]
    now = utcnow()
    rows = [
        {
            "campaign_id": campaign.id,
            "category_id": category.id,
            "kind": category.kind,
            "organization_id": enterprise.id,
            "district_id": enterprise.district_id,
            "industry_id": enterprise.industry_id,
            "state": ApplicationState.SUBMITTED,
            "submitted_at": now,
            "stage_position": 0,
            "team_name": f"班组{start + i}",
            "narrative": "",
            "honours": [],
        }
        for i in range(count)
    ]
    session.execute(sa.insert(Application), rows)
    ids = session.scalars(
        sa.select(Application.id).where(
            Application.organization_id == enterprise.id,
            ~sa.exists().where(ApplicationVersion.application_id == Application.id),
        )
    ).all()
    session.execute(
        sa.insert(ApplicationVersion),
        [{"application_id": i, "number": 1, "submitted_at": now, "snapshot": {}} for i in ids],
    )
    queue_kept.refresh(session, ids)  # in bulk, past the ORM's unit of work


def _statements(client, session, url: str, expected_total: int) -> int:
    session.expunge_all()
    with counting(session.connection()) as statements:
        response = client.get(url)
    assert response.status_code == 200
    assert f"{expected_total} applications wait for your decision." in response.get_data(
        as_text=True
    )
    return len(statements)


def test_the_queue_statement_count_does_not_grow_with_packets(client, login, session):
    world = make_world()
    reviewer = world.reviewer(OrgSystem.UNION)
    campaign_id = world.campaign.id
    _bulk_packets(session, campaign_id, 10, 0)
    session.commit()
    login(reviewer)
    url = f"/review/?campaign={campaign_id}"
    few = _statements(client, session, url, 10)
    _bulk_packets(session, campaign_id, 4990, 10)
    session.commit()
    many = _statements(client, session, url, 5000)
    assert few == many
    assert many <= 10


def test_a_parallel_stage_that_decided_leaves_the_queue_while_another_packet_has_version_two(
    session,
):
    """A stage has decided a packet when it decided the packet's own current version, however
    many versions other packets have."""
    from portal.applications.models import ApplicationVersion
    from portal.review import service
    from portal.review.models import Decision
    from tests.factories import make_application
    from tests.review.helpers import parallel_chain

    world = make_world()
    parallel_chain(world.campaign)
    decided = make_application(campaign=world.campaign, stage_position=1)
    waiting = make_application(campaign=world.campaign, stage_position=1)
    resubmitted = make_application(campaign=world.campaign, stage_position=1)
    session.add(
        ApplicationVersion(application=resubmitted, number=2, submitted_at=utcnow(), snapshot={})
    )
    youth = world.reviewer(OrgSystem.YOUTH)
    service.decide(session, decided.id, youth, Decision.FORWARD, "")
    session.flush()
    queue = service.reviewer_queue(session, youth.organization, world.campaign)
    assert {app.id for app, _stage in queue.rows} == {waiting.id, resubmitted.id}
    assert queue.total == 2


def _out_for_completion(campaign, office) -> None:
    """A packet of a unit of its own returned for completion (the page's second list)."""
    from datetime import timedelta

    from portal.db import get_session
    from portal.review.models import Decision, StageDecision
    from tests.factories import make_application

    app = make_application(ApplicationState.INCOMPLETE, campaign=campaign)
    decision = StageDecision(
        application=app,
        version_number=1,
        reviewer=office,
        decision=Decision.COMPLETION,
        missing_items=["survey"],
        due_at=utcnow() + timedelta(days=5),
    )
    get_session().add(decision)


def test_the_formal_check_statement_count_does_not_grow_with_packets(client, login, session):
    from portal.accounts.models import Role
    from tests.factories import make_application, make_campaign, make_user

    few, many = make_campaign(year=2611), make_campaign(year=2612)
    office = make_user(Role.OFFICE)
    make_application(ApplicationState.RECOMMENDED, campaign=few)
    _out_for_completion(few, office)
    unit = make_org()
    for _ in range(60):  # more than a page
        make_application(ApplicationState.RECOMMENDED, campaign=many, organization=unit)
    for _ in range(3):
        _out_for_completion(many, office)
    ids = few.id, many.id
    session.commit()
    login(office)
    counts = []
    for campaign_id in ids:
        session.expunge_all()
        with counting(session.connection()) as statements:
            response = client.get(f"/review/formal-check?campaign={campaign_id}")
        assert response.status_code == 200
        assert response.get_data(as_text=True).count('data-testid="incomplete-') == (
            1 if campaign_id == ids[0] else 3
        )
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_a_system_twice_in_the_chain_queues_the_packet_again_at_its_second_stage(session):
    """The union reviews at the start and again beside the quality association: its first
    forward does not count as the second stage's decision, its second one does."""
    from portal.campaigns.models import StageSystem
    from portal.review import service
    from portal.review.models import Decision
    from tests.applications.helpers import make_submitted

    world = make_world()
    stages = {s.system: s for s in world.campaign.stages}
    again = stages[StageSystem.WOMEN]
    again.system, again.name_zh, again.name_en = StageSystem.UNION, "工会复评", "Union, again"
    stages[StageSystem.QUALITY].position, stages[StageSystem.OFFICE].position = 2, 3
    session.flush()
    app = make_submitted(campaign=world.campaign)
    union, youth, quality = (world.reviewer(s) for s in (UNION, YOUTH, QUALITY))

    def waiting(user):
        queue = service.reviewer_queue(session, user.organization, world.campaign)
        return {(a.id, stage.name_en) for a, stage in queue.rows}, queue.total

    service.decide(session, app.id, union, Decision.FORWARD, "")
    service.decide(session, app.id, youth, Decision.FORWARD, "")
    session.flush()
    assert app.stage_position == 2
    assert waiting(union) == ({(app.id, "Union, again")}, 1)
    service.decide(session, app.id, union, Decision.FORWARD, "")
    session.flush()
    assert app.stage_position == 2  # the quality association has not decided yet
    assert waiting(union) == (set(), 0)
    assert waiting(quality)[1] == 1
