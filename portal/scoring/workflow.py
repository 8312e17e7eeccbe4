"""The life of a score sheet and of an expert's assignment: every state and allowed move, with
who may make it. These tables are the only place either record changes state; services call
fire() below, which writes one audit entry per move ('sheet.lock', 'assignment.withdraw', ...).

Score sheet:
    draft ─lock───▶ locked   (its own expert, pledge accepted, every criterion scored)
    locked ─reopen─▶ draft   (the programme office, with a reason; the expert is mailed it)
    Neither move once the packet has left expert review (its candidate list is confirmed).

Assignment (created active or reserve by the office, by hand or automatically):
    active  ─withdraw─▶ withdrawn   (its own expert: conflict of interest or abstention, reason)
    reserve ─withdraw─▶ withdrawn   (the same, before being called on)
    reserve ─promote──▶ active      (the office hands a withdrawn place to the packet's reserve)
    withdrawn ─reassign▶ released   (the office hands the place on to a successor)
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import ApplicationState
from portal.campaigns.models import RubricKind
from portal.db import session_of
from portal.refusals import Refusal
from portal.roles import Role
from portal.scoring.errors import Refused
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    Pledge,
    ScoreSheet,
    SheetStatus,
)
from portal.workflow import Workflow, allow

A = AssignmentStatus


def _own(expert, actor) -> bool:
    """Whether the acting expert login is the login of `expert`. A saved login always has an
    id, so it never passes for an expert without one; only the demo's unsaved stand-in does."""
    return expert is not None and expert.user_id == actor.id


def unscored_criteria(sheet: ScoreSheet) -> list[str]:
    """Rubric codes of the criteria the sheet has no score for yet."""
    return [
        line.rubric_item.code
        for line in sheet.items
        if line.rubric_item.kind is RubricKind.CRITERION and line.score is None
    ]


# --- score sheets ---------------------------------------------------------------------------


def pledge_of(session: Session, expert: Expert, campaign_id: int) -> Pledge | None:
    """The expert's accepted pledge (承诺书) for the campaign, if any."""
    return session.scalar(
        sa.select(Pledge).where(Pledge.expert_id == expert.id, Pledge.campaign_id == campaign_id)
    )


def _guard_own(record: ScoreSheet | Assignment, _current, _target, actor, _now):
    """An expert acts only on their own sheet or assignment."""
    if actor.role is Role.EXPERT and not _own(record.expert, actor):
        return Refusal("scoring.not_assigned")
    return None


def _guard_lockable(sheet: ScoreSheet, _current, target, _actor, _now):
    if target is not SheetStatus.LOCKED:
        return None
    if sheet.assignment.status is not A.ACTIVE:
        return Refusal("scoring.not_active")
    if pledge_of(session_of(sheet), sheet.expert, sheet.campaign_id) is None:
        return Refusal("scoring.pledge_required")
    if unscored_criteria(sheet):
        return Refusal("scoring.incomplete")
    return None


def _guard_list_open(sheet: ScoreSheet, _current, _target, _actor, _now):
    """Scores move only while the packet is in expert review: once the candidate list is
    confirmed (and then signed and published) the totals it was built on stay as they are."""
    if sheet.application.state is not ApplicationState.ACCEPTED:
        return Refusal("scoring.list_settled")
    return None


SHEET_WORKFLOW = Workflow(
    name="sheet",
    attribute="status",
    transitions={
        (SheetStatus.DRAFT, SheetStatus.LOCKED): allow("lock", Role.EXPERT),
        (SheetStatus.LOCKED, SheetStatus.DRAFT): allow("reopen", Role.OFFICE, needs_reason=True),
    },
    guards=[_guard_own, _guard_list_open, _guard_lockable],
    error=Refused,
)


# --- assignments ----------------------------------------------------------------------------


def _guard_withdrawable(assignment: Assignment, _current, target, _actor, _now):
    if target is not A.WITHDRAWN:
        return None
    if assignment.sheet is not None and assignment.sheet.locked:
        return Refusal("scoring.sheet_locked")
    return None


def _guard_promotable(assignment: Assignment, current, target, _actor, _now):
    if current is A.RESERVE and target is A.ACTIVE and not assignment.expert.active:
        return Refusal("scoring.expert_inactive")
    return None


ASSIGNMENT_WORKFLOW = Workflow(
    name="assignment",
    attribute="status",
    transitions={
        (A.ACTIVE, A.WITHDRAWN): allow("withdraw", Role.EXPERT, needs_reason=True),
        (A.RESERVE, A.WITHDRAWN): allow("withdraw", Role.EXPERT, needs_reason=True),
        (A.RESERVE, A.ACTIVE): allow("promote", Role.OFFICE),
        (A.WITHDRAWN, A.RELEASED): allow("reassign", Role.OFFICE),
    },
    guards=[_guard_own, _guard_withdrawable, _guard_promotable],
    error=Refused,
)


def fire(
    session: Session,
    workflow: Workflow,
    obj,
    target,
    actor,
    *,
    reason: str = "",
    changes: dict | None = None,
    extra: dict | None = None,
) -> None:
    """Move obj through `workflow` together with the columns in `changes` (which the database
    ties to the state: a sheet's lock time, a withdrawal's kind), or raise Refused (a guard's
    refusal, else 'not_allowed' or 'stale') and leave obj as it was."""
    workflow.fire(
        session,
        obj,
        target,
        actor=actor,
        reason=reason,
        extra={**(extra or {}), **(changes or {})},
        changes=changes,
    )
