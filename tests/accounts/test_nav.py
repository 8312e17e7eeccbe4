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
