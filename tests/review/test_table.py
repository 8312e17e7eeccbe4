"""Every review move of the application workflow table, allowed and refused: wrong role, wrong
stage, wrong organization, after the recommendation deadline."""

from __future__ import annotations

import pytest

from portal.accounts.models import Role
from portal.applications.errors import ApplicationError
from portal.applications.models import ApplicationState
from portal.applications.workflow import APPLICATION_WORKFLOW
from portal.organizations.models import ChannelLevel, OrgKind, OrgSystem
from portal.review import service
from portal.review.models import Decision
from tests.factories import district, industry, make_application, make_org, make_user
from tests.review.helpers import after_deadline, before_deadline, channel, make_world

S = ApplicationState
UNION, YOUTH, QUALITY = OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.QUALITY

# (source, target) of the table → the decision that fires it, where the packet stands, and
# which system's reviewer decides there (None: the programme office).
REVIEW_MOVES = {
    (S.SUBMITTED, S.SUBMITTED): (Decision.FORWARD, 0, UNION),
    (S.SUBMITTED, S.CHANNEL_APPROVED): (Decision.FORWARD, 3, QUALITY),
    (S.SUBMITTED, S.RETURNED): (Decision.RETURN, 0, UNION),
    (S.SUBMITTED, S.NOT_RECOMMENDED): (Decision.NOT_RECOMMEND, 0, UNION),
    (S.RECOMMENDED, S.ACCEPTED): (Decision.ACCEPT, None, None),
    (S.RECOMMENDED, S.REJECTED): (Decision.REJECT, None, None),
}


def test_every_review_move_of_the_table_is_walked_here():
    table = {
        pair
        for pair, t in APPLICATION_WORKFLOW.transitions.items()
        if pair[0] in (S.SUBMITTED, S.RECOMMENDED) and pair != (S.SUBMITTED, S.DRAFT)
    }
    # The return for completion has its own service and tests (test_completion.py), and so
    # has the disqualification for fabricated material (tests/eligibility).
    table.discard((S.RECOMMENDED, S.INCOMPLETE))
    table -= {pair for pair in table if pair[1] is S.DISQUALIFIED}
    assert table == set(REVIEW_MOVES)


def _packet(world, pair):
    decision, position, _system = REVIEW_MOVES[pair]
    return make_application(pair[0], campaign=world.campaign, stage_position=position)


def _actor(world, pair):
    system = REVIEW_MOVES[pair][2]
    return world.office if system is None else world.reviewer(system)


def _try(session, app, actor, pair, now=None):
    decision = REVIEW_MOVES[pair][0]
    with pytest.raises(ApplicationError) as err:
        service.decide(session, app.id, actor, decision, "理由", now=now)
    assert app.state is pair[0]
    return err.value.key


@pytest.mark.parametrize("pair", list(REVIEW_MOVES), ids=lambda p: f"{p[0]}-{p[1]}")
def test_the_stage_reviewer_makes_the_move(session, pair):
    world = make_world()
    app = _packet(world, pair)
    service.decide(
        session,
        app.id,
        _actor(world, pair),
        REVIEW_MOVES[pair][0],
        "理由",
        now=before_deadline(world.campaign),
    )
    assert app.state is pair[1]


@pytest.mark.parametrize("pair", list(REVIEW_MOVES), ids=lambda p: f"{p[0]}-{p[1]}")
@pytest.mark.parametrize(
    "role", [Role.ENTERPRISE, Role.ORGANIZER, Role.EXPERT, Role.ADMIN, "other_side"]
)
def test_other_roles_are_refused(session, pair, role):
    world = make_world()
    app = _packet(world, pair)
    if role == "other_side":  # the office at a channel stage, a channel at the formal check
        actor = world.reviewer(UNION) if REVIEW_MOVES[pair][2] is None else world.office
    else:
        actor = make_user(role)
    assert _try(session, app, actor, pair) == "not_allowed"


CHANNEL_MOVES = [p for p, (_d, _pos, system) in REVIEW_MOVES.items() if system is not None]


@pytest.mark.parametrize("pair", CHANNEL_MOVES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_a_reviewer_of_another_stage_is_refused(session, pair):
    world = make_world()
    app = _packet(world, pair)
    assert _try(session, app, world.reviewer(YOUTH), pair) == "wrong_stage"


@pytest.mark.parametrize("pair", CHANNEL_MOVES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_a_channel_organization_the_packet_is_not_routed_to_is_refused(session, pair):
    world = make_world()
    app = _packet(world, pair)
    system = REVIEW_MOVES[pair][2]
    # Another district's channel of the same system: not the packet's channel at all.
    xuhui = make_user(Role.CHANNEL_REVIEWER, organization=channel(system, "xuhui"))
    assert _try(session, app, xuhui, pair) == "not_in_channel"
    # A second channel of the same system in Huangpu: routing gives the packet to the first.
    second = make_user(Role.CHANNEL_REVIEWER, organization=channel(system))
    assert _try(session, app, second, pair) == "not_routed"


@pytest.mark.parametrize("pair", CHANNEL_MOVES, ids=lambda p: f"{p[0]}-{p[1]}")
def test_channel_decisions_after_the_recommendation_deadline_are_refused(session, pair):
    world = make_world()
    app = _packet(world, pair)
    key = _try(session, app, _actor(world, pair), pair, now=after_deadline(world.campaign))
    assert key == "recommendation_closed"


def test_approving_for_ranking_is_refused_before_the_last_channel_stage(session):
    from portal.applications.workflow import fire

    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    with pytest.raises(ApplicationError) as err:
        fire(session, app, S.CHANNEL_APPROVED, world.reviewer(UNION))
    assert err.value.key == "not_last_stage"


def test_an_industry_channel_takes_the_packets_of_its_industry(session):
    world = make_world()
    bank = make_org(
        OrgKind.CHANNEL,
        system=UNION,
        channel_level=ChannelLevel.INDUSTRY,
        district=None,
        industry=industry("finance"),
    )
    app = make_application(
        campaign=world.campaign,
        organization=make_org(district=district("huangpu"), industry=industry("finance")),
        stage_position=0,
    )
    assert _try(session, app, world.reviewer(UNION), (S.SUBMITTED, S.SUBMITTED)) == "not_routed"
    service.decide(session, app.id, make_user(Role.CHANNEL_REVIEWER, organization=bank), "forward")
    assert app.stage_position == 1
