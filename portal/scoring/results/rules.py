"""Who may read the scoring results and who may shape and confirm the candidate list."""

from __future__ import annotations

from portal.roles import Role, has_role


def can_view_results(user) -> bool:
    """The office and the four organizers read results; experts never see them."""
    return has_role(user, Role.OFFICE, Role.ORGANIZER)


def can_manage_candidate_list(user) -> bool:
    """Only the programme office moves packets, confirms and reopens the list."""
    return has_role(user, Role.OFFICE)
