"""The review chain: a reviewer's queue, a packet's stage decisions, and making one."""

from __future__ import annotations

from pydantic import Field, StrictInt, StrictStr

from portal.api.models.applications import ApplicationSummary
from portal.api.models.campaigns import Stage
from portal.api.models.common import PageMeta
from portal.api.models.organizations import OrganizationSummary
from portal.api.spec import Answer, Body, PageQuery, RowId, ShanghaiTime
from portal.applications.models import Application, ApplicationState
from portal.review.models import Decision
from portal.review.models import StageDecision as DecisionRow


class ReviewQueueItem(ApplicationSummary):
    lock_version: int
    stage: Stage | None = Field(
        description="The reviewer's stage the packet waits at (the office stage for the "
        "formal check)"
    )
    overdue: bool = Field(description="The recommendation deadline has passed")


class ReviewQueue(Answer):
    data: list[ReviewQueueItem]
    meta: PageMeta
    deadline: ShanghaiTime | None = Field(description="The campaign's recommendation deadline")


class ReviewQueueQuery(PageQuery):
    campaign_id: RowId | None = Field(default=None, description="Default: current")
    category_id: RowId | None = Field(default=None, description="Only this category")


class StageDecision(Answer):
    id: int
    version: int = Field(description="The version decided on")
    stage: Stage | None = Field(description="Null only for a formal check without an office stage")
    organization: OrganizationSummary | None
    decision: Decision
    opinion: str
    decided_at: ShanghaiTime

    @classmethod
    def of(cls, row: DecisionRow) -> StageDecision:
        return cls(
            id=row.id,
            version=row.version_number,
            stage=Stage.of(row.stage) if row.stage is not None else None,
            organization=OrganizationSummary.of(row.organization) if row.organization else None,
            decision=row.decision,
            opinion=row.opinion,
            decided_at=row.decided_at,
        )


class ApplicationStanding(Answer):
    id: int
    state: ApplicationState
    stage_position: int | None = Field(
        description="Position in the campaign's review chain the packet is at"
    )
    lock_version: int = Field(description="Send it back with a decision (optimistic locking)")

    @classmethod
    def of(cls, app: Application) -> ApplicationStanding:
        return cls(
            id=app.id,
            state=app.state,
            stage_position=app.stage_position,
            lock_version=app.lock_version,
        )


class DecisionList(Answer):
    application: ApplicationStanding
    data: list[StageDecision]


class DecisionMade(Answer):
    application: ApplicationStanding
    decision: StageDecision


class DecisionCreate(Body):
    decision: Decision = Field(
        description="forward, return or not_recommend at a channel stage; accept or reject "
        "at the office's formal check"
    )
    opinion: StrictStr | None = Field(
        default=None,
        description="Required for return, not_recommend and reject; the enterprise reads it",
    )
    lock_version: StrictInt | None = Field(
        default=None, description="The packet's lock_version when it was read"
    )
