"""Who may do what with accounts and the office's tools."""

from __future__ import annotations

from portal.accounts.models import User

# The office's tools, read through this module by the API's visibility rules too.
from portal.campaigns.rules import can_manage_campaigns, can_view_campaigns  # noqa: F401
from portal.organizations.rules import can_manage_organizations  # noqa: F401
from portal.roles import Role, has_role


def can_manage_users(user) -> bool:
    return has_role(user, Role.OFFICE, Role.ADMIN)


def can_grant_role(user, role: Role) -> bool:
    """Only a system administrator makes administrators."""
    if role is Role.ADMIN:
        return has_role(user, Role.ADMIN)
    return can_manage_users(user)


def can_edit_user(user, target: User) -> bool:
    return can_manage_users(user) and (target.role is not Role.ADMIN or has_role(user, Role.ADMIN))


def can_view_audit(user) -> bool:
    return has_role(user, Role.OFFICE, Role.ADMIN)


def can_view_outbox(user) -> bool:
    return has_role(user, Role.OFFICE, Role.ADMIN)


def can_use_api_tokens(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))
