"""The life of a revocation proposal: every state and allowed move, with who may make it.

    proposed ─approve─▶ approved   (the fourth organizer's approval; the honour is revoked)
    proposed ─refuse──▶ refused    (any one organizer, with a reason)
    proposed ─withdraw▶ withdrawn  (the office, with a reason)

The rule: all four organizers (quality association, trade union federation, youth league
committee, women's federation) must approve; any one of them can refuse, with a reason.
"""

from __future__ import annotations

from sqlalchemy.orm import object_session

from portal.honours.errors import HonourError
from portal.honours.models import ProposalState, RevocationProposal, VoteDecision
from portal.notice.service import organizers
from portal.refusals import Refusal
from portal.roles import Role
from portal.workflow import Workflow, allow

P = ProposalState


def organizer_ids(session) -> set[int]:
    """The organizations of the four organizers that approve revocations."""
    return {org.id for org in organizers(session).values() if org is not None}


def _guard_organizer(proposal: RevocationProposal, _current, _target, actor, _now):
    organizers = organizer_ids(object_session(proposal))
    if actor.role is Role.ORGANIZER and actor.organization_id not in organizers:
        return Refusal("honour.not_an_organizer")
    return None


def _guard_all_approved(proposal: RevocationProposal, _current, target, _actor, _now):
    if target is not P.APPROVED:
        return None
    approved = {v.organization_id for v in proposal.votes if v.decision is VoteDecision.APPROVE}
    needed = organizer_ids(object_session(proposal))
    if len(needed) < 4 or not needed <= approved:
        return Refusal("honour.approvals_missing")
    return None


REVOCATION_WORKFLOW = Workflow(
    "revocation",
    "state",
    {
        (P.PROPOSED, P.APPROVED): allow("approve", Role.ORGANIZER),
        (P.PROPOSED, P.REFUSED): allow("refuse", Role.ORGANIZER, needs_reason=True),
        (P.PROPOSED, P.WITHDRAWN): allow("withdraw", Role.OFFICE, needs_reason=True),
    },
    guards=[_guard_organizer, _guard_all_approved],
    error=HonourError,
)
