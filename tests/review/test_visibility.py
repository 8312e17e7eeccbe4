"""A channel reviewer reads the packets routed to its organization once they reach its stage;
the page predicate and the API's list query agree."""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.api.applications import visible_applications
from portal.applications import rules, visibility
from portal.applications.models import Application, ApplicationState
from portal.organizations.models import OrgSystem
from tests.factories import district, make_application, make_org, make_user
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


def test_the_handed_in_shortcut_agrees_with_the_query_for_every_role(session):
    world = make_world()
    handed_in = [
        make_application(state, campaign=world.campaign, stage_position=3)
        for state in S
        if state is not S.DRAFT
    ]
    ids = [a.id for a in handed_in]
    users = [world.reviewer(system) for system in SYSTEMS]
    users += [make_user(role) for role in Role if role is not Role.CHANNEL_REVIEWER]
    for user in users:
        expected = visibility.visible_ids(session, user, ids)
        assert visibility.visible_submitted_ids(session, user, ids) == expected, user.role
    office = next(u for u in users if u.role is Role.OFFICE)
    assert visibility.visible_submitted_ids(session, office, ids) == set(ids)
