"""Who manages organizations, and which roles an organization of each kind may hold."""

from __future__ import annotations

from portal.organizations.models import OrgKind
from portal.roles import Role, has_role

# The kinds of organization a role may belong to; None means any kind.
ROLE_ORG_KINDS: dict[Role, frozenset[OrgKind] | None] = {
    Role.ENTERPRISE: frozenset({OrgKind.ENTERPRISE}),
    Role.CHANNEL_REVIEWER: frozenset({OrgKind.CHANNEL}),
    Role.OFFICE: frozenset({OrgKind.OFFICE}),
    Role.ORGANIZER: frozenset({OrgKind.ORGANIZER}),
    Role.EXPERT: None,
    Role.ADMIN: frozenset({OrgKind.OFFICE}),
}


def can_manage_organizations(user) -> bool:
    return has_role(user, Role.OFFICE, Role.ADMIN)


def role_fits_kind(role: Role, kind: OrgKind) -> bool:
    kinds = ROLE_ORG_KINDS[role]
    return kinds is None or kind in kinds
