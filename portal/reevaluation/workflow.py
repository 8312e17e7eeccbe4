"""The life of a re-evaluation (复评): every state and allowed move, with who may make it.

    open ─submit─▶ at_channel ─forward─▶ at_office ─forward─▶ at_organizers ─renew─▶ renewed
      ▲              │ return               │ return               └──lapse──▶ lapsed
    returned ◀───────┴──────────────────────┘
    open, returned ─lapse_unreported─▶ lapsed   (the office, once the reporting date has passed)

The organizers decide jointly (会签), as on a revocation: the title is renewed on the fourth
organizer's vote to renew; any one of them may let it lapse, giving a reason.

The unit submits until the end of the reporting date (Beijing time); a returned report may be
resubmitted while the title runs. Renewing needs a title still current on the decision's day.
"""

from __future__ import annotations

from datetime import date

from portal.clock import shanghai_today
from portal.db import session_of
from portal.honours.workflow import organizer_ids
from portal.reevaluation import rules
from portal.reevaluation.errors import ReevaluationError
from portal.reevaluation.models import Reevaluation, ReevaluationState, VoteDecision
from portal.refusals import Refusal
from portal.roles import Role
from portal.workflow import Workflow, allow

S = ReevaluationState


def _day(day: date) -> dict[str, str]:
    return {"day": day.isoformat()}


def _guard_actor(r: Reevaluation, _current, _target, actor, _now) -> Refusal | None:
    """Enterprises act for their own title, reviewers for their channel's, organizers for one
    of the four organizers."""
    if actor.role is Role.ENTERPRISE and not rules.is_holder(actor, r):
        return Refusal("reevaluation.not_allowed")
    if actor.role is Role.CHANNEL_REVIEWER and not rules.in_channel(actor, r):
        return Refusal("reevaluation.not_allowed")
    if actor.role is Role.ORGANIZER and actor.organization_id not in organizer_ids(session_of(r)):
        return Refusal("reevaluation.not_an_organizer")
    return None


def report_complete(r: Reevaluation) -> bool:
    figures = (r.staff_count, r.satisfaction_rate, r.complaints)
    return bool(r.changes.strip() and r.surveys.strip()) and None not in figures


def _guard_report(r: Reevaluation, current, target, _actor, now) -> Refusal | None:
    if target is not S.AT_CHANNEL:
        return None
    if not report_complete(r):
        return Refusal("reevaluation.report_incomplete")
    if current is S.OPEN and shanghai_today(now) > r.round.report_by:
        return Refusal("reevaluation.report_closed", _day(r.round.report_by))
    return None


def _guard_unreported(r: Reevaluation, current, target, _actor, now) -> Refusal | None:
    unreported = target is S.LAPSED and current in rules.EDITABLE
    if unreported and shanghai_today(now) <= r.round.report_by:
        return Refusal("reevaluation.report_still_open", _day(r.round.report_by))
    return None


def _guard_title(r: Reevaluation, _current, target, _actor, now) -> Refusal | None:
    """Only a current title, of the term under re-evaluation, can be renewed."""
    if target is not S.RENEWED:
        return None
    if r.honour.revoked_at is not None:
        return Refusal("reevaluation.revoked")
    if r.honour.valid_until != r.term_ends_on or shanghai_today(now) > r.term_ends_on:
        return Refusal("reevaluation.expired", _day(r.term_ends_on))
    return None


def _guard_all_renewed(r: Reevaluation, _current, target, _actor, _now) -> Refusal | None:
    """A renewal is the four organizers' joint decision (会签)."""
    if target is not S.RENEWED:
        return None
    renewing = {v.organization_id for v in r.votes if v.decision is VoteDecision.RENEW}
    needed = organizer_ids(session_of(r))
    if len(needed) < 4 or not needed <= renewing:
        return Refusal("reevaluation.renewals_missing")
    return None


REEVALUATION_WORKFLOW = Workflow(
    "reevaluation",
    "state",
    {
        (S.OPEN, S.AT_CHANNEL): allow("submit", Role.ENTERPRISE),
        (S.RETURNED, S.AT_CHANNEL): allow("resubmit", Role.ENTERPRISE),
        (S.AT_CHANNEL, S.AT_OFFICE): allow(
            "channel_forward", Role.CHANNEL_REVIEWER, needs_reason=True
        ),
        (S.AT_CHANNEL, S.RETURNED): allow(
            "channel_return", Role.CHANNEL_REVIEWER, needs_reason=True
        ),
        (S.AT_OFFICE, S.AT_ORGANIZERS): allow("office_forward", Role.OFFICE, needs_reason=True),
        (S.AT_OFFICE, S.RETURNED): allow("office_return", Role.OFFICE, needs_reason=True),
        (S.AT_ORGANIZERS, S.RENEWED): allow("renew", Role.ORGANIZER),
        (S.AT_ORGANIZERS, S.LAPSED): allow("lapse", Role.ORGANIZER, needs_reason=True),
        (S.OPEN, S.LAPSED): allow("lapse_unreported", Role.OFFICE, needs_reason=True),
        (S.RETURNED, S.LAPSED): allow("lapse_unreported", Role.OFFICE, needs_reason=True),
    },
    guards=[_guard_actor, _guard_report, _guard_unreported, _guard_title, _guard_all_renewed],
    error=ReevaluationError,
    refused_move="wrong_state",
    refused_actor="not_allowed",
    refused_reason="reason_required",
)
