"""The review pages: the queue, a packet's review page and decision form, the formal check,
the enterprise's review history and the reviewer's home card."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.db import utcnow
from portal.organizations.models import OrgSystem
from portal.review import service
from portal.review.models import Decision, StageDecision
from tests.applications.helpers import make_submitted
from tests.factories import district, make_application, make_org, make_user
from tests.review.helpers import make_world

S = ApplicationState
UNION, YOUTH = OrgSystem.UNION, OrgSystem.YOUTH


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_queue_lists_only_packets_at_the_organizations_stage(client, login, session):
    world = make_world()
    team = make_application(campaign=world.campaign, stage_position=0, team_name="外滩营业部班组")
    person = make_application(
        campaign=world.campaign, stage_position=0, kind=CategoryKind.INDIVIDUAL, person_name="王芳"
    )
    later = make_application(campaign=world.campaign, stage_position=1, team_name="已转团委班组")
    xuhui = make_application(
        campaign=world.campaign,
        stage_position=0,
        organization=make_org(district=district("xuhui")),
        team_name="徐汇班组",
    )
    session.commit()
    login(world.reviewer(UNION))
    html = _page(client, f"/review/?campaign={world.campaign.id}")
    assert "外滩营业部班组" in html and "王芳" in html
    assert "已转团委班组" not in html and "徐汇班组" not in html
    assert "2 applications wait for your decision." in html
    team_category = team.category_id
    html = _page(client, f"/review/?campaign={world.campaign.id}&category={team_category}")
    assert "外滩营业部班组" in html and "王芳" not in html
    del person, later, xuhui


def test_after_the_deadline_the_queue_marks_packets_overdue(client, login, session):
    world = make_world()
    world.campaign.application_deadline = utcnow() - timedelta(days=6)
    world.campaign.recommendation_deadline = utcnow() - timedelta(days=1)
    make_application(campaign=world.campaign, stage_position=0)
    session.commit()
    login(world.reviewer(UNION))
    html = _page(client, f"/review/?campaign={world.campaign.id}")
    assert 'data-testid="overdue"' in html
    assert "The deadline has passed: 1 application is overdue" in html
    home = _page(client, "/home")
    assert "1 application waits for your decision." in home
    assert "1 of them is overdue" in home


def test_a_reviewer_forwards_from_the_review_page(client, login, session):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    session.commit()
    login(world.reviewer(UNION))
    html = _page(client, f"/review/applications/{app.id}")
    assert "外滩营业部服务班组" in html and "Record the decision" in html
    assert f'name="lock_version" type="hidden" value="{app.lock_version}"' in html
    response = client.post(
        f"/review/applications/{app.id}/decision",
        data={"decision": "forward", "opinion": "同意推荐", "lock_version": app.lock_version},
    )
    assert response.status_code == 302
    session.refresh(app)
    assert (app.state, app.stage_position) == (S.SUBMITTED, 1)
    # The union's stage has decided: the page no longer offers the form.
    html = _page(client, f"/review/applications/{app.id}")
    assert "Record the decision" not in html
    assert "同意推荐" in html


def test_a_return_without_a_reason_is_refused_and_keeps_the_form(client, login, session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    session.commit()
    login(world.reviewer(UNION))
    response = client.post(
        f"/review/applications/{app.id}/decision",
        data={"decision": "return", "opinion": "  ", "lock_version": app.lock_version},
    )
    assert response.status_code == 422
    assert "Give the reason; the enterprise will read it." in response.get_data(as_text=True)
    session.refresh(app)
    assert app.state is S.SUBMITTED


def test_the_stale_reviewer_is_told_and_nothing_changes(client, login, session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    opened = app.lock_version
    session.commit()
    service.decide(session, app.id, world.reviewer(UNION), Decision.FORWARD)
    session.commit()
    second_union = world.reviewer(UNION)
    login(second_union)
    response = client.post(
        f"/review/applications/{app.id}/decision",
        data={"decision": "not_recommend", "opinion": "不推荐", "lock_version": opened},
        follow_redirects=True,
    )
    assert "Someone decided on this application after you opened it." in response.get_data(
        as_text=True
    )
    assert session.scalar(sa.select(sa.func.count()).select_from(StageDecision)) == 1


def test_the_enterprise_sees_the_review_history_on_its_packet(client, login, session):
    world = make_world()
    app = make_submitted(campaign=world.campaign)
    service.decide(session, app.id, world.reviewer(UNION), Decision.FORWARD, "工会同意")
    service.decide(session, app.id, world.reviewer(YOUTH), Decision.RETURN, "请补充团员人数")
    session.commit()
    login(app.created_by)
    html = _page(client, f"/applications/{app.id}")
    assert 'data-testid="review-history"' in html
    assert "工会同意" in html and "请补充团员人数" in html
    assert "Trade union review" in html and "Returned for revision" in html


def test_the_office_accepts_at_the_formal_check(client, login, session):
    world = make_world()
    app = make_application(S.RECOMMENDED, campaign=world.campaign, team_name="待审查班组")
    make_application(S.CHANNEL_APPROVED, campaign=world.campaign, team_name="未推荐班组")
    session.commit()
    login(world.office)
    html = _page(client, f"/review/formal-check?campaign={world.campaign.id}")
    assert "待审查班组" in html and "未推荐班组" not in html
    html = _page(client, f"/review/applications/{app.id}")
    assert "Accept" in html and "Forward" not in html
    response = client.post(
        f"/review/applications/{app.id}/decision",
        data={"decision": "accept", "opinion": "", "lock_version": app.lock_version},
    )
    assert response.status_code == 302
    session.refresh(app)
    assert app.state is S.ACCEPTED


def test_a_reviewer_of_a_later_stage_cannot_open_a_packet_before_it_arrives(client, login, session):
    world = make_world()
    app = make_application(campaign=world.campaign, stage_position=0)
    session.commit()
    login(world.reviewer(YOUTH))
    assert client.get(f"/review/applications/{app.id}").status_code == 404
    assert client.get(f"/applications/{app.id}/versions/1").status_code == 404
    login(make_user(Role.ENTERPRISE))
    assert client.get(f"/review/applications/{app.id}").status_code == 404


def test_the_formal_check_of_many_packets_goes_by_pages(client, login, session):
    world = make_world()
    unit = make_org()
    first, *_, last = [
        make_application(S.RECOMMENDED, campaign=world.campaign, organization=unit)
        for _ in range(service.PAGE_SIZE + 2)
    ]
    session.commit()
    login(world.office)
    url = f"/review/formal-check?campaign={world.campaign.id}"
    html = _page(client, url)
    assert html.count('data-testid="queue-row"') == service.PAGE_SIZE
    assert f"/review/applications/{first.id}" in html
    assert "Page 1 of 2" in html
    assert "page=2" in html and f"/review/applications/{last.id}" not in html
    html = _page(client, url + "&page=2")
    assert html.count('data-testid="queue-row"') == 2
    assert f"/review/applications/{last.id}" in html and "Previous page" in html


def test_the_formal_check_s_pages_are_its_list_in_id_order_read_from_either_end(session):
    """The pages read forward and those read from the end (pagination.window) together are the
    packets at 'recommended' in id order, by category too."""
    world = make_world()
    unit = make_org()
    packets = [
        make_application(S.RECOMMENDED if n % 4 else S.ACCEPTED, campaign=world.campaign,
                         organization=unit,
                         kind=CategoryKind.TEAM if n % 3 else CategoryKind.INDIVIDUAL)
        for n in range(14)
    ]  # fmt: skip
    packets[5].state = S.INCOMPLETE  # returned for completion: off the list
    session.flush()
    listed = [p for p in packets if p.state is S.RECOMMENDED]
    for category_id in (None, listed[0].category_id):
        expected = [p.id for p in listed if category_id in (None, p.category_id)]
        found, totals = [], set()
        for n in range(1, -(-len(expected) // 3) + 1):
            rows, total, page, _pages = service.formal_check_queue(
                session, world.campaign, category_id=category_id, page=n, per_page=3,
                objects=False,
            )  # fmt: skip
            found += [r.id for r in rows]
            totals.add(total)
        assert found == expected and totals == {len(expected)}
        last = service.formal_check_queue(session, world.campaign, category_id=category_id,
                                          page=99, per_page=3, objects=False)  # fmt: skip
        assert [r.id for r in last[0]] == expected[(last[2] - 1) * 3 :]


def test_the_queues_page_links_keep_the_campaign_and_category_chosen(client, login, session):
    world = make_world()
    first = make_application(campaign=world.campaign, stage_position=0)
    for _ in range(service.PAGE_SIZE):
        make_application(campaign=world.campaign, stage_position=0)
    other = make_application(
        campaign=world.campaign, stage_position=0, kind=CategoryKind.INDIVIDUAL, person_name="王芳"
    )
    session.commit()
    login(world.reviewer(UNION))
    chosen = f"campaign={world.campaign.id}&amp;category={first.category_id}"
    html = _page(client, f"/review/?campaign={world.campaign.id}&category={first.category_id}")
    assert "Page 1 of 2" in html and f'href="/review/?{chosen}&amp;page=2"' in html
    html = _page(client, f"/review/?{chosen.replace('&amp;', '&')}&page=2")
    assert "Page 2 of 2" in html and "王芳" not in html
    assert f'href="/review/?{chosen}&amp;page=1"' in html
    # Without a category chosen the link carries an empty one, as the filter form sends it.
    html = _page(client, f"/review/?campaign={world.campaign.id}")
    assert f'href="/review/?campaign={world.campaign.id}&amp;category=&amp;page=2"' in html
    del other
