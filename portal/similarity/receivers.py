"""What the recycled-narrative check does when something happens elsewhere (portal.signals)."""

from __future__ import annotations

from portal import signals
from portal.similarity.service import index_version


def subscribe() -> None:
    signals.version_frozen.connect(_fingerprint)


def _fingerprint(version, *, session, now, **_) -> None:
    index_version(session, version, now=now)
