"""Who may do what in a re-evaluation; which titles are in their third year."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.honours.models import Honour
from portal.honours.rules import add_years
from portal.organizations.models import ChannelLevel, OrgKind
from portal.reevaluation.models import Reevaluation, ReevaluationState
from portal.roles import Role, has_role

S = ReevaluationState
EDITABLE = (S.OPEN, S.RETURNED)


def in_third_year(honour: Honour, today: date) -> bool:
    """From the day two years after the term began to its last day, and not revoked."""
    return (
        honour.revoked_at is None
        and add_years(honour.valid_until, -1) < today <= honour.valid_until
    )


TAKING_PART = (Role.ENTERPRISE, Role.CHANNEL_REVIEWER, Role.OFFICE, Role.ORGANIZER)


def can_list(user) -> bool:
    """The holder's unit, its channel, the office and the organizers."""
    return has_role(user, *TAKING_PART)


def can_review_any(user) -> bool:
    """The list in the navigation: those who review or decide (a unit finds its own on its
    home page)."""
    return has_role(user, Role.CHANNEL_REVIEWER, Role.OFFICE, Role.ORGANIZER)


def can_open_round(user) -> bool:
    return has_role(user, Role.OFFICE)


def is_holder(user, reevaluation: Reevaluation) -> bool:
    return (
        has_role(user, Role.ENTERPRISE)
        and user.organization_id == reevaluation.honour.organization_id
    )


def in_channel(user, reevaluation: Reevaluation) -> bool:
    """The title belongs to the reviewer's channel: its district, or its industry (归口)."""
    if not has_role(user, Role.CHANNEL_REVIEWER) or user.organization.kind is not OrgKind.CHANNEL:
        return False
    org, honour = user.organization, reevaluation.honour
    if org.channel_level is ChannelLevel.DISTRICT:
        return org.district_id is not None and org.district_id == honour.district_id
    if org.channel_level is ChannelLevel.INDUSTRY:
        return org.industry_id is not None and org.industry_id == honour.industry_id
    return False


def visible(user) -> sa.ColumnElement[bool]:
    """The same reading rule as can_view, in SQL on Honour, for the list."""
    if has_role(user, Role.OFFICE, Role.ORGANIZER):
        return sa.true()
    if has_role(user, Role.ENTERPRISE):
        return Honour.organization_id == user.organization_id
    org = user.organization if has_role(user, Role.CHANNEL_REVIEWER) else None
    if org is None or org.kind is not OrgKind.CHANNEL:
        return sa.false()
    if org.channel_level is ChannelLevel.DISTRICT and org.district_id is not None:
        return Honour.district_id == org.district_id
    if org.channel_level is ChannelLevel.INDUSTRY and org.industry_id is not None:
        return Honour.industry_id == org.industry_id
    return sa.false()


def can_view(user, reevaluation: Reevaluation) -> bool:
    if has_role(user, Role.OFFICE, Role.ORGANIZER):
        return True
    return is_holder(user, reevaluation) or in_channel(user, reevaluation)


def can_edit_report(user, reevaluation: Reevaluation) -> bool:
    return is_holder(user, reevaluation) and reevaluation.state in EDITABLE


def can_channel_review(user, reevaluation: Reevaluation) -> bool:
    return in_channel(user, reevaluation) and reevaluation.state is S.AT_CHANNEL


def can_office_review(user, reevaluation: Reevaluation) -> bool:
    return has_role(user, Role.OFFICE) and reevaluation.state is S.AT_OFFICE


def can_let_lapse(user, reevaluation: Reevaluation) -> bool:
    """The office, for a unit that did not report (the deadline is checked by the workflow)."""
    return has_role(user, Role.OFFICE) and reevaluation.state in EDITABLE


def can_decide(user, reevaluation: Reevaluation) -> bool:
    """An organizer (the organization is checked by the workflow)."""
    return has_role(user, Role.ORGANIZER) and reevaluation.state is S.AT_ORGANIZERS
