"""Rows to JSON-ready dicts; times in ISO 8601 with the Asia/Shanghai offset (+08:00)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from portal.accounts.models import User
from portal.applications import personal as personal_data
from portal.applications.fields import fields_for
from portal.applications.models import Application, ApplicationVersion
from portal.campaigns.models import (
    Campaign,
    CampaignCategory,
    CategoryKind,
    ReviewStage,
    RubricItem,
)
from portal.checks import mask_email, mask_mobile  # noqa: F401 (mask_email: used by api.models)
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


# --- application packets (申报材料) ------------------------------------------------------------


def _masked(name: str, value, personal: bool):
    """Personal data masked for readers outside the enterprise and the office (138****5678)."""
    return value if personal else personal_data.mask_value(name, value)


def _birth_date(value, personal: bool):
    """A birth date is a date or nothing here: withheld where it would be masked."""
    return value if personal else None


def _snap_number(raw) -> int | float | None:
    """A Decimal kept as text in a snapshot ("99.20"), as a JSON number (99.2)."""
    return None if raw is None else number(Decimal(str(raw)))


def _sex(female: bool | None) -> str | None:
    return None if female is None else ("female" if female else "male")


def application_category(row: CampaignCategory) -> dict:
    return {
        "code": row.code,
        "kind": row.kind.value,
        "name_zh": row.name_zh,
        "name_en": row.name_en,
    }


def application_summary(app: Application) -> dict:
    return {
        "id": app.id,
        "campaign": {"id": app.campaign_id, "year": app.campaign.year},
        "category": application_category(app.category),
        "organization": organization_summary(app.organization),
        "title": app.title,
        "state": app.state.value,
        "created_at": iso(app.created_at),
        "updated_at": iso(app.updated_at),
        "submitted_at": iso(app.submitted_at),
    }


def packet_file(app_id: int, row: dict) -> dict:
    """A file as a packet snapshot lists it; its id is the stored file's."""
    file_id = row["stored_file_id"]
    return {
        "id": file_id,
        "category": row["category"],
        "filename": row["filename"],
        "kind": row["kind"],
        "size": row["size"],
        "sha256": row["sha256"],
        "url": f"/api/v1/applications/{app_id}/files/{file_id}",
    }


def packet(app_id: int, snap: dict, kind: CategoryKind, *, personal: bool) -> dict:
    """The content of a packet from a snapshot (portal.applications.service.make_snapshot):
    the form's fields, the computed figures, members, honours, narrative and files.

    ID numbers and mobiles are masked, birth dates withheld, unless `personal`.
    """
    cols = snap["fields"]
    fields = {}
    for spec in fields_for(kind):
        value = cols.get(spec.name)
        if spec.kind == "rate":
            value = _snap_number(value)
        fields[spec.name] = _masked(spec.name, value, personal)
    return {
        "fields": fields,
        "figures": {
            "member_count": cols.get("member_count"),
            "average_age": _snap_number(cols.get("average_age")),
            "women_count": cols.get("women_count"),
            "women_share": _snap_number(cols.get("women_share")),
            "birth_date": _birth_date(cols.get("birth_date"), personal),
            "sex": _sex(cols.get("female")),
            "age": cols.get("age"),
            "years_in_post": cols.get("years_in_post"),
        },
        "members": [
            {
                "name": m["name"],
                "id_number": _masked("id_number", m.get("id_number"), personal),
                "sex": _sex(m["female"]),
                "birth_date": _birth_date(m["birth_date"], personal),
                "post": m.get("post") or "",
                "years_in_post": m.get("years_in_post"),
            }
            for m in snap["members"]
        ],
        "honours": [
            {k: str(h.get(k) or "") for k in ("title", "awarded_by", "year")}
            for h in cols.get("honours") or []
        ],
        "narrative": snap["narrative"],
        "narrative_chars": snap["narrative_chars"],
        "files": [packet_file(app_id, f) for f in snap["files"]],
    }


def version_summary(row: ApplicationVersion) -> dict:
    return {
        "number": row.number,
        "submitted_at": iso(row.submitted_at),
        "withdrawn_at": iso(row.withdrawn_at),
        "returned_at": iso(row.returned_at),
        "return_reason": row.return_reason,
    }


def application(
    app: Application,
    *,
    snap: dict,
    shown_version: int | None,
    personal: bool,
    missing: list[str],
    return_reason: str | None,
) -> dict:
    """A packet with its content taken from `snap`: the live draft for its enterprise, the
    latest submitted version (`shown_version`) for reviewers and the office."""
    return {
        **application_summary(app),
        "lock_version": app.lock_version,
        "deadline": iso(app.campaign.application_deadline),
        "return_reason": return_reason,
        "shown_version": shown_version,
        "missing": missing,
        "versions": [version_summary(v) for v in app.versions],
        **packet(app.id, snap, app.category.kind, personal=personal),
    }


def application_version(app: Application, row: ApplicationVersion, *, personal: bool) -> dict:
    """One frozen version, exactly as it was submitted."""
    return {
        "application_id": app.id,
        **version_summary(row),
        **packet(app.id, row.snapshot, app.category.kind, personal=personal),
    }


def stored_file(app_id: int, link) -> dict:
    """A file just attached to a draft (an ApplicationFile)."""
    stored = link.stored_file
    return {
        **packet_file(
            app_id,
            {
                "stored_file_id": stored.id,
                "category": link.category.value,
                "filename": stored.filename,
                "kind": stored.kind,
                "size": stored.size,
                "sha256": stored.sha256,
            },
        ),
        "content_type": stored.content_type,
        "created_at": iso(stored.created_at),
    }
