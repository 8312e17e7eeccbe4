"""The ranking pages over HTTP: typed ranks kept on a refusal, submit once on a double click,
a stale edit explained, the office's read-only view, statement counts of the ranking page."""

from __future__ import annotations

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.recommendations import service
from portal.recommendations.models import Recommendation
from tests.accounts.helpers import english, text
from tests.factories import make_user
from tests.querycount import page_statements
from tests.recommendations.helpers import awaiting, quality_channel

S = ApplicationState


def rank_path(ch) -> str:
    return f"/recommendations/campaigns/{ch.campaign.id}/categories/{ch.team.id}"


def test_the_ranking_page_lists_the_packets_awaiting_the_channel(client, login, session):
    ch = quality_channel()
    a, b = awaiting(ch, 2, members=8, women=6)
    other = quality_channel(campaign=ch.campaign, district_code="xuhui")
    [elsewhere] = awaiting(other)
    login(ch.reviewer)
    english(client)
    page = text(client.get(rank_path(ch)))
    assert a.title in page and b.title in page
    assert elsewhere.title not in page
    assert "8 members" in page and "6 women (75.0%)" in page
    assert 'data-testid="quota">10<' in page


def test_saving_through_the_page_keeps_ranks_and_opinion(client, login, session):
    ch = quality_channel()
    a, b = awaiting(ch, 2)
    login(ch.reviewer)
    english(client)
    response = client.post(
        rank_path(ch),
        data={f"rank-{a.id}": "2", f"rank-{b.id}": "1", "opinion": "同意", "lock_version": "0"},
    )
    assert response.status_code == 302
    rec = session.scalar(sa.select(Recommendation))
    assert [(e.rank, e.application_id) for e in rec.entries] == [(1, b.id), (2, a.id)]
    page = text(client.get(rank_path(ch)))
    assert f'name="rank-{b.id}" value="1"' in page
    assert f'name="rank-{a.id}" value="2"' in page


def test_a_refused_ranking_shows_why_and_keeps_what_was_typed(client, login, session):
    ch = quality_channel()
    a, b = awaiting(ch, 2)
    login(ch.reviewer)
    english(client)
    response = client.post(
        rank_path(ch),
        data={
            f"rank-{a.id}": "1",
            f"rank-{b.id}": "1",
            "opinion": "我们的意见",
            "lock_version": "0",
        },
    )
    page = text(response)
    assert response.status_code == 200
    assert "Each rank may be given once; repeated: 1." in page
    assert f'name="rank-{a.id}" value="1"' in page and f'name="rank-{b.id}" value="1"' in page
    assert "我们的意见" in page
    assert session.scalar(sa.select(Recommendation)) is None


def test_over_quota_is_refused_on_the_page(client, login, session):
    ch = quality_channel()
    ch.team.channel_quota = 1
    a, b = awaiting(ch, 2)
    login(ch.reviewer)
    english(client)
    data = {f"rank-{a.id}": "1", f"rank-{b.id}": "2", "opinion": "同意", "lock_version": "0"}
    page = text(client.post(rank_path(ch) + "/submit", data=data))
    assert "You ranked 2 applications; your channel may recommend at most 1" in page
    assert [a.state, b.state] == [S.CHANNEL_APPROVED, S.CHANNEL_APPROVED]


def test_a_double_click_on_submit_makes_one_recommendation(client, login, session):
    ch = quality_channel()
    a, b = awaiting(ch, 2)
    login(ch.reviewer)
    english(client)
    data = {f"rank-{a.id}": "1", "opinion": "同意推荐", "lock_version": "0"}
    first = client.post(rank_path(ch) + "/submit", data=data)
    second = client.post(rank_path(ch) + "/submit", data=data)
    [rec] = session.scalars(sa.select(Recommendation)).all()
    assert first.headers["Location"].endswith(f"/recommendations/{rec.id}")
    assert second.headers["Location"].endswith(f"/recommendations/{rec.id}")
    session.expire_all()
    assert [a.state, b.state] == [S.RECOMMENDED, S.NOT_RECOMMENDED]
    page = text(client.get(second.headers["Location"]))
    assert "The recommendation is submitted to the programme office." in page


def test_a_stale_save_by_a_second_reviewer_is_refused_with_a_clear_message(client, login, session):
    ch = quality_channel()
    a, b = awaiting(ch, 2)
    service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [a.id], "甲", lock_version=0)
    colleague = make_user(Role.CHANNEL_REVIEWER, organization=ch.organization)
    login(colleague)
    english(client)
    response = client.post(
        rank_path(ch), data={f"rank-{b.id}": "1", "opinion": "乙", "lock_version": "0"}
    )
    page = text(client.get(response.headers["Location"]))
    assert "Another reviewer of your organization saved this recommendation" in page
    assert f'name="rank-{a.id}" value="1"' in page
    assert f'name="rank-{b.id}" value=""' in page


def test_the_submit_is_refused_one_second_after_the_deadline(client, login, session):
    ch = quality_channel()
    [app] = awaiting(ch)
    ch.campaign.application_deadline = service.utcnow().replace(microsecond=0) - _days(3)
    ch.campaign.recommendation_deadline = service.utcnow().replace(microsecond=0) - _seconds(1)
    session.flush()
    login(ch.reviewer)
    english(client)
    data = {f"rank-{app.id}": "1", "opinion": "同意", "lock_version": "0"}
    page = text(client.post(rank_path(ch) + "/submit", data=data))
    assert "Recommendations closed at" in page
    assert app.state is S.CHANNEL_APPROVED


def _days(n):
    from datetime import timedelta

    return timedelta(days=n)


def _seconds(n):
    from datetime import timedelta

    return timedelta(seconds=n)


def test_the_office_reads_a_submitted_recommendation_but_not_a_draft(client, login, session):
    ch = quality_channel()
    a, b = awaiting(ch, 2)
    draft = service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [a.id], "草稿")
    login(make_user(Role.OFFICE))
    english(client)
    assert client.get(f"/recommendations/{draft.id}").status_code == 404
    index = text(client.get("/recommendations/"))
    assert "No recommendation has been submitted yet." in index
    service.submit_recommendation(
        session, ch.reviewer, ch.campaign, ch.team, [b.id, a.id], "同意推荐", lock_version=1
    )
    session.commit()
    page = text(client.get(f"/recommendations/{draft.id}"))
    assert "同意推荐" in page and a.title in page and b.title in page
    assert "Edit the ranking" not in page
    assert ch.organization.name in text(client.get("/recommendations/"))


def test_another_organization_cannot_read_or_rank(client, login, session):
    ch = quality_channel()
    [app] = awaiting(ch)
    rec = service.save_ranking(session, ch.reviewer, ch.campaign, ch.team, [app.id], "甲")
    other = quality_channel(campaign=ch.campaign, district_code="xuhui")
    login(other.reviewer)
    english(client)
    assert client.get(f"/recommendations/{rec.id}").status_code == 404
    assert client.get(f"/recommendations/{rec.id}/form.docx").status_code == 404
    # Its own ranking page shows none of the Huangpu packets.
    page = text(client.get(rank_path(ch)))
    assert app.title not in page
    response = client.post(
        rank_path(ch) + "/submit", data={f"rank-{app.id}": "1", "opinion": "x", "lock_version": "0"}
    )
    # Refused: the packet does not await their ranking; back to their own ranking page.
    assert response.headers["Location"] == rank_path(ch)
    assert "no longer awaits your recommendation" in text(client.get(rank_path(ch)))
    assert app.state is S.CHANNEL_APPROVED
    assert session.scalar(sa.select(sa.func.count()).select_from(Recommendation)) == 1


def test_the_ranking_page_sends_at_most_ten_statements_for_few_and_many_packets(
    app, client, login, session
):
    ch = quality_channel()
    awaiting(ch, 1)
    login(ch.reviewer)
    few = page_statements(app, client, rank_path(ch))
    many_units = [awaiting(ch, 1) for _ in range(14)]
    service.save_ranking(
        session, ch.reviewer, ch.campaign, ch.team, [u[0].id for u in many_units[:10]], "同意"
    )
    session.commit()
    many = page_statements(app, client, rank_path(ch))
    print(f"ranking page statements: {few} with 1 packet, {many} with 15")
    assert few <= 10 and many <= 10, (few, many)
