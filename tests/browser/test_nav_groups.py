"""In a real browser: the navigation's stage groups open with a tap or a click, without
script, and lead to the page, at desktop and at phone width."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from tests.browser.conftest import current_campaign, log_in, say, seeded
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def campaign(live_server):
    with seeded(live_server.app) as session:
        return current_campaign(session)


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_stage_group_opens_and_its_link_leads_to_the_page(
    chromium, live_server, campaign, width, javascript
):
    app = live_server.app
    with seeded(app):
        user = make_user(Role.CHANNEL_REVIEWER, name="导航审核人")
    context = chromium.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        viewport={"width": width, "height": 844},
        java_script_enabled=javascript,
    )
    page = context.new_page()
    try:
        log_in(page, user.email)
        group = page.locator('nav.main details[data-nav-group="recommend"]')
        link = group.get_by_role("link", name=say(app, "Review queue"))
        expect(link).to_be_hidden()
        expect(page.locator('nav.main details[data-nav-group="apply"]')).to_have_count(0)
        group.locator("summary").click()
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["x"] + box["width"] <= width
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        link.click()
        expect(page).to_have_url(f"{live_server.url}/review/")
    finally:
        context.close()
