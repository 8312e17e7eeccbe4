"""Who sees an application packet: one SQL filter, used for lists and for the single packet.

`visible_applications(user)` is the only definition. The single-packet check
(`rules.can_view_application`) asks whether the packet's id is in that filtered query, and pages
that show many packets ask once with `visible_ids`, so a list, a detail page and the API never
disagree.

- the owning enterprise: its own packets in every state, drafts included;
- the programme office: every packet once handed in (not drafts);
- a channel reviewer: packets routed to its channel organization once they reach its stage
  (portal/review/chain.py, reviewer_sees_sql);
- an expert: packets it is actively assigned to, after accepting the campaign's pledge (not
  as a reserve, not after declaring a conflict or abstaining, not once released);
- organizers, administrators and anonymous visitors: none.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState
from portal.roles import Role


def _role(user) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def _expert_reads(user) -> sa.ColumnElement[bool]:
    from portal.scoring.models import Assignment, AssignmentStatus, Expert, Pledge

    return sa.exists(
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


def visible_applications(user) -> sa.ColumnElement[bool]:
    """The packets `user` may read, as a WHERE clause on Application."""
    from portal.review.chain import reviewer_sees_sql

    role = _role(user)
    handed_in = Application.state != ApplicationState.DRAFT
    if role is Role.ENTERPRISE:
        return Application.organization_id == user.organization_id
    if role is Role.OFFICE:
        return handed_in
    if role is Role.CHANNEL_REVIEWER:
        return reviewer_sees_sql(user.organization)
    if role is Role.EXPERT:
        return sa.and_(handed_in, _expert_reads(user))
    return sa.false()


def visible_ids(session: Session, user, ids: Iterable[int]) -> set[int]:
    """Which of these packet ids `user` may read, in one query."""
    wanted = set(ids)
    if not wanted or _role(user) is None:
        return set()
    return set(
        session.scalars(
            sa.select(Application.id).where(Application.id.in_(wanted), visible_applications(user))
        )
    )


def sees(session: Session | None, user, application: Application) -> bool:
    """Whether `user` may read this packet: its id is in the visible query."""
    if session is None or application.id is None:
        return False
    return application.id in visible_ids(session, user, [application.id])
