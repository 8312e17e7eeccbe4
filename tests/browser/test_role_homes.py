"""Each role logs in through the real form and lands on a home page that names its role."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from tests.browser.conftest import current_campaign, log_in, seeded, shown
from tests.factories import make_user

pytestmark = pytest.mark.browser

ROLES = [
    Role.ENTERPRISE,
    Role.CHANNEL_REVIEWER,
    Role.OFFICE,
    Role.ORGANIZER,
    Role.EXPERT,
    Role.ADMIN,
]


@pytest.fixture(scope="module")
def campaign(live_server):
    with seeded(live_server.app) as session:
        return current_campaign(session)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
def test_role_logs_in_and_sees_its_home_page(page, live_server, campaign, screenshots, role):
    app = live_server.app
    with seeded(app):
        user = make_user(role, name=f"{role.value}测试用户")

    log_in(page, user.email)

    expect(page).to_have_url(f"{live_server.url}/home")
    expect(page.get_by_test_id("home-role")).to_have_text(shown(app, role))
    expect(page.get_by_test_id("current-user")).to_contain_text(user.name)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    page.screenshot(path=screenshots / f"{role.value}.png", full_page=True)
