"""Rows to JSON-ready dicts for the API modules not yet described by models (honours, notice,
scoring); times in ISO 8601 with the Asia/Shanghai offset (+08:00)."""

from __future__ import annotations

from portal.api.spec import iso, number
from portal.organizations.models import District, Industry, Organization

__all__ = ["iso", "number", "organization_summary", "reference"]


def reference(row: District | Industry | None) -> dict | None:
    if row is None:
        return None
    return {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en}


def organization_summary(org: Organization) -> dict:
    return {"id": org.id, "name": org.name, "kind": org.kind.value}
