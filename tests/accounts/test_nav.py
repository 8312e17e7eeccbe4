"""The navigation is grouped by the year's stages; each link shows only to the roles the
server lets through, and a group with no link for the role is left out."""

from __future__ import annotations

import lxml.html
import pytest

from portal.accounts.models import Role
from tests.applications.helpers import open_campaign
from tests.factories import make_user

ALWAYS = {"/notice", "/honours", "/account/tokens"}
OFFICE_TOOLS = {"/office/campaigns/", "/office/organizations/", "/office/users/", "/office/audit"}
OWN = {
    Role.ENTERPRISE: {"/applications/"},
    Role.CHANNEL_REVIEWER: {"/review/", "/recommendations/", "/statistics/mine", "/reevaluation/"},
    Role.OFFICE: {
        "/review/formal-check",
        "/recommendations/",
        "/balance/",
        "/statistics/",
        "/similarity/",
        "/scoring/office",
        "/scoring/results/",
        "/notice/manage",
        "/notice/manage/objections",
        "/honours/manage",
        "/reevaluation/",
        "/office/outbox",
        *OFFICE_TOOLS,
    },
    Role.ORGANIZER: {
        "/balance/",
        "/scoring/results/",
        "/notice/manage",
        "/honours/manage",
        "/reevaluation/",
        "/office/campaigns/",
    },
    Role.EXPERT: {"/scoring/"},
    Role.ADMIN: {"/office/outbox", *OFFICE_TOOLS},
}
GROUPS = {
    Role.ENTERPRISE: ["apply", "notice", "honours", "manage"],
    Role.CHANNEL_REVIEWER: ["recommend", "notice", "honours", "manage"],
    Role.OFFICE: ["recommend", "review", "notice", "honours", "manage"],
    Role.ORGANIZER: ["recommend", "review", "notice", "honours", "manage"],
    Role.EXPERT: ["review", "notice", "honours", "manage"],
    Role.ADMIN: ["notice", "honours", "manage"],
}


def _nav(client) -> dict[str, list[str]]:
    doc = lxml.html.fromstring(client.get("/home").get_data(as_text=True))
    return {
        group.get("data-nav-group"): [a.get("href") for a in group.xpath(".//a")]
        for group in doc.xpath('//nav[@class="main"]//details[@data-nav-group]')
    }


@pytest.mark.parametrize("role", list(OWN), ids=[r.value for r in OWN])
def test_each_role_sees_exactly_its_links_grouped_by_stage(client, login, session, role):
    open_campaign()
    login(make_user(role))
    nav = _nav(client)
    assert list(nav) == GROUPS[role]
    links = [href for hrefs in nav.values() for href in hrefs]
    assert sorted(links) == sorted(OWN[role] | ALWAYS)


def _groups(client, path="/home", **kwargs) -> dict[str, list[tuple[str, str]]]:
    doc = lxml.html.fromstring(client.get(path, **kwargs).get_data(as_text=True))
    return {
        group.get("data-nav-group"): [group.xpath("string(summary)")]
        + [(a.get("href"), a.text_content()) for a in group.xpath(".//a")]
        for group in doc.xpath('//nav[@class="main"]//details[@data-nav-group]')
    }


def test_the_navigation_follows_the_language_and_the_role_of_each_request(app, client, login):
    office, expert = make_user(Role.OFFICE), make_user(Role.EXPERT)
    login(office)
    chinese = _groups(client)
    client.set_cookie("lang", "en", domain="portal.test")
    english = _groups(client)
    assert english["manage"][0] == "Manage" and ("/office/users/", "Users") in english["manage"]
    assert chinese["manage"][0] == "管理" and ("/office/users/", "用户管理") in chinese["manage"]
    login(expert)
    assert list(_groups(client)) == GROUPS[Role.EXPERT]
    assert _groups(client)["review"] == ["Expert review", ("/scoring/", "My assignments")]
    client.set_cookie("lang", "zh_Hans_CN", domain="portal.test")
    login(office)
    assert _groups(client) == chinese


def test_the_navigation_links_follow_the_address_the_portal_is_served_under(client, login):
    login(make_user(Role.OFFICE))
    at_root = _groups(client)
    under = _groups(client, base_url="http://portal.test/portal")
    assert under.keys() == at_root.keys()
    for key, (name, *links) in at_root.items():
        assert under[key] == [name, *((f"/portal{href}", text) for href, text in links)]
    page = lxml.html.fromstring(client.get("/home", base_url="http://portal.test/portal").data)
    assert page.xpath('//link[@rel="stylesheet"]/@href') == ["/portal/static/portal.css"]
    assert page.xpath('//form[@class="inline"]/@action') == ["/portal/logout"]
