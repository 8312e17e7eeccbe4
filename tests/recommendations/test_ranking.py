"""Ranking rules, the channel's quota, the deadline, submitting once, stale edits, wrong
organizations, and every state move a submitted recommendation makes."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.audit import AuditEntry
from portal.campaigns.models import CampaignStatus, StageSystem
from portal.organizations.models import OrgKind, OrgSystem
from portal.recommendations import rules, service
from portal.recommendations.errors import RankingError
from portal.recommendations.models import Recommendation
from portal.recommendations.rules import parse_ranks, place_ranks
from tests.factories import district, make_org, make_user
from tests.recommendations.helpers import awaiting, quality_channel

S = ApplicationState


def refused(key: str, call, *args, **kwargs) -> RankingError:
    with pytest.raises(RankingError) as caught:
        call(*args, **kwargs)
    assert caught.value.key == key
    return caught.value


def audit_actions(session, prefix: str) -> list[str]:
    return list(
        session.scalars(
            sa.select(AuditEntry.action)
            .where(AuditEntry.action.like(f"{prefix}%"))
            .order_by(AuditEntry.id)
        )
    )


# --- who recommends -----------------------------------------------------------------------


def test_the_last_channel_stage_recommends_by_default_the_quality_association(session):
    ch = quality_channel()
    assert rules.recommending_system(ch.campaign) is OrgSystem.QUALITY
    assert rules.can_rank(ch.reviewer, ch.campaign)
    union = make_user(Role.CHANNEL_REVIEWER, organization=make_org(OrgKind.CHANNEL))
    assert not rules.can_rank(union, ch.campaign)
    assert not rules.can_rank(make_user(Role.OFFICE), ch.campaign)


def test_a_chain_ending_with_the_youth_league_makes_the_youth_league_recommend(session):
    ch = quality_channel()
    dropped = (StageSystem.WOMEN, StageSystem.QUALITY)
    ch.campaign.stages = [s for s in ch.campaign.stages if s.system not in dropped]
    session.flush()
    assert [s.system for s in ch.campaign.stages][-2:] == [StageSystem.YOUTH, StageSystem.OFFICE]
    assert rules.recommending_system(ch.campaign) is OrgSystem.YOUTH
    assert not rules.can_rank(ch.reviewer, ch.campaign)


def test_the_recommending_organization_of_a_packet_is_its_routed_quality_channel(session):
    ch = quality_channel()
    make_org(OrgKind.CHANNEL, system=OrgSystem.QUALITY, district=district("xuhui"))
    [app] = awaiting(ch)
    assert service.recommending_organization(session, app) == ch.organization


# --- ranks --------------------------------------------------------------------------------


def test_typed_ranks_give_the_packet_order_and_gaps_close_up():
    assert parse_ranks({10: "3", 11: "", 12: "1", 13: " 7 "}) == [12, 10, 13]
    assert parse_ranks({10: "", 11: " "}) == []


@pytest.mark.parametrize("typed", ["0", "-1", "1.5", "abc", "²"])
def test_a_rank_that_is_not_a_whole_number_from_one_is_refused(typed):
    err = refused("bad_rank", parse_ranks, {1: "1", 2: typed})
    assert err.params == {"value": typed}


def test_two_packets_with_the_same_rank_are_refused():
    err = refused("duplicate_rank", parse_ranks, {1: "2", 2: "2", 3: "1", 4: "1"})
    assert err.params == {"ranks": "1, 2"}


def test_ranks_typed_on_one_page_take_their_places_among_those_saved_on_the_others():
    saved = [1, 2, 3]  # ranked on page 1; page 2 shows packets 7, 8 and 9
    # 7 is put first, 8 at 3: the saved packets keep their order around them.
    assert place_ranks({7: "1", 8: "3", 9: ""}, saved) == [7, 1, 8, 2, 3]
    # A rank beyond the end comes last, gaps closing up; nothing typed keeps the ranking.
    assert place_ranks({7: "9", 8: "", 9: ""}, saved) == [1, 2, 3, 7]
    assert place_ranks({7: "", 8: "", 9: ""}, saved) == saved


def test_on_the_page_of_the_saved_ranks_typing_is_the_whole_ranking():
    # Page 1 shows the ranked packets 1, 2 and 3: an emptied rank leaves the ranking.
    assert place_ranks({1: "2", 2: "", 3: "1", 4: "3"}, [1, 2, 3]) == [3, 1, 4]
    err = refused("duplicate_rank", place_ranks, {1: "1", 2: "1"}, [1, 2])
    assert err.params == {"ranks": "1"}


def test_saving_keeps_the_ranking_and_opinion_as_a_draft(session):
    ch = quality_channel()
    a, b, c = awaiting(ch, 3)
    rec = service.save_ranking(
        session, ch.reviewer, ch.campaign, ch.team, [c.id, a.id], "  同意推荐  ", lock_version=0
    )
    assert [(e.rank, e.application_id) for e in rec.entries] == [(1, c.id), (2, a.id)]
    assert (rec.opinion, rec.submitted_at, rec.lock_version) == ("同意推荐", None, 1)
    assert [x.state for x in (a, b, c)] == [S.CHANNEL_APPROVED] * 3
    rec = service.save_ranking(
        session, ch.reviewer, ch.campaign, ch.team, [a.id, b.id, c.id], "改", lock_version=1
    )
    assert [e.application_id for e in rec.entries] == [a.id, b.id, c.id]
    assert rec.lock_version == 2
    assert audit_actions(session, "recommendation.") == ["recommendation.save"] * 2


def test_ranking_more_packets_than_the_channel_quota_is_refused(session):
    ch = quality_channel()
    ch.team.channel_quota = 2
    apps = awaiting(ch, 3)
    order = [a.id for a in apps]
    err = refused(
        "over_quota", service.save_ranking, session, ch.reviewer, ch.campaign, ch.team, order
    )
    assert (err.params["count"], err.params["quota"]) == (3, 2)
    refused(
        "over_quota",
        service.submit_recommendation,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        order,
        "同意",
    )
    assert [a.state for a in apps] == [S.CHANNEL_APPROVED] * 3
    # At the quota it is accepted.
    rec = service.submit_recommendation(
        session, ch.reviewer, ch.campaign, ch.team, order[:2], "同意"
    )
    assert len(rec.entries) == 2


def test_a_packet_of_another_category_cannot_be_ranked_here(session):
    ch = quality_channel()
    [person] = awaiting(ch, kind=ch.individual.kind, female=True, age=30)
    refused(
        "not_rankable",
        service.save_ranking,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [person.id],
    )


def test_a_packet_returned_after_the_page_was_opened_cannot_be_ranked(session):
    ch = quality_channel()
    [app] = awaiting(ch)
    app.state = S.RETURNED
    session.flush()
    refused(
        "not_rankable", service.save_ranking, session, ch.reviewer, ch.campaign, ch.team, [app.id]
    )


# --- submitting ---------------------------------------------------------------------------


def test_submitting_recommends_the_ranked_and_leaves_out_the_rest(session):
    ch = quality_channel()
    a, b, c = awaiting(ch, 3)
    rec = service.submit_recommendation(
        session, ch.reviewer, ch.campaign, ch.team, [c.id, a.id], "两个班组服务突出，同意推荐。"
    )
    assert [x.state for x in (a, b, c)] == [S.RECOMMENDED, S.NOT_RECOMMENDED, S.RECOMMENDED]
    assert rec.submitted_by_id == ch.reviewer.id and rec.submitted_at is not None
    entries = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action.like("application.%")).order_by(AuditEntry.id)
    ).all()
    moves = [(e.action, int(e.object_id), e.after) for e in entries]
    recommended = {"state": "recommended", "recommendation": rec.id}
    assert moves == [
        ("application.recommend", c.id, {**recommended, "rank": 1}),
        ("application.recommend", a.id, {**recommended, "rank": 2}),
        ("application.not_recommend", b.id, {"state": "not_recommended", "recommendation": rec.id}),
    ]
    assert entries[2].reason == service.LEFT_OUT_REASON
    [submitted] = session.scalars(
        sa.select(AuditEntry).where(AuditEntry.action == "recommendation.submit")
    ).all()
    assert submitted.after["left_out"] == [b.id]
    assert submitted.after["entries"] == [
        {"application_id": c.id, "rank": 1},
        {"application_id": a.id, "rank": 2},
    ]


def test_submitting_without_an_opinion_is_refused_and_changes_nothing(session):
    ch = quality_channel()
    [app] = awaiting(ch)
    refused(
        "opinion_required",
        service.submit_recommendation,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [app.id],
        "   ",
    )
    assert app.state is S.CHANNEL_APPROVED


def test_submitting_with_nothing_awaiting_is_refused(session):
    ch = quality_channel()
    refused(
        "nothing_to_recommend",
        service.submit_recommendation,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [],
        "无",
    )


def test_submitting_one_second_before_the_deadline_is_accepted(session):
    ch = quality_channel()
    [app] = awaiting(ch)
    now = ch.campaign.recommendation_deadline - timedelta(seconds=1)
    service.submit_recommendation(
        session, ch.reviewer, ch.campaign, ch.team, [app.id], "同意", now=now
    )
    assert app.state is S.RECOMMENDED


@pytest.mark.parametrize("after", [timedelta(0), timedelta(seconds=1)])
def test_submitting_at_or_after_the_deadline_is_refused(session, after):
    ch = quality_channel()
    [app] = awaiting(ch)
    now = ch.campaign.recommendation_deadline + after
    err = refused(
        "deadline_passed",
        service.submit_recommendation,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [app.id],
        "同意",
        now=now,
    )
    assert err.params["when"] == ch.campaign.recommendation_deadline
    refused(
        "deadline_passed",
        service.save_ranking,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [app.id],
        now=now,
    )
    assert app.state is S.CHANNEL_APPROVED


def test_a_closed_campaign_takes_no_recommendation(session):
    ch = quality_channel()
    [app] = awaiting(ch)
    ch.campaign.status = CampaignStatus.CLOSED
    refused(
        "campaign_not_open",
        service.save_ranking,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [app.id],
    )


def test_submitting_twice_makes_one_recommendation(session):
    ch = quality_channel()
    a, b = awaiting(ch, 2)
    first = service.submit_recommendation(
        session, ch.reviewer, ch.campaign, ch.team, [a.id], "同意", lock_version=0
    )
    refused(
        "already_submitted",
        service.submit_recommendation,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [a.id, b.id],
        "同意",
        lock_version=0,
    )
    refused(
        "already_submitted",
        service.save_ranking,
        session,
        ch.reviewer,
        ch.campaign,
        ch.team,
        [a.id],
        "改",
    )
    assert session.scalars(sa.select(Recommendation)).all() == [first]
    assert [a.state, b.state] == [S.RECOMMENDED, S.NOT_RECOMMENDED]
    assert audit_actions(session, "recommendation.") == ["recommendation.submit"]


def test_a_stale_edit_by_a_second_reviewer_is_refused(session):
    ch = quality_channel()
    colleague = make_user(Role.CHANNEL_REVIEWER, organization=ch.organization)
    a, b = awaiting(ch, 2)
    # Both opened the page before anything was saved (lock version 0).
    service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [a.id], "甲", lock_version=0)
    refused(
        "stale",
        service.save_ranking,
        session,
        colleague,
        ch.campaign,
        ch.team,
        [b.id],
        "乙",
        lock_version=0,
    )
    refused(
        "stale",
        service.submit_recommendation,
        session,
        colleague,
        ch.campaign,
        ch.team,
        [b.id],
        "乙",
        lock_version=0,
    )
    rec = session.scalar(sa.select(Recommendation))
    assert ([e.application_id for e in rec.entries], rec.opinion) == ([a.id], "甲")
    # With the current version the colleague's edit goes through.
    rec = service.save_ranking(
        session, colleague, ch.campaign, ch.team, [b.id], "乙", lock_version=rec.lock_version
    )
    assert [e.application_id for e in rec.entries] == [b.id]


def test_a_quality_channel_of_another_district_cannot_rank_these_packets(session):
    ch = quality_channel()
    [app] = awaiting(ch)
    other = quality_channel(campaign=ch.campaign, district_code="xuhui")
    refused(
        "not_rankable",
        service.save_ranking,
        session,
        other.reviewer,
        ch.campaign,
        ch.team,
        [app.id],
    )
    refused(
        "not_rankable",
        service.submit_recommendation,
        session,
        other.reviewer,
        ch.campaign,
        ch.team,
        [app.id],
        "同意",
    )
    assert app.state is S.CHANNEL_APPROVED


@pytest.mark.parametrize(
    "role", [Role.ENTERPRISE, Role.OFFICE, Role.ORGANIZER, Role.EXPERT, Role.ADMIN]
)
def test_no_other_role_ranks(session, role):
    ch = quality_channel()
    [app] = awaiting(ch)
    refused(
        "not_allowed",
        service.save_ranking,
        session,
        make_user(role),
        ch.campaign,
        ch.team,
        [app.id],
    )


def test_a_union_channel_of_the_same_district_cannot_rank(session):
    ch = quality_channel()
    [app] = awaiting(ch)
    union = make_user(Role.CHANNEL_REVIEWER, organization=make_org(OrgKind.CHANNEL))
    refused(
        "not_allowed",
        service.submit_recommendation,
        session,
        union,
        ch.campaign,
        ch.team,
        [app.id],
        "同意",
    )


def test_categories_keep_separate_recommendations_and_quotas(session):
    ch = quality_channel()
    ch.individual.channel_quota = 1
    [team] = awaiting(ch)
    p1, p2 = awaiting(ch, 2, kind=ch.individual.kind, female=True, age=30)
    service.submit_recommendation(session, ch.reviewer, ch.campaign, ch.team, [team.id], "同意")
    refused(
        "over_quota",
        service.submit_recommendation,
        session,
        ch.reviewer,
        ch.campaign,
        ch.individual,
        [p1.id, p2.id],
        "同意",
    )
    service.submit_recommendation(session, ch.reviewer, ch.campaign, ch.individual, [p2.id], "同意")
    assert [team.state, p1.state, p2.state] == [S.RECOMMENDED, S.NOT_RECOMMENDED, S.RECOMMENDED]
    assert session.scalar(sa.select(sa.func.count()).select_from(Recommendation)) == 2


# --- the workflow's own guard -------------------------------------------------------------


def test_the_workflow_lets_only_the_recommending_organization_recommend(session):
    from portal.applications.errors import ApplicationError
    from portal.applications.workflow import fire

    ch = quality_channel()
    [app] = awaiting(ch)
    union = make_user(Role.CHANNEL_REVIEWER, organization=make_org(OrgKind.CHANNEL))
    with pytest.raises(ApplicationError) as caught:
        fire(session, app, S.RECOMMENDED, union)
    assert caught.value.key == "not_routed"
    assert app.state is S.CHANNEL_APPROVED
    fire(session, app, S.RECOMMENDED, ch.reviewer)
    assert app.state is S.RECOMMENDED


def test_the_workflow_refuses_a_recommendation_after_the_deadline(session):
    from portal.applications.errors import ApplicationError
    from portal.applications.workflow import fire

    ch = quality_channel()
    [app] = awaiting(ch)
    with pytest.raises(ApplicationError) as caught:
        fire(session, app, S.RECOMMENDED, ch.reviewer, now=ch.campaign.recommendation_deadline)
    assert caught.value.key == "recommendation_closed"
    assert caught.value.params["when"] == ch.campaign.recommendation_deadline
