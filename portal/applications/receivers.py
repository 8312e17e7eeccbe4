"""What the applications package answers when another asks (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.applications import rows, service
from portal.roles import Role


def subscribe() -> None:
    signals.home_work.connect(_unit_home, sender=Role.ENTERPRISE)
    signals.home_work.connect(_office_home, sender=Role.OFFICE)


def _unit_home(_role, *, user, session, **_) -> dict:
    return {"unit_work": rows.unit_work(session, user.organization_id)}


def _office_home(_role, *, session, campaign, **_) -> dict | None:
    if campaign is None:
        return None
    return {"state_counts": service.state_counts(session, campaign)}
