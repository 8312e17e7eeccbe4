"""The notice part of the OpenAPI document: public list and case status, office objections."""

from __future__ import annotations

from portal.api.openapi import (
    INVALID,
    NOT_FOUND,
    PATHS,
    REFERENCE,
    SCHEMAS,
    SHANGHAI_TIME,
    UNAUTHORIZED,
    _error,
    _nullable,
    _object,
    _ok,
    _param,
    _path_id,
    _query,
    _ref,
    _values,
)
from portal.notice.models import ObjectionStatus

YEAR = {"type": "integer", "minimum": 1900, "maximum": 9999}
NULLABLE_TIME = {**SHANGHAI_TIME, "type": ["string", "null"]}
NULLABLE_REFERENCE = {"anyOf": [REFERENCE, {"type": "null"}]}
STATUS = {"type": "string", "enum": _values(ObjectionStatus)}

SCHEMAS.update(
    {
        "NoticeCandidate": _object(
            {
                "id": {"type": "integer"},
                "name": {"type": "string", "description": "Team name, or the person's name"},
                "unit": {"type": "string"},
                "kind": {"type": "string", "enum": ["team", "individual"]},
                "category": NULLABLE_REFERENCE,
                "industry": NULLABLE_REFERENCE,
                "district": NULLABLE_REFERENCE,
            }
        ),
        "PublicNotice": _object(
            {
                "year": {"type": "integer"},
                "theme": {"type": "string"},
                "opens_at": SHANGHAI_TIME,
                "closes_at": {
                    **SHANGHAI_TIME,
                    "description": "Exclusive end: midnight after the last working day",
                },
                "working_days": {"type": "integer"},
                "open": {"type": "boolean"},
                "revised_at": NULLABLE_TIME,
                "total": {"type": "integer", "description": "Candidates before filtering"},
                "candidates": {"type": "array", "items": _ref("NoticeCandidate")},
            }
        ),
        "ObjectionCaseStatus": _object(
            {
                "case_number": {"type": "string", "examples": ["YY2026-K7QM-3HXA-PN8C-W2RD"]},
                "status": STATUS,
                "received_at": SHANGHAI_TIME,
                "decided_at": NULLABLE_TIME,
                "reply": _nullable("string"),
            }
        ),
        "Objection": _object(
            {
                "case_number": {"type": "string"},
                "status": STATUS,
                "received_at": SHANGHAI_TIME,
                "decided_at": NULLABLE_TIME,
                "reply": _nullable("string"),
                "id": {"type": "integer"},
                "lock_version": {"type": "integer"},
                "year": {"type": "integer"},
                "candidate": _object(
                    {
                        "id": {"type": "integer"},
                        "name": {"type": "string"},
                        "unit": {"type": "string"},
                        "state": {"type": "string"},
                    }
                ),
                "objector": _object(
                    {
                        "name": {"type": "string"},
                        "mobile": {"type": "string"},
                        "email": _nullable("string"),
                    }
                ),
                "reason": {"type": "string"},
                "findings": {"type": "string"},
                "investigator": _nullable("string"),
                "files": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": {"type": "integer"},
                            "filename": {"type": "string"},
                            "kind": {"type": "string"},
                            "size": {"type": "integer"},
                        }
                    ),
                },
            }
        ),
        "ObjectionList": _object({"data": {"type": "array", "items": _ref("Objection")}}),
        "ObjectionDecision": _object(
            {
                "decision": {"type": "string", "enum": ["upheld", "dismissed"]},
                "reply": {"type": "string", "minLength": 1},
                "lock_version": {"type": "integer"},
            }
        ),
    }
)

FILTERS = [
    _query("q", {"type": "string"}, "Part of the name or unit"),
    _query("category", {"type": "string"}, "Category code"),
    _query("district", {"type": "string"}, "District code, e.g. huangpu"),
    _query("industry", {"type": "string"}, "Industry code, e.g. finance"),
]

PATHS.update(
    {
        "/api/v1/notice": {
            "get": {
                "summary": "The candidate list on public notice (公示), open or last; no token",
                "security": [],
                "parameters": [
                    _param("lang"),
                    _query("year", YEAR, "The notice of this campaign year"),
                    *FILTERS,
                ],
                "responses": {
                    "200": _ok("PublicNotice", "The list now: withdrawn candidates left out"),
                    "400": INVALID,
                    "404": _error("No notice is published (for that year)"),
                },
            }
        },
        "/api/v1/notice/objections/status": {
            "get": {
                "summary": "An objection's status and reply, by case number and mobile; no token",
                "security": [],
                "parameters": [
                    _param("lang"),
                    _query(
                        "case",
                        {"type": "string"},
                        "Case number, e.g. YY2026-K7QM-3HXA-PN8C-W2RD (dashes optional)",
                    ),
                    _query("mobile", {"type": "string"}, "The mobile number the objector gave"),
                ],
                "responses": {
                    "200": _ok("ObjectionCaseStatus", "The case"),
                    "404": _error("No case with this number and mobile (nothing more is told)"),
                    "429": _error(
                        "Too many lookups from this address or for this case number this hour; "
                        "the Retry-After header says when to try again"
                    ),
                },
            }
        },
        "/api/v1/notice/objections": {
            "get": {
                "summary": "Objections, newest first (programme office)",
                "parameters": [
                    _param("lang"),
                    _query("year", YEAR, "Only this campaign year"),
                    _query("status", STATUS, "Only this status"),
                ],
                "responses": {
                    "200": _ok("ObjectionList", "The objections"),
                    "400": INVALID,
                    "401": UNAUTHORIZED,
                    "403": _error("Not a programme office account"),
                },
            }
        },
        "/api/v1/notice/objections/{objection_id}/decision": {
            "post": {
                "summary": "Uphold (the candidate is disqualified, the list republished) or "
                "dismiss, with the reply the objector sees (programme office)",
                "parameters": [_param("lang"), _path_id("objection_id", "objection")],
                "requestBody": {
                    "required": True,
                    "content": {"application/json": {"schema": _ref("ObjectionDecision")}},
                },
                "responses": {
                    "200": _ok("Objection", "The decided case"),
                    "401": UNAUTHORIZED,
                    "403": _error("Not a programme office account"),
                    "400": _error("The body is not a JSON object"),
                    "404": NOT_FOUND,
                    "409": _error("Already decided, or changed since lock_version was read"),
                    "422": _error(
                        "decision, reply or lock_version missing or wrong, or a reply over "
                        "5,000 characters"
                    ),
                },
            }
        },
    }
)
