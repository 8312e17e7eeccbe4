"""Who may use the review pages and decide on a packet (渠道审核、形式审查)."""

from __future__ import annotations

from sqlalchemy.orm import object_session

from portal.accounts.models import Role
from portal.applications import rules as application_rules
from portal.applications.models import Application, ApplicationState
from portal.organizations.models import OrgKind


def _is(user, *roles: Role) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.role in roles)


def can_use_queue(user) -> bool:
    """The review queue is for channel reviewers of a channel organization."""
    return _is(user, Role.CHANNEL_REVIEWER) and user.organization.kind is OrgKind.CHANNEL


def can_formal_check(user) -> bool:
    return _is(user, Role.OFFICE)


def can_open_review(user, application: Application) -> bool:
    """The review page of a packet: reviewers and the office who may read the packet."""
    return _is(user, Role.CHANNEL_REVIEWER, Role.OFFICE) and (
        application_rules.can_view_application(user, application)
    )


def stage_problem(user, application: Application) -> str | None:
    """Why this reviewer cannot decide on the packet now (a message key), or None."""
    from portal.review.chain import stage_problem as chain_problem

    if application.state is not ApplicationState.SUBMITTED:
        return "not_allowed"
    return chain_problem(object_session(application), application, user.organization)


def can_decide(user, application: Application) -> bool:
    """A channel reviewer at the packet's current stage, or the office at the formal check."""
    if not can_open_review(user, application):
        return False
    if _is(user, Role.OFFICE):
        return application.state is ApplicationState.RECOMMENDED
    return stage_problem(user, application) is None
