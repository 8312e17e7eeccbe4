"""After the application deadline no packet can be started: the pages say so before the
enterprise types anything and offer no 'New application', and the server refuses, counting
the deadline in Beijing time."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import service
from portal.applications.models import Application
from portal.campaigns.models import CategoryKind
from portal.db import utcnow
from tests.applications.helpers import category, open_campaign
from tests.factories import make_user, shanghai


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [((16, 59, 59), True), ((17, 0, 0), False), ((17, 0, 1), False)],
    ids=["a-second-before", "at", "a-second-after"],
)
def test_a_draft_is_started_only_before_the_deadline_in_beijing_time(session, moment, allowed):
    campaign = open_campaign(year=2096, application_deadline=shanghai(2026, 11, 10, 17, 0))
    enterprise = make_user(Role.ENTERPRISE)
    start = lambda: service.create_application(  # noqa: E731
        session,
        enterprise,
        campaign,
        category(campaign, CategoryKind.TEAM),
        now=shanghai(2026, 11, 10, *moment),
    )
    if allowed:
        assert start().campaign_id == campaign.id
        return
    with pytest.raises(service.ApplicationError) as err:
        start()
    assert err.value.key == "deadline_passed"
    assert session.scalar(sa.select(sa.func.count(Application.id))) == 0


@pytest.fixture
def closed_campaign(session):
    """The open campaign whose application deadline passed a minute ago."""
    now = utcnow()
    return open_campaign(
        year=2095,
        application_deadline=now - timedelta(minutes=1),
        recommendation_deadline=now + timedelta(days=5),
        review_deadline=now + timedelta(days=15),
    )


def test_the_pages_do_not_offer_a_new_packet_after_the_deadline(
    session, client, login, closed_campaign
):
    login(make_user(Role.ENTERPRISE))
    listing = client.get("/applications/").get_data(as_text=True)
    assert 'data-testid="applications-closed"' in listing
    assert 'data-testid="new-application"' not in listing
    assert "/applications/new" not in client.get("/home").get_data(as_text=True)
    response = client.get("/applications/new", follow_redirects=True)
    assert response.request.path == "/applications/"
    assert "Applications closed at" in response.get_data(as_text=True)
    team = category(closed_campaign, CategoryKind.TEAM)
    client.post("/applications/new", data={"category_id": str(team.id)})
    assert session.scalar(sa.select(sa.func.count(Application.id))) == 0


def test_before_the_deadline_the_page_offers_a_new_packet(session, client, login):
    open_campaign(year=2094)
    login(make_user(Role.ENTERPRISE))
    listing = client.get("/applications/").get_data(as_text=True)
    assert 'data-testid="new-application"' in listing
    assert client.get("/applications/new").status_code == 200
