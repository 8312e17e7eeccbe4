"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Written by hand next to the views; tests/api/test_openapi.py fails when a route is missing here
(or described but gone) and validates real responses against these schemas.
"""

from __future__ import annotations

from flask import Response, jsonify

from portal.api import views  # noqa: F401  (every route describes itself when imported)
from portal.api.spec import described_paths, operation

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


# Each domain's routes describe themselves in their own module.
from portal.api import (  # noqa: E402, F401
    openapi_honours,
    openapi_notice,
    openapi_scoring_results,
)
