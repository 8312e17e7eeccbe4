"""The OpenAPI document describes exactly the routes that exist, and real answers fit it."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate

from portal.accounts.models import Role
from portal.campaigns.models import CampaignStatus
from portal.organizations.models import OrgKind
from tests.api.helpers import api_get
from tests.factories import district, make_campaign, make_org, make_user

HTTP_METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def _openapi_path(rule: str) -> str:
    """/api/v1/organizations/<int:organization_id> -> /api/v1/organizations/{organization_id}"""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


@pytest.fixture
def document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def test_every_api_route_is_described_and_nothing_else(app, document):
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/v1"):
            methods = {m.lower() for m in rule.methods - {"HEAD", "OPTIONS"}}
            routes.setdefault(_openapi_path(rule.rule), set()).update(methods)
    described = {
        path: {m for m in item if m in HTTP_METHODS} for path, item in document["paths"].items()
    }
    assert routes == described
    assert "/api/v1/organizations/{organization_id}" in described


def test_document_is_valid_openapi_3_1(document):
    validate(document)  # raises on any structural error
    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"] == {
        "bearerAuth": {"type": "http", "scheme": "bearer"}
    }
    assert document["security"] == [{"bearerAuth": []}]


def test_every_operation_states_its_parameters_and_responses(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            _check_operation(path, method, operation)


# Routes that need no token (marked with portal.api.auth.public, or the document itself).
PUBLIC_PATHS = {
    "/api/v1/openapi.json",
    "/api/v1/notice",
    "/api/v1/notice/objections/status",
    "/api/v1/honours/verify",
}


def _check_operation(path: str, method: str, operation: dict) -> None:
    templated = set(re.findall(r"{([^}]+)}", path))
    in_path = {p["name"] for p in operation["parameters"] if p.get("in") == "path"}
    assert templated == in_path, path
    assert {"200", "201", "204"} & set(operation["responses"]), (method, path)
    if path in PUBLIC_PATHS:
        assert operation["security"] == []
    else:
        assert "security" not in operation, path  # the document-wide bearerAuth applies
        assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }, path


def _validator(document: dict, schema_name: str) -> Draft202012Validator:
    root = {"$ref": f"#/components/schemas/{schema_name}", "components": document["components"]}
    return Draft202012Validator(root)


def test_real_answers_match_the_documented_schemas(client, document):
    channel = make_org(OrgKind.CHANNEL, district=district("huangpu"))
    enterprise = make_org(contact_mobile="13812345678", contact_email="a@example.com")
    campaign = make_campaign(2026, CampaignStatus.OPEN, districts=[district("huangpu")])
    office = make_user(Role.OFFICE)
    reviewer = make_user(Role.CHANNEL_REVIEWER, organization=channel)
    cases = [
        ("/api/v1/me", office, "Me"),
        ("/api/v1/organizations", office, "OrganizationPage"),
        ("/api/v1/organizations", reviewer, "OrganizationPage"),
        (f"/api/v1/organizations/{enterprise.id}", reviewer, "Organization"),
        (f"/api/v1/organizations/{channel.id}", office, "Organization"),
        ("/api/v1/campaigns", office, "CampaignPage"),
        (f"/api/v1/campaigns/{campaign.id}", office, "Campaign"),
        (f"/api/v1/campaigns/{campaign.id}", reviewer, "Campaign"),
        ("/api/v1/organizations/999999", office, "Error"),
        ("/api/v1/organizations?kind=x", office, "Error"),
        ("/api/v1/me", None, "Error"),
    ]
    for path, user, schema in cases:
        body = api_get(client, path, user).get_json()
        errors = [e.message for e in _validator(document, schema).iter_errors(body)]
        assert errors == [], (path, schema)


def test_schemas_reject_what_the_api_must_not_send(document):
    """The schemas are strict enough to catch a stray or missing field."""
    me = _validator(document, "Me")
    good = {
        "id": 1,
        "name": "王",
        "email": "w@example.com",
        "role": "office",
        "locale": None,
        "organization": {"id": 2, "name": "办公室", "kind": "office"},
    }
    assert me.is_valid(good)
    assert not me.is_valid({**good, "password_hash": "x"})
    assert not me.is_valid({**good, "role": "superuser"})
    assert not me.is_valid({k: v for k, v in good.items() if k != "organization"})
