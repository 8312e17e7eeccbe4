"""Honours (荣誉): public verification of a certificate; the office's records and inspections."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import Field

from portal.api.models.common import Page, Reference
from portal.api.spec import Answer, Figure, PageQuery, Query, ShanghaiTime, Year
from portal.honours import rules
from portal.honours.models import Honour, HonourStatus
from portal.honours.models import Inspection as InspectionRow


class HonourCategory(Answer):
    code: str
    name_zh: str
    name_en: str


class HonourVerification(Answer):
    status: HonourStatus = Field(
        description="Derived from the dates (Asia/Shanghai) and any revocation"
    )
    holder: str = Field(description="Team name, or the person's name")
    unit: str
    kind: Literal["team", "individual"]
    category: HonourCategory
    year: int
    theme: str
    certificate_number: str = Field(examples=["FWMX-2026-T-001"])
    awarded_on: date
    valid_until: date = Field(description="Last day of validity: three years less a day")
    revoked_on: date | None
    revocation_reason: str | None

    @classmethod
    def public(cls, honour: Honour, today: date) -> dict[str, Any]:
        category = honour.category
        return {
            "status": honour.status_on(today),
            "holder": honour.holder_name,
            "unit": honour.unit_name,
            "kind": category.kind.value,
            "category": HonourCategory(
                code=category.code, name_zh=category.name_zh, name_en=category.name_en
            ),
            "year": honour.campaign.year,
            "theme": honour.campaign.theme,
            "certificate_number": honour.certificate_number,
            "awarded_on": honour.awarded_on,
            "valid_until": honour.valid_until,
            "revoked_on": rules.shanghai_today(honour.revoked_at) if honour.revoked_at else None,
            "revocation_reason": honour.revocation_reason,
        }


class HonourRecord(HonourVerification):
    id: int
    application_id: int
    organization_id: int
    verification_code: str
    district: Reference | None
    industry: Reference | None
    revoked_at: ShanghaiTime | None

    @classmethod
    def of(cls, honour: Honour, today: date) -> HonourRecord:
        return cls(
            **HonourVerification.public(honour, today),
            id=honour.id,
            application_id=honour.application_id,
            organization_id=honour.organization_id,
            verification_code=honour.verification_code,
            district=Reference.of(honour.district),
            industry=Reference.of(honour.industry),
            revoked_at=honour.revoked_at,
        )


class HonourPage(Page[HonourRecord]):
    pass


class HonourQuery(PageQuery):
    status: HonourStatus | None = Field(default=None, description="Only this status")
    year: Year | None = Field(default=None, description="Campaign")


class VerifyQuery(Query):
    code: str = Field(default="", description="The verification code printed on the certificate")


class InspectionFile(Answer):
    id: int
    filename: str
    content_type: str
    size: int


class Inspection(Answer):
    id: int
    inspected_on: date
    unannounced: bool
    inspector: str
    findings: str
    score: Figure | None = Field(description="0 to 100")
    files: list[InspectionFile]
    created_at: ShanghaiTime

    @classmethod
    def of(cls, row: InspectionRow) -> Inspection:
        files = [
            InspectionFile(
                id=f.stored_file.id,
                filename=f.stored_file.filename,
                content_type=f.stored_file.content_type,
                size=f.stored_file.size,
            )
            for f in row.files
        ]
        return cls(
            id=row.id,
            inspected_on=row.inspected_on,
            unannounced=row.unannounced,
            inspector=row.inspector,
            findings=row.findings,
            score=row.score,
            files=files,
            created_at=row.created_at,
        )


class InspectionList(Answer):
    data: list[Inspection]
