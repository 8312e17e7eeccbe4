"""The expert's list of assignments: a page at a time, newest campaign first, by packet within
a campaign, with each campaign's progress counted over the whole list on every page."""

from __future__ import annotations

import re

import pytest

from portal.accounts.models import Role
from portal.db import get_session
from portal.organizations.models import OrgKind
from portal.scoring import progress, sheets
from tests.factories import make_campaign, make_org, make_user
from tests.querycount import counting
from tests.scoring.helpers import accepted, assigned_sheet, make_expert

SCORES = dict.fromkeys(["idea", "standards", "skills", "innovation", "results", "impact"], "5")


@pytest.fixture
def expert(app):
    org = make_org(OrgKind.OTHER)
    user = make_user(Role.EXPERT, organization=org, locale="en", name="翻页专家")
    return make_expert("翻页专家", organization=org, user=user)


def _assign(expert, campaign, title: str, *, pledge: bool = True, lock: bool = False):
    a = assigned_sheet(expert, campaign, pledge=pledge, app=accepted(campaign, team_name=title))
    if lock:
        sheets.save_sheet(get_session(), None, expert, a.sheet, SCORES)
        sheets.lock_sheet(get_session(), expert.user, expert, a.sheet)
    return a


def _cards(html: str) -> dict[str, tuple[str, list[str]]]:
    """Each campaign's card on the page: its progress line and the packets it lists."""
    cards = re.findall(r'data-testid="campaign-(\d+)">(.*?)</section>', html, re.S)
    return {
        year: (
            re.search(r'data-testid="progress">([^<]*)<', card).group(1),
            re.findall(r"(甲|乙|丙|丁)班组", card),
        )
        for year, card in cards
    }


@pytest.fixture
def three_campaigns(expert, monkeypatch):
    """Four rows in two pledged campaigns, two rows a page, and a newer campaign whose pledge
    the expert has not accepted yet."""
    monkeypatch.setattr(progress, "ASSIGNMENTS_PER_PAGE", 2)
    newest, middle, oldest = (make_campaign(year=y) for y in (2343, 2342, 2341))
    _assign(expert, newest, "戊班组", pledge=False)
    _assign(expert, middle, "甲班组", lock=True)
    _assign(expert, middle, "乙班组")
    _assign(expert, middle, "丙班组")
    _assign(expert, oldest, "丁班组")
    get_session().commit()
    return expert


def test_the_first_page_shows_the_pledge_card_and_the_first_rows(client, login, three_campaigns):
    login(three_campaigns.user)
    html = client.get("/scoring/").get_data(as_text=True)
    assert _cards(html) == {
        "2343": ("0 of 1 sheets locked", []),
        "2342": ("1 of 3 sheets locked", ["甲", "乙"]),
    }
    assert "Read and accept the pledge" in html
    assert "Page 1 of 2" in html and 'href="/scoring/?page=2"' in html


def test_the_second_page_shows_the_next_rows_with_the_whole_lists_counts(
    client, login, three_campaigns
):
    login(three_campaigns.user)
    html = client.get("/scoring/?page=2").get_data(as_text=True)
    assert _cards(html) == {
        "2342": ("1 of 3 sheets locked", ["丙"]),
        "2341": ("0 of 1 sheets locked", ["丁"]),
    }
    assert "Read and accept the pledge" not in html
    assert "Page 2 of 2" in html and 'href="/scoring/?page=1"' in html
    assert "Next page" not in html


def test_a_page_beyond_the_last_shows_the_last_and_a_bad_page_is_refused(
    client, login, three_campaigns
):
    login(three_campaigns.user)
    assert client.get("/scoring/?page=9").get_data(as_text=True).count("Page 2 of 2") == 1
    refused = client.get("/scoring/?page=zwei")
    assert refused.status_code == 400


def test_every_page_of_the_list_runs_the_same_statements(client, login, three_campaigns):
    login(three_campaigns.user)
    counts = []
    for path in ("/scoring/", "/scoring/?page=2"):
        get_session().expunge_all()
        with counting(get_session().connection()) as statements:
            assert client.get(path).status_code == 200
        counts.append(len(statements))
    assert counts[0] == counts[1]
