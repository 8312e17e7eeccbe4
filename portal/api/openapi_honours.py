"""The honours part of the OpenAPI document: public verification, the office's lists."""

from __future__ import annotations

from portal.api.openapi import (
    INVALID,
    NOT_FOUND,
    PATHS,
    REFERENCE,
    SCHEMAS,
    SHANGHAI_TIME,
    _error,
    _get,
    _nullable,
    _object,
    _ok,
    _param,
    _path_id,
    _query,
    _ref,
    _values,
)
from portal.honours.models import HonourStatus

DAY = {"type": "string", "format": "date"}
NULLABLE_DAY = {"type": ["string", "null"], "format": "date"}
NULLABLE_REFERENCE = {"anyOf": [REFERENCE, {"type": "null"}]}
PUBLIC_FIELDS = {
    "status": {
        "type": "string",
        "enum": _values(HonourStatus),
        "description": "Derived from the dates (Asia/Shanghai) and any revocation",
    },
    "holder": {"type": "string", "description": "Team name, or the person's name"},
    "unit": {"type": "string"},
    "kind": {"type": "string", "enum": ["team", "individual"]},
    "category": _object({"code": {"type": "string"}, "name_zh": {"type": "string"},
                         "name_en": {"type": "string"}}),
    "year": {"type": "integer"},
    "theme": {"type": "string"},
    "certificate_number": {"type": "string", "examples": ["FWMX-2026-T-001"]},
    "awarded_on": DAY,
    "valid_until": {**DAY, "description": "Last day of validity: three years less a day"},
    "revoked_on": NULLABLE_DAY,
    "revocation_reason": _nullable("string"),
}  # fmt: skip
FORBIDDEN = _error("Only the programme office and the organizers")

SCHEMAS.update(
    {
        "HonourVerification": _object(PUBLIC_FIELDS),
        "HonourRecord": _object(
            {
                **PUBLIC_FIELDS,
                "id": {"type": "integer"},
                "application_id": {"type": "integer"},
                "organization_id": {"type": "integer"},
                "verification_code": {"type": "string"},
                "district": NULLABLE_REFERENCE,
                "industry": NULLABLE_REFERENCE,
                "revoked_at": {**SHANGHAI_TIME, "type": ["string", "null"]},
            }
        ),
        "HonourPage": _object(
            {"data": {"type": "array", "items": _ref("HonourRecord")}, "meta": _ref("PageMeta")}
        ),
        "Inspection": _object(
            {
                "id": {"type": "integer"},
                "inspected_on": DAY,
                "unannounced": {"type": "boolean"},
                "inspector": {"type": "string"},
                "findings": {"type": "string"},
                "score": {"type": ["number", "null"], "minimum": 0, "maximum": 100},
                "files": {
                    "type": "array",
                    "items": _object(
                        {
                            "id": {"type": "integer"},
                            "filename": {"type": "string"},
                            "content_type": {"type": "string"},
                            "size": {"type": "integer"},
                        }
                    ),
                },
                "created_at": SHANGHAI_TIME,
            }
        ),
        "InspectionList": _object({"data": {"type": "array", "items": _ref("Inspection")}}),
    }
)

verify = _get(
    "Verify a certificate by its code (no token needed; nothing personal is returned)",
    _ok("HonourVerification", "The honour and its status today"),
    [_query("code", {"type": "string"}, "The verification code printed on the certificate")],
    {"400": INVALID, "404": _error("No honour has this code")},
    public=True,
)
verify["get"]["parameters"][-1]["required"] = True

PATHS.update(
    {
        "/api/v1/honours/verify": verify,
        "/api/v1/honours": _get(
            "Honours, newest campaign first (programme office and organizers)",
            _ok("HonourPage", "One page of honours"),
            [
                _param("page"),
                _param("per_page"),
                _query(
                    "status", {"type": "string", "enum": _values(HonourStatus)}, "Only this status"
                ),
                _query("year", {"type": "integer", "minimum": 1900, "maximum": 9999}, "Campaign"),
            ],
            {"400": INVALID, "403": FORBIDDEN},
        ),
        "/api/v1/honours/{honour_id}/inspections": _get(
            "Inspections of one honour, newest first (programme office and organizers)",
            _ok("InspectionList", "The inspections with their evidence files"),
            [_path_id("honour_id", "honour")],
            {"403": FORBIDDEN, "404": NOT_FOUND},
        ),
    }
)
