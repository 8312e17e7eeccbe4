"""Who may make the national recommendation, and who may be on it."""

from __future__ import annotations

from datetime import date

from portal.honours.models import Honour, HonourStatus
from portal.roles import Role, has_role


def can_recommend_nationally(user) -> bool:
    """The programme office selects, ranks and exports."""
    return has_role(user, Role.OFFICE)


def is_current_holder(honour: Honour, today: date) -> bool:
    """Only a title active today (not expired, not revoked) can be recommended upward."""
    return honour.status_on(today) is HonourStatus.ACTIVE
