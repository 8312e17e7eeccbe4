"""The channel reviewer counts a packet's scanned paper batch with the real button, on a desktop
and on a 390 px phone: the count is recorded, shown beside the survey's figures with who
counted it, and the packet is shown short of the answers the count leaves missing."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications.models import FileCategory
from portal.applications.service import submit_application
from portal.campaigns.models import CategoryKind
from portal.organizations.models import OrgKind, OrgSystem
from portal.survey.models import BatchCount
from tests.applications.helpers import make_complete
from tests.browser.conftest import current_campaign, flash, log_in, say, seeded
from tests.factories import district, make_org, make_user
from tests.survey.helpers import with_settings

pytestmark = pytest.mark.browser

DISTRICT = "baoshan"  # no other browser module routes packets here
PAPER = 30  # the campaign's figure: a batch stands in for 30 answers until it is counted
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def world(live_server):
    """A team packet of a Baoshan unit, submitted with its scanned batch standing in for the
    minimum of 30 answers (no answers online), at the Baoshan trade union's stage."""
    with seeded(live_server.app) as session:
        campaign = current_campaign(session)
        union = make_org(
            OrgKind.CHANNEL,
            system=OrgSystem.UNION,
            district=district(DISTRICT),
            name=f"宝山区总工会-{campaign.year}",
        )
        reviewer = make_user(Role.CHANNEL_REVIEWER, organization=union)
        unit = make_org(OrgKind.ENTERPRISE, district=district(DISTRICT))
        enterprise = make_user(Role.ENTERPRISE, organization=unit)
        application = make_complete(enterprise, CategoryKind.TEAM, campaign)
        with_settings(application, paper_batch_answers=PAPER)
        submit_application(session, application.id, enterprise)
        scan = next(f for f in application.files if f.category is FileCategory.SURVEY)
        return {"app": application.id, "scan": scan.id, "reviewer": reviewer.email}


def _count(page, live_server, world, counted: int) -> None:
    """Type the count into the batch's form and press its button."""
    assert page.goto(f"/review/applications/{world['app']}").ok
    batch = page.get_by_test_id(f"batch-{world['scan']}")
    batch.get_by_label(say(live_server.app, "Filled-in surveys counted")).fill(str(counted))
    batch.get_by_role("button", name=say(live_server.app, "Record the count")).click()
    expect(page).to_have_url(re.compile(rf"/review/applications/{world['app']}#batch-"))
    expect(flash(page, "success")).to_have_text(
        say(live_server.app, "The count of %(n)s filled-in surveys is recorded.", n=counted)
    )


def _stored(live_server) -> list[int]:
    with seeded(live_server.app) as session:
        return list(session.scalars(sa.select(BatchCount.counted)))


def _short_by(live_server, n: int) -> str:
    return say(
        live_server.app,
        "Short by %(n)s answers: return the packet for completion if the unit must collect more.",
        n=n,
    )


def test_the_reviewer_counts_a_batch_on_a_desktop_and_again_on_a_phone(page, live_server, world):
    log_in(page, world["reviewer"])
    assert page.goto(f"/review/applications/{world['app']}").ok
    batch = page.get_by_test_id(f"batch-{world['scan']}")
    not_counted = say(live_server.app, "not counted yet")
    expect(batch.get_by_test_id("batch-count")).to_have_text(not_counted)
    expect(page.get_by_test_id("survey-short")).to_have_count(0)

    _count(page, live_server, world, 12)
    assert _stored(live_server) == [12]
    expect(batch.get_by_test_id("batch-count")).to_contain_text("12")
    expect(page.get_by_test_id("survey-short")).to_have_text(_short_by(live_server, 18))

    # A recount at the counter, on a phone: the later count replaces the first.
    page.set_viewport_size(PHONE)
    _count(page, live_server, world, 26)
    assert _stored(live_server) == [26]
    expect(page.get_by_test_id("survey-short")).to_have_text(_short_by(live_server, 4))
    form = batch.get_by_test_id("batch-count-form")
    box = form.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 390  # the form fits the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
