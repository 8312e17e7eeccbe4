"""The review API: queue, decisions and deciding, checked against the OpenAPI schemas."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.organizations.models import OrgSystem
from portal.review import service
from portal.review.models import Decision
from tests.api.test_applications import Api
from tests.factories import make_application, make_user
from tests.review.helpers import make_world

S = ApplicationState
UNION, YOUTH = OrgSystem.UNION, OrgSystem.YOUTH


@pytest.fixture
def api(client):
    return Api(client)


def test_the_queue_lists_the_packets_at_the_reviewers_stage(api, session):
    world = make_world()
    here = make_application(campaign=world.campaign, stage_position=0, team_name="甲班组")
    make_application(campaign=world.campaign, stage_position=1, team_name="乙班组")
    session.commit()
    body = api(
        "GET",
        f"/api/v1/review/queue?campaign_id={world.campaign.id}",
        world.reviewer(UNION),
        schema="ReviewQueue",
    ).get_json()
    assert [(r["id"], r["stage"]["system"], r["overdue"]) for r in body["data"]] == [
        (here.id, "union", False)
    ]
    assert body["meta"]["total"] == 1


def test_the_office_queue_is_the_formal_check_and_others_are_refused(api, session):
    world = make_world()
    recommended = make_application(S.RECOMMENDED, campaign=world.campaign)
    session.commit()
    body = api(
        "GET",
        f"/api/v1/review/queue?campaign_id={world.campaign.id}",
        world.office,
        schema="ReviewQueue",
    ).get_json()
    assert [(r["id"], r["stage"]["system"]) for r in body["data"]] == [(recommended.id, "office")]
    refused = api("GET", "/api/v1/review/queue", make_user(Role.ENTERPRISE), schema="Error")
    assert refused.status_code == 403


def test_a_reviewer_decides_and_everyone_who_reads_the_packet_sees_it(api, session):
    world = make_world()
    app = make_application(
        campaign=world.campaign, stage_position=0, created_by=make_user(Role.ENTERPRISE)
    )
    session.commit()
    path = f"/api/v1/applications/{app.id}/decisions"
    made = api(
        "POST",
        path,
        world.reviewer(UNION),
        schema="DecisionMade",
        json={"decision": "forward", "opinion": "同意", "lock_version": app.lock_version},
    )
    assert made.status_code == 201
    body = made.get_json()
    assert (body["application"]["state"], body["application"]["stage_position"]) == (
        "submitted",
        1,
    )
    assert (body["decision"]["decision"], body["decision"]["version"]) == ("forward", 1)
    listed = api("GET", path, world.reviewer(YOUTH), schema="DecisionList").get_json()
    assert [(d["stage"]["system"], d["opinion"]) for d in listed["data"]] == [("union", "同意")]
    # The packet's own enterprise reads the decisions too (created_by is not its unit here).
    owner = make_user(Role.ENTERPRISE, organization=app.organization)
    assert api("GET", path, owner, schema="DecisionList").status_code == 200
    assert api("POST", path, owner, json={"decision": "forward"}).status_code == 404


def test_a_stale_decision_is_409_with_the_current_lock_version(api, session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    opened = app.lock_version
    service.decide(session, app.id, world.reviewer(UNION), Decision.FORWARD)
    session.commit()
    response = api(
        "POST",
        f"/api/v1/applications/{app.id}/decisions",
        world.reviewer(YOUTH),
        schema="ApplicationError",
        json={"decision": "return", "opinion": "补充", "lock_version": opened},
    )
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "decision_stale"
    assert error["lock_version"] == opened + 1


@pytest.mark.parametrize(
    "body, status, code",
    [
        ({"decision": "return", "opinion": " "}, 422, "opinion_required"),
        ({"decision": "not_recommend"}, 422, "opinion_required"),
        ({"decision": "approve"}, 422, "invalid"),
        ({"decision": "accept"}, 409, "not_allowed"),
    ],
)
def test_refusals_name_their_reason(api, session, body, status, code):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    session.commit()
    response = api(
        "POST",
        f"/api/v1/applications/{app.id}/decisions",
        world.reviewer(UNION),
        schema="ApplicationError",
        json=body,
    )
    assert (response.status_code, response.get_json()["error"]["code"]) == (status, code)


def test_a_reviewer_of_a_later_stage_is_told_the_packet_is_not_at_its_stage(api, session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=1)
    session.commit()
    response = api(
        "POST",
        f"/api/v1/applications/{app.id}/decisions",
        world.reviewer(UNION),
        schema="ApplicationError",
        json={"decision": "forward"},
    )
    assert (response.status_code, response.get_json()["error"]["code"]) == (409, "wrong_stage")
