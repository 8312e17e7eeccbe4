"""Who files, reads, returns and aggregates activity statistics tables."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.organizations.models import OrgKind
from portal.statistics.models import StatisticsState


def _is(user, *roles: Role) -> bool:
    return bool(user and getattr(user, "is_authenticated", False) and user.role in roles)


def can_file_statistics(user) -> bool:
    """Channel reviewers file the table of their recommending (channel) organization."""
    return (
        _is(user, Role.CHANNEL_REVIEWER)
        and user.organization is not None
        and user.organization.kind is OrgKind.CHANNEL
    )


def can_view_table(user, table) -> bool:
    if _is(user, Role.OFFICE):
        return True
    return can_file_statistics(user) and user.organization_id == table.organization_id


def can_edit_table(user, table) -> bool:
    return (
        can_file_statistics(user)
        and user.organization_id == table.organization_id
        and table.state in (StatisticsState.DRAFT, StatisticsState.RETURNED)
    )


def can_return_table(user, table) -> bool:
    return _is(user, Role.OFFICE) and table.state is StatisticsState.SUBMITTED


def can_aggregate_statistics(user) -> bool:
    """The aggregation of all tables and its exports are the office's."""
    return _is(user, Role.OFFICE)
