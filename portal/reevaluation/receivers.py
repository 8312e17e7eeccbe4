"""The questions the re-evaluation package answers: an honour's past terms, retired codes."""

from __future__ import annotations

from portal import signals
from portal.reevaluation import service


def subscribe() -> None:
    signals.honour_past_terms.connect(_past_terms)
    signals.retired_code.connect(_retired_code)


def _past_terms(honour, *, session, **_):
    return service.past_terms(session, honour) or None


def _retired_code(code, *, session, **_):
    return service.honour_by_retired_code(session, code)
