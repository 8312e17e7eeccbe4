"""The review chain part of the OpenAPI document: queue, decisions, deciding."""

from __future__ import annotations

from portal.api.openapi import (
    APPLICATION_ID,
    HIDDEN,
    INVALID,
    PATHS,
    SCHEMAS,
    SHANGHAI_TIME,
    SUMMARY_PROPERTIES,
    _error,
    _json_body,
    _object,
    _operation,
    _param,
    _query,
    _ref,
    _refused,
    _values,
)
from portal.applications.models import ApplicationState
from portal.review.models import Decision

NULLABLE_STAGE = {"anyOf": [_ref("Stage"), {"type": "null"}]}
STANDING = _object(
    {
        "id": {"type": "integer"},
        "state": {"type": "string", "enum": _values(ApplicationState)},
        "stage_position": {
            "type": ["integer", "null"],
            "description": "Position in the campaign's review chain the packet is at",
        },
        "lock_version": {
            "type": "integer",
            "description": "Send it back with a decision (optimistic locking)",
        },
    }
)

SCHEMAS.update(
    {
        "ReviewQueueItem": _object(
            {
                **SUMMARY_PROPERTIES,
                "lock_version": {"type": "integer"},
                "stage": {
                    **NULLABLE_STAGE,
                    "description": "The reviewer's stage the packet waits at (the office "
                    "stage for the formal check)",
                },
                "overdue": {
                    "type": "boolean",
                    "description": "The recommendation deadline has passed",
                },
            }
        ),
        "ReviewQueue": _object(
            {
                "data": {"type": "array", "items": _ref("ReviewQueueItem")},
                "meta": _ref("PageMeta"),
                "deadline": {
                    "anyOf": [SHANGHAI_TIME, {"type": "null"}],
                    "description": "The campaign's recommendation deadline",
                },
            }
        ),
        "StageDecision": _object(
            {
                "id": {"type": "integer"},
                "version": {"type": "integer", "description": "The version decided on"},
                "stage": {
                    **NULLABLE_STAGE,
                    "description": "Null only for a formal check without an office stage",
                },
                "organization": {"anyOf": [_ref("OrganizationSummary"), {"type": "null"}]},
                "decision": {"type": "string", "enum": _values(Decision)},
                "opinion": {"type": "string"},
                "decided_at": SHANGHAI_TIME,
            }
        ),
        "ApplicationStanding": STANDING,
        "DecisionList": _object(
            {
                "application": _ref("ApplicationStanding"),
                "data": {"type": "array", "items": _ref("StageDecision")},
            }
        ),
        "DecisionCreate": _object(
            {
                "decision": {
                    "type": "string",
                    "enum": _values(Decision),
                    "description": "forward, return or not_recommend at a channel stage; "
                    "accept or reject at the office's formal check",
                },
                "opinion": {
                    "type": "string",
                    "description": "Required for return, not_recommend and reject; the "
                    "enterprise reads it",
                },
                "lock_version": {
                    "type": "integer",
                    "description": "The packet's lock_version when it was read",
                },
            },
            required=["decision"],
        ),
        "DecisionMade": _object(
            {"application": _ref("ApplicationStanding"), "decision": _ref("StageDecision")}
        ),
    }
)

PATHS.update(
    {
        "/api/v1/review/queue": {
            "get": _operation(
                "Packets waiting for the token's channel organization at its stage (channel "
                "reviewers), or recommended packets at the formal check (the office)",
                "200",
                {
                    "description": "One page, oldest submission first",
                    "content": {"application/json": {"schema": _ref("ReviewQueue")}},
                },
                [
                    _query("campaign_id", {"type": "integer", "minimum": 1}, "Default: current"),
                    _query("category_id", {"type": "integer", "minimum": 1}, "Only this category"),
                    _param("page"),
                    _param("per_page"),
                ],
                {
                    "400": INVALID,
                    "403": _error("Not a channel reviewer or the programme office"),
                    "404": _error("No such campaign"),
                },
            ),
        },
        "/api/v1/applications/{application_id}/decisions": {
            "get": _operation(
                "Every stage's decision on every version of the packet, oldest first",
                "200",
                {
                    "description": "The decisions and where the packet stands",
                    "content": {"application/json": {"schema": _ref("DecisionList")}},
                },
                [APPLICATION_ID],
                {"404": HIDDEN},
            ),
            "post": _operation(
                "Decide at the packet's current stage: forward, return or not recommend "
                "(channel), accept or reject (office formal check)",
                "201",
                {
                    "description": "The decision, and where the packet now stands",
                    "content": {"application/json": {"schema": _ref("DecisionMade")}},
                },
                [APPLICATION_ID],
                {
                    "400": _error("The body is not a JSON object"),
                    "404": HIDDEN,
                    "409": _refused(
                        "Someone decided since lock_version was read (decision_stale), or the "
                        "decision is not allowed: wrong stage or organization, already "
                        "decided, or after the recommendation deadline"
                    ),
                    "422": _refused(
                        "An unknown decision, or no reason for a return, not-recommend or rejection"
                    ),
                },
                body=_json_body("DecisionCreate"),
            ),
        },
    }
)
