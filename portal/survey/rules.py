"""Who may do what with a packet's survey: pure checks on the user and the packet."""

from __future__ import annotations

from portal.applications import rules as application_rules
from portal.applications.models import Application, ApplicationState
from portal.review import rules as review_rules
from portal.roles import Role, has_role

OPENABLE = (ApplicationState.DRAFT, ApplicationState.RETURNED, ApplicationState.INCOMPLETE)


def can_open_survey(user, application: Application) -> bool:
    """The packet's own unit opens its survey while it prepares the packet."""
    return application_rules.is_own(user, application) and application.state in OPENABLE


def can_manage_survey(user, application: Application) -> bool:
    """The link, the QR code, the poster and the live count: the packet's own unit."""
    return application_rules.is_own(user, application)


def can_read_figures(user, application: Application) -> bool:
    """Counts and satisfaction figures: whoever may read the packet."""
    return application_rules.can_view_application(user, application)


def can_read_origins(user, application: Application) -> bool:
    """Flags with their evidence (addresses, times): those who judge the packet, never its unit."""
    return not application_rules.is_own(user, application) and can_read_figures(user, application)


def can_export_answers(user) -> bool:
    """Every answer of a packet, contacts included: the programme office."""
    return has_role(user, Role.OFFICE)


def can_edit_settings(user) -> bool:
    return has_role(user, Role.OFFICE)


def can_count_batches(user, application: Application) -> bool:
    """The filled-in surveys of each scanned paper batch: whoever decides on the packet now,
    the channel reviewer at its stage or the office at its formal check; never its unit."""
    return not application_rules.is_own(user, application) and review_rules.can_decide(
        user, application
    )
