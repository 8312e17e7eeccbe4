"""The demo shows a re-evaluation in progress: a report forwarded by its channel to the office."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from portal.accounts.models import Role, User
from portal.demo import seed_demo
from portal.reevaluation.models import Reevaluation, ReevaluationState


def test_demo_has_one_re_evaluation_with_the_office(client, login, session):
    seed_demo(today=date(2026, 9, 1))
    rows = session.scalars(sa.select(Reevaluation).order_by(Reevaluation.id)).all()
    at_office = [r for r in rows if r.state is ReevaluationState.AT_OFFICE]
    assert len(at_office) == 1
    [r] = at_office
    assert r.submitted_at is not None and r.channel_opinion and r.satisfaction_rate
    office = session.scalar(sa.select(User).where(User.role == Role.OFFICE))
    login(office)
    assert f'href="/reevaluation/{r.id}"' in client.get("/home").get_data(as_text=True)
    page = client.get(f"/reevaluation/{r.id}").get_data(as_text=True)
    assert 'data-testid="review-form"' in page
    seed_demo(today=date(2026, 9, 1))  # a second run changes nothing
    assert session.scalar(sa.select(sa.func.count(Reevaluation.id))) == len(rows)
