"""The notice API answers what the OpenAPI document says, and its public routes need no token."""

from jsonschema import Draft202012Validator

from portal.accounts.models import Role
from portal.api.openapi import document
from tests.api.helpers import auth_headers
from tests.factories import make_user
from tests.notice.helpers import objection, open_now


def _valid(schema: str, body) -> list[str]:
    root = {"$ref": f"#/components/schemas/{schema}", "components": document()["components"]}
    return [e.message for e in Draft202012Validator(root).iter_errors(body)]


def test_answers_match_the_documented_schemas(client, session):
    campaign, notice, apps = open_now(3)
    case = objection(notice, apps[0], evidence=True)
    office = auth_headers(make_user(Role.OFFICE))

    listing = client.get("/api/v1/notice")
    assert listing.status_code == 200 and listing.headers["Cache-Control"] == "public, max-age=1"
    assert _valid("PublicNotice", listing.get_json()) == []
    assert listing.get_json()["total"] == 3
    status = client.get(
        f"/api/v1/notice/objections/status?case={case.case_number}&mobile={case.mobile}"
    )
    assert _valid("ObjectionCaseStatus", status.get_json()) == []
    cases = client.get(f"/api/v1/notice/objections?year={campaign.year}", headers=office)
    assert _valid("ObjectionList", cases.get_json()) == []
    decided = client.post(
        f"/api/v1/notice/objections/{case.id}/decision",
        json={"decision": "upheld", "reply": "属实。", "lock_version": case.lock_version},
        headers=office,
    )
    assert decided.status_code == 200
    assert _valid("Objection", decided.get_json()) == []
    assert decided.get_json()["candidate"]["state"] == "disqualified"
    assert client.get("/api/v1/notice").get_json()["total"] == 2
    missing = client.get("/api/v1/notice?year=1999")
    assert missing.status_code == 404 and _valid("Error", missing.get_json()) == []


def test_public_list_filters_like_the_page(client, session):
    campaign, notice, apps = open_now(3)
    body = client.get(f"/api/v1/notice?q={apps[1].title}").get_json()
    assert [c["id"] for c in body["candidates"]] == [apps[1].id]
    assert set(body["candidates"][0]) == {
        "id", "name", "unit", "kind", "category", "industry", "district",
    }  # fmt: skip
