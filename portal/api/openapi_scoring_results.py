"""The scoring-results part of the OpenAPI document."""

from __future__ import annotations

from portal.api.openapi import (
    INVALID,
    PATHS,
    REFERENCE,
    SCHEMAS,
    UNAUTHORIZED,
    _error,
    _nullable,
    _object,
    _ok,
    _param,
    _query,
    _ref,
    _values,
)
from portal.applications.models import ApplicationState
from portal.campaigns.models import AggregationMethod, CategoryKind
from portal.scoring.ranking import Direction, TieBreak
from portal.scoring.results import ListStatus

FIGURE = _nullable("number", description="2 places, rounded half up; null without locked sheets")
NULLABLE_REFERENCE = {"anyOf": [REFERENCE, {"type": "null"}]}
PROBLEMS = [
    "nothing_to_confirm",
    "already_confirmed",
    "partly_confirmed",
    "sheets_pending",
    "unscored",
    "over_quota",
]

SCHEMAS.update(
    {
        "ResultPacket": _object(
            {
                "application_id": {"type": "integer"},
                "title": {"type": "string", "description": "Team name, or the person's name"},
                "organization": _ref("OrganizationSummary"),
                "district": NULLABLE_REFERENCE,
                "industry": NULLABLE_REFERENCE,
                "state": {"type": "string", "enum": _values(ApplicationState)},
                "position": {"type": "integer", "minimum": 1},
                "rank": {"type": "integer", "minimum": 1, "description": "Shared by equal figures"},
                "score": {**FIGURE, "description": "The campaign method's figure"},
                "mean": FIGURE,
                "criteria": {**FIGURE, "description": "Mean criteria subtotal (first tie-break)"},
                "mean_z": _nullable("number", description="z_score method: mean z, 4 places"),
                "totals": {"type": "array", "items": {"type": "number"}},
                "dropped": {
                    "type": ["array", "null"],
                    "items": {"type": "number"},
                    "description": "trimmed_mean: the lowest and highest totals left out",
                },
                "sheet_count": {"type": "integer", "minimum": 0},
                "pending_sheets": {"type": "integer", "minimum": 0},
                "spread": _nullable("number"),
                "flagged": {"type": "boolean", "description": "Spread above the threshold"},
                "tie_broken_by": {"type": ["string", "null"], "enum": [*_values(TieBreak), None]},
                "within_quota": {"type": "boolean"},
                "in_list": {"type": "boolean"},
                "move": {
                    "anyOf": [
                        _object(
                            {
                                "direction": {"type": "string", "enum": _values(Direction)},
                                "reason": {"type": "string"},
                            }
                        ),
                        {"type": "null"},
                    ]
                },
            }
        ),
        "ResultCategory": _object(
            {
                "id": {"type": "integer"},
                "code": {"type": "string"},
                "kind": {"type": "string", "enum": _values(CategoryKind)},
                "name_zh": {"type": "string"},
                "name_en": {"type": "string"},
                "quota": {"type": "integer", "minimum": 0},
                "status": {"type": "string", "enum": _values(ListStatus)},
                "in_count": {"type": "integer", "minimum": 0},
                "quota_tie": {"type": ["string", "null"], "enum": [*_values(TieBreak), None]},
                "problems": {
                    "type": "array",
                    "items": {"type": "string", "enum": PROBLEMS},
                    "description": "Why the list cannot be confirmed now",
                },
                "packets": {"type": "array", "items": _ref("ResultPacket")},
            }
        ),
        "ScoringResults": _object(
            {
                "campaign": _object(
                    {
                        "id": {"type": "integer"},
                        "year": {"type": "integer"},
                        "aggregation_method": {
                            "type": "string",
                            "enum": _values(AggregationMethod),
                        },
                        "score_spread_threshold": _nullable("number"),
                    }
                ),
                "categories": {"type": "array", "items": _ref("ResultCategory")},
            }
        ),
    }
)

PATHS["/api/v1/scoring/results"] = {
    "get": {
        "summary": "Aggregated figures, ranking and candidate list of each category "
        "(programme office and organizers)",
        "parameters": [
            _param("lang"),
            _query("campaign", {"type": "integer", "minimum": 1}, "Campaign id; default current"),
            _query("category", {"type": "string"}, "Only this category (code, e.g. team)"),
        ],
        "responses": {
            "200": _ok("ScoringResults", "The results, best figure first within each category"),
            "400": INVALID,
            "401": UNAUTHORIZED,
            "403": _error("Not the programme office or an organizer"),
            "404": _error("No such campaign or category"),
        },
    }
}
