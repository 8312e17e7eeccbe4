"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand next to the views; tests/api/test_openapi.py fails when a route is missing here
(or described but gone) and validates real responses against these schemas.
"""

from __future__ import annotations

from portal.accounts.models import Role
from portal.campaigns.models import CampaignStatus, CategoryKind, RubricKind, StageSystem
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem, UnitNature

API_VERSION = "1.0.0"


def _values(enum_cls) -> list[str]:
    return [m.value for m in enum_cls]


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _nullable(type_: str, **extra) -> dict:
    return {"type": [type_, "null"], **extra}


def _nullable_enum(enum_cls) -> dict:
    return {"type": ["string", "null"], "enum": [*_values(enum_cls), None]}


def _object(properties: dict, required: list[str] | None = None) -> dict:
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
        "additionalProperties": False,
    }


NAMED = {"type": "string"}
REFERENCE = _object({"code": NAMED, "name_zh": NAMED, "name_en": NAMED})
SHANGHAI_TIME = {
    "type": "string",
    "format": "date-time",
    "description": "ISO 8601 in Asia/Shanghai time, e.g. 2026-11-10T17:00:00+08:00",
}

SCHEMAS = {
    "Error": _object(
        {
            "error": _object(
                {
                    "code": {"type": "string", "examples": ["unauthorized", "not_found"]},
                    "message": {"type": "string", "description": "In the caller's language"},
                    "parameter": {"type": "string", "description": "The offending parameter"},
                },
                required=["code", "message"],
            )
        }
    ),
    "PageMeta": _object(
        {
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
            "total": {"type": "integer", "minimum": 0},
            "pages": {"type": "integer", "minimum": 0},
        }
    ),
    "Reference": REFERENCE,
    "OrganizationSummary": _object(
        {
            "id": {"type": "integer"},
            "name": NAMED,
            "kind": {"type": "string", "enum": _values(OrgKind)},
        }
    ),
    "Organization": _object(
        {
            "id": {"type": "integer"},
            "name": NAMED,
            "kind": {"type": "string", "enum": _values(OrgKind)},
            "system": _nullable_enum(OrgSystem),
            "channel_level": _nullable_enum(ChannelLevel),
            "district": {"oneOf": [_ref("Reference"), {"type": "null"}]},
            "industry": {"oneOf": [_ref("Reference"), {"type": "null"}]},
            "parent_id": _nullable("integer"),
            "credit_code": _nullable("string", description="Unified social credit code"),
            "unit_nature": _nullable_enum(UnitNature),
            "address": _nullable("string"),
            "postcode": _nullable("string"),
            "active": {"type": "boolean"},
            "contact": _object(
                {
                    "name": _nullable("string"),
                    "mobile": _nullable(
                        "string",
                        description="Masked (138****5678) except for the office, "
                        "administrators and the organization's own users",
                    ),
                    "email": _nullable("string", description="Masked like the mobile"),
                }
            ),
            "created_at": SHANGHAI_TIME,
        }
    ),
    "OrganizationPage": _object(
        {"data": {"type": "array", "items": _ref("Organization")}, "meta": _ref("PageMeta")}
    ),
    "Me": _object(
        {
            "id": {"type": "integer"},
            "name": NAMED,
            "email": {"type": "string", "format": "email"},
            "role": {"type": "string", "enum": _values(Role)},
            "locale": _nullable("string"),
            "organization": _ref("OrganizationSummary"),
        }
    ),
    "Category": _object(
        {
            "code": NAMED,
            "kind": {"type": "string", "enum": _values(CategoryKind)},
            "name_zh": NAMED,
            "name_en": NAMED,
            "quota": {"type": "integer", "minimum": 0},
            "narrative_min_chars": {"type": "integer", "minimum": 0},
            "narrative_max_chars": {"type": "integer", "minimum": 0},
            "min_surveys": {"type": "integer", "minimum": 0},
        }
    ),
    "Stage": _object(
        {
            "position": {"type": "integer", "description": "Equal positions run in parallel"},
            "system": {"type": "string", "enum": _values(StageSystem)},
            "name_zh": NAMED,
            "name_en": NAMED,
        }
    ),
    "RubricItem": _object(
        {
            "code": NAMED,
            "kind": {"type": "string", "enum": _values(RubricKind)},
            "name_zh": NAMED,
            "name_en": NAMED,
            "description": {"type": "string"},
            "points": {
                "type": "number",
                "description": "Criterion: maximum points; bonus or deduction: points each time",
            },
            "cap": _nullable("number"),
        }
    ),
    "Campaign": _object(
        {
            "id": {"type": "integer"},
            "year": {"type": "integer"},
            "theme": NAMED,
            "status": {"type": "string", "enum": _values(CampaignStatus)},
            "deadlines": _object(
                {
                    "application": SHANGHAI_TIME,
                    "recommendation": SHANGHAI_TIME,
                    "review": SHANGHAI_TIME,
                }
            ),
            "reference_date": {"type": "string", "format": "date"},
            "notice_working_days": {"type": "integer", "minimum": 1},
            "categories": {"type": "array", "items": _ref("Category")},
            "stages": {"type": "array", "items": _ref("Stage")},
            "districts": {"type": "array", "items": {"type": "string"}},
            "industries": {"type": "array", "items": {"type": "string"}},
            "attachments": _object(
                {
                    "allowed_file_types": {"type": "array", "items": {"type": "string"}},
                    "max_file_mb": {"type": "integer"},
                    "max_packet_mb": {"type": "integer"},
                    "max_files": {"type": "integer"},
                }
            ),
            "rubric": {
                "type": "array",
                "items": _ref("RubricItem"),
                "description": "Only for the office, organizers, experts and administrators",
            },
        },
        required=[
            "id",
            "year",
            "theme",
            "status",
            "deadlines",
            "reference_date",
            "notice_working_days",
            "categories",
            "stages",
            "districts",
            "industries",
            "attachments",
        ],
    ),
    "CampaignPage": _object(
        {"data": {"type": "array", "items": _ref("Campaign")}, "meta": _ref("PageMeta")}
    ),
}


def _query(name: str, schema: dict, description: str) -> dict:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": schema,
        "description": description,
    }


PARAMETERS = {
    "lang": _query(
        "lang",
        {"type": "string", "enum": ["zh_Hans_CN", "en"]},
        "Language of error messages; otherwise Accept-Language, then the account's choice, "
        "then Chinese",
    ),
    "page": _query("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number"),
    "per_page": _query(
        "per_page",
        {"type": "integer", "minimum": 1, "maximum": 100, "default": 20},
        "Rows per page",
    ),
}


def _error(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


def _ok(schema: str, description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}


def _param(name: str) -> dict:
    return {"$ref": f"#/components/parameters/{name}"}


def _path_id(name: str, what: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": {"type": "integer"},
        "description": f"Id of the {what}",
    }


UNAUTHORIZED = _error("No token, or an unknown or revoked one, or a disabled account")
INVALID = _error("A query parameter has a value outside what is allowed")
NOT_FOUND = _error("No such record, or not visible to this account")


def _get(summary: str, ok: dict, parameters: list, errors: dict, *, public=False) -> dict:
    operation = {
        "summary": summary,
        "parameters": [_param("lang"), *parameters],
        "responses": {"200": ok, **errors},
    }
    if public:
        operation["security"] = []
    else:
        operation["responses"]["401"] = UNAUTHORIZED
    return {"get": operation}


PATHS = {
    "/api/v1/openapi.json": _get(
        "This document",
        {"description": "OpenAPI 3.1 document", "content": {"application/json": {}}},
        [],
        {},
        public=True,
    ),
    "/api/v1/me": _get("The token's user and organization", _ok("Me", "The user"), [], {}),
    "/api/v1/organizations": _get(
        "Organizations visible to the token's user",
        _ok("OrganizationPage", "One page of organizations, by id"),
        [
            _param("page"),
            _param("per_page"),
            _query("kind", {"type": "string", "enum": _values(OrgKind)}, "Only this kind"),
            _query("system", {"type": "string", "enum": _values(OrgSystem)}, "Only this system"),
            _query("district", {"type": "string"}, "Only this district (code, e.g. huangpu)"),
        ],
        {"400": INVALID},
    ),
    "/api/v1/organizations/{organization_id}": _get(
        "One organization",
        _ok("Organization", "The organization"),
        [_path_id("organization_id", "organization")],
        {"404": NOT_FOUND},
    ),
    "/api/v1/campaigns": _get(
        "Campaigns (drafts only for the office, organizers and administrators)",
        _ok("CampaignPage", "One page of campaigns, newest year first"),
        [
            _param("page"),
            _param("per_page"),
            _query(
                "status", {"type": "string", "enum": _values(CampaignStatus)}, "Only this status"
            ),
            _query("year", {"type": "integer", "minimum": 1900, "maximum": 9999}, "Only this year"),
        ],
        {"400": INVALID},
    ),
    "/api/v1/campaigns/{campaign_id}": _get(
        "One campaign",
        _ok("Campaign", "The campaign"),
        [_path_id("campaign_id", "campaign")],
        {"404": NOT_FOUND},
    ),
}


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service Star portal API (用户满意服务明星)",
            "version": API_VERSION,
            "description": "Read access to the programme's organizations and campaigns. "
            "Create a token on the page /account/tokens and send it as "
            "'Authorization: Bearer <token>'. Errors are JSON: "
            '{"error": {"code": ..., "message": ...}}.',
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": PATHS,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": SCHEMAS,
            "parameters": PARAMETERS,
        },
    }
