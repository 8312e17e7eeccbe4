"""Scanned paper batches (纸质调查表) in a packet's survey slot: the reviewer's count of the
filled-in surveys in each, and how many answers the batches stand in for against the
category's minimum."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload

from portal import audit
from portal.applications.models import Application, ApplicationFile, FileCategory
from portal.clock import utcnow
from portal.survey import rules
from portal.survey.errors import SurveyError
from portal.survey.models import BatchCount, SurveySettings

MAX_COUNT = 10000  # more surveys than any service window collects in a campaign


@dataclass(frozen=True)
class Batch:
    """One scanned batch, its count (None until a reviewer counts it), and the answers it
    stands in for now."""

    file: ApplicationFile
    count: BatchCount | None
    credit: int


@dataclass(frozen=True)
class PaperFigures:
    """A packet's paper batches against its category's minimum of answers."""

    batches: list[Batch]
    cap: int  # the campaign's figure: the most one batch counts for
    online: int
    minimum: int

    @property
    def credit(self) -> int:
        return sum(b.credit for b in self.batches)

    @property
    def provisional(self) -> bool:
        return any(b.count is None for b in self.batches)

    @property
    def short(self) -> int:
        """Answers missing once the counted batches count as counted (0: none missing)."""
        return max(self.minimum - self.online - self.credit, 0)


def paper_batches(application: Application) -> list[ApplicationFile]:
    """The uploads in the packet's survey slot, oldest first."""
    return sorted(
        (f for f in application.files if f.category is FileCategory.SURVEY), key=lambda f: f.id
    )


def counts_of(session: Session, files: list[ApplicationFile]) -> dict[int, BatchCount]:
    """The reviewers' counts of these batches, by the batch's id."""
    if not files:
        return {}
    rows = session.scalars(
        sa.select(BatchCount)
        .where(BatchCount.application_file_id.in_([f.id for f in files]))
        .options(joinedload(BatchCount.counted_by))
    )
    return {row.application_file_id: row for row in rows}


def batches_of(session: Session, settings: SurveySettings, application: Application) -> list[Batch]:
    """Each batch with what it stands in for. A counted batch counts its surveys, up to the
    campaign's figure. The batches no one has counted yet stand in, together, for the
    campaign's figure: provisionally, as one scan did before reviewers counted, so that the
    unit can submit, and so that a batch uploaded as several files does not count several
    times before anyone has looked. Where the campaign's figure is 0, paper counts for nothing.
    """
    cap = settings.paper_batch_answers
    files = paper_batches(application)
    counts = counts_of(session, files) if cap else {}
    provisional = cap
    batches = []
    for file in files:
        count = counts.get(file.id)
        if count is not None:
            credit = min(count.counted, cap)
        else:
            credit, provisional = provisional, 0
        batches.append(Batch(file, count, credit))
    return batches


def paper_credit(session: Session, settings: SurveySettings, application: Application) -> int:
    """The answers the packet's paper batches stand in for now."""
    return sum(b.credit for b in batches_of(session, settings, application))


def paper_figures(
    session: Session, settings: SurveySettings, application: Application, online: int
) -> PaperFigures:
    return PaperFigures(
        batches=batches_of(session, settings, application),
        cap=settings.paper_batch_answers,
        online=online,
        minimum=application.category.min_surveys,
    )


def _locked_batch(session: Session, application: Application, file_id: int) -> ApplicationFile:
    """The packet's batch, its row locked: counts of one batch are taken one after another,
    each reading the one before it."""
    batch = session.scalar(
        sa.select(ApplicationFile)
        .where(
            ApplicationFile.id == file_id,
            ApplicationFile.application_id == application.id,
            ApplicationFile.category == FileCategory.SURVEY,
        )
        .with_for_update()
    )
    if batch is None:
        raise SurveyError("no_batch")
    return batch


def record_count(
    session: Session,
    settings: SurveySettings | None,
    application: Application,
    file_id: int,
    counted: int,
    actor,
    now=None,
) -> bool:
    """Record the reviewer's count of one batch's filled-in surveys; a later count replaces
    an earlier one (the last wins) and the audit trail keeps each. The same count posted again
    by the same reviewer (a double post) changes nothing and returns False. The caller commits.
    """
    if not rules.can_count_batches(actor, application):
        raise SurveyError("count_not_allowed")
    if settings is None or not settings.paper_batch_answers:
        raise SurveyError("no_paper")
    if not 0 <= counted <= MAX_COUNT:
        raise SurveyError("count_range")
    batch = _locked_batch(session, application, file_id)
    row = session.scalar(
        sa.select(BatchCount)
        .where(BatchCount.application_file_id == batch.id)
        .execution_options(populate_existing=True)
    )
    if row is not None and (row.counted, row.counted_by_id) == (counted, actor.id):
        return False
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = BatchCount(application_file_id=batch.id)
        session.add(row)
    row.counted, row.counted_by_id, row.counted_at = counted, actor.id, now or utcnow()
    session.flush()
    after = audit.snapshot(row) | {
        "application_id": application.id,
        "filename": batch.stored_file.filename,
        "counts_for": min(counted, settings.paper_batch_answers),
    }
    audit.record(
        session, actor=actor, action="survey.batch_count", obj=row, before=before, after=after
    )
    return True
