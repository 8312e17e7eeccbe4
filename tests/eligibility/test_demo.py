"""The demo shows packets failing the application conditions: the returned individual short of
the years in post, as its unit and reviewers see it, and a contested declaration."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import CategoryKind
from portal.demo import seed_demo
from portal.eligibility import service
from portal.eligibility.demo import CONTESTED_TEAM


def _failed(session, app) -> set[str]:
    return {c.code for c in service.evaluate(session, app) if c.failed}


def test_the_demo_shows_packets_failing_the_conditions(session):
    seed_demo(today=date(2026, 9, 1))
    returned = session.scalars(
        sa.select(Application).where(
            Application.state == ApplicationState.RETURNED,
            Application.kind == CategoryKind.INDIVIDUAL,
        )
    ).one()
    assert _failed(session, returned) == {"post"}
    contested = session.scalars(
        sa.select(Application).where(Application.team_name == CONTESTED_TEAM)
    ).one()
    assert _failed(session, contested) == {"declaration"}
    handed_in = session.scalars(
        sa.select(Application).where(
            Application.campaign_id == contested.campaign_id,
            Application.state != ApplicationState.DRAFT,
        )
    ).all()
    assert {a for a in handed_in if _failed(session, a)} == {returned, contested}
    seed_demo(today=date(2026, 9, 1))  # idempotent
    assert _failed(session, contested) == {"declaration"}
