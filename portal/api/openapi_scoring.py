"""The expert-review part of the OpenAPI document: assignments and score sheets."""

from __future__ import annotations

from portal.api.openapi import (
    INVALID,
    PATHS,
    SCHEMAS,
    SHANGHAI_TIME,
    UNAUTHORIZED,
    _nullable,
    _object,
    _ok,
    _param,
    _path_id,
    _query,
    _ref,
    _values,
)
from portal.campaigns.models import RubricKind
from portal.scoring.models import AssignmentStatus, SheetStatus, WithdrawalKind

NUMBER = {"type": ["number", "null"]}
PERSON = _object({"id": {"type": "integer"}, "name": {"type": "string"}})

SCHEMAS.update(
    {
        "ScoringError": _object(
            {
                "error": _object(
                    {
                        "code": {
                            "type": "string",
                            "examples": ["pledge_required", "stale", "sheet_locked"],
                        },
                        "message": {"type": "string", "description": "In the caller's language"},
                        "parameter": {"type": "string"},
                        "problems": {
                            "type": "object",
                            "additionalProperties": {"type": "string"},
                            "description": "Every problem at once, keyed by rubric code",
                        },
                    },
                    required=["code", "message"],
                )
            }
        ),
        "Assignment": _object(
            {
                "id": {"type": "integer"},
                "campaign_id": {"type": "integer"},
                "panel_id": {"type": "integer"},
                "status": {"type": "string", "enum": _values(AssignmentStatus)},
                "pledged": {
                    "type": "boolean",
                    "description": "Whether the expert accepted the campaign's pledge; "
                    "before that the packet and sheet are withheld",
                },
                "expert": PERSON,
                "application": {
                    "anyOf": [
                        _object(
                            {
                                "id": {"type": "integer"},
                                "title": {"type": "string"},
                                "unit": {"type": "string"},
                                "category": {"type": "string"},
                            }
                        ),
                        {"type": "null"},
                    ]
                },
                "withdrawal": {
                    "anyOf": [
                        _object(
                            {
                                "kind": {"type": "string", "enum": _values(WithdrawalKind)},
                                "reason": {"type": "string"},
                                "at": SHANGHAI_TIME,
                            }
                        ),
                        {"type": "null"},
                    ]
                },
                "sheet": {
                    "anyOf": [
                        _object(
                            {
                                "id": {"type": "integer"},
                                "status": {"type": "string", "enum": _values(SheetStatus)},
                                "total": {"type": "number"},
                                "lock_version": {"type": "integer"},
                            }
                        ),
                        {"type": "null"},
                    ]
                },
            }
        ),
        "AssignmentPage": _object(
            {"data": {"type": "array", "items": _ref("Assignment")}, "meta": _ref("PageMeta")}
        ),
        "ScoreSheet": _object(
            {
                "id": {"type": "integer"},
                "assignment_id": {"type": "integer"},
                "application_id": {"type": "integer"},
                "campaign_id": {"type": "integer"},
                "expert": PERSON,
                "status": {"type": "string", "enum": _values(SheetStatus)},
                "locked_at": {**SHANGHAI_TIME, "type": ["string", "null"]},
                "lock_version": {"type": "integer"},
                "reopen_count": {"type": "integer"},
                "criteria_points": {"type": "number"},
                "bonus_points": {"type": "number", "description": "Outside the 100 points"},
                "deduction_points": {"type": "number"},
                "total": {
                    "type": "number",
                    "description": "criteria_points + bonus_points - deduction_points",
                },
                "comment": {"type": "string"},
                "items": {
                    "type": "array",
                    "items": _object(
                        {
                            "code": {"type": "string"},
                            "kind": {"type": "string", "enum": _values(RubricKind)},
                            "name_zh": {"type": "string"},
                            "name_en": {"type": "string"},
                            "points": {
                                "type": "number",
                                "description": "Criterion: the maximum; bonus and deduction: "
                                "points each time",
                            },
                            "cap": {**NUMBER, "description": "Most a bonus item adds"},
                            "score": {**NUMBER, "description": "Criterion: 0 to points, by 0.5"},
                            "count": _nullable("integer", minimum=0),
                            "line_points": {"type": "number"},
                        }
                    ),
                },
            }
        ),
        "ScoreSheetSave": _object(
            {
                "lock_version": {"type": "integer"},
                "items": {
                    "type": "object",
                    "additionalProperties": {"type": ["number", "string", "null"]},
                    "description": "By rubric code: a criterion's score (0 to its maximum in "
                    "steps of 0.5, null to leave unscored) or a bonus/deduction count",
                },
                "comment": {"type": "string"},
            },
            required=["lock_version"],
        ),
        "ScoreSheetLock": _object({"lock_version": {"type": "integer"}}, required=[]),
        "ScoreSheetReopen": _object(
            {"reason": {"type": "string"}, "lock_version": {"type": "integer"}},
            required=["reason"],
        ),
    }
)


def _refused(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref("ScoringError")}},
    }


def _op(summary: str, ok: dict, parameters: list, errors: dict, body: str | None = None) -> dict:
    operation = {
        "summary": summary,
        "parameters": [_param("lang"), *parameters],
        "responses": {"200": ok, "401": UNAUTHORIZED, **errors},
    }
    if body is not None:
        operation["requestBody"] = {
            "required": body != "ScoreSheetLock",
            "content": {"application/json": {"schema": _ref(body)}},
        }
    return operation


SHEET_ID = _path_id("sheet_id", "score sheet")
FORBIDDEN = _refused("Not an expert of the pool nor the programme office, or the pledge is missing")
HIDDEN = _refused("No such sheet, or not the caller's own")
CONFLICT = _refused("Stale lock_version, or the sheet is locked (or not locked, to reopen)")
SHEET = _ok("ScoreSheet", "The sheet")

PATHS.update(
    {
        "/api/v1/scoring/assignments": {
            "get": _op(
                "Assignments: an expert's own; every assignment for the office (filterable)",
                _ok("AssignmentPage", "One page of assignments, by id"),
                [
                    _param("page"),
                    _param("per_page"),
                    _query("campaign_id", {"type": "integer", "minimum": 1}, "Only this campaign"),
                    _query("year", {"type": "integer", "minimum": 1900}, "Only this year"),
                    _query("panel_id", {"type": "integer", "minimum": 1}, "Only this panel"),
                    _query("expert_id", {"type": "integer", "minimum": 1}, "Office: one expert"),
                    _query(
                        "status",
                        {"type": "string", "enum": _values(AssignmentStatus)},
                        "Only this status",
                    ),
                ],
                {"400": INVALID, "403": FORBIDDEN},
            )
        },
        "/api/v1/scoring/sheets/{sheet_id}": {
            "get": _op(
                "One score sheet: the expert's own (after the pledge), or any for the office",
                SHEET,
                [SHEET_ID],
                {"403": FORBIDDEN, "404": HIDDEN},
            ),
            "put": _op(
                "Save the expert's draft sheet; every problem at once, nothing saved on one",
                SHEET,
                [SHEET_ID],
                {
                    "400": _refused("Not a JSON object"),
                    "403": FORBIDDEN,
                    "404": HIDDEN,
                    "409": CONFLICT,
                    "422": _refused(
                        "Entries out of range, a comment over 4,000 characters, "
                        "or lock_version missing"
                    ),
                },
                body="ScoreSheetSave",
            ),
        },
        "/api/v1/scoring/sheets/{sheet_id}/lock": {
            "post": _op(
                "Lock the expert's sheet; every criterion must be scored",
                SHEET,
                [SHEET_ID],
                {
                    "400": _refused("A body that is not a JSON object"),
                    "403": FORBIDDEN,
                    "404": HIDDEN,
                    "409": CONFLICT,
                    "422": _refused("Criteria left unscored, listed at once"),
                },
                body="ScoreSheetLock",
            )
        },
        "/api/v1/scoring/sheets/{sheet_id}/reopen": {
            "post": _op(
                "The office reopens a locked sheet, with a reason",
                SHEET,
                [SHEET_ID],
                {
                    "400": _refused("Not a JSON object"),
                    "403": FORBIDDEN,
                    "404": HIDDEN,
                    "409": CONFLICT,
                    "422": _refused("No reason given, or one longer than 2,000 characters"),
                },
                body="ScoreSheetReopen",
            )
        },
    }
)
