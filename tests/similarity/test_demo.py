"""The demo has a narrative of 2025 recycled by two packets of 2026, and one unrelated packet."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.applications.models import Application
from portal.demo import seed_demo
from portal.similarity.demo import PACKETS
from portal.similarity.models import NarrativeMatch


def test_demo_flags_the_two_recycled_packets_and_not_the_unrelated_one(session):
    seed_demo(today=date(2026, 9, 1))
    ids = {
        team: session.scalar(sa.select(Application.id).where(Application.team_name == team))
        for _y, _u, team, _l, _s in PACKETS
    }
    source, copy_a, copy_b, unrelated = (ids[p[2]] for p in PACKETS)
    pairs = {
        (m.application_id, m.other_application_id)
        for m in session.scalars(sa.select(NarrativeMatch))
    }
    assert pairs == {(copy_a, source), (copy_b, source), (copy_b, copy_a)}
    assert unrelated not in {i for pair in pairs for i in pair}
