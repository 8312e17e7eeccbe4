"""The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json.

Built from the routes' own pydantic models (portal.api.spec); tests/api/test_openapi.py fails
when a route is not described, and validates real answers against the schemas.
"""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from portal.api import views  # noqa: F401  (every route describes itself when imported)
from portal.api.spec import described_paths, operation

API_VERSION = "1.0.0"
LANG = {
    "name": "lang",
    "in": "query",
    "required": False,
    "schema": {"type": "string", "enum": ["zh_Hans_CN", "en"]},
    "description": "Language of error messages; otherwise Accept-Language, then the account's "
    "choice, then Chinese",
}
INFO = {
    "title": "Service Star portal API (用户满意服务明星)",
    "version": API_VERSION,
    "description": "Read access to the programme's organizations and campaigns; enterprises "
    "prepare, upload and submit their application packets; reviewers decide; experts score; "
    "the office handles objections and honours. Create a token on the page /account/tokens and "
    "send it as 'Authorization: Bearer <token>'. Errors are JSON: "
    '{"error": {"code": ..., "message": ...}}.',
}


@operation(
    "/openapi.json",
    "This document",
    None,
    description="OpenAPI 3.1 document",
    public=True,
    extra={
        "responses": {
            "200": {"description": "OpenAPI 3.1 document", "content": {"application/json": {}}}
        }
    },
)
def openapi_document() -> Response:
    return jsonify(document())


def document() -> dict[str, Any]:
    paths, schemas = described_paths()
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": "/"}],
        "security": [{"bearerAuth": []}],
        "paths": paths,
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": schemas,
            "parameters": {"lang": LANG},
        },
    }
