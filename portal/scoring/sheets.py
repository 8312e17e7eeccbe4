"""The pledge and the score sheets: draft, save, lock, reopen, delete; each move audited."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from portal import audit
from portal.campaigns.models import Campaign, RubricItem, RubricKind
from portal.db import utcnow
from portal.errors import Invalid
from portal.inputs import parse_int
from portal.limits import OPINION_CHARS, REASON_CHARS, too_long
from portal.scoring.errors import Refused
from portal.scoring.models import (
    Assignment,
    AssignmentStatus,
    Expert,
    Pledge,
    ScoreItem,
    ScoreSheet,
    SheetStatus,
)
from portal.scoring.reopening import mail_reopened
from portal.scoring.rules import PLEDGE_TEXT, SCORE_STEP
from portal.scoring.workflow import SHEET_WORKFLOW, fire, pledge_of, unscored_criteria

ZERO = Decimal("0")
MAX_COUNT = 999


# --- pledge ---------------------------------------------------------------------------------


def require_pledge(session: Session, expert: Expert, campaign_id: int) -> None:
    if pledge_of(session, expert, campaign_id) is None:
        raise Refused("pledge_required")


def accept_pledge(session: Session, actor, expert: Expert, campaign: Campaign) -> Pledge:
    """Record the pledge with its time; accepting twice keeps the first."""
    existing = pledge_of(session, expert, campaign.id)
    if existing is not None:
        return existing
    pledge = Pledge(
        campaign_id=campaign.id, expert_id=expert.id, text=PLEDGE_TEXT, accepted_at=utcnow()
    )
    session.add(pledge)
    session.flush()
    audit.record(
        session, actor=actor, action="pledge.accept", obj=pledge, after=audit.snapshot(pledge)
    )
    return pledge


# --- sheets ---------------------------------------------------------------------------------


def new_sheet(assignment: Assignment, campaign: Campaign) -> ScoreSheet:
    """An empty sheet with one line per rubric item of the campaign."""
    rubric = list(campaign.rubric)  # loaded before the new rows exist: no autoflush midway
    sheet = ScoreSheet(
        assignment=assignment,
        campaign_id=campaign.id,
        campaign=campaign,
        application=assignment.application,
        expert=assignment.expert,
        status=SheetStatus.DRAFT,
    )
    sheet.items = [
        ScoreItem(
            rubric_item=item,
            position=item.position,
            score=None,
            count=None if item.kind is RubricKind.CRITERION else 0,
            points=ZERO,
        )
        for item in rubric
    ]
    _total(sheet)
    return sheet


def line_points(kind: RubricKind, points: Decimal, cap: Decimal | None, score, count) -> Decimal:
    """What one rubric line adds (criterion, bonus up to its cap) or takes off (deduction)."""
    if kind is RubricKind.CRITERION:
        return Decimal(score) if score is not None else ZERO
    value = Decimal(count or 0) * Decimal(points)
    if kind is RubricKind.BONUS and cap is not None:
        value = min(value, Decimal(cap))
    return value


def _total(sheet: ScoreSheet) -> None:
    sums = {kind: ZERO for kind in RubricKind}
    for line in sheet.items:
        rubric = line.rubric_item
        line.points = line_points(rubric.kind, rubric.points, rubric.cap, line.score, line.count)
        sums[rubric.kind] += line.points
    sheet.criteria_points = sums[RubricKind.CRITERION]
    limit = sheet.campaign.max_bonus
    bonus = sums[RubricKind.BONUS]
    sheet.bonus_points = min(bonus, Decimal(limit)) if limit is not None else bonus
    sheet.deduction_points = sums[RubricKind.DEDUCTION]
    sheet.total = sheet.criteria_points + sheet.bonus_points - sheet.deduction_points


def _parse_score(rubric: RubricItem, text: str) -> tuple[Decimal | None, object | None]:
    """(score, problem) for a criterion's entry; a blank one leaves it unscored."""
    if text == "":
        return None, None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None, _l("Enter a number of points.")
    if not value.is_finite() or value < 0 or value > rubric.points:
        return None, _l("Give from 0 to %(max)s points.", max=f"{rubric.points.normalize():f}")
    if value % SCORE_STEP != 0:
        return None, _l("Score in steps of half a point.")
    return value.quantize(Decimal("0.01")), None


def _parse_count(rubric: RubricItem, text: str) -> tuple[int | None, object | None]:
    """(count, problem) for a bonus or deduction entry; a blank one counts 0."""
    if text == "":
        return 0, None
    most = max_count(rubric)
    count = parse_int(text, 0, most)
    if count is None:
        return None, _l(
            "Enter how many times it applies, a whole number from 0 to %(max)s"
            " (%(points)s points each time).",
            max=most,
            points=_plain(rubric.points),
        )
    return count, None


def max_count(rubric) -> int:
    """The most times a bonus or deduction line may be counted: its own limit, and for a
    bonus no more times than its cap of points allows."""
    most = rubric.max_count if rubric.max_count is not None else MAX_COUNT
    if rubric.kind is RubricKind.BONUS and rubric.cap is not None:
        most = min(most, int(Decimal(rubric.cap) // Decimal(rubric.points)))
    return max(0, min(most, MAX_COUNT))


def _bonus_problem(sheet: ScoreSheet, parsed: Mapping[str, int]) -> object | None:
    """The campaign's limit on all bonus points of a sheet, with the counts as typed."""
    limit = sheet.campaign.max_bonus
    if limit is None:
        return None
    bonus = ZERO
    for line in sheet.items:
        rubric = line.rubric_item
        if rubric.kind is RubricKind.BONUS:
            count = parsed.get(rubric.code, line.count)
            bonus += line_points(rubric.kind, rubric.points, rubric.cap, None, count)
    if bonus <= limit:
        return None
    given, most = _plain(bonus), _plain(limit)
    return _l(
        "These counts give %(bonus)s bonus points; a sheet may give at most %(max)s in all.",
        bonus=given,
        max=most,
    )


def _plain(points) -> str:
    """Points as people write them: 50, 12.5."""
    return f"{Decimal(points).normalize():f}"


def _check_editable(sheet: ScoreSheet, expert: Expert, lock_version) -> None:
    if sheet.expert_id != expert.id:
        raise Refused("not_assigned")
    if sheet.assignment.status is not AssignmentStatus.ACTIVE:
        raise Refused("not_active")
    if sheet.locked:
        raise Refused("sheet_locked")
    if lock_version is not None and int(lock_version) != sheet.lock_version:
        raise Refused("stale")


def _flush(session: Session) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise Refused("stale") from exc


def sheet_snapshot(sheet: ScoreSheet) -> dict:
    snap = audit.snapshot(sheet)
    snap["items"] = {
        line.rubric_item.code: (str(line.score) if line.score is not None else line.count)
        for line in sheet.items
    }
    return snap


def save_sheet(
    session: Session,
    actor,
    expert: Expert,
    sheet: ScoreSheet,
    entries: Mapping[str, object],
    comment: str | None = None,
    lock_version=None,
) -> ScoreSheet:
    """Save a draft: entries by rubric code (blank criteria stay unscored). Every problem is
    reported at once and nothing is saved when there is one."""
    _check_editable(sheet, expert, lock_version)
    require_pledge(session, expert, sheet.campaign_id)
    scores: dict[str, Decimal | None] = {}  # by criterion
    counts: dict[str, int] = {}  # by bonus or deduction
    problems: dict[str, object] = {}
    for line in sheet.items:
        rubric = line.rubric_item
        if rubric.code not in entries:
            continue
        raw = entries[rubric.code]
        text = "" if raw is None else str(raw).strip()
        if rubric.kind is RubricKind.CRITERION:
            score, problem = _parse_score(rubric, text)
            scores[rubric.code] = score
        else:
            count, problem = _parse_count(rubric, text)
            if count is not None:
                counts[rubric.code] = count
        if problem is not None:
            problems[rubric.code] = problem
    if not problems and (problem := _bonus_problem(sheet, counts)):
        problems["bonus"] = problem
    if comment is not None and (problem := too_long(comment.strip(), OPINION_CHARS)):
        problems["comment"] = problem
    if problems:
        raise Invalid(problems)
    before = sheet_snapshot(sheet)
    for line in sheet.items:
        code = line.rubric_item.code
        if code in scores:
            line.score = scores[code]
        elif code in counts:
            line.count = counts[code]
    if comment is not None:
        sheet.comment = comment.strip()
    _total(sheet)
    sheet.updated_at = utcnow()
    _flush(session)
    audit.record(
        session,
        actor=actor,
        action="sheet.save",
        obj=sheet,
        before=before,
        after=sheet_snapshot(sheet),
    )
    return sheet


def lock_sheet(
    session: Session, actor, expert: Expert, sheet: ScoreSheet, lock_version=None
) -> ScoreSheet:
    """Make the sheet final; every criterion must be scored."""
    _check_editable(sheet, expert, lock_version)
    require_pledge(session, expert, sheet.campaign_id)
    missing = {code: _l("Score this criterion.") for code in unscored_criteria(sheet)}
    if missing:
        raise Refused("incomplete", problems=missing)
    _fire(session, sheet, SheetStatus.LOCKED, actor, locked_at=utcnow())
    return sheet


def reopen_sheet(
    session: Session, actor, sheet: ScoreSheet, reason: str, lock_version=None
) -> ScoreSheet:
    """The office unlocks a sheet so that its expert can correct it; the reason is kept and
    mailed to the expert. Refused once the packet's candidate list is confirmed."""
    if not sheet.locked:
        raise Refused("sheet_not_locked")
    if not (reason or "").strip():
        raise Refused("reason_required")
    if len(reason.strip()) > REASON_CHARS:
        raise Refused("reason_too_long")
    if lock_version is not None and int(lock_version) != sheet.lock_version:
        raise Refused("stale")
    _fire(
        session,
        sheet,
        SheetStatus.DRAFT,
        actor,
        reason=reason.strip(),
        locked_at=None,
        reopen_count=sheet.reopen_count + 1,
    )
    mail_reopened(session, sheet, reason.strip())
    return sheet


def _fire(
    session: Session, sheet: ScoreSheet, target: SheetStatus, actor, reason="", **changes
) -> None:
    """The move through SHEET_WORKFLOW; its audit entry carries the sheet as it then stands."""
    # The state is the workflow's to write; the row version and time change on flush.
    scores = {
        key: value
        for key, value in sheet_snapshot(sheet).items()
        if key not in ("status", "lock_version", "updated_at", *changes)
    }
    try:
        fire(
            session,
            SHEET_WORKFLOW,
            sheet,
            target,
            actor,
            reason=reason,
            changes=changes,
            extra=scores,
        )
    except StaleDataError as exc:
        raise Refused("stale") from exc


def delete_draft_sheet(session: Session, actor, sheet: ScoreSheet) -> None:
    """A withdrawing expert's draft goes; it never counts."""
    before = sheet_snapshot(sheet)
    sheet_id = sheet.id
    if sheet.assignment is not None:
        sheet.assignment.sheet = None
    session.delete(sheet)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="sheet.discard",
        object_type="score_sheet",
        object_id=sheet_id,
        before=before,
    )
