"""Rows to JSON-ready dicts; times in ISO 8601 with the Asia/Shanghai offset (+08:00)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from portal.accounts.models import User
from portal.campaigns.models import Campaign, CampaignCategory, ReviewStage, RubricItem
from portal.checks import mask_mobile
from portal.organizations.models import District, Industry, Organization

SHANGHAI = ZoneInfo("Asia/Shanghai")


def iso(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).isoformat(timespec="seconds")
    return value.isoformat()


def number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def mask_email(email: str | None) -> str | None:
    """`w***@example.com`: enough to recognise, not enough to write to."""
    if not email:
        return email
    local, at, domain = email.partition("@")
    return (local[:1] + "***" + at + domain) if at else "***"


def reference(row: District | Industry | None) -> dict | None:
    if row is None:
        return None
    return {"code": row.code, "name_zh": row.name_zh, "name_en": row.name_en}


def organization_summary(org: Organization) -> dict:
    return {"id": org.id, "name": org.name, "kind": org.kind.value}


def organization(org: Organization, *, personal: bool) -> dict:
    """The organization; its contact's mobile and e-mail masked unless `personal`."""
    return {
        **organization_summary(org),
        "system": org.system.value if org.system else None,
        "channel_level": org.channel_level.value if org.channel_level else None,
        "district": reference(org.district),
        "industry": reference(org.industry),
        "parent_id": org.parent_id,
        "credit_code": org.credit_code,
        "unit_nature": org.unit_nature.value if org.unit_nature else None,
        "address": org.address,
        "postcode": org.postcode,
        "active": org.active,
        "contact": {
            "name": org.contact_name,
            "mobile": org.contact_mobile if personal else mask_mobile(org.contact_mobile) or None,
            "email": org.contact_email if personal else mask_email(org.contact_email),
        },
        "created_at": iso(org.created_at),
    }


def me(user: User) -> dict:
    return {
        "id": user.id,
        "name": user.name,
        "email": user.email,
        "role": user.role.value,
        "locale": user.locale,
        "organization": organization_summary(user.organization),
    }


def category(row: CampaignCategory) -> dict:
    return {
        "code": row.code,
        "kind": row.kind.value,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "quota": row.quota,
        "narrative_min_chars": row.narrative_min_chars,
        "narrative_max_chars": row.narrative_max_chars,
        "min_surveys": row.min_surveys,
    }


def stage(row: ReviewStage) -> dict:
    return {
        "position": row.position,
        "system": row.system.value,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
    }


def rubric_item(row: RubricItem) -> dict:
    return {
        "code": row.code,
        "kind": row.kind.value,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
        "description": row.description,
        "points": number(row.points),
        "cap": number(row.cap),
    }


def campaign(row: Campaign, *, rubric: bool) -> dict:
    """The campaign's configuration; the rubric only when `rubric` (scoring roles)."""
    data = {
        "id": row.id,
        "year": row.year,
        "theme": row.theme,
        "status": row.status.value,
        "deadlines": {
            "application": iso(row.application_deadline),
            "recommendation": iso(row.recommendation_deadline),
            "review": iso(row.review_deadline),
        },
        "reference_date": iso(row.reference_date),
        "notice_working_days": row.notice_working_days,
        "categories": [category(c) for c in row.categories],
        "stages": [stage(s) for s in row.stages],
        "districts": [d.code for d in row.districts],
        "industries": [i.code for i in row.industries],
        "attachments": {
            "allowed_file_types": list(row.allowed_file_types),
            "max_file_mb": row.max_file_mb,
            "max_packet_mb": row.max_packet_mb,
            "max_files": row.max_files,
        },
    }
    if rubric:
        data["rubric"] = [rubric_item(r) for r in row.rubric]
    return data
