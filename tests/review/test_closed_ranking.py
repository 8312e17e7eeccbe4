"""No forward may leave a packet where nobody can act on it: once the channel has submitted its
recommendation in the packet's category, forwarding it is refused with the reason, the
channel can still decide not to recommend it, and the office sees it among the packets that
wait on a closed step."""

from __future__ import annotations

import pytest

from portal.applications.errors import ApplicationError
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.organizations.models import OrgSystem
from portal.recommendations import service as recommendations
from portal.review import service
from portal.review.models import Decision
from tests.applications.helpers import make_submitted
from tests.review.helpers import make_world

S = ApplicationState
UNION, YOUTH, WOMEN, QUALITY = OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN, OrgSystem.QUALITY


def _forward(session, app, world, *systems):
    for system in systems:
        service.decide(session, app.id, world.reviewer(system), Decision.FORWARD, "同意推荐")


@pytest.fixture
def late(session):
    """One packet ranked and recommended by the quality association, another still before
    the quality stage when the recommendation was submitted."""
    world = make_world()
    ranked, late = make_submitted(campaign=world.campaign), make_submitted(campaign=world.campaign)
    _forward(session, ranked, world, UNION, YOUTH, WOMEN, QUALITY)
    _forward(session, late, world, UNION, YOUTH, WOMEN)
    team = next(c for c in world.campaign.categories if c.kind is CategoryKind.TEAM)
    recommendations.submit_recommendation(
        session, world.reviewer(QUALITY), world.campaign, team, [ranked.id], "同意推荐"
    )
    assert ranked.state is S.RECOMMENDED
    return world, late


def test_forwarding_after_the_recommendation_is_refused_with_the_reason(app, session, late):
    world, packet = late
    position = packet.stage_position
    with pytest.raises(ApplicationError) as err:
        _forward(session, packet, world, QUALITY)
    assert err.value.key == "ranking_closed"
    assert (packet.state, packet.stage_position) == (S.SUBMITTED, position)
    with app.test_request_context():
        message = err.value.message
    assert message.startswith(
        world.orgs[QUALITY].name + " has already submitted its recommendation"
    )
    # The way out stays open: the channel decides not to recommend it, with the reason.
    service.decide(
        session, packet.id, world.reviewer(QUALITY), Decision.NOT_RECOMMEND, "推荐已报送"
    )
    assert packet.state is S.NOT_RECOMMENDED


def test_the_office_sees_packets_waiting_on_a_closed_step(client, login, session, late):
    world, packet = late
    login(world.office)
    page = client.get(f"/review/formal-check?campaign={world.campaign.id}").get_data(as_text=True)
    assert f'data-testid="stranded-{packet.id}"' in page
    assert "Applications waiting on a closed step" in page
