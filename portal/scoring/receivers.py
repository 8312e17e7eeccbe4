"""What expert review does when another package asks or announces something (portal.signals)."""

from __future__ import annotations

import sqlalchemy as sa

from portal import signals
from portal.applications.models import Application, ApplicationState
from portal.roles import Role
from portal.scoring import assignment, pool, progress
from portal.scoring.models import Assignment, AssignmentStatus, Expert, Pledge


def subscribe() -> None:
    signals.packet_readers.connect(_expert_reads, sender=Role.EXPERT)
    signals.home_work.connect(_expert_home, sender=Role.EXPERT)
    signals.home_work.connect(_office_home, sender=Role.OFFICE)


def _expert_home(_role, *, user, session, campaign, **_) -> dict | None:
    """The expert's work in the current campaign, from the list of its assignments page."""
    expert = pool.expert_for_user(session, user)
    if expert is None or campaign is None:
        return None
    work = progress.expert_campaigns(session, expert)
    return {"expert_work": next((w for w in work if w.campaign_id == campaign.id), None)}


def _office_home(_role, *, session, campaign, **_) -> dict | None:
    """Experts' progress (the progress page's figures), panels with no member, and accepted
    packets whose industry has no panel (the panels page's lists)."""
    if campaign is None:
        return None
    panels = pool.list_panels(session, campaign)
    return {
        "scoring_progress": progress.campaign_progress(session, campaign),
        "empty_panels": [p for p in panels if not p.members],
        "unpaneled": assignment.packets_without_panel(session, campaign),
    }


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
