"""A channel reviewer pages through a review queue longer than a page in a real browser, at
desktop width and on a 390 px phone: the category chosen in the filter stays chosen on the
next page and back, because the page links carry it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.campaigns.models import Campaign, CategoryKind
from portal.organizations.models import OrgKind, OrgSystem
from portal.review.service import PAGE_SIZE
from tests.browser.conftest import current_campaign, log_in, seeded
from tests.factories import district, make_application, make_org, make_user
from tests.review.helpers import channel

pytestmark = pytest.mark.browser

SCREENS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# Each screen has its own channel, in a district no other browser module routes packets to.
DISTRICTS = {"desktop": "putuo", "phone": "yangpu"}


@pytest.fixture(scope="module")
def campaign_id(live_server) -> int:
    with seeded(live_server.app) as session:
        campaign = current_campaign(session)
        session.flush()
        return campaign.id


def _queue(app, campaign_id: int, screen: str) -> tuple[str, int, str]:
    """A union channel with a page and two more team packets waiting, and two individuals:
    (the reviewer's email, the team category's id and Chinese name)."""
    with seeded(app) as session:
        campaign = session.get(Campaign, campaign_id)
        code = DISTRICTS[screen]
        reviewer = make_user(Role.CHANNEL_REVIEWER, organization=channel(OrgSystem.UNION, code))
        unit = make_org(OrgKind.ENTERPRISE, district=district(code))
        for _ in range(PAGE_SIZE + 2):
            team = make_application(campaign=campaign, organization=unit, stage_position=0)
        for _ in range(2):
            make_application(
                campaign=campaign,
                organization=unit,
                stage_position=0,
                kind=CategoryKind.INDIVIDUAL,
            )
        session.flush()
        return reviewer.email, team.category_id, team.category.name_zh


@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_queues_page_links_keep_the_category_chosen(page, live_server, campaign_id, screen):
    email, category_id, category_name = _queue(live_server.app, campaign_id, screen)
    page.set_viewport_size(SCREENS[screen])
    log_in(page, email)
    assert page.goto("/review/").ok
    filters = page.get_by_test_id("review-filters")
    filters.locator("#filter-category").select_option(str(category_id))
    filters.locator("button[type=submit]").click()
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(PAGE_SIZE)

    next_page = page.locator("[data-testid=pages] a[rel=next]")
    next_page.scroll_into_view_if_needed()
    box = next_page.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"]
    next_page.click()
    chosen = f"campaign={campaign_id}&category={category_id}"
    expect(page).to_have_url(f"{live_server.url}/review/?{chosen}&page=2")
    # The two team packets past the first page, not the individuals the whole queue has too.
    expect(rows).to_have_count(2)
    expect(rows.locator("td:nth-child(3)")).to_have_text([category_name] * 2)
    expect(page.locator("#filter-category")).to_have_value(str(category_id))

    page.locator("[data-testid=pages] a[rel=prev]").click()
    expect(page).to_have_url(f"{live_server.url}/review/?{chosen}&page=1")
    expect(rows).to_have_count(PAGE_SIZE)
