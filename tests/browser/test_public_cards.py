"""On a 390 px phone the public lists (the notice, the honour roll) stack each row as a card
whose cells show their column's name above the value, as the desktop table's header does."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign
from portal.db import utcnow
from tests.browser.conftest import say, seeded
from tests.factories import make_application, make_campaign
from tests.honours.helpers import make_honour
from tests.notice.helpers import open_notice

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TEAM = "外滩观光隧道服务班组"

# The name each cell of the first card shows above its value (the ::before content), in order.
CARD_LABELS = """table => [...table.tBodies[0].rows[0].cells].map(cell => {
  const shown = getComputedStyle(cell, "::before").content;
  return shown === "none" || shown === "normal" ? "" : JSON.parse(shown);
})"""


@pytest.fixture(scope="module")
def world(live_server):
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        noticed = make_campaign(year=year)
        make_application(ApplicationState.CANDIDATE, campaign=noticed, team_name=TEAM)
        open_notice(noticed, opens_at=utcnow() - timedelta(hours=1))
        honoured = make_campaign(year=year + 1)
        make_honour(campaign=honoured, team_name=TEAM)
        return {"notice year": year, "honour year": year + 1}


def test_the_notice_on_a_phone_names_each_field_of_a_card(page, live_server, world):
    app = live_server.app
    page.set_viewport_size(PHONE)
    assert page.goto(f"/notice/{world['notice year']}").ok
    listing = page.get_by_test_id("notice-list")
    names = ["Team or person", "Unit", "Category", "Industry", "District"]
    assert listing.evaluate(CARD_LABELS) == ["", *(say(app, n) for n in names), ""]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_honour_roll_on_a_phone_names_each_field_of_a_card(page, live_server, world):
    app = live_server.app
    page.set_viewport_size(PHONE)
    assert page.goto(f"/honours?year={world['honour year']}").ok
    roll = page.get_by_test_id("honour-roll")
    names = ["Year", "Category", "Team or person", "Unit", "Industry", "District", "Valid until"]
    assert roll.evaluate(CARD_LABELS) == [say(app, n) for n in names]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
