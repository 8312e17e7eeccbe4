"""A channel reviewer reads the packets routed to its organization once they reach its stage;
the page predicate and the API's list query agree."""

from __future__ import annotations

import sqlalchemy as sa

from portal.api.applications import visible_applications
from portal.applications import rules
from portal.applications.models import Application, ApplicationState
from portal.organizations.models import OrgSystem
from tests.factories import district, make_application, make_org
from tests.review.helpers import SYSTEMS, make_world

S = ApplicationState


def test_reviewers_see_packets_from_their_stage_on_and_the_list_agrees(session):
    world = make_world()
    apps = {}
    for position in range(4):
        for state in (S.SUBMITTED, S.RETURNED, S.NOT_RECOMMENDED):
            apps[(state.value, position)] = make_application(
                state, campaign=world.campaign, stage_position=position
            )
    for state in (S.DRAFT, S.CHANNEL_APPROVED, S.ACCEPTED):
        apps[(state.value, None)] = make_application(state, campaign=world.campaign)
    apps[("xuhui", 3)] = make_application(
        campaign=world.campaign,
        stage_position=3,
        organization=make_org(district=district("xuhui")),
    )
    seen = {}
    for position, system in enumerate(SYSTEMS):
        user = world.reviewer(system)
        by_rule = {key for key, a in apps.items() if rules.can_view_application(user, a)}
        listed = set(session.scalars(sa.select(Application.id).where(visible_applications(user))))
        assert listed == {apps[key].id for key in by_rule}, system
        seen[system] = by_rule
        expected = {
            (state, p)
            for state in ("submitted", "returned", "not_recommended")
            for p in range(position, 4)
        } | {("channel_approved", None), ("accepted", None)}
        assert by_rule == expected, system
    assert ("draft", None) not in seen[OrgSystem.UNION]
