"""The office's flag list, the pair page with what each viewer may see, and the packet include."""

from __future__ import annotations

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.organizations.models import OrgKind
from tests.factories import district, make_campaign, make_org, make_user
from tests.querycount import counting
from tests.similarity.helpers import original_and_copy, packet


def _pair(campaign, seed=31, state=ApplicationState.CHANNEL_APPROVED):
    text, copy = original_and_copy(seed=seed)
    elsewhere = make_org(OrgKind.ENTERPRISE, district=district("xuhui"), name=f"徐汇某单位{seed}")
    other = packet(text, campaign=campaign, organization=elsewhere, team_name=f"徐汇班组{seed}")
    mine = packet(copy, campaign=campaign, state=state, team_name=f"黄浦班组{seed}")
    return mine, other


def test_office_list_shows_both_packets_with_similarity(client, login):
    campaign = make_campaign(year=2410)
    mine, other = _pair(campaign)
    login(make_user(Role.OFFICE))
    html = client.get(f"/similarity/?campaign={campaign.id}").get_data(as_text=True)
    assert html.count('data-testid="match-row"') == 1
    assert "黄浦班组31" in html and "徐汇班组31" in html and "徐汇某单位31" in html


def test_office_list_writes_names_as_text_not_markup(client, login):
    campaign = make_campaign(year=2420)
    text, copy = original_and_copy(seed=61)
    unit = make_org(OrgKind.ENTERPRISE, district=district("xuhui"), name="<i>某&单位</i>")
    packet(text, campaign=campaign, organization=unit, team_name="<b>班组</b>")
    packet(copy, campaign=campaign, team_name="复制班组")
    login(make_user(Role.OFFICE))
    html = client.get(f"/similarity/?campaign={campaign.id}").get_data(as_text=True)
    assert "&lt;b&gt;班组&lt;/b&gt;" in html and "<b>班组" not in html
    assert "&lt;i&gt;某&amp;单位&lt;/i&gt;" in html and "<i>某" not in html


def test_an_earlier_campaigns_list_shows_the_flag_a_later_packet_raised(client, login):
    earlier, later = make_campaign(year=2421), make_campaign(year=2422)
    text, copy = original_and_copy(seed=62)
    packet(text, campaign=earlier, team_name="去年班组62")
    packet(copy, campaign=later, team_name="今年班组62")
    login(make_user(Role.OFFICE))
    for campaign in (earlier, later):
        html = client.get(f"/similarity/?campaign={campaign.id}").get_data(as_text=True)
        assert html.count('data-testid="match-row"') == 1
        assert "去年班组62" in html and "今年班组62" in html


def test_office_list_of_another_campaign_is_empty(client, login):
    _pair(make_campaign(year=2411))
    other_campaign = make_campaign(year=2412)
    login(make_user(Role.OFFICE))
    html = client.get(f"/similarity/?campaign={other_campaign.id}").get_data(as_text=True)
    assert 'data-testid="match-row"' not in html


def test_reviewer_sees_the_other_packets_passages_but_not_its_unit(client, login, session):
    campaign = make_campaign(year=2413)
    mine, other = _pair(campaign)
    login(make_user(Role.CHANNEL_REVIEWER))
    from portal.similarity.service import matches_for

    match = matches_for(session, mine)[0]
    html = client.get(f"/similarity/matches/{match.id}").get_data(as_text=True)
    assert "黄浦班组31" in html and mine.organization.name in html
    assert "徐汇班组31" not in html and "徐汇某单位31" not in html
    assert 'data-testid="anonymous-side"' in html and 'data-testid="passages"' in html
    assert html.count('data-testid="narrative"') == 1


def test_office_sees_both_narratives_in_full_with_shared_passages_marked(client, login, session):
    campaign = make_campaign(year=2414)
    mine, other = _pair(campaign)
    login(make_user(Role.OFFICE))
    from portal.similarity.service import matches_for

    match = matches_for(session, mine)[0]
    html = client.get(f"/similarity/matches/{match.id}").get_data(as_text=True)
    assert html.count('data-testid="narrative"') == 2
    assert "徐汇某单位31" in html and "<mark>" in html
    assert f'data-testid="similarity">{match.percent}%' in html


def test_reviewer_of_neither_packet_gets_not_found(client, login, session):
    campaign = make_campaign(year=2415)
    mine, _other = _pair(campaign)
    from portal.similarity.service import matches_for

    match = matches_for(session, mine)[0]
    outsider = make_org(OrgKind.CHANNEL, district=district("jingan"))
    login(make_user(Role.CHANNEL_REVIEWER, organization=outsider))
    assert client.get(f"/similarity/matches/{match.id}").status_code == 404


def test_flag_include_on_the_packet_page_for_its_reviewer_and_not_its_enterprise(
    client, login, session
):
    campaign = make_campaign(year=2416)
    mine, _other = _pair(campaign)
    number = mine.versions[0].number
    login(make_user(Role.CHANNEL_REVIEWER))
    html = client.get(f"/applications/{mine.id}/versions/{number}").get_data(as_text=True)
    assert 'data-testid="narrative-flag"' in html and "徐汇班组31" not in html
    client.post("/logout")
    login(make_user(Role.ENTERPRISE, organization=mine.organization))
    html = client.get(f"/applications/{mine.id}/versions/{number}").get_data(as_text=True)
    assert 'data-testid="narrative-flags"' not in html


def test_office_list_statement_count_does_not_grow_with_flags(client, login, session, app):
    few, many = make_campaign(year=2417), make_campaign(year=2418)
    _pair(few, seed=41)
    for seed in range(42, 50):
        _pair(many, seed=seed)
    login(make_user(Role.OFFICE))
    connection = app.extensions["portal.db"]["engine"]
    counts = []
    for campaign in (few, many):
        with counting(connection) as statements:
            response = client.get(f"/similarity/?campaign={campaign.id}")
        assert response.status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]


def test_office_list_is_paged_and_each_page_links_to_the_other(client, login, monkeypatch):
    from portal.similarity import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    campaign = make_campaign(year=2419)
    for seed in (51, 52, 53):
        _pair(campaign, seed=seed)
    login(make_user(Role.OFFICE))
    first = client.get(f"/similarity/?campaign={campaign.id}").get_data(as_text=True)
    second = client.get(f"/similarity/?campaign={campaign.id}&page=2").get_data(as_text=True)
    assert first.count('data-testid="match-row"') == 2
    assert second.count('data-testid="match-row"') == 1
    assert "Page 1 of 2" in first and f"campaign={campaign.id}&amp;page=2" in first
    assert "Page 2 of 2" in second and f"campaign={campaign.id}&amp;page=1" in second
    shown = [f"黄浦班组{seed}" for seed in (51, 52, 53)]
    assert sorted(t for t in shown if t in first + second) == shown
