"""Revocation (取消荣誉称号): the office proposes, the four organizers decide.

The rule: all four organizers must approve; any one of them can refuse, giving a reason.
Every change writes its audit entry; callers commit.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session, joinedload, selectinload

from portal import audit
from portal.accounts.models import User
from portal.db import lock_row, utcnow
from portal.honours import rules
from portal.honours.errors import HonourError
from portal.honours.models import (
    Honour,
    HonourStatus,
    ProposalState,
    RevocationProposal,
    RevocationVote,
    VoteDecision,
)
from portal.honours.workflow import REVOCATION_WORKFLOW, organizer_ids
from portal.roles import Role


def open_proposal(honour: Honour) -> RevocationProposal | None:
    return next((p for p in honour.proposals if p.state is ProposalState.PROPOSED), None)


def propose_revocation(
    session: Session,
    honour: Honour,
    actor: User,
    reason: str,
    breach_on: date,
    now: datetime | None = None,
) -> RevocationProposal:
    """The office proposes to revoke an active honour; the four organizers then decide."""
    if not rules.can_manage_honours(actor):
        raise HonourError("not_allowed")
    lock_row(session, Honour, honour.id)
    session.refresh(honour, ["proposals"])
    if honour.status_on(rules.shanghai_today(now)) is not HonourStatus.ACTIVE:
        raise HonourError("not_active")
    if open_proposal(honour) is not None:
        raise HonourError("proposal_open")
    if not reason.strip():
        raise HonourError("reason_required")
    if breach_on > rules.shanghai_today(now):
        raise HonourError("date_in_future")
    proposal = RevocationProposal(
        honour=honour, reason=reason.strip(), breach_on=breach_on, proposed_by_id=actor.id
    )
    session.add(proposal)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="revocation.propose",
        obj=proposal,
        after={"honour": honour.certificate_number, "breach_on": breach_on},
        reason=proposal.reason,
    )
    return proposal


def _fire(session: Session, proposal: RevocationProposal, target, actor, now, reason=""):
    """Decide the proposal through REVOCATION_WORKFLOW; state and decision time change together."""
    REVOCATION_WORKFLOW.fire(
        session, proposal, target, actor=actor, reason=reason, changes={"decided_at": now}, now=now
    )


def decide_revocation(
    session: Session,
    proposal: RevocationProposal,
    actor: User,
    approve: bool,
    reason: str = "",
    now: datetime | None = None,
) -> RevocationProposal:
    """One organizer's answer. A refusal (with a reason) ends the proposal; the fourth
    approval approves it and revokes the honour, which then shows on the public revoked list."""
    now = now or utcnow()
    if not rules.can_decide_revocation(actor):
        raise HonourError("not_allowed")
    if actor.organization_id not in organizer_ids(session):
        raise HonourError("not_an_organizer")
    if proposal.state is not ProposalState.PROPOSED:
        raise HonourError("not_open")
    if any(v.organization_id == actor.organization_id for v in proposal.votes):
        raise HonourError("already_decided")
    if not approve and not reason.strip():
        raise HonourError("reason_required")
    decision = VoteDecision.APPROVE if approve else VoteDecision.REFUSE
    vote = RevocationVote(
        proposal=proposal,
        organization_id=actor.organization_id,
        user_id=actor.id,
        decision=decision,
        reason=reason.strip(),
    )
    session.add(vote)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action=f"revocation.vote_{decision.value}",
        obj=proposal,
        after={"organization": actor.organization_id, "decision": decision},
        reason=vote.reason,
    )
    if not approve:
        _fire(session, proposal, ProposalState.REFUSED, actor, now, reason=vote.reason)
    elif _all_approved(session, proposal):
        _fire(session, proposal, ProposalState.APPROVED, actor, now)
        _revoke(session, proposal.honour, proposal, actor, now)
    session.flush()
    return proposal


def _all_approved(session: Session, proposal: RevocationProposal) -> bool:
    needed = organizer_ids(session)
    approved = {v.organization_id for v in proposal.votes if v.decision is VoteDecision.APPROVE}
    return len(needed) == 4 and needed <= approved


def _revoke(session, honour: Honour, proposal: RevocationProposal, actor, now) -> None:
    honour.revoked_at = now
    honour.revocation_reason = proposal.reason
    audit.record(
        session,
        actor=actor,
        action="honour.revoke",
        obj=honour,
        before={"revoked_at": None},
        after={"revoked_at": now, "proposal": proposal.id},
        reason=proposal.reason,
    )


def withdraw_proposal(
    session: Session, proposal: RevocationProposal, actor: User, reason: str, now=None
) -> RevocationProposal:
    if not rules.can_manage_honours(actor):
        raise HonourError("not_allowed")
    if proposal.state is not ProposalState.PROPOSED:
        raise HonourError("not_open")
    if not reason.strip():
        raise HonourError("reason_required")
    _fire(session, proposal, ProposalState.WITHDRAWN, actor, now or utcnow(), reason=reason.strip())
    session.flush()
    return proposal


def pending_proposals(session: Session) -> list[RevocationProposal]:
    """Proposals awaiting the organizers, oldest first."""
    return list(
        session.scalars(
            sa.select(RevocationProposal)
            .where(RevocationProposal.state == ProposalState.PROPOSED)
            .options(
                joinedload(RevocationProposal.honour).joinedload(Honour.campaign),
                selectinload(RevocationProposal.votes),
            )
            .order_by(RevocationProposal.id)
        ).unique()
    )


def is_organizer_approver(session: Session, user: User) -> bool:
    return user.role is Role.ORGANIZER and user.organization_id in organizer_ids(session)
