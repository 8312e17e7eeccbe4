"""What the honours package answers when another asks (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.clock import shanghai_today
from portal.honours import revocation, service
from portal.pagination import count_rows
from portal.roles import Role


def subscribe() -> None:
    signals.home_work.connect(_organizer_home, sender=Role.ORGANIZER)
    signals.home_work.connect(_office_home, sender=Role.OFFICE)


def _organizer_home(_role, *, user, session, **_) -> dict:
    """The revocation proposals of the honours page that await this organizer's vote."""
    waiting = [
        p
        for p in revocation.pending_proposals(session)
        if all(v.organization_id != user.organization_id for v in p.votes)
    ]
    return {"revocations": waiting}


def _office_home(_role, *, session, now, **_) -> dict:
    """How many honours still active expire this year: the honours list's own query."""
    year = shanghai_today(now).year
    return {
        "expiring": (year, count_rows(session, service.list_honours(session, expiring_in=year)))
    }
