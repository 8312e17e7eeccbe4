"""Scoring (专家评审): an expert's assignments and own score sheets; the office reads all."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, StrictInt, StrictStr, WithJsonSchema

from portal.api.models.common import Page
from portal.api.spec import Answer, Body, Figure, PageQuery, RowId, ShanghaiTime, Year
from portal.campaigns.models import RubricKind
from portal.scoring.models import Assignment as AssignmentRow
from portal.scoring.models import AssignmentStatus, SheetStatus, WithdrawalKind
from portal.scoring.models import ScoreSheet as SheetRow


class Person(Answer):
    id: int
    name: str


class AssignedPacket(Answer):
    id: int
    title: str
    unit: str
    category: str


class Withdrawal(Answer):
    kind: WithdrawalKind
    reason: str
    at: ShanghaiTime


class SheetGlance(Answer):
    id: int
    status: SheetStatus
    total: Figure
    lock_version: int


def _withdrawal(a: AssignmentRow) -> Withdrawal | None:
    """How the expert left the packet, if they did (a CHECK keeps its time with its kind)."""
    if a.withdrawal_kind is None or a.withdrawn_at is None:
        return None
    return Withdrawal(kind=a.withdrawal_kind, reason=a.withdrawal_reason, at=a.withdrawn_at)


class Assignment(Answer):
    id: int
    campaign_id: int
    panel_id: int
    status: AssignmentStatus
    pledged: bool = Field(
        description="Whether the expert accepted the campaign's pledge; before that the "
        "packet and sheet are withheld"
    )
    expert: Person
    application: AssignedPacket | None
    withdrawal: Withdrawal | None
    sheet: SheetGlance | None

    @classmethod
    def of(cls, a: AssignmentRow, pledged: bool) -> Assignment:
        app, sheet = a.application, a.sheet
        return cls(
            id=a.id,
            campaign_id=a.campaign_id,
            panel_id=a.panel_id,
            status=a.status,
            pledged=pledged,
            expert=Person.model_validate(a.expert, from_attributes=True),
            # Nothing of the packet before the pledge.
            application=AssignedPacket(
                id=app.id, title=app.title, unit=app.organization.name, category=app.category.code
            )
            if pledged
            else None,
            withdrawal=_withdrawal(a),
            sheet=SheetGlance.model_validate(sheet, from_attributes=True)
            if sheet is not None and pledged
            else None,
        )


class AssignmentPage(Page[Assignment]):
    pass


class AssignmentQuery(PageQuery):
    campaign_id: RowId | None = Field(default=None, description="Only this campaign")
    year: Year | None = Field(default=None, description="Only this year")
    panel_id: RowId | None = Field(default=None, description="Only this panel")
    expert_id: RowId | None = Field(default=None, description="Office: one expert")
    status: AssignmentStatus | None = Field(default=None, description="Only this status")


class SheetLine(Answer):
    code: str
    kind: RubricKind
    name_zh: str
    name_en: str
    points: Figure = Field(
        description="Criterion: the maximum; bonus and deduction: points each time"
    )
    cap: Figure | None = Field(description="Most a bonus item adds")
    score: Figure | None = Field(description="Criterion: 0 to points, by 0.5")
    count: int | None = Field(ge=0)
    line_points: Figure


# The sheet's own columns, sent as they are.
SHEET_COLUMNS = (
    "id",
    "assignment_id",
    "application_id",
    "campaign_id",
    "status",
    "locked_at",
    "lock_version",
    "reopen_count",
    "criteria_points",
    "bonus_points",
    "deduction_points",
    "total",
    "comment",
)


class ScoreSheet(Answer):
    id: int
    assignment_id: int
    application_id: int
    campaign_id: int
    expert: Person
    status: SheetStatus
    locked_at: ShanghaiTime | None
    lock_version: int
    reopen_count: int
    criteria_points: Figure
    bonus_points: Figure = Field(description="Outside the 100 points")
    deduction_points: Figure
    total: Figure = Field(description="criteria_points + bonus_points - deduction_points")
    comment: str
    items: list[SheetLine]

    @classmethod
    def of(cls, s: SheetRow) -> ScoreSheet:
        lines = [
            SheetLine(
                code=line.rubric_item.code,
                kind=line.rubric_item.kind,
                name_zh=line.rubric_item.name_zh,
                name_en=line.rubric_item.name_en,
                points=line.rubric_item.points,
                cap=line.rubric_item.cap,
                score=line.score,
                count=line.count,
                line_points=line.points,
            )
            for line in s.items
        ]
        fields = {name: getattr(s, name) for name in SHEET_COLUMNS}
        expert = Person.model_validate(s.expert, from_attributes=True)
        return cls(**fields, expert=expert, items=lines)


class ScoringErrorDetail(Answer):
    code: str = Field(examples=["pledge_required", "stale", "sheet_locked"])
    message: str = Field(description="In the caller's language")
    parameter: str = ""
    problems: dict[str, str] = Field(
        default_factory=dict, description="Every problem at once, keyed by rubric code"
    )


class ScoringError(Answer):
    """A refusal of a sheet's change, with every problem at once."""

    error: ScoringErrorDetail


Entries = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {"type": "object", "additionalProperties": {"type": ["number", "string", "null"]}}
    ),
]


class ScoreSheetSave(Body):
    lock_version: StrictInt
    items: Entries = Field(
        default_factory=dict,
        description="By rubric code: a criterion's score (0 to its maximum in steps of 0.5, "
        "null to leave unscored) or a bonus/deduction count",
    )
    comment: StrictStr | None = None


class ScoreSheetLock(Body):
    lock_version: StrictInt | None = None


class ScoreSheetReopen(Body):
    reason: StrictStr | None = None
    lock_version: StrictInt | None = None
