"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand next to the views; tests/api/test_openapi.py fails when a route is missing here
(or described but gone) and validates real responses against these schemas.
"""

from __future__ import annotations

from flask import Response, jsonify

from portal.api import views  # noqa: F401  (every route describes itself when imported)
from portal.api.spec import described_paths, operation
from portal.applications.fields import FIELDS
from portal.applications.models import ApplicationState, FileCategory
from portal.campaigns.models import CategoryKind
from portal.files.models import KINDS
from portal.files.service import REJECTION_KEYS
from portal.organizations.models import UnitNature

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

SCHEMAS: dict = {}


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


PATHS: dict = {}


@operation("/openapi.json", "This document", None, description="OpenAPI 3.1 document", public=True)
def openapi_document() -> Response:
    return jsonify(document())


def document() -> dict:
    described, schemas = described_paths()
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Service Star portal API (用户满意服务明星)",
            "version": API_VERSION,
            "description": "Read access to the programme's organizations and campaigns; "
            "enterprises prepare, upload and submit their application packets. "
            "Create a token on the page /account/tokens and send it as "
            "'Authorization: Bearer <token>'. Errors are JSON: "
            '{"error": {"code": ..., "message": ...}}.',
        },
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": {**described, **PATHS},
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {**schemas, **SCHEMAS},
            "parameters": PARAMETERS,
        },
    }


# --- application packets (申报材料) ------------------------------------------------------------

DATE = {"type": "string", "format": "date"}
PERSONAL = (
    "Masked (1101**********1234, 138****5678) for readers other than the enterprise and the office"
)
BIRTH_DATE = "Null for readers other than the enterprise and the office"


def _field_schema(spec) -> dict:
    if spec.kind == "rate":
        schema = _nullable("number", minimum=0, maximum=100)
    elif spec.kind == "date":
        schema = _nullable("string", format="date")
    elif spec.kind == "nature":
        schema = _nullable_enum(UnitNature)
    else:
        schema = _nullable("string")
    if spec.name in ("id_number", "mobile", "leader_mobile"):
        schema["description"] = PERSONAL
    return schema


FILE_PROPERTIES = {
    "id": {"type": "integer", "description": "Id of the stored file; the same in every version"},
    "category": {"type": "string", "enum": _values(FileCategory)},
    "filename": NAMED,
    "kind": {"type": "string", "enum": list(KINDS), "description": "Recognised by content"},
    "size": {"type": "integer", "minimum": 1},
    "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    "url": {"type": "string", "description": "Where to download it"},
}
PACKET_PROPERTIES = {
    "fields": {
        **_object({s.name: _field_schema(s) for s in FIELDS}, required=[]),
        "description": "The fields of the category's form (team or individual)",
    },
    "figures": {
        **_object(
            {
                "member_count": _nullable("integer"),
                "average_age": _nullable("number"),
                "women_count": _nullable("integer"),
                "women_share": _nullable("number", description="Percent"),
                "birth_date": _nullable("string", format="date", description=BIRTH_DATE),
                "sex": {"type": ["string", "null"], "enum": ["female", "male", None]},
                "age": _nullable("integer"),
                "years_in_post": _nullable("integer"),
            }
        ),
        "description": "Computed from the ID number or the member list, never typed in",
    },
    "members": {"type": "array", "items": _ref("TeamMember")},
    "honours": {"type": "array", "items": _ref("Honour")},
    "narrative": {"type": "string", "description": "Introductory material (介绍性材料)"},
    "narrative_chars": {"type": "integer", "description": "Chinese characters in it"},
    "files": {"type": "array", "items": _ref("PacketFile")},
}
VERSION_PROPERTIES = {
    "number": {"type": "integer", "minimum": 1},
    "submitted_at": SHANGHAI_TIME,
    "withdrawn_at": {"oneOf": [SHANGHAI_TIME, {"type": "null"}]},
    "returned_at": {"oneOf": [SHANGHAI_TIME, {"type": "null"}]},
    "return_reason": _nullable("string"),
}
SUMMARY_PROPERTIES = {
    "id": {"type": "integer"},
    "campaign": _object({"id": {"type": "integer"}, "year": {"type": "integer"}}),
    "category": _ref("ApplicationCategory"),
    "organization": _ref("OrganizationSummary"),
    "title": {"type": "string", "description": "Team name or person's name"},
    "state": {"type": "string", "enum": _values(ApplicationState)},
    "created_at": SHANGHAI_TIME,
    "updated_at": SHANGHAI_TIME,
    "submitted_at": {"oneOf": [SHANGHAI_TIME, {"type": "null"}]},
}
ROW = {"type": "object", "additionalProperties": {"type": ["string", "integer", "null"]}}

SCHEMAS.update(
    {
        "ApplicationError": _object(
            {
                "error": _object(
                    {
                        "code": {"type": "string", "examples": ["stale", "invalid"]},
                        "message": {"type": "string", "description": "In the caller's language"},
                        "parameter": {"type": "string"},
                        "problems": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "Every field problem at once, keyed by field "
                            "('members-0-id_number' for a table cell)",
                        },
                        "missing": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "Everything missing before submission, at once",
                        },
                        "reason": {"type": "string", "enum": list(REJECTION_KEYS)},
                        "lock_version": {"type": "integer", "description": "The current one"},
                    },
                    required=["code", "message"],
                )
            }
        ),
        "ApplicationCategory": _object(
            {
                "code": NAMED,
                "kind": {"type": "string", "enum": _values(CategoryKind)},
                "name_zh": NAMED,
                "name_en": NAMED,
            }
        ),
        "ApplicationSummary": _object(SUMMARY_PROPERTIES),
        "ApplicationPage": _object(
            {
                "data": {"type": "array", "items": _ref("ApplicationSummary")},
                "meta": _ref("PageMeta"),
            }
        ),
        "TeamMember": _object(
            {
                "name": NAMED,
                "id_number": _nullable("string", description=PERSONAL),
                "sex": {"type": "string", "enum": ["female", "male"]},
                "birth_date": _nullable("string", format="date", description=BIRTH_DATE),
                "post": {"type": "string"},
                "years_in_post": _nullable("integer"),
            }
        ),
        "Honour": _object({"title": NAMED, "awarded_by": NAMED, "year": NAMED}),
        "PacketFile": _object(FILE_PROPERTIES),
        "StoredFile": _object(
            {**FILE_PROPERTIES, "content_type": NAMED, "created_at": SHANGHAI_TIME}
        ),
        "VersionSummary": _object(VERSION_PROPERTIES),
        "Application": _object(
            {
                **SUMMARY_PROPERTIES,
                "lock_version": {
                    "type": "integer",
                    "description": "Send it back with every change (optimistic locking)",
                },
                "deadline": SHANGHAI_TIME,
                "return_reason": _nullable("string"),
                "shown_version": {
                    "type": ["integer", "null"],
                    "description": "The version whose content is shown to reviewers and the "
                    "office; null for the enterprise, which sees its live packet",
                },
                "missing": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "What is still missing before submission (editable only)",
                },
                "versions": {"type": "array", "items": _ref("VersionSummary")},
                **PACKET_PROPERTIES,
            }
        ),
        "ApplicationVersion": _object(
            {"application_id": {"type": "integer"}, **VERSION_PROPERTIES, **PACKET_PROPERTIES}
        ),
        "ApplicationCreate": _object(
            {
                "category": {"type": "string", "examples": ["team", "individual"]},
                "campaign_id": {
                    "type": ["integer", "null"],
                    "description": "Default: the open campaign",
                },
            },
            required=["category"],
        ),
        "ApplicationUpdate": _object(
            {
                "lock_version": {"type": "integer"},
                "fields": {
                    "type": "object",
                    "additionalProperties": {"type": ["string", "number", "null"]},
                    "description": "Only the fields sent change; null or '' empties one",
                },
                "members": {
                    "type": "array",
                    "items": ROW,
                    "description": "Replaces the member list: name, id_number or sex and "
                    "birth_date, post, years_in_post",
                },
                "honours": {
                    "type": "array",
                    "items": ROW,
                    "description": "Replaces the honours: title, awarded_by, year",
                },
                "narrative": {"type": "string"},
            },
            required=["lock_version"],
        ),
    }
)


def _refused(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("ApplicationError")}},
    }


def _operation(
    summary: str, ok_status: str, ok: dict, parameters: list, errors: dict, body=None
) -> dict:
    operation = {
        "summary": summary,
        "parameters": [_param("lang"), *parameters],
        "responses": {ok_status: ok, "401": UNAUTHORIZED, **errors},
    }
    if body is not None:
        operation["requestBody"] = body
    return operation


def _json_body(schema: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": _ref(schema)}}}


APPLICATION_ID = _path_id("application_id", "application")
FILE_ID = {
    **_path_id("file_id", "stored file"),
    "description": "Id of the stored file (the `id` in `files`)",
}
HIDDEN = _error("No such application (or file), or not visible to this account")
CONFLICT = _refused("The packet's state does not allow this now")
UPLOAD_BODY = {
    "required": True,
    "content": {
        "application/octet-stream": {"schema": {"type": "string", "contentMediaType": "*/*"}}
    },
}
UPLOAD = _operation(
    "Attach the request body as a file; its type is recognised by content",
    "201",
    _ok("StoredFile", "The stored file"),
    [
        APPLICATION_ID,
        _query("category", {"type": "string", "enum": _values(FileCategory)}, "Kind of material"),
        _query("filename", {"type": "string"}, "The file's name (or the X-Filename header)"),
        {
            "name": "X-Filename",
            "in": "header",
            "required": False,
            "schema": {"type": "string"},
            "description": "The file's name in percent-encoded UTF-8, instead of ?filename=",
        },
    ],
    {
        "400": _error(
            "A parameter or header is invalid (category, file name, Content-Length), or the "
            "body ended before its Content-Length; nothing was stored"
        ),
        "404": HIDDEN,
        "409": CONFLICT,
        "411": _error("No Content-Length header"),
        "415": _error("The body is not application/octet-stream"),
        "422": _refused("The file was refused (type, size, packet cap, count); nothing changed"),
    },
    body=UPLOAD_BODY,
)

PATHS.update(
    {
        "/api/v1/applications": {
            "get": _operation(
                "Packets visible to the token's user: an enterprise's own, the submitted ones "
                "for the office, those of a reviewer's channel",
                "200",
                _ok("ApplicationPage", "One page of packets, newest first"),
                [
                    _param("page"),
                    _param("per_page"),
                    _query(
                        "state",
                        {"type": "string", "enum": _values(ApplicationState)},
                        "Only this state",
                    ),
                    _query(
                        "year", {"type": "integer", "minimum": 1900, "maximum": 9999}, "Campaign"
                    ),
                ],
                {"400": INVALID},
            ),
            "post": _operation(
                "Start a draft packet in the open campaign (enterprises)",
                "201",
                _ok("Application", "The new draft"),
                [],
                {
                    "400": _error("The body is not a JSON object"),
                    "403": _error("Not an enterprise account"),
                    "409": _refused("No campaign is open, or its deadline has passed"),
                    "422": _refused("Unknown category or campaign"),
                },
                body=_json_body("ApplicationCreate"),
            ),
        },
        "/api/v1/applications/{application_id}": {
            "get": _operation(
                "One packet: form, computed figures, completeness, files and versions",
                "200",
                _ok("Application", "The packet"),
                [APPLICATION_ID],
                {"404": HIDDEN},
            ),
            "patch": _operation(
                "Save fields, members, honours and narrative, all or nothing",
                "200",
                _ok("Application", "The saved packet, with its new lock_version"),
                [APPLICATION_ID],
                {
                    "400": _error("The body is not a JSON object"),
                    "404": HIDDEN,
                    "409": _refused(
                        "Saved by someone else since lock_version was read (stale), or not editable"
                    ),
                    "422": _refused("Every field problem, listed at once"),
                },
                body=_json_body("ApplicationUpdate"),
            ),
        },
        "/api/v1/applications/{application_id}/files": {"put": UPLOAD, "post": UPLOAD},
        "/api/v1/applications/{application_id}/files/{file_id}": {
            "get": _operation(
                "Download a file (draft files for the enterprise, submitted ones for readers)",
                "200",
                {
                    "description": "The file's bytes, or a 302 to a short-lived URL on S3",
                    "content": {"*/*": {"schema": {"type": "string", "contentMediaType": "*/*"}}},
                },
                [APPLICATION_ID, FILE_ID],
                {"404": HIDDEN},
            ),
            "delete": _operation(
                "Remove a file from the draft",
                "204",
                {"description": "Removed"},
                [APPLICATION_ID, FILE_ID],
                {"404": HIDDEN, "409": CONFLICT},
            ),
        },
        "/api/v1/applications/{application_id}/submit": {
            "post": _operation(
                "Submit once before the deadline (server time, Asia/Shanghai); frozen as a version",
                "201",
                _ok("ApplicationVersion", "The new version"),
                [APPLICATION_ID],
                {
                    "404": HIDDEN,
                    "409": _refused("Already submitted, or the deadline has passed"),
                    "422": _refused("Incomplete: everything missing, listed at once"),
                },
            ),
        },
        "/api/v1/applications/{application_id}/withdraw": {
            "post": _operation(
                "Take a submitted packet back to draft before review starts",
                "200",
                _ok("Application", "The packet, a draft again"),
                [APPLICATION_ID],
                {"404": HIDDEN, "409": CONFLICT},
            ),
        },
        "/api/v1/applications/{application_id}/versions/{number}": {
            "get": _operation(
                "One submitted version, frozen as it was submitted",
                "200",
                _ok("ApplicationVersion", "The version"),
                [
                    APPLICATION_ID,
                    {
                        "name": "number",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "integer", "minimum": 1},
                        "description": "Version number, from 1",
                    },
                ],
                {"404": HIDDEN},
            ),
        },
    }
)

# Each domain's routes describe themselves in their own module.
from portal.api import (  # noqa: E402, F401
    openapi_honours,
    openapi_notice,
    openapi_review,
    openapi_scoring,
    openapi_scoring_results,
)
