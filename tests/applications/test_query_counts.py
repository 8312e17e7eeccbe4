"""Lists of packets run a fixed number of statements, however many packets they show."""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts.models import Role, User
from portal.applications.models import Application, ApplicationState
from tests.factories import make_application, make_campaign, make_user
from tests.querycount import counting


def _statements(client, session, path: str) -> int:
    session.expunge_all()
    with counting(session.connection()) as statements:
        response = client.get(path)
    assert response.status_code == 200
    return len(statements)


def test_a_packets_category_is_found_in_the_session_once_it_was_read(session):
    campaign = make_campaign(year=2601)
    ids = [make_application(campaign=campaign).id for _ in range(5)]
    session.expunge_all()
    packets = session.scalars(sa.select(Application).where(Application.id.in_(ids))).all()
    with counting(session.connection()) as statements:
        names = {p.category.name_zh for p in packets}
    assert len(names) == 1
    assert len(statements) == 1  # the first packet reads the category; the others find it


def test_the_units_application_list_runs_the_same_statements_for_1_and_20_packets(
    client, login, session
):
    campaign = make_campaign(year=2602)
    few, many = make_user(Role.ENTERPRISE), make_user(Role.ENTERPRISE)
    make_application(campaign=campaign, organization=few.organization)
    for state in [ApplicationState.SUBMITTED, ApplicationState.RETURNED] * 10:
        make_application(state, campaign=campaign, organization=many.organization)
    session.commit()
    counts = []
    for user_id in (few.id, many.id):
        login(session.get(User, user_id))
        counts.append(_statements(client, session, "/applications/"))
    assert counts[0] == counts[1]
