"""What eligibility answers (portal.signals): a new campaign gets its rules, a failing packet is
not complete, a barred unit starts no packet."""

from __future__ import annotations

from portal import signals
from portal.eligibility import service
from portal.eligibility.service_integrity import unit_bar


def subscribe() -> None:
    signals.campaign_created.connect(seed_rules)
    signals.packet_missing.connect(failing_conditions)
    signals.packet_start.connect(barred_unit)


def seed_rules(campaign, *, session, source=None, **_kw) -> None:
    service.seed_rules(session, campaign, source)


def failing_conditions(application, *, session, **_kw) -> list:
    return service.failing_messages(session, application)


def barred_unit(campaign, *, session, organization, **_kw):
    return unit_bar(session, campaign, organization)
