"""Who files, reads, returns and aggregates activity statistics tables."""

from __future__ import annotations

from portal.organizations.models import OrgKind
from portal.roles import Role, has_role
from portal.statistics.models import StatisticsState


def can_file_statistics(user) -> bool:
    """Channel reviewers file the table of their recommending (channel) organization."""
    return (
        has_role(user, Role.CHANNEL_REVIEWER)
        and user.organization is not None
        and user.organization.kind is OrgKind.CHANNEL
    )


def can_view_table(user, table) -> bool:
    if has_role(user, Role.OFFICE):
        return True
    return can_file_statistics(user) and user.organization_id == table.organization_id


def can_edit_table(user, table) -> bool:
    return (
        can_file_statistics(user)
        and user.organization_id == table.organization_id
        and table.state in (StatisticsState.DRAFT, StatisticsState.RETURNED)
    )


def can_return_table(user, table) -> bool:
    return has_role(user, Role.OFFICE) and table.state is StatisticsState.SUBMITTED


def can_aggregate_statistics(user) -> bool:
    """The aggregation of all tables and its exports are the office's."""
    return has_role(user, Role.OFFICE)
