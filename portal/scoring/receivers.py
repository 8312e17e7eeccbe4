"""What expert review does when another package asks or announces something (portal.signals)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import signals
from portal.applications.models import Application, ApplicationState
from portal.roles import Role
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Pledge


def subscribe() -> None:
    signals.packet_readers.connect(_expert_reads, sender=Role.EXPERT)


def _expert_reads(_role, *, user, **_) -> sa.ColumnElement[bool]:
    """An expert reads the handed-in packets it is actively assigned to, once it has accepted
    the campaign's pledge."""
    assigned = sa.exists(
        sa.select(Assignment.id)
        .join(Expert, Expert.id == Assignment.expert_id)
        .join(
            Pledge,
            sa.and_(Pledge.expert_id == Expert.id, Pledge.campaign_id == Assignment.campaign_id),
        )
        .where(
            Expert.user_id == user.id,
            Expert.active.is_(True),
            Assignment.application_id == Application.id,
            Assignment.status == AssignmentStatus.ACTIVE,
        )
        .correlate(Application)
    )
    return sa.and_(Application.state != ApplicationState.DRAFT, assigned)
