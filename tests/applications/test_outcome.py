"""A packet that loses is told why: every move that ends it against its unit records the
decider's reason, which the unit reads on its packet page (and its list marks) and receives by
mail; other enterprises and the public read nothing of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications import outcome
from portal.applications.errors import ApplicationError
from portal.applications.models import ApplicationState
from portal.applications.workflow import fire
from portal.db import get_session
from portal.mail import OutboxMessage
from portal.organizations.models import OrgSystem
from portal.recommendations import service as recommendations
from portal.review import service as review
from portal.review.models import Decision
from portal.scoring.ranking import Direction
from portal.scoring.results import service as results
from tests.factories import make_application, make_campaign, make_user, shanghai
from tests.recommendations.helpers import awaiting, quality_channel
from tests.review.helpers import make_world
from tests.scoring.results_helpers import category_of, make_expert, scored_packet

S = ApplicationState
CONTACT = "contact@unit.example.com"


def mails_to(address: str) -> list[OutboxMessage]:
    return list(
        get_session().scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == address)
            .order_by(OutboxMessage.id)
        )
    )


def reachable(app) -> None:
    app.organization.contact_email = CONTACT
    get_session().flush()


def test_packets_left_out_of_the_recommendation_are_told_why(session):
    channel = quality_channel()
    ranked, left = awaiting(channel, 2)
    reachable(left)
    recommendations.submit_recommendation(
        session, channel.reviewer, channel.campaign, channel.team, [ranked.id], "推荐意见"
    )
    assert left.state is S.NOT_RECOMMENDED
    [mail] = mails_to(CONTACT)
    assert mail.subject == f"Your application “{left.title}” was not recommended"
    assert f"Reason: {recommendations.LEFT_OUT_REASON}" in mail.body
    found = outcome.latest_outcome(session, left)
    assert (found.state, found.reason) == (S.NOT_RECOMMENDED, recommendations.LEFT_OUT_REASON)


def test_the_ranking_page_sends_the_reviewers_own_words_to_the_packets_left_out(
    session, client, login
):
    channel = quality_channel()
    ranked, left = awaiting(channel, 2)
    reachable(left)
    path = f"/recommendations/campaigns/{channel.campaign.id}/categories/{channel.team.id}"
    login(channel.reviewer)
    page = client.get(path).get_data(as_text=True)
    assert 'name="left_out_reason"' in page and "未列入推荐名次（超出渠道推荐名额）" in page
    data = {f"rank-{ranked.id}": "1", "opinion": "同意推荐", "lock_version": "0"}
    # the reason cannot be blanked while a packet is left out
    refused = client.post(path + "/submit", data={**data, "left_out_reason": "  "})
    assert refused.status_code == 200
    session.expire_all()
    assert left.state is S.CHANNEL_APPROVED
    words = "近一年客户投诉率高于同类窗口，本次未予推荐。"
    client.post(path + "/submit", data={**data, "left_out_reason": words})
    session.expire_all()
    assert left.state is S.NOT_RECOMMENDED
    assert outcome.latest_outcome(session, left).reason == words
    [mail] = mails_to(CONTACT)
    assert f"Reason: {words}" in mail.body or f"原因：{words}" in mail.body


def test_a_channel_that_does_not_recommend_mails_its_words_once(session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    reachable(app)
    review.decide(session, app.id, world.reviewer(OrgSystem.UNION), "not_recommend", "服务数据不实")
    [mail] = mails_to(CONTACT)  # one message about the decision, not two
    assert "Opinion: 服务数据不实" in mail.body
    assert outcome.latest_outcome(session, app).reason == "服务数据不实"


def test_packets_off_the_candidate_list_are_told_their_rank_and_score(session):
    campaign = make_campaign(year=2042)
    category_of(campaign).quota = 1
    experts = [make_expert() for _ in range(3)]
    apps = [scored_packet(campaign, experts, [t, t, t]) for t in (95, 90, 85)]
    for app in apps:
        reachable(app)
    office = make_user(Role.OFFICE)
    results.move_packet(
        session, category_of(campaign).id, apps[0].id, Direction.OUT, office, "存在有效投诉"
    )
    results.move_packet(session, category_of(campaign).id, apps[1].id, Direction.IN, office, "补位")
    results.confirm_list(session, category_of(campaign).id, office)
    assert [a.state for a in apps] == [S.NOT_SELECTED, S.CANDIDATE, S.NOT_SELECTED]
    # moved off by hand: the office's own words; ranked out: rank, score and quota
    assert outcome.latest_outcome(session, apps[0]).reason == "存在有效投诉"
    third = outcome.latest_outcome(session, apps[2]).reason
    assert "排名第3" in third and "85.00" in third and "1个表彰名额" in third
    subjects = [m.subject for m in mails_to(CONTACT)]
    assert subjects == [
        f"Your application “{apps[0].title}” was not selected in the expert review",
        f"Your application “{apps[2].title}” was not selected in the expert review",
    ]


def test_leaving_a_packet_unselected_needs_a_reason(session):
    app = make_application(S.ACCEPTED)
    with pytest.raises(ApplicationError):
        fire(session, app, S.NOT_SELECTED, make_user(Role.OFFICE))
    assert app.state is S.ACCEPTED


def test_a_disqualified_candidate_is_mailed_the_decision_on_the_objection(session):
    from portal.notice import objections
    from tests.notice.helpers import REASON, open_notice, with_candidates

    campaign, apps = with_candidates(1)
    reachable(apps[0])
    notice = open_notice(campaign, opens_at=shanghai(2026, 12, 7, 9, 0))
    case = objections.submit_objection(
        session,
        notice,
        apps[0],
        now=shanghai(2026, 12, 8, 10, 0),
        name="赵敏",
        mobile="13800138000",
        email=None,
        reason=REASON,
        filled_seconds=30,
    )
    office = make_user(Role.OFFICE)
    now = shanghai(2026, 12, 14, 10, 0)
    objections.decide_objection(
        session, case, office, upheld=True, reply="经核查情况属实。", now=now
    )
    assert apps[0].state is S.DISQUALIFIED
    [mail] = mails_to(CONTACT)
    assert mail.subject == f"Your application “{apps[0].title}” was disqualified"
    assert "经核查情况属实。" in mail.body


def test_the_unit_reads_the_reason_on_its_page_others_do_not(session, client, login):
    world = make_world()
    app = make_application(S.RECOMMENDED, campaign=world.campaign)
    review.decide(session, app.id, world.office, Decision.REJECT, "盖章申报表与申报单位不符")
    own = make_user(Role.ENTERPRISE, organization=app.organization)
    login(own)
    page = client.get(f"/applications/{app.id}").get_data(as_text=True)
    assert 'data-testid="outcome-reason">盖章申报表与申报单位不符<' in page
    assert "Rejected at formal check" in page
    listing = client.get("/applications/").get_data(as_text=True)
    assert f'href="/applications/{app.id}#outcome" data-testid="outcome-mark"' in listing
    client.post("/logout")
    login(make_user(Role.ENTERPRISE))
    assert client.get(f"/applications/{app.id}").status_code == 404
    assert "盖章申报表与申报单位不符" not in client.get("/applications/").get_data(as_text=True)
    client.post("/logout")  # and the public is sent to log in
    response = client.get(f"/applications/{app.id}")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
