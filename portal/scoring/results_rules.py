"""Who may read the scoring results and who may shape and confirm the candidate list."""

from __future__ import annotations

from portal.accounts.models import Role


def _is(user, *roles: Role) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.role in roles)


def can_view_results(user) -> bool:
    """The office and the four organizers read results; experts never see them."""
    return _is(user, Role.OFFICE, Role.ORGANIZER)


def can_manage_candidate_list(user) -> bool:
    """Only the programme office moves packets, confirms and reopens the list."""
    return _is(user, Role.OFFICE)
