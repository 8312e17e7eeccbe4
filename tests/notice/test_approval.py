"""Joint approval (会签): all four organizers sign the exact current list before the notice."""

import re

import pytest

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.applications.workflow import fire
from portal.campaigns.models import Campaign, CategoryKind
from portal.notice import service
from portal.notice.errors import NoticeError
from portal.organizations.models import OrgSystem
from tests.factories import (
    district,
    industry,
    make_application,
    make_campaign,
    make_org,
    make_user,
    shanghai,
)
from tests.notice.helpers import four_organizers, with_candidates
from tests.querycount import counting

OPENS = shanghai(2026, 12, 7, 9, 0)


def test_list_digest_is_of_the_sorted_ids():
    assert service.list_digest([3, 1, 2]) == service.list_digest([1, 2, 3])
    assert service.list_digest([1, 2]) != service.list_digest([1, 2, 3])


def test_notice_opens_only_when_all_four_have_signed(session):
    campaign, _ = with_candidates(3)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    rnd = service.request_approval(session, campaign, office)
    systems = [OrgSystem.QUALITY, OrgSystem.UNION, OrgSystem.YOUTH]
    for system in systems:
        service.sign_list(session, campaign, organizers[system], rnd.list_digest)
    status = service.approval_status(session, campaign)
    assert status.signed_count == 3
    assert not status.approved
    with pytest.raises(NoticeError) as refused:
        service.open_notice(session, campaign, office, opens_at=OPENS, now=OPENS)
    assert refused.value.key == "not_approved"

    service.sign_list(session, campaign, organizers[OrgSystem.WOMEN], rnd.list_digest)
    assert service.approval_status(session, campaign).approved
    notice = service.open_notice(session, campaign, office, opens_at=OPENS, now=OPENS)
    assert notice.closes_at == shanghai(2026, 12, 12, 0, 0)


def test_an_organization_answers_once_per_round(session):
    campaign, _ = with_candidates(2)
    organizers = four_organizers()
    rnd = service.request_approval(session, campaign, make_user(Role.OFFICE))
    service.sign_list(session, campaign, organizers[OrgSystem.UNION], rnd.list_digest)
    with pytest.raises(NoticeError) as refused:
        service.sign_list(session, campaign, organizers[OrgSystem.UNION], rnd.list_digest)
    assert refused.value.key == "already_decided"


def test_a_send_back_voids_the_round_and_the_office_must_ask_again(session):
    campaign, _ = with_candidates(2)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    rnd = service.request_approval(session, campaign, office)
    for system in (OrgSystem.QUALITY, OrgSystem.UNION, OrgSystem.YOUTH):
        service.sign_list(session, campaign, organizers[system], rnd.list_digest)
    service.send_back(
        session, campaign, organizers[OrgSystem.WOMEN], rnd.list_digest, "女性比例偏低"
    )
    status = service.approval_status(session, campaign)
    assert status.round.closed_reason == "sent_back"
    assert not status.open and not status.approved
    with pytest.raises(NoticeError) as refused:
        service.sign_list(session, campaign, organizers[OrgSystem.WOMEN], rnd.list_digest)
    assert refused.value.key == "no_round"

    second = service.request_approval(session, campaign, office)
    assert second.number == 2
    status = service.approval_status(session, campaign)
    assert status.signed_count == 0  # the three earlier signatures do not carry over


def test_a_send_back_needs_a_reason(session):
    campaign, _ = with_candidates(1)
    organizers = four_organizers()
    rnd = service.request_approval(session, campaign, make_user(Role.OFFICE))
    with pytest.raises(NoticeError) as refused:
        service.send_back(session, campaign, organizers[OrgSystem.YOUTH], rnd.list_digest, "  ")
    assert refused.value.key == "reason_required"


def test_a_changed_candidate_set_voids_every_signature(session):
    campaign, apps = with_candidates(3)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    rnd = service.request_approval(session, campaign, office)
    for user in organizers.values():
        service.sign_list(session, campaign, user, rnd.list_digest)
    assert service.approval_status(session, campaign).approved

    # The office reopens the ranking for one packet: the list is no longer the one signed.
    fire(session, apps[0], ApplicationState.ACCEPTED, office, reason="复核分数")
    status = service.approval_status(session, campaign)
    assert status.void and not status.approved
    with pytest.raises(NoticeError) as refused:
        service.open_notice(session, campaign, office, opens_at=OPENS, now=OPENS)
    assert refused.value.key == "not_approved"


def test_adding_a_candidate_also_voids(session):
    campaign, _ = with_candidates(2)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    rnd = service.request_approval(session, campaign, office)
    service.sign_list(session, campaign, organizers[OrgSystem.QUALITY], rnd.list_digest)
    make_application(ApplicationState.CANDIDATE, campaign=campaign)
    with pytest.raises(NoticeError) as refused:
        service.sign_list(session, campaign, organizers[OrgSystem.UNION], rnd.list_digest)
    assert refused.value.key == "list_changed"


def test_a_signature_is_bound_to_the_list_the_organizer_saw(session):
    campaign, _ = with_candidates(2)
    organizers = four_organizers()
    service.request_approval(session, campaign, make_user(Role.OFFICE))
    stale = service.list_digest([1, 2, 3])
    with pytest.raises(NoticeError) as refused:
        service.sign_list(session, campaign, organizers[OrgSystem.UNION], stale)
    assert refused.value.key == "list_changed"


def test_only_organizer_organizations_sign(session):
    campaign, _ = with_candidates(1)
    rnd = service.request_approval(session, campaign, make_user(Role.OFFICE))
    with pytest.raises(NoticeError) as refused:
        service.sign_list(session, campaign, make_user(Role.OFFICE), rnd.list_digest)
    assert refused.value.key == "not_organizer"


def test_no_round_without_candidates(session):
    campaign, _ = with_candidates(0)
    with pytest.raises(NoticeError) as refused:
        service.request_approval(session, campaign, make_user(Role.OFFICE))
    assert refused.value.key == "no_candidates"


def test_signing_through_the_pages(client, login, session):
    campaign, apps = with_candidates(2)
    office = make_user(Role.OFFICE)
    organizers = four_organizers()
    login(office)
    response = client.post(f"/notice/manage/{campaign.id}/request", follow_redirects=True)
    assert "sent to the four organizers" in response.get_data(as_text=True)
    client.post("/logout")
    digest = service.list_digest([a.id for a in apps])
    for user in organizers.values():
        login(user)
        page = client.get(f"/notice/manage/{campaign.id}").get_data(as_text=True)
        assert apps[0].title in page and digest in page
        response = client.post(
            f"/notice/manage/{campaign.id}/sign", data={"digest": digest}, follow_redirects=True
        )
        assert "has signed the candidate list" in response.get_data(as_text=True)
        client.post("/logout")
    login(office)
    page = client.get(f"/notice/manage/{campaign.id}").get_data(as_text=True)
    assert 'data-testid="round-approved"' in page
    response = client.post(
        f"/notice/manage/{campaign.id}/open",
        data={"opens_at": "2099-01-05 09:00"},
        follow_redirects=True,
    )
    assert "The public notice is published." in response.get_data(as_text=True)
    notice = service.get_notice(session, campaign)
    assert notice.opens_at == shanghai(2099, 1, 5, 9, 0)
    assert notice.closes_at == shanghai(2099, 1, 10, 0, 0)  # Mon 5 .. Fri 9 January 2099


def _candidate_table(client, campaign) -> str:
    page = client.get(f"/notice/manage/{campaign.id}").get_data(as_text=True)
    return page[page.index('data-testid="balance"') :]


def test_the_office_page_lists_each_candidate_and_the_balance(client, login, session):
    campaign = make_campaign(year=2031)
    unit = make_org(name="徐汇某酒店", district=district("xuhui"), industry=industry("hotels"))
    person = make_application(
        ApplicationState.CANDIDATE,
        campaign=campaign,
        organization=unit,
        kind=CategoryKind.INDIVIDUAL,
        person_name=" 王芳 ",
        female=True,
        age=30,
    )
    team = make_application(ApplicationState.CANDIDATE, campaign=campaign, members=4, women=2)
    make_application(ApplicationState.ACCEPTED, campaign=campaign, team_name="未入选班组")
    login(make_user(Role.OFFICE))
    table = _candidate_table(client, campaign)
    assert "未入选班组" not in table
    rows = table[table.index("<tbody>") :]
    assert rows.index(team.title) < rows.index("王芳")  # teams' category first, then by id
    assert f"<td>王芳</td><td>徐汇某酒店</td><td>{person.category.name_en}</td>" in rows
    assert "<td>Hotels</td><td>Xuhui</td>" in rows
    assert f"<td>{team.organization.name}</td>" in rows
    assert "<dt>Teams</dt><dd>1</dd>" in table and "<dt>Individuals</dt><dd>1</dd>" in table
    assert "Xuhui 1" in table and "Hotels 1" in table
    assert "<dt>Share of women</dt><dd>60.0%</dd>" in table  # 2 of 4 members and 1 of 1


def test_the_office_page_runs_as_many_statements_for_130_candidates_as_for_2(
    client, login, session
):
    campaign = with_candidates(2)[0]
    campaign_id, office = campaign.id, make_user(Role.OFFICE)
    service.request_approval(session, campaign, office)  # the 128 added void it: still one read
    login(office)

    def statements(page: int) -> int:
        session.expunge_all()
        with counting(session.connection()) as seen:
            assert client.get(f"/notice/manage/{campaign_id}?page={page}").status_code == 200
        return len(seen)

    few = [statements(1), statements(2)]
    with_candidates(128, campaign=session.get(Campaign, campaign_id))
    assert [statements(1), statements(2)] == few
    page = client.get(f"/notice/manage/{campaign_id}").get_data(as_text=True)
    assert 'data-testid="round-void"' in page


ROW = re.compile(r"<tr><td>(\d+)</td><td>([^<]*)</td>")


def test_the_candidate_list_is_paged_and_its_figures_are_of_the_whole_list(client, login, session):
    campaign, apps = with_candidates(130, year=2033)
    office = make_user(Role.OFFICE)
    login(office)
    service.request_approval(session, campaign, office)
    in_order = sorted(apps, key=lambda a: (a.category_id, a.id))

    def page(n: int) -> tuple[list[tuple[str, str]], str]:
        html = client.get(f"/notice/manage/{campaign.id}?page={n}").get_data(as_text=True)
        return ROW.findall(html[html.index('data-testid="candidates"') :]), html

    first, one = page(1)
    second, two = page(2)
    assert [int(n) for n, _ in first + second] == list(range(1, 131))
    assert [title for _, title in first + second] == [a.title for a in in_order]
    assert "Candidate list (130)" in one and "Candidate list (130)" in two

    def figures(html: str) -> str:
        return html[html.index('data-testid="balance"') : html.index("</dl>")]

    assert figures(one) == figures(two)
    assert "<dt>Teams</dt><dd>65</dd>" in one and "<dt>Individuals</dt><dd>65</dd>" in one
    assert "Page 1 of 2" in one and "Page 2 of 2" in two
    assert f'href="/notice/manage/{campaign.id}?page=2" rel="next"' in one
    assert page(7)[0] == second  # a page beyond the last is the last
    # the round is of the whole list, not of the page shown: it is not void
    assert 'data-testid="round-void"' not in one and 'data-testid="round-void"' not in two


def test_the_candidate_figures_counted_in_sql_agree_with_the_balance_rules(session):
    """The edges of each figure: ages 35, 35.5, 45, 55 and none, teams without figures or
    with none of their members counted, individuals of unknown sex, units without a district."""
    from decimal import Decimal

    from portal.balance import balance_figures
    from portal.notice.figures import candidate_figures

    campaign = make_campaign(year=2032)
    xuhui = make_org(district=district("xuhui"), industry=industry("hotels"))
    bare = make_org(district=None, industry=None)
    person, team = CategoryKind.INDIVIDUAL, CategoryKind.TEAM
    packets = [
        (person, xuhui, {"age": 35, "female": True}),
        (person, xuhui, {"age": 36, "female": False}),
        (person, bare, {"age": 55, "female": None}),
        (person, bare, {"age": 56, "female": True}),
        (person, xuhui, {"age": None, "female": True}),
        (team, xuhui, {"average_age": Decimal("35.5"), "members": 4, "women": 3}),
        (team, bare, {"average_age": Decimal("35.0"), "members": 5, "women": 0}),
        (team, xuhui, {"average_age": Decimal("45.0"), "member_count": None}),
        (team, bare, {"average_age": None, "member_count": 0, "women_count": 0}),
        (team, xuhui, {"average_age": Decimal("46"), "women_count": None}),
    ]
    apps = [
        make_application(
            ApplicationState.CANDIDATE, campaign=campaign, kind=kind, organization=org, **fields
        )
        for kind, org, fields in packets
    ]
    make_application(ApplicationState.ACCEPTED, campaign=campaign, organization=xuhui)
    session.flush()
    counted, expected = candidate_figures(session, campaign), balance_figures(apps)

    def places(counts):
        return [(c.item.code if c.item else None, c.count, c.share) for c in counts]

    assert counted.total == expected.total == 10
    assert [c.count for c in counted.by_district if c.item is None] == [4]
    for name in ("teams", "individuals", "people", "women", "women_share", "women_unknown"):
        assert getattr(counted, name) == getattr(expected, name), name
    assert counted.age_bands == expected.age_bands
    assert counted.young_share == expected.young_share
    assert places(counted.by_district) == places(expected.by_district)
    assert places(counted.by_industry) == places(expected.by_industry)
    assert [(c.item, c.count) for c in counted.by_kind] == [
        (c.item, c.count) for c in expected.by_kind
    ]
