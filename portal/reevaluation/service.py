"""Re-evaluation operations: open a round, report, review, decide; renewals as past terms.

Every change writes its audit entry (moves through REEVALUATION_WORKFLOW); callers commit.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Session, contains_eager

from portal import audit
from portal.accounts.models import User
from portal.clock import shanghai_today, utcnow
from portal.files.service import store_upload
from portal.honours import rules as honour_rules
from portal.honours.models import Honour
from portal.honours.workflow import organizer_ids
from portal.reevaluation import rules
from portal.reevaluation.errors import ReevaluationError
from portal.reevaluation.models import (
    Reevaluation,
    ReevaluationRound,
    ReevaluationState,
    ReevaluationVote,
    VoteDecision,
)
from portal.reevaluation.notify import tell_unit
from portal.reevaluation.workflow import REEVALUATION_WORKFLOW
from portal.roles import Role
from portal.storage import ByteStream

S = ReevaluationState
REPORT_FILE_KINDS = {"pdf", "jpeg", "png", "docx"}
REPORT_FILE_MAX_BYTES = 20 * 1024 * 1024


# --- the round -----------------------------------------------------------------------------


def holders_due(session: Session, today: date) -> list[Honour]:
    """Current titles in their third year whose present term has no re-evaluation yet."""
    taken = sa.select(Reevaluation.id).where(
        Reevaluation.honour_id == Honour.id, Reevaluation.term_ends_on == Honour.valid_until
    )
    candidates = session.scalars(
        sa.select(Honour)
        .where(Honour.revoked_at.is_(None), Honour.valid_until >= today, ~taken.exists())
        .order_by(Honour.valid_until, Honour.certificate_number)
    ).all()
    return [h for h in candidates if rules.in_third_year(h, today)]


def open_round(
    session: Session, actor: User, title: str, report_by: date, now: datetime | None = None
) -> ReevaluationRound:
    """A round for every title now in its third year; the units report by `report_by`."""
    if not rules.can_open_round(actor):
        raise ReevaluationError("not_allowed")
    today = shanghai_today(now)
    if report_by < today:
        raise ReevaluationError("deadline_past")
    holders = holders_due(session, today)
    if not holders:
        raise ReevaluationError("no_holders")
    first_expiry = min(h.valid_until for h in holders)
    if report_by >= first_expiry:
        raise ReevaluationError("deadline_after_expiry", day=first_expiry.isoformat())
    round_ = ReevaluationRound(
        title=title.strip(), report_by=report_by, opened_by_id=actor.id, opened_at=now or utcnow()
    )
    session.add(round_)
    for honour in holders:
        round_.reevaluations.append(Reevaluation(honour=honour, term_ends_on=honour.valid_until))
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="reevaluation.open_round",
        obj=round_,
        after={
            "report_by": report_by,
            "certificates": [h.certificate_number for h in holders],
        },
    )
    for reevaluation in round_.reevaluations:
        tell_unit(session, reevaluation)
    return round_


# --- the unit's report ---------------------------------------------------------------------


@dataclass
class ReportData:
    changes: str
    surveys: str
    staff_count: int | None
    satisfaction_rate: Decimal | None
    complaints: int | None


def save_report(
    session: Session,
    reevaluation: Reevaluation,
    actor: User,
    data: ReportData,
    upload: tuple[ByteStream, str] | None = None,
) -> None:
    """The unit's draft: the text, the figures and, when given, the file it replaces."""
    if not rules.can_edit_report(actor, reevaluation):
        raise ReevaluationError("not_allowed")
    if upload is not None:
        stream, filename = upload
        reevaluation.stored_file = store_upload(
            session,
            stream,
            filename=filename,
            allowed_kinds=REPORT_FILE_KINDS,
            max_bytes=REPORT_FILE_MAX_BYTES,
            actor=actor,
            prefix="reevaluation",
        )
    reevaluation.changes = data.changes.strip()
    reevaluation.surveys = data.surveys.strip()
    reevaluation.staff_count = data.staff_count
    reevaluation.satisfaction_rate = data.satisfaction_rate
    reevaluation.complaints = data.complaints
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="reevaluation.save_report",
        obj=reevaluation,
        after={
            "staff_count": data.staff_count,
            "satisfaction_rate": data.satisfaction_rate,
            "complaints": data.complaints,
            "file": reevaluation.stored_file_id,
        },
    )


def submit_report(
    session: Session, reevaluation: Reevaluation, actor: User, now: datetime | None = None
) -> None:
    now = now or utcnow()
    target = S.AT_CHANNEL
    REEVALUATION_WORKFLOW.fire(
        session, reevaluation, target, actor=actor, changes={"submitted_at": now}, now=now
    )


# --- reviews and the decision --------------------------------------------------------------


# Where a forwarded report goes next: from the channel to the office, from the office to the
# organizers. The workflow checks that the reviewer is the one for the step.
NEXT_STEP = {S.AT_CHANNEL: S.AT_OFFICE, S.AT_OFFICE: S.AT_ORGANIZERS}
OPINION_FIELD = {S.AT_CHANNEL: "channel_opinion", S.AT_OFFICE: "office_opinion"}


def review(
    session: Session,
    reevaluation: Reevaluation,
    actor: User,
    forward: bool,
    opinion: str,
    now: datetime | None = None,
) -> None:
    """The channel's or the office's opinion: forward the report to the next step, or return
    it to the unit (退回修改) with what to correct."""
    opinion = opinion.strip()
    step = reevaluation.state
    if step not in NEXT_STEP:
        raise ReevaluationError("wrong_state")
    if forward:
        target = NEXT_STEP[step]
        changes = {OPINION_FIELD[step]: opinion, "return_reason": ""}
    else:
        target, changes = S.RETURNED, {"return_reason": opinion}
    REEVALUATION_WORKFLOW.fire(
        session, reevaluation, target, actor=actor, reason=opinion, changes=changes, now=now
    )
    if target is S.RETURNED:
        tell_unit(session, reevaluation)


def let_lapse_unreported(
    session: Session,
    reevaluation: Reevaluation,
    actor: User,
    reason: str,
    now: datetime | None = None,
) -> None:
    """The office closes a re-evaluation the unit did not report by the date: it lapses."""
    _lapse(session, reevaluation, actor, reason, now)


def decide(
    session: Session,
    reevaluation: Reevaluation,
    actor: User,
    renew: bool,
    reason: str = "",
    now: datetime | None = None,
) -> bool:
    """One organizer's vote (会签). The fourth vote to renew renews the title for three years;
    a vote to let it lapse (with a reason) lets it lapse on its date. Returns whether the
    re-evaluation is now decided."""
    reason = reason.strip()
    _check_vote(session, reevaluation, actor, renew, reason)
    vote = ReevaluationVote(
        reevaluation=reevaluation,
        organization_id=actor.organization_id,
        user_id=actor.id,
        decision=VoteDecision.RENEW if renew else VoteDecision.LAPSE,
        reason=reason,
    )
    session.add(vote)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="reevaluation.vote",
        obj=vote,
        after={"decision": vote.decision, "certificate": reevaluation.honour.certificate_number},
        reason=reason,
    )
    if not renew:
        _lapse(session, reevaluation, actor, reason, now)
    elif organizer_ids(session) <= {v.organization_id for v in reevaluation.votes}:
        _renew(session, reevaluation, actor, reason, now)
    else:
        return False
    tell_unit(session, reevaluation)
    return True


def _check_vote(session, reevaluation: Reevaluation, actor, renew: bool, reason: str) -> None:
    if reevaluation.state is not S.AT_ORGANIZERS:
        raise ReevaluationError("wrong_state")
    if not rules.can_decide(actor, reevaluation):
        raise ReevaluationError("not_allowed")
    if actor.organization_id not in organizer_ids(session):
        raise ReevaluationError("not_an_organizer")
    if has_voted(actor, reevaluation):
        raise ReevaluationError("already_voted")
    if not renew and not reason:
        raise ReevaluationError("reason_required")


def _lapse(session, reevaluation: Reevaluation, actor, reason: str, now) -> None:
    now = now or utcnow()
    REEVALUATION_WORKFLOW.fire(
        session,
        reevaluation,
        S.LAPSED,
        actor=actor,
        reason=reason.strip(),
        changes={"decided_at": now, "decision_reason": reason.strip()},
        extra={"lapses_after": reevaluation.term_ends_on},
        now=now,
    )


def _renew(session, reevaluation: Reevaluation, actor, reason: str, now) -> None:
    """A new term from the day after the old one ends, with a new certificate number and code;
    the old term stays on the re-evaluation, so the history shows both."""
    now = now or utcnow()
    honour = reevaluation.honour
    starts_on = reevaluation.term_ends_on + timedelta(days=1)
    new_term = {
        "certificate_number": renewal_number(session, honour),
        "verification_code": fresh_code(session),
        "awarded_on": starts_on,
        "valid_until": honour_rules.valid_until_for(starts_on),
    }
    previous = {
        "previous_certificate_number": honour.certificate_number,
        "previous_verification_code": honour.verification_code,
        "previous_awarded_on": honour.awarded_on,
    }
    REEVALUATION_WORKFLOW.fire(
        session,
        reevaluation,
        S.RENEWED,
        actor=actor,
        reason=reason.strip(),
        changes={**previous, "decided_at": now, "decision_reason": reason.strip()},
        extra={
            "previous_certificate_number": honour.certificate_number,
            "certificate_number": new_term["certificate_number"],
            "valid_until": new_term["valid_until"],
        },
        now=now,
    )
    for key, value in new_term.items():
        setattr(honour, key, value)
    session.flush()


def renewal_number(session: Session, honour: Honour) -> str:
    """The first term's number with -R1, -R2... for each renewal: FWMX-2025-T-001-R1."""
    renewals = session.scalar(
        sa.select(sa.func.count(Reevaluation.id)).where(
            Reevaluation.honour_id == honour.id, Reevaluation.state == S.RENEWED
        )
    )
    first = honour.certificate_number.split("-R")[0]
    return f"{first}-R{(renewals or 0) + 1}"


def fresh_code(session: Session) -> str:
    """A verification code no honour and no renewed term has used."""
    while True:
        code = honour_rules.new_verification_code()
        used = session.scalar(
            sa.select(
                sa.exists().where(Honour.verification_code == code)
                | sa.exists().where(Reevaluation.previous_verification_code == code)
            )
        )
        if not used:
            return code


# --- past terms, for the honour pages ------------------------------------------------------


@dataclass(frozen=True)
class PastTerm:
    """A term a renewal replaced: what the honour pages list under 'earlier terms'."""

    started_on: date
    ended_on: date
    certificate_number: str
    verification_code: str
    renewed_at: datetime


def past_terms(session: Session, honour: Honour) -> list[PastTerm]:
    rows = session.scalars(
        sa.select(Reevaluation)
        .where(Reevaluation.honour_id == honour.id, Reevaluation.state == S.RENEWED)
        .order_by(Reevaluation.term_ends_on)
    ).all()
    return [_past_term(r) for r in rows]


def _past_term(r: Reevaluation) -> PastTerm:
    assert r.previous_awarded_on and r.previous_certificate_number and r.decided_at
    return PastTerm(
        started_on=r.previous_awarded_on,
        ended_on=r.term_ends_on,
        certificate_number=r.previous_certificate_number,
        verification_code=r.previous_verification_code or "",
        renewed_at=r.decided_at,
    )


def honour_by_retired_code(session: Session, code: str) -> Honour | None:
    """The honour whose earlier term's certificate carried this code."""
    return session.scalar(
        sa.select(Honour)
        .join(Reevaluation, Reevaluation.honour_id == Honour.id)
        .where(Reevaluation.previous_verification_code == code)
    )


# --- lists ---------------------------------------------------------------------------------


def visible_reevaluations(session: Session, user: User) -> list[Reevaluation]:
    """What the user's list shows: the office and organizers all, a unit its own, a channel
    reviewer those of its channel; newest round first."""
    query = (
        sa.select(Reevaluation)
        .join(Reevaluation.round)
        .join(Reevaluation.honour)
        .where(rules.visible(user))
        .options(contains_eager(Reevaluation.honour), contains_eager(Reevaluation.round))
        .order_by(ReevaluationRound.id.desc(), Reevaluation.id)
    )
    return list(session.scalars(query))


# The step at which a re-evaluation waits on each role (the unit: its own, at any step).
WAITING_ON = {
    Role.CHANNEL_REVIEWER: (S.AT_CHANNEL,),
    Role.OFFICE: (S.AT_OFFICE,),
    Role.ORGANIZER: (S.AT_ORGANIZERS,),
}


def waiting_on(session: Session, user: User) -> list[Reevaluation]:
    """What the user's home lists: a unit's own re-evaluations, and for reviewers, the office
    and the organizers those at their step."""
    rows = visible_reevaluations(session, user)
    steps = WAITING_ON.get(user.role)
    if steps is None:
        return rows
    return [r for r in rows if r.state in steps and not has_voted(user, r)]


def has_voted(user: User, reevaluation: Reevaluation) -> bool:
    """Whether the user's organization has answered on the re-evaluation already."""
    return any(v.organization_id == user.organization_id for v in reevaluation.votes)


def rounds(session: Session) -> list[ReevaluationRound]:
    return list(session.scalars(sa.select(ReevaluationRound).order_by(ReevaluationRound.id.desc())))
