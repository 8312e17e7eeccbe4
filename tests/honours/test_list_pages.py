"""The honour lists at any length: a page of the office's list or of the public roll is found
along ix_honour_list (newest campaign first, then by certificate number) and stops there, the
office's list from whichever end is nearer, instead of every honour being sorted; the
campaign's year kept on each honour follows the campaign's."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import CategoryKind
from portal.honours import rows, rules, service
from portal.honours.models import Honour
from tests.factories import make_campaign, make_user
from tests.honours.helpers import make_honour
from tests.notice.helpers import with_candidates
from tests.page_plans import before_offset

ROW = re.compile(r'<a href="/honours/(\d+)">(FWMX-[^<]+)</a>')


def _honours(years=(2031, 2033, 2032), each: int = 3) -> list[Honour]:
    """Honours of campaigns made out of year order, teams and individuals mixed."""
    made = []
    for year in years:
        campaign = make_campaign(year=year)
        for i in range(each):
            kind = CategoryKind.INDIVIDUAL if i % 2 else CategoryKind.TEAM
            made.append(make_honour(campaign=campaign, kind=kind))
    return made


def _in_order(honours: list[Honour]) -> list[str]:
    return [
        h.certificate_number
        for h in sorted(honours, key=lambda h: (-h.campaign.year, h.certificate_number))
    ]


def _managed(client, query: str) -> list[str]:
    return [n for _id, n in ROW.findall(client.get(f"/honours/manage?{query}").get_data(True))]


def test_every_page_of_the_office_list_is_its_slice_from_either_end(
    client, login, session, monkeypatch
):
    """Pages nearer the end are read from the end: still in the list's order, the last page a
    short one, a page beyond the last read as the last."""
    monkeypatch.setattr(rows, "MANAGE_PAGE_SIZE", 2)
    honours = _honours()
    login(make_user(Role.OFFICE))
    expected = _in_order(honours)
    pages = [_managed(client, f"page={n}") for n in range(1, 6)]
    assert [n for page in pages for n in page] == expected
    assert pages[-1] == expected[8:]
    assert _managed(client, "page=99") == expected[8:]
    assert _managed(client, "page=2&year=2033") == expected[2:3]


def test_every_page_of_the_roll_is_its_slice_of_the_current_holders(client, session, monkeypatch):
    monkeypatch.setattr(rows, "ROLL_PAGE_SIZE", 2)
    honours = _honours(each=2)
    today = rules.shanghai_today()
    expired = make_honour(campaign=honours[0].campaign, awarded_on=today - timedelta(days=1100))
    revoked = make_honour(campaign=honours[2].campaign, revoked_on=today)
    shown = []
    for number in range(1, 5):
        page = client.get(f"/honours?page={number}").get_data(as_text=True)
        holders = re.findall(r"<tr><td>\d+</td><td>[^<]*</td><td>([^<]*)</td>", page)
        shown += holders
        assert ("Next page" in page or "下一页" in page) == (number < 3)
    by_number = {h.certificate_number: h.holder_name for h in honours}
    assert shown == [by_number[n] for n in _in_order(honours)]
    assert expired.holder_name not in shown and revoked.holder_name not in shown


def test_the_lists_follow_a_campaign_whose_year_changes(client, login, session):
    """The year an honour keeps for the lists' order moves with its campaign's settings."""
    honours = _honours(years=(2031, 2032), each=2)
    campaign = honours[0].campaign
    campaign.year = 2035
    session.flush()
    session.expire_all()
    kept = session.scalars(sa.select(Honour.campaign_year).where(Honour.campaign_id == campaign.id))
    assert set(kept) == {2035}
    login(make_user(Role.OFFICE))
    assert _managed(client, "") == _in_order(honours)
    assert _managed(client, "year=2035") == _in_order(honours[:2])
    assert _managed(client, "year=2031") == []
    roll = client.get("/honours?year=2035").get_data(as_text=True)
    assert all(h.holder_name in roll for h in honours[:2])


def _plans(session, backward: bool):
    today = rules.shanghai_today()
    values = {"today": today, "limit": 50, "offset": 500}
    managed = rows._managed_statement(True, backward, None, False, False)
    roll = rows._roll_statement(True, False, False, False, False)
    return before_offset(session, managed, "ix_honour_list", values), before_offset(
        session, roll, "ix_honour_list", values
    )


@pytest.mark.parametrize("backward", [False, True])
def test_a_deep_page_passes_over_the_list_index_alone_without_sorting(session, backward):
    _honours(each=1)
    for read in _plans(session, backward):
        assert read.tables == {"honour"}
        assert not read.sorts
        if session.bind.dialect.name == "sqlite":
            assert read.index_only


def test_the_final_list_says_how_many_candidates_remain(client, login, session):
    campaign, apps = with_candidates(3, year=2034)
    office = make_user(Role.OFFICE)
    office.locale = "en"
    login(office)
    html = client.get("/honours/manage?lang=en").get_data(as_text=True)
    assert "Campaign 2034: 3 candidates." in html
    apps[0].state = ApplicationState.NOT_SELECTED
    session.flush()
    direct = session.scalar(
        sa.select(sa.func.count(Application.id)).where(
            Application.campaign_id == campaign.id,
            Application.state == ApplicationState.CANDIDATE,
        )
    )
    assert [(c.id, n) for c, n in service.final_list_campaigns(session).awaiting] == [
        (campaign.id, direct)
    ]
    html = client.get("/honours/manage?lang=en").get_data(as_text=True)
    assert "Campaign 2034: 2 candidates." in html
