"""GET /api/v1/scoring/results: the office and organizers read figures; others are refused."""

from __future__ import annotations

import pytest
from jsonschema import Draft202012Validator

from portal.accounts.models import Role
from portal.api.openapi import document
from portal.campaigns.models import AggregationMethod
from tests.api.helpers import api_get
from tests.factories import make_campaign, make_user
from tests.scoring.results_helpers import category_of, make_expert, scored_packet


@pytest.fixture
def campaign(session):
    c = make_campaign(year=2044, aggregation_method=AggregationMethod.MEAN)
    category_of(c).quota = 1
    experts = [make_expert() for _ in range(3)]
    scored_packet(c, experts, [90, 80, "85.5"], team_name="一号窗口")
    scored_packet(c, experts, [70, 71, 72], team_name="二号窗口")
    return c


def validate(body: dict, schema: str = "ScoringResults") -> list[str]:
    doc = document()
    root = {"$ref": f"#/components/schemas/{schema}", "components": doc["components"]}
    return [e.message for e in Draft202012Validator(root).iter_errors(body)]


def test_office_reads_the_figures_of_a_category(client, campaign):
    path = f"/api/v1/scoring/results?campaign={campaign.id}&category=team"
    response = api_get(client, path, make_user(Role.OFFICE))
    assert response.status_code == 200
    body = response.get_json()
    assert validate(body) == []
    assert body["campaign"]["aggregation_method"] == "mean"
    [team] = body["categories"]
    assert (team["code"], team["quota"], team["in_count"], team["status"]) == ("team", 1, 1, "open")
    first, second = team["packets"]
    # (90 + 80 + 85.5) / 3 = 85.1666… → 85.17
    assert (first["title"], first["score"], first["in_list"]) == ("一号窗口", 85.17, True)
    assert first["totals"] == [90, 85.5, 80]
    assert (second["title"], second["score"], second["in_list"]) == ("二号窗口", 71, False)


def test_organizers_read_every_category_of_the_campaign(client, campaign):
    body = api_get(
        client, f"/api/v1/scoring/results?campaign={campaign.id}", make_user(Role.ORGANIZER)
    ).get_json()
    assert validate(body) == []
    assert [c["code"] for c in body["categories"]] == [c.code for c in campaign.categories]


@pytest.mark.parametrize("role", [Role.EXPERT, Role.ENTERPRISE, Role.CHANNEL_REVIEWER, Role.ADMIN])
def test_everyone_else_is_refused(client, campaign, role):
    response = api_get(client, f"/api/v1/scoring/results?campaign={campaign.id}", make_user(role))
    assert response.status_code == 403
    assert validate(response.get_json(), "Error") == []


def test_unknown_category_and_campaign_are_404_and_bad_id_400(client, campaign):
    office = make_user(Role.OFFICE)
    path = f"/api/v1/scoring/results?campaign={campaign.id}&category=nope"
    assert api_get(client, path, office).status_code == 404
    assert api_get(client, "/api/v1/scoring/results?campaign=999999", office).status_code == 404
    assert api_get(client, "/api/v1/scoring/results?campaign=x", office).status_code == 400


def test_statement_count_does_not_grow_with_packets(client, session, campaign):
    from tests.api.helpers import auth_headers
    from tests.querycount import counting

    headers = auth_headers(make_user(Role.OFFICE))
    path = f"/api/v1/scoring/results?campaign={campaign.id}&category=team"

    def statements() -> int:
        session.expunge_all()
        with counting(session.connection()) as sent:
            assert client.get(path, headers=headers).status_code == 200
        return len(sent)

    few = statements()
    experts = [make_expert() for _ in range(3)]
    for n in range(10):
        scored_packet(campaign, experts, [60 + n, 70, 80])
    assert statements() == few
