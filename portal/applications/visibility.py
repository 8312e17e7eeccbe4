"""Who sees an application packet: one SQL filter, used for lists and for the single packet.

`visible_applications(user)` is the only definition. The single-packet check
(`rules.can_view_application`) asks whether the packet's id is in that filtered query, and pages
that show many packets ask once with `visible_ids`, so a list, a detail page and the API never
disagree. `visible_submitted_ids` is visible_ids for packets known to be handed in: it answers
the office, which reads all of those, without a query (a test holds the two equal for every role).

- the owning enterprise: its own packets in every state, drafts included;
- the programme office: every packet once handed in (not drafts);
- a channel reviewer: packets routed to its channel organization once they reach its stage
  (portal/review/chain.py, reviewer_sees_sql, given through the packet_readers signal);
- an expert: packets it is actively assigned to, after accepting the campaign's pledge (not
  as a reserve, not after declaring a conflict or abstaining, not once released; given by
  portal/scoring/receivers.py through the packet_readers signal);
- organizers, administrators and anonymous visitors: none.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import signals
from portal.applications.models import Application, ApplicationState
from portal.roles import Role


def _role(user) -> Role | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user.role


def visible_applications(user) -> sa.ColumnElement[bool]:
    """The packets `user` may read, as a WHERE clause on Application."""
    role = _role(user)
    if role is Role.ENTERPRISE:
        return Application.organization_id == user.organization_id
    if role is Role.OFFICE:
        return Application.state != ApplicationState.DRAFT
    answers = [clause for _receiver, clause in signals.packet_readers.send(role, user=user)]
    return sa.or_(*answers) if answers else sa.false()


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


def visible_submitted_ids(session: Session, user, ids: Iterable[int]) -> set[int]:
    """visible_ids for packets known to be handed in (no drafts among them, as on the results
    pages): the office reads every handed-in packet, so it is answered without a query;
    every other role asks visible_ids."""
    if _role(user) is Role.OFFICE:
        return set(ids)
    return visible_ids(session, user, ids)


def sees(session: Session | None, user, application: Application) -> bool:
    """Whether `user` may read this packet: its id is in the visible query."""
    if session is None or application.id is None:
        return False
    return application.id in visible_ids(session, user, [application.id])
