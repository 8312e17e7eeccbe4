"""/api/v1/scoring: own assignments only, sheets saved, locked and reopened, blind, documented."""

from __future__ import annotations

from decimal import Decimal

import pytest

from portal.accounts.models import Role
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.scoring import sheets
from tests.api.helpers import auth_headers
from tests.api.test_openapi import _validator
from tests.factories import make_campaign, make_org, make_user
from tests.scoring.helpers import accepted, assigned_sheet, make_expert

SCORES = {"idea": 14.5, "standards": 19.5, "skills": 13.5, "innovation": 11.5, "results": 23.5}


def _expert(name: str):
    org = make_org(OrgKind.OTHER)
    user = make_user(Role.EXPERT, organization=org, name=name)
    return make_expert(name, organization=org, user=user)


@pytest.fixture
def document(client) -> dict:
    return client.get("/api/v1/openapi.json").get_json()


def _valid(document, schema: str, body) -> list[str]:
    return [e.message for e in _validator(document, schema).iter_errors(body)]


@pytest.fixture
def pair(app):
    campaign = make_campaign(year=2331)
    packet = accepted(campaign, team_name="静安窗口班组")
    mine = assigned_sheet(_expert("甲接口专家"), campaign, app=packet)
    theirs = assigned_sheet(_expert("乙接口专家"), campaign, app=packet)
    entries = {**SCORES, "impact": 9}
    sheets.save_sheet(get_session(), None, theirs.expert, theirs.sheet, entries, comment="乙独有")
    sheets.lock_sheet(get_session(), theirs.expert.user, theirs.expert, theirs.sheet)
    return mine, theirs


def test_expert_lists_only_own_assignments_without_others_scores(client, pair, document):
    mine, theirs = pair
    response = client.get("/api/v1/scoring/assignments", headers=auth_headers(mine.expert.user))
    assert response.status_code == 200
    body = response.get_json()
    assert _valid(document, "AssignmentPage", body) == []
    assert [a["id"] for a in body["data"]] == [mine.id]
    assert body["data"][0]["application"]["title"] == "静安窗口班组"
    text = response.get_data(as_text=True)
    for needle in ("乙接口专家", "91.5", "23.5", "乙独有", theirs.expert.user.email):
        assert needle not in text


def test_another_experts_sheet_is_hidden(client, pair):
    mine, theirs = pair
    headers = auth_headers(mine.expert.user)
    response = client.get(f"/api/v1/scoring/sheets/{theirs.sheet.id}", headers=headers)
    assert response.status_code == 404
    assert "91.5" not in response.get_data(as_text=True)
    put = client.put(
        f"/api/v1/scoring/sheets/{theirs.sheet.id}",
        json={"lock_version": theirs.sheet.lock_version, "items": {"idea": 1}},
        headers=headers,
    )
    assert put.status_code == 404


def test_office_lists_everything_and_filters(client, pair, document):
    mine, theirs = pair
    headers = auth_headers(make_user(Role.OFFICE))
    body = client.get("/api/v1/scoring/assignments", headers=headers).get_json()
    assert {a["id"] for a in body["data"]} >= {mine.id, theirs.id}
    one = client.get(
        f"/api/v1/scoring/assignments?expert_id={theirs.expert.id}", headers=headers
    ).get_json()
    assert [a["id"] for a in one["data"]] == [theirs.id]
    assert one["data"][0]["sheet"]["total"] == 91.5
    sheet = client.get(f"/api/v1/scoring/sheets/{theirs.sheet.id}", headers=headers).get_json()
    assert _valid(document, "ScoreSheet", sheet) == []
    assert sheet["total"] == 91.5


def test_nothing_of_the_packet_before_the_pledge(client, app, document):
    a = assigned_sheet(_expert("丙接口专家"), pledge=False)
    headers = auth_headers(a.expert.user)
    body = client.get("/api/v1/scoring/assignments", headers=headers).get_json()
    assert _valid(document, "AssignmentPage", body) == []
    assert body["data"][0]["application"] is None and body["data"][0]["pledged"] is False
    assert a.application.title not in str(body)
    response = client.get(f"/api/v1/scoring/sheets/{a.sheet.id}", headers=headers)
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "pledge_required"


def test_expert_saves_locks_and_cannot_change_a_locked_sheet(client, app, document):
    a = assigned_sheet(_expert("丁接口专家"))
    headers = auth_headers(a.expert.user)
    url = f"/api/v1/scoring/sheets/{a.sheet.id}"
    bad = client.put(
        url, json={"lock_version": 1, "items": {"idea": 15.5, "impact": 3.2}}, headers=headers
    )
    assert bad.status_code == 422
    assert set(bad.get_json()["error"]["problems"]) == {"idea", "impact"}
    items = {**SCORES, "impact": 9, "praise_letter": 5, "criticism": 1}
    saved = client.put(url, json={"lock_version": 1, "items": items}, headers=headers)
    assert saved.status_code == 200
    body = saved.get_json()
    assert _valid(document, "ScoreSheet", body) == []
    assert (body["criteria_points"], body["bonus_points"], body["deduction_points"]) == (
        91.5,
        10,
        3,
    )
    assert body["total"] == 98.5
    stale = client.put(url, json={"lock_version": 1, "items": {"idea": 1}}, headers=headers)
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale"
    locked = client.post(
        url + "/lock", json={"lock_version": body["lock_version"]}, headers=headers
    )
    assert locked.status_code == 200 and locked.get_json()["status"] == "locked"
    again = client.put(
        url,
        json={"lock_version": locked.get_json()["lock_version"], "items": {"idea": 1}},
        headers=headers,
    )
    assert again.get_json()["error"]["code"] == "sheet_locked"
    get_session().refresh(a.sheet)
    assert a.sheet.total == Decimal("98.5")


def test_only_the_office_reopens_and_only_with_a_reason(client, pair):
    mine, theirs = pair
    url = f"/api/v1/scoring/sheets/{theirs.sheet.id}/reopen"
    by_expert = client.post(url, json={"reason": "x"}, headers=auth_headers(theirs.expert.user))
    assert by_expert.status_code == 403
    office = auth_headers(make_user(Role.OFFICE))
    assert client.post(url, json={"reason": " "}, headers=office).status_code == 422
    reopened = client.post(url, json={"reason": "分数录入有误"}, headers=office)
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "draft"


def test_other_roles_are_refused(client, pair):
    for role in (Role.ENTERPRISE, Role.CHANNEL_REVIEWER, Role.ORGANIZER):
        headers = auth_headers(make_user(role))
        assert client.get("/api/v1/scoring/assignments", headers=headers).status_code == 403
    lone = auth_headers(make_user(Role.EXPERT))  # a login not in the pool
    assert client.get("/api/v1/scoring/assignments", headers=lone).status_code == 403
