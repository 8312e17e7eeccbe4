"""The formal check's return for completion in a real browser: the office ticks what is
missing, writes the rest, sets the due date and confirms; the enterprise reads the whole list
on a phone, resubmits after the application deadline, and the packet is back at the formal
check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import utcnow
from portal.organizations.models import OrgKind
from portal.review import completion
from tests.applications.helpers import make_submitted, open_campaign
from tests.browser.conftest import log_in, say, seeded
from tests.browser.dialogs import answer_dialogs
from tests.factories import district, make_org, make_user

pytestmark = pytest.mark.browser

DISTRICT = "fengxian"  # no other browser module routes packets here
NOTE = "申报表第二页缺少单位负责人签字，请补签后重新扫描上传。"


@pytest.fixture(scope="module")
def world(live_server):
    """A campaign whose applications have closed, with one packet at the formal check."""
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        now = utcnow()
        campaign = open_campaign(
            year=year,
            application_deadline=now + timedelta(days=1),
            recommendation_deadline=now + timedelta(days=5),
            review_deadline=now + timedelta(days=15),
        )
        unit = make_org(OrgKind.ENTERPRISE, district=district(DISTRICT))
        enterprise = make_user(Role.ENTERPRISE, organization=unit)
        app = make_submitted(enterprise, CategoryKind.TEAM, campaign)
        # Set up, not walked: the chain and the recommendation have their own browser test.
        app.state = ApplicationState.RECOMMENDED
        campaign.application_deadline = now - timedelta(hours=1)
        office = make_user(Role.OFFICE)
        return {
            "campaign": campaign.id,
            "app": app.id,
            "enterprise": enterprise.email,
            "office": office.email,
        }


def _state(live_server, world) -> ApplicationState:
    with seeded(live_server.app) as session:
        return session.get(Application, world["app"]).state


def test_the_office_returns_for_completion_and_the_enterprise_resubmits(page, live_server, world):
    app = live_server.app
    log_in(page, world["office"])
    assert page.goto(f"/review/applications/{world['app']}").ok
    form = page.get_by_test_id("completion-form")
    form.locator("input[value=sealed_form]").check()
    form.locator("input[value=survey]").check()
    form.locator("#note").fill(NOTE)
    due = completion.default_due_day().isoformat()
    form.locator("#due_on").fill(due)
    asked = answer_dialogs(page)
    page.get_by_test_id("request-completion").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(live_server.url)}/review/formal-check"))
    expect(page.locator("p.flash-success")).to_have_text(
        say(app, "The application is returned to the enterprise for completion.")
    )
    assert asked == [
        say(
            app,
            "Return the application to the enterprise for completion? It is mailed the list "
            "and the due date at once; the formal check waits until it resubmits.",
        )
    ]
    expect(page.get_by_test_id(f"incomplete-{world['app']}")).to_be_visible()
    assert _state(live_server, world) is ApplicationState.INCOMPLETE

    # The enterprise reads everything at once on a phone, then resubmits the packet.
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, world["enterprise"])
    assert page.goto("/applications/").ok
    page.get_by_test_id("completion-mark").click()
    request = page.get_by_test_id("completion-request")
    expect(request.locator("li")).to_have_count(2)
    expect(request).to_contain_text(NOTE)
    box = request.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the list fits the phone
    page.get_by_role("button", name=say(app, "Resubmit the completed application")).click()
    expect(page.locator("p.flash-error")).to_have_count(0)
    assert _state(live_server, world) is ApplicationState.RECOMMENDED

    # Back at the office's formal check, not at the start of the channel chain.
    page.set_viewport_size({"width": 1280, "height": 800})
    log_in(page, world["office"])
    assert page.goto(f"/review/formal-check?campaign={world['campaign']}").ok
    queue = page.get_by_test_id("formal-check-queue")
    expect(queue.locator(f"a[href='/review/applications/{world['app']}']")).to_be_visible()
