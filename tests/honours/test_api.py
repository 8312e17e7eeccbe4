"""The honours API: public verification without a token, the office's list and inspections."""

from __future__ import annotations

from datetime import date, timedelta

from jsonschema import Draft202012Validator

from portal.accounts.models import Role
from portal.campaigns.models import CategoryKind
from portal.honours import rules
from tests.api.helpers import api_get
from tests.factories import make_user
from tests.honours.helpers import inspection_with_file, make_honour


def _validate(client, body, schema: str) -> list[str]:
    document = client.get("/api/v1/openapi.json").get_json()
    root = {"$ref": f"#/components/schemas/{schema}", "components": document["components"]}
    return [e.message for e in Draft202012Validator(root).iter_errors(body)]


def test_anyone_verifies_a_code_without_a_token(client, session):
    honour = make_honour(
        kind=CategoryKind.INDIVIDUAL,
        awarded_on=date(2026, 1, 5),
        id_number="310101199001011234",
    )
    response = client.get(f"/api/v1/honours/verify?code={honour.verification_code.lower()}")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "active"
    assert body["holder"] == honour.holder_name
    assert body["certificate_number"] == honour.certificate_number
    assert body["valid_until"] == "2029-01-04"
    assert "310101199001011234" not in response.get_data(as_text=True)
    assert response.headers["Cache-Control"] == "public, max-age=60"
    assert _validate(client, body, "HonourVerification") == []


def test_verifying_an_unknown_code_says_not_found_and_nothing_more(client, session):
    response = client.get("/api/v1/honours/verify?code=ABCDEFGH23")
    assert response.status_code == 404
    assert response.get_json() == {
        "error": {"code": "not_found", "message": "No honour has this verification code."}
    }


def test_verifying_without_a_code_names_the_parameter(client, session):
    response = client.get("/api/v1/honours/verify")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "code"


def test_the_office_lists_honours_by_derived_status(client, session):
    today = rules.shanghai_today()
    active = make_honour(awarded_on=today - timedelta(days=10))
    expired = make_honour(awarded_on=today - timedelta(days=3 * 366 + 5))
    revoked = make_honour(awarded_on=today - timedelta(days=10), revoked_on=today)
    office = make_user(Role.OFFICE)
    found = {}
    for status in ("active", "expired", "revoked"):
        body = api_get(client, f"/api/v1/honours?status={status}&per_page=100", office).get_json()
        assert _validate(client, body, "HonourPage") == []
        found[status] = {h["id"] for h in body["data"]}
    assert active.id in found["active"] and active.id not in found["expired"] | found["revoked"]
    assert expired.id in found["expired"] and expired.id not in found["active"]
    assert revoked.id in found["revoked"] and revoked.id not in found["active"]


def test_an_unknown_status_is_refused_with_the_allowed_values(client, session):
    response = api_get(client, "/api/v1/honours?status=gone", make_user(Role.OFFICE))
    assert response.status_code == 400
    assert "active, expired, revoked" in response.get_json()["error"]["message"]


def test_only_the_office_and_organizers_list_honours(client, session):
    for role, status in [
        (Role.OFFICE, 200),
        (Role.ORGANIZER, 200),
        (Role.ENTERPRISE, 403),
        (Role.CHANNEL_REVIEWER, 403),
        (Role.EXPERT, 403),
        (Role.ADMIN, 403),
    ]:
        assert api_get(client, "/api/v1/honours", make_user(role)).status_code == status, role
    assert client.get("/api/v1/honours").status_code == 401


def test_the_office_reads_the_inspections_of_an_honour(client, session):
    honour = make_honour()
    inspection = inspection_with_file(honour)
    response = api_get(client, f"/api/v1/honours/{honour.id}/inspections", make_user(Role.OFFICE))
    body = response.get_json()
    assert response.status_code == 200
    assert _validate(client, body, "InspectionList") == []
    assert [i["id"] for i in body["data"]] == [inspection.id]
    assert body["data"][0]["unannounced"] is True
    assert body["data"][0]["files"][0]["filename"] == "现场.png"
    missing = api_get(client, "/api/v1/honours/999999/inspections", make_user(Role.OFFICE))
    assert missing.status_code == 404
