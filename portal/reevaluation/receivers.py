"""The questions the re-evaluation package answers: an honour's past terms, retired codes."""

from __future__ import annotations

from portal import signals
from portal.reevaluation import rules, service


def subscribe() -> None:
    signals.honour_past_terms.connect(_past_terms)
    signals.retired_code.connect(_retired_code)
    for role in rules.TAKING_PART:
        signals.home_work.connect(_home, sender=role)


def _past_terms(honour, *, session, **_):
    return service.past_terms(session, honour) or None


def _retired_code(code, *, session, **_):
    return service.honour_by_retired_code(session, code)


def _home(_role, *, user, session, **_):
    """The re-evaluations that wait on the user (a unit: its own), for its home page."""
    waiting = service.waiting_on(session, user)
    return {"reevaluations": waiting} if waiting else None
