"""A title's re-evaluation by pressing the real buttons: the office opens the round, the unit
reports from a phone with a file and submits, the channel and the office forward, the four
organizers renew, and the public verifies the new certificate code."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.campaigns.models import Campaign, CampaignStatus
from portal.clock import shanghai_today
from portal.honours.models import Honour
from portal.organizations.models import ChannelLevel, OrgKind
from portal.reevaluation.models import Reevaluation, ReevaluationState
from tests.browser.conftest import flash, log_in, say, seeded, shown
from tests.browser.dialogs import answer_dialogs
from tests.factories import district, make_campaign, make_org, make_user
from tests.honours.helpers import PNG
from tests.notice.helpers import four_organizers
from tests.reevaluation.helpers import third_year_honour

pytestmark = pytest.mark.browser

DISTRICT = "qingpu"  # no other browser module routes packets or titles here


@pytest.fixture(scope="module")
def world(live_server):
    """A title in its third year, its unit, its district channel, the office, an organizer."""
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        campaign = make_campaign(year=year, status=CampaignStatus.CLOSED)
        unit = make_org(OrgKind.ENTERPRISE, district=district(DISTRICT))
        honour = third_year_honour(days_left=45, organization=unit, campaign=campaign)
        channel = make_org(
            OrgKind.CHANNEL, channel_level=ChannelLevel.DISTRICT, district=district(DISTRICT)
        )
        return {
            "honour": honour.id,
            "holder": honour.holder_name,
            "old_code": honour.verification_code,
            "unit": make_user(Role.ENTERPRISE, organization=unit).email,
            "channel": make_user(Role.CHANNEL_REVIEWER, organization=channel).email,
            "office": make_user(Role.OFFICE).email,
            "organizers": [user.email for user in four_organizers().values()],
        }


def _reevaluation(live_server, world) -> Reevaluation:
    with seeded(live_server.app) as session:
        r = session.scalar(sa.select(Reevaluation).where(Reevaluation.honour_id == world["honour"]))
        session.expunge(r)
        return r


def _review(page, email: str, url: str, opinion: str) -> None:
    log_in(page, email)
    assert page.goto(url).ok
    form = page.get_by_test_id("review-form")
    form.locator("input[value=forward]").check()
    form.locator("#opinion").fill(opinion)
    form.locator("button[type=submit]").click()
    expect(flash(page, "success")).to_be_visible()


def test_a_title_is_renewed_by_pressing_the_buttons(page, live_server, world, tmp_path):
    app = live_server.app
    asked = answer_dialogs(page)
    log_in(page, world["office"])
    assert page.goto("/reevaluation/").ok
    form = page.get_by_test_id("open-round")
    form.locator("#title").fill("称号复评")
    form.locator("#report_by").fill((shanghai_today() + timedelta(days=20)).isoformat())
    form.locator("button[type=submit]").click()
    expect(flash(page, "success")).to_be_visible()
    url = f"/reevaluation/{_reevaluation(live_server, world).id}"

    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, world["unit"])
    assert page.goto("/reevaluation/").ok
    page.get_by_role("link", name=world["holder"]).click()
    expect(page).to_have_url(re.compile(re.escape(url) + "$"))
    report = page.get_by_test_id("report-form")
    report.locator("#changes").fill("新增两名青年员工，推行延时服务。")
    report.locator("#surveys").fill("2028年9月调查200份，满意率98.5%。")
    report.locator("#staff_count").fill("14")
    report.locator("#satisfaction_rate").fill("98.5")
    report.locator("#complaints").fill("0")
    scan = tmp_path / "调查表.png"
    scan.write_bytes(PNG)
    report.locator("#file").set_input_files(str(scan))
    report.locator("button[type=submit]").click()
    expect(flash(page, "success")).to_have_text(say(app, "The report is saved."))
    page.wait_for_load_state("load")
    page.get_by_test_id("submit-form").locator("button").click()
    expect(page.get_by_test_id("reevaluation-state")).to_have_text(
        shown(app, ReevaluationState.AT_CHANNEL)
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the report page is {width} px wide on a phone"

    page.set_viewport_size({"width": 1280, "height": 800})
    _review(page, world["channel"], url, "材料属实，同意报送")
    _review(page, world["office"], url, "建议续期")
    for n, email in enumerate(world["organizers"], 1):
        log_in(page, email)
        assert page.goto(url).ok
        decision = page.get_by_test_id("decision-form")
        decision.locator("input[value=renew]").check()
        decision.locator("button[type=submit]").click()
        expect(flash(page, "success")).to_be_visible()
        state = ReevaluationState.RENEWED if n == 4 else ReevaluationState.AT_ORGANIZERS
        expect(page.get_by_test_id("reevaluation-state")).to_have_text(shown(app, state))
    assert asked == [
        say(app, "Open the round and ask these holders to report?"),
        say(app, "Submit the report to your channel? It cannot be changed unless it is returned."),
        *[say(app, "Record the decision on this title? It cannot be undone.")] * 4,
    ]

    with seeded(app) as session:
        code = session.get(Honour, world["honour"]).verification_code
    page.context.clear_cookies()
    assert page.goto(f"/honours/verify?code={code}").ok
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-status", "active")
    expect(result).to_contain_text(say(app, "This honour is valid: renewed after re-evaluation."))
    assert page.goto(f"/honours/verify?code={world['old_code']}").ok
    expect(page.get_by_test_id("verify-retired")).to_be_visible()
