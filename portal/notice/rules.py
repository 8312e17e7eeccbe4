"""Who may do what with the joint approval, the calendar, the notice and objections."""

from __future__ import annotations

from portal.organizations.models import OrgKind
from portal.roles import Role, has_role


def can_manage_notice(user) -> bool:
    """Ask for the joint approval, open the notice, keep the working-day calendar."""
    return has_role(user, Role.OFFICE)


def can_view_approval(user) -> bool:
    return has_role(user, Role.OFFICE, Role.ORGANIZER)


def can_sign(user) -> bool:
    """An organizer's user signs (会签) for its organization, one of the four systems."""
    org = getattr(user, "organization", None)
    return (
        has_role(user, Role.ORGANIZER)
        and org is not None
        and org.kind is OrgKind.ORGANIZER
        and org.system is not None
    )


def can_handle_objections(user) -> bool:
    return has_role(user, Role.OFFICE)


def can_investigate(user) -> bool:
    """Who may be assigned a case: an active programme office user."""
    return bool(user is not None and user.role is Role.OFFICE and user.active)
