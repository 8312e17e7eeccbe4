"""The public notice (公示) and objections (异议): public list and case status, office handling."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, StrictInt, StrictStr

from portal.api.models.common import Reference
from portal.api.spec import Answer, Body, Query, ShanghaiTime, Year
from portal.notice.models import Objection as ObjectionRow
from portal.notice.models import ObjectionStatus
from portal.notice.public import PublicRow


def _named(code: str, zh: str, en: str) -> Reference | None:
    return Reference(code=code, name_zh=zh, name_en=en) if code else None


class NoticeCandidate(Answer):
    id: int
    name: str = Field(description="Team name, or the person's name")
    unit: str
    kind: Literal["team", "individual"]
    category: Reference | None
    industry: Reference | None
    district: Reference | None

    @classmethod
    def of(cls, row: PublicRow) -> NoticeCandidate:
        return cls(
            id=row.id,
            name=row.name,
            unit=row.unit,
            kind="team" if row.kind == "team" else "individual",
            category=_named(row.category_code, row.category_zh, row.category_en),
            industry=_named(row.industry_code, row.industry_zh, row.industry_en),
            district=_named(row.district_code, row.district_zh, row.district_en),
        )


class PublicNotice(Answer):
    year: int
    theme: str
    opens_at: ShanghaiTime
    closes_at: ShanghaiTime = Field(
        description="Exclusive end: midnight after the last working day"
    )
    working_days: int
    open: bool
    revised_at: ShanghaiTime | None
    total: int = Field(description="Candidates before filtering")
    candidates: list[NoticeCandidate]


class NoticeQuery(Query):
    year: Year | None = Field(default=None, description="The notice of this campaign year")
    q: str = Field(default="", description="Part of the name or unit")
    category: str = Field(default="", description="Category code")
    district: str = Field(default="", description="District code, e.g. huangpu")
    industry: str = Field(default="", description="Industry code, e.g. finance")


class CaseQuery(Query):
    case: str = Field(
        default="", description="Case number, e.g. YY2026-K7QM-3HXA-PN8C-W2RD (dashes optional)"
    )
    mobile: str = Field(default="", description="The mobile number the objector gave")


class ObjectionCaseStatus(Answer):
    case_number: str = Field(examples=["YY2026-K7QM-3HXA-PN8C-W2RD"])
    status: ObjectionStatus
    received_at: ShanghaiTime
    decided_at: ShanghaiTime | None
    reply: str | None

    @classmethod
    def status_of(cls, case: ObjectionRow) -> dict:
        return {
            "case_number": case.case_number,
            "status": case.status,
            "received_at": case.created_at,
            "decided_at": case.decided_at,
            "reply": case.reply if case.decided else None,
        }


class ObjectedCandidate(Answer):
    id: int
    name: str
    unit: str
    state: str


class Objector(Answer):
    name: str
    mobile: str
    email: str | None


class EvidenceFile(Answer):
    id: int
    filename: str
    kind: str
    size: int


class Objection(ObjectionCaseStatus):
    id: int
    lock_version: int
    year: int
    candidate: ObjectedCandidate
    objector: Objector
    reason: str
    findings: str
    investigator: str | None
    files: list[EvidenceFile]

    @classmethod
    def of(cls, case: ObjectionRow) -> Objection:
        app = case.application
        files = [
            EvidenceFile(
                id=f.stored_file.id,
                filename=f.stored_file.filename,
                kind=f.stored_file.kind,
                size=f.stored_file.size,
            )
            for f in case.files
        ]
        return cls(
            **ObjectionCaseStatus.status_of(case),
            id=case.id,
            lock_version=case.lock_version,
            year=case.notice.campaign.year,
            candidate=ObjectedCandidate(
                id=app.id, name=app.title, unit=app.organization.name, state=app.state.value
            ),
            objector=Objector(name=case.name, mobile=case.mobile, email=case.email),
            reason=case.reason,
            findings=case.findings,
            investigator=case.investigator.name if case.investigator else None,
            files=files,
        )


class ObjectionList(Answer):
    data: list[Objection]


class ObjectionQuery(Query):
    year: Year | None = Field(default=None, description="Only this campaign year")
    status: ObjectionStatus | None = Field(default=None, description="Only this status")


class ObjectionDecision(Body):
    decision: Literal["upheld", "dismissed"]
    reply: StrictStr | None = Field(default=None, description="The reply the objector reads")
    lock_version: StrictInt
