"""The unit's list of packets: newest first, a page at a time, in the reader's language."""

from __future__ import annotations

import re

import pytest

from portal.accounts.models import Role, User
from portal.applications import rows
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.db import get_session
from tests.factories import make_application, make_campaign, make_user
from tests.querycount import counting

ROW = re.compile(
    r"<tr>\s*<td>(\d+)</td>\s*<td>([^<]*)</td>\s*<td><a href=\"/applications/\d+\">([^<]*)</a>"
)


def _rows(client, path: str) -> list[tuple[str, str, str]]:
    response = client.get(path)
    assert response.status_code == 200
    return ROW.findall(response.get_data(as_text=True))


@pytest.fixture
def unit(app, monkeypatch):
    """An English-speaking unit with three packets of two campaigns, two rows a page."""
    monkeypatch.setattr(rows, "APPLICATIONS_PER_PAGE", 2)
    user = make_user(Role.ENTERPRISE, locale="en")
    older, newer = make_campaign(year=2611), make_campaign(year=2612)
    make_application(campaign=older, organization=user.organization, team_name="甲班组")
    make_application(
        ApplicationState.RETURNED,
        campaign=newer,
        organization=user.organization,
        kind=CategoryKind.INDIVIDUAL,
        person_name="乙申报人",
    )
    make_application(campaign=newer, organization=user.organization, team_name=" 丙班组 ")
    get_session().commit()
    return user.id


def test_the_first_page_shows_the_newest_packets_and_links_the_next(client, login, unit):
    login(get_session().get(User, unit))
    assert _rows(client, "/applications/") == [
        ("2612", "Team", "丙班组"),
        ("2612", "Individual", "乙申报人"),
    ]
    html = client.get("/applications/").get_data(as_text=True)
    assert "Page 1 of 2" in html and 'href="/applications/?page=2"' in html


def test_the_second_page_shows_the_next_packets(client, login, unit):
    login(get_session().get(User, unit))
    assert _rows(client, "/applications/?page=2") == [("2611", "Team", "甲班组")]
    html = client.get("/applications/?page=2").get_data(as_text=True)
    assert 'href="/applications/?page=1"' in html and "Next page" not in html
    assert _rows(client, "/applications/?page=7") == [("2611", "Team", "甲班组")]
    assert client.get("/applications/?page=x").status_code == 400


def test_the_home_lists_every_packet_in_chinese(client, login, unit):
    user = get_session().get(User, unit)
    user.locale = "zh_Hans_CN"
    get_session().commit()
    login(user)
    assert _rows(client, "/home") == [
        ("2612", "班组", "丙班组"),
        ("2612", "个人", "乙申报人"),
        ("2611", "班组", "甲班组"),
    ]


def test_every_page_of_the_list_runs_the_same_statements(client, login, unit):
    login(get_session().get(User, unit))
    counts = []
    for path in ("/applications/", "/applications/?page=2"):
        get_session().expunge_all()
        with counting(get_session().connection()) as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
