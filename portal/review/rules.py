"""Who may use the review pages and decide on a packet (渠道审核、形式审查)."""

from __future__ import annotations

from portal.applications import rules as application_rules
from portal.applications.models import Application, ApplicationState
from portal.db import session_of
from portal.organizations.models import OrgKind
from portal.refusals import Refusal
from portal.review.chain import stage_problem as chain_problem
from portal.roles import Role, has_role


def can_use_queue(user) -> bool:
    """The review queue is for channel reviewers of a channel organization."""
    return has_role(user, Role.CHANNEL_REVIEWER) and user.organization.kind is OrgKind.CHANNEL


def can_formal_check(user) -> bool:
    return has_role(user, Role.OFFICE)


def can_open_review(user, application: Application) -> bool:
    """The review page of a packet: reviewers and the office who may read the packet."""
    return has_role(user, Role.CHANNEL_REVIEWER, Role.OFFICE) and (
        application_rules.can_view_application(user, application)
    )


def stage_problem(user, application: Application) -> Refusal | None:
    """Why this reviewer cannot decide on the packet now, or None."""
    if application.state is not ApplicationState.SUBMITTED:
        return Refusal("application.not_allowed")
    return chain_problem(session_of(application), application, user.organization)


def can_decide(user, application: Application) -> bool:
    """A channel reviewer at the packet's current stage, or the office at the formal check."""
    if not can_open_review(user, application):
        return False
    if has_role(user, Role.OFFICE):
        return application.state is ApplicationState.RECOMMENDED
    return stage_problem(user, application) is None


def can_request_completion(user, application: Application) -> bool:
    """The office, at the formal check of a recommended packet (退回补正)."""
    return can_decide(user, application) and can_formal_check(user)
