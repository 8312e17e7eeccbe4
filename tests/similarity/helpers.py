"""Packets with given narratives, fingerprinted as submission does."""

from __future__ import annotations

import random

from portal.applications.models import ApplicationState
from portal.db import get_session
from portal.similarity import service
from portal.similarity.corpus import narrative, paragraphs, random_names, recycle
from tests.factories import make_application


def packet(text: str, *, state=ApplicationState.SUBMITTED, **fields):
    """A packet in `state` whose one version carries `text`, checked as on submission."""
    app = make_application(state, narrative=text, **fields)
    service.index_version(get_session(), app.versions[0])
    return app


def original_and_copy(seed: int = 7, chars: int = 2500) -> tuple[str, str]:
    """A generated narrative and a recycled copy: other names, other figures, edited sentences."""
    rng = random.Random(seed)
    names = random_names(rng)
    sentences = narrative(rng, names, chars)
    return paragraphs(sentences), paragraphs(recycle(rng, sentences, names, edits=4))


def independent(seed: int, chars: int = 2500) -> str:
    """A narrative written independently from the same stock phrases."""
    rng = random.Random(seed)
    return paragraphs(narrative(rng, random_names(rng), chars))
