"""A channel ranks a list longer than a page in a real browser, at desktop width and on a
390 px phone: a rank typed on the first page is saved by the next-page button on the way, and
a rank typed on the second page takes its place among the saved ones when Save is pressed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.campaigns.models import Campaign
from portal.recommendations.models import Recommendation
from portal.recommendations.ranking import PER_PAGE
from tests.browser.conftest import current_campaign, flash, log_in, say, seeded
from tests.recommendations.helpers import awaiting, quality_channel
from tests.recommendations.test_pages import rank_path

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Each screen has its own channel, in a district no other browser module uses.
DISTRICTS = {"desktop": "minhang", "phone": "jiading"}
SAVED = "The ranking is saved. Submit it before the deadline."


@pytest.fixture(scope="module")
def campaign_id(live_server) -> int:
    """The current campaign, its applications closed and its recommendations open."""
    with seeded(live_server.app) as session:
        campaign = current_campaign(session, apply_days=-1)
        session.flush()
        return campaign.id


def _channel(app, campaign_id: int, screen: str):
    """A quality channel with a page and two more packets awaiting its team ranking."""
    with seeded(app) as session:
        ch = quality_channel(session.get(Campaign, campaign_id), DISTRICTS[screen])
        ch.team.channel_quota = 5
        packets = [a.id for a in awaiting(ch, PER_PAGE + 2)]
        session.flush()
        return ch.reviewer.email, ch.organization.id, rank_path(ch), packets


def _saved(app, organization_id: int) -> list[int]:
    with seeded(app) as session:
        rec = session.scalar(
            sa.select(Recommendation).where(Recommendation.organization_id == organization_id)
        )
        return [] if rec is None else [e.application_id for e in rec.entries]


@pytest.mark.parametrize("screen", list(SCREENS))
def test_a_channel_ranks_a_long_list_a_page_at_a_time(page, live_server, campaign_id, screen):
    app = live_server.app
    email, organization_id, path, packets = _channel(app, campaign_id, screen)
    page.set_viewport_size(SCREENS[screen])
    log_in(page, email)
    assert page.goto(path).ok
    rows = page.locator("[data-testid=ranking] tbody tr")
    expect(rows).to_have_count(PER_PAGE)
    expect(page.get_by_test_id("ranking-pages")).to_be_visible()

    # A rank typed on the first page, then the next page: saved on the way.
    page.fill(f"input[name='rank-{packets[3]}']", "1")
    next_page = page.get_by_test_id("next-page")
    next_page.scroll_into_view_if_needed()
    box = next_page.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"]
    next_page.click()
    expect(page).to_have_url(f"{live_server.url}{path}?page=2")
    expect(flash(page, "success")).to_have_text(say(app, SAVED))
    expect(rows).to_have_count(2)
    assert _saved(app, organization_id) == [packets[3]]

    # On the second page a rank of 1 goes before the one saved from the first page.
    page.fill(f"input[name='rank-{packets[-1]}']", "1")
    page.get_by_test_id("save-ranking").click()
    expect(flash(page, "success")).to_have_text(say(app, SAVED))
    assert _saved(app, organization_id) == [packets[-1], packets[3]]
    # Saved ranks come first: both now lead the first page.
    assert page.goto(path).ok
    expect(page.locator(f"input[name='rank-{packets[-1]}']")).to_have_value("1")
    expect(page.locator(f"input[name='rank-{packets[3]}']")).to_have_value("2")
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"]
