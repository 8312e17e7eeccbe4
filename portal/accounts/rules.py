"""Who may do what with accounts and the office's tools."""

from __future__ import annotations

from portal.accounts.models import Role, User


def _is(user, *roles: Role) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.role in roles)


def can_manage_users(user) -> bool:
    return _is(user, Role.OFFICE, Role.ADMIN)


def can_grant_role(user, role: Role) -> bool:
    """Only a system administrator makes administrators."""
    if role is Role.ADMIN:
        return _is(user, Role.ADMIN)
    return can_manage_users(user)


def can_edit_user(user, target: User) -> bool:
    return can_manage_users(user) and (target.role is not Role.ADMIN or _is(user, Role.ADMIN))


def can_manage_organizations(user) -> bool:
    return _is(user, Role.OFFICE, Role.ADMIN)


def can_manage_campaigns(user) -> bool:
    return _is(user, Role.OFFICE)


def can_view_campaigns(user) -> bool:
    """Campaign configuration pages are for the office and the organizers."""
    return _is(user, Role.OFFICE, Role.ORGANIZER, Role.ADMIN)


def can_view_audit(user) -> bool:
    return _is(user, Role.OFFICE, Role.ADMIN)


def can_view_outbox(user) -> bool:
    return _is(user, Role.OFFICE, Role.ADMIN)


def can_use_api_tokens(user) -> bool:
    return bool(user and getattr(user, "is_authenticated", False))
