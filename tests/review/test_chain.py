"""The review chain: forward through every channel stage, parallel stages, skipped stages,
return and resubmission, not recommending, the office's formal check."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import rules
from portal.applications import service as applications
from portal.applications.errors import ApplicationError
from portal.applications.models import Application, ApplicationState
from portal.applications.workflow import fire
from portal.campaigns.models import Campaign
from portal.mail import OutboxMessage
from portal.organizations.models import OrgSystem
from portal.review import chain, service
from portal.review.models import Decision, StageDecision
from tests.applications.helpers import make_submitted
from tests.factories import make_application, make_user
from tests.review.helpers import make_world, parallel_chain

S = ApplicationState
UNION, YOUTH, WOMEN, QUALITY = (
    OrgSystem.UNION,
    OrgSystem.YOUTH,
    OrgSystem.WOMEN,
    OrgSystem.QUALITY,
)


def _decide(session, app, user, decision, opinion=""):
    return service.decide(session, app.id, user, decision, opinion)


def test_a_submitted_packet_enters_the_first_stage_and_walks_the_default_chain(session):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    assert (app.state, app.stage_position) == (S.SUBMITTED, 0)
    for position, system in enumerate((UNION, YOUTH, WOMEN), start=1):
        _decide(session, app, world.reviewer(system), Decision.FORWARD, "同意推荐")
        assert (app.state, app.stage_position) == (S.SUBMITTED, position)
    _decide(session, app, world.reviewer(QUALITY), Decision.FORWARD, "同意推荐")
    assert app.state is S.CHANNEL_APPROVED
    # The ranked recommendation (another part of the portal) puts it at the formal check.
    fire(session, app, S.RECOMMENDED, world.reviewer(QUALITY))
    _decide(session, app, world.office, Decision.ACCEPT, "材料齐全")
    assert app.state is S.ACCEPTED
    decisions = chain.all_decisions(session, app)
    assert [(d.stage.system.value, d.decision.value) for d in decisions] == [
        ("union", "forward"),
        ("youth", "forward"),
        ("women", "forward"),
        ("quality", "forward"),
        ("office", "accept"),
    ]
    assert {d.version_number for d in decisions} == {1}


def test_parallel_stages_move_on_only_when_every_one_has_forwarded(session):
    world = make_world()
    parallel_chain(world.campaign)
    app = make_application(campaign=world.campaign, stage_position=0)
    _decide(session, app, world.reviewer(UNION), Decision.FORWARD)
    assert app.stage_position == 1
    _decide(session, app, world.reviewer(WOMEN), Decision.FORWARD)
    assert (app.state, app.stage_position) == (S.SUBMITTED, 1)
    with pytest.raises(ApplicationError) as err:
        _decide(session, app, world.reviewer(WOMEN), Decision.FORWARD)
    assert err.value.key == "stage_decided"
    _decide(session, app, world.reviewer(YOUTH), Decision.FORWARD)
    assert app.stage_position == 2
    _decide(session, app, world.reviewer(QUALITY), Decision.FORWARD)
    assert app.state is S.CHANNEL_APPROVED


def test_a_return_by_one_parallel_stage_stops_the_packet(session):
    world = make_world()
    parallel_chain(world.campaign)
    app = make_application(campaign=world.campaign, stage_position=1)
    _decide(session, app, world.reviewer(YOUTH), Decision.FORWARD)
    _decide(session, app, world.reviewer(WOMEN), Decision.RETURN, "请补充女职工比例说明")
    assert app.state is S.RETURNED
    assert applications.return_reason(app) == "请补充女职工比例说明"


def test_a_stage_without_a_channel_organization_is_skipped(session):
    world = make_world(systems=(UNION, YOUTH, QUALITY))  # no women's federation in Huangpu
    app = make_submitted(campaign=world.campaign)
    _decide(session, app, world.reviewer(UNION), Decision.FORWARD)
    _decide(session, app, world.reviewer(YOUTH), Decision.FORWARD)
    assert app.stage_position == 3
    assert [s.system.value for s in chain.skipped_stages(session, app)] == ["women"]
    _decide(session, app, world.reviewer(QUALITY), Decision.FORWARD)
    assert app.state is S.CHANNEL_APPROVED


def test_when_the_first_stages_have_no_organization_the_packet_enters_later(session):
    world = make_world(systems=(WOMEN, QUALITY))
    app = make_submitted(campaign=world.campaign)
    assert app.stage_position == 2


def test_a_returned_packet_resubmitted_starts_again_at_the_stage_that_returned_it(session):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    _decide(session, app, world.reviewer(UNION), Decision.FORWARD, "工会同意")
    _decide(session, app, world.reviewer(YOUTH), Decision.RETURN, "请补充团员青年人数")
    assert app.state is S.RETURNED
    assert rules.can_edit_application(app.created_by, app)
    applications.update_application(
        session, app, app.created_by, fields={"deeds_summary": "班组共有团员青年2名。"}
    )
    version = applications.submit_application(session, app.id, app.created_by)
    assert (version.number, app.state, app.stage_position) == (2, S.SUBMITTED, 1)
    assert not rules.review_has_started(app)
    # The union's opinion on version 1 stays on record; youth now decides on version 2.
    _decide(session, app, world.reviewer(YOUTH), Decision.FORWARD, "已补充")
    assert app.stage_position == 2
    history = [
        (d.version_number, d.stage.system.value, d.decision.value, d.opinion)
        for d in chain.all_decisions(session, app)
    ]
    assert history == [
        (1, "union", "forward", "工会同意"),
        (1, "youth", "return", "请补充团员青年人数"),
        (2, "youth", "forward", "已补充"),
    ]


def test_not_recommending_ends_the_packets_way_with_the_reason(session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    with pytest.raises(ApplicationError) as err:
        _decide(session, app, world.reviewer(UNION), Decision.NOT_RECOMMEND, "  ")
    assert err.value.key == "opinion_required"
    _decide(session, app, world.reviewer(UNION), Decision.NOT_RECOMMEND, "近一年有有效投诉")
    assert app.state is S.NOT_RECOMMENDED
    decision = session.scalar(sa.select(StageDecision))
    assert (decision.opinion, decision.reviewer) == ("近一年有有效投诉", world.reviewer(UNION))


def test_the_office_rejects_at_the_formal_check_with_a_reason(session):
    world = make_world()
    app = make_application(S.RECOMMENDED, campaign=world.campaign)
    with pytest.raises(ApplicationError) as err:
        _decide(session, app, world.office, Decision.REJECT, "")
    assert err.value.key == "opinion_required"
    _decide(session, app, world.office, Decision.REJECT, "盖章申报表缺失")
    assert app.state is S.REJECTED
    # A packet not yet recommended is not at the formal check.
    other = make_application(campaign=world.campaign, stage_position=0)
    with pytest.raises(ApplicationError) as err:
        _decide(session, other, world.office, Decision.ACCEPT)
    assert err.value.key == "not_at_formal_check"


def test_withdrawal_ends_once_a_stage_has_acted(session):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    assert rules.can_withdraw_application(app.created_by, app)
    _decide(session, app, world.reviewer(UNION), Decision.FORWARD)
    assert rules.review_has_started(app)
    with pytest.raises(ApplicationError) as err:
        applications.withdraw_application(session, app.id, app.created_by)
    assert err.value.key == "review_started"


def test_a_stale_decision_is_refused_and_changes_nothing(session):
    world = make_world()
    parallel_chain(world.campaign)
    app = make_application(campaign=world.campaign, stage_position=1)
    opened_at = app.lock_version
    service.decide(session, app.id, world.reviewer(YOUTH), Decision.FORWARD, lock_version=opened_at)
    with pytest.raises(ApplicationError) as err:
        service.decide(
            session,
            app.id,
            world.reviewer(WOMEN),
            Decision.RETURN,
            "请补充",
            lock_version=opened_at,
        )
    assert err.value.key == "decision_stale"
    assert (app.state, app.stage_position) == (S.SUBMITTED, 1)
    assert session.scalar(sa.select(sa.func.count()).select_from(StageDecision)) == 1


def test_the_enterprise_is_mailed_every_decision_with_the_reason(session):
    world = make_world()
    enterprise_user = make_user(Role.ENTERPRISE)
    org = enterprise_user.organization
    org.contact_email = "contact@unit.example.com"
    app = make_application(
        campaign=world.campaign, organization=org, stage_position=0, created_by=enterprise_user
    )
    _decide(session, app, world.reviewer(UNION), Decision.FORWARD, "同意")
    _decide(session, app, world.reviewer(YOUTH), Decision.RETURN, "请补充团员青年人数")
    mails = session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
    assert [m.recipient for m in mails] == [
        enterprise_user.email,
        "contact@unit.example.com",
    ] * 2
    title = app.title
    assert mails[0].subject == f"Your application “{title}” was forwarded"
    assert mails[2].subject == f"Your application “{title}” was returned for revision"
    assert "Opinion: 请补充团员青年人数" in mails[2].body
    assert "Youth league review" in mails[2].body


def test_the_demo_puts_huangpu_packets_at_every_stage_once(session):
    from portal.demo import seed_demo
    from portal.review.demo import PACKETS, seed_review_demo

    seed_demo()
    campaign = session.scalar(sa.select(Campaign).where(Campaign.year == 2026))
    names = [packet.name for packet, _decisions in PACKETS]
    packets = session.scalars(
        sa.select(Application)
        .where(
            Application.campaign_id == campaign.id,
            sa.or_(Application.team_name.in_(names), Application.person_name.in_(names)),
        )
        .order_by(Application.id)
    ).all()
    assert [(a.title, a.state.value, a.stage_position) for a in packets] == [
        ("黄金珠宝柜组服务班组", "submitted", 0),
        ("刘佳", "submitted", 1),
        ("点心制作服务班组", "submitted", 2),
        ("孙丽华", "returned", 2),
        ("客房部楼层服务班组", "submitted", 3),
    ]
    returned = packets[3]
    assert returned.latest_version.return_reason.startswith("请补充近三年用户")
    decided = sa.select(StageDecision).where(
        StageDecision.application_id.in_([a.id for a in packets])
    )
    assert len(session.scalars(decided).all()) == 9
    assert seed_review_demo(session, campaign) == 0
