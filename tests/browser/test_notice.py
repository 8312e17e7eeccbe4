"""Public notice in a real browser: the four organizers sign, the notice opens, a member of the
public objects with evidence and follows the case, the office upholds it, the list is revised;
once the notice has closed the office confirms the final list and a certificate code verifies."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign, CategoryKind
from portal.honours.models import Honour
from portal.notice.models import ObjectionStatus
from tests.browser.conftest import (
    close_the_notice,
    each_organizer_signs,
    flash,
    log_in,
    say,
    seeded,
    shown,
)
from tests.browser.dialogs import answer_dialogs
from tests.browser.samples import pdf_bytes
from tests.factories import make_application, make_campaign, make_user
from tests.notice.helpers import four_organizers

pytestmark = pytest.mark.browser

TEAM = "南京路步行街游客服务中心班组"
PERSON = "周慧敏"
REASON = "该候选人去年曾因服务态度问题被顾客投诉并经媒体报道，申报材料称全年零投诉，与事实不符。"
REPLY = "经核实，反映情况属实，已取消该候选人的候选资格。感谢您的监督。"
MOBILE = "13912340000"


@pytest.fixture(scope="module")
def world(live_server):
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        campaign = make_campaign(year=year)
        team = make_application(ApplicationState.CANDIDATE, campaign=campaign, team_name=TEAM)
        person = make_application(
            ApplicationState.CANDIDATE,
            campaign=campaign,
            kind=CategoryKind.INDIVIDUAL,
            person_name=PERSON,
            mobile="13500001111",
            id_number="310101198503071234",
        )
        office = make_user(Role.OFFICE, name="公示办公室")
        organizers = list(four_organizers().values())
        return {
            "year": year,
            "campaign_id": campaign.id,
            "team_id": team.id,
            "person_id": person.id,
            "office": office.email,
            "organizers": [u.email for u in organizers],
        }


def reads_the_list(page) -> None:
    expect(page.get_by_test_id("candidates")).to_contain_text(TEAM)
    expect(page.get_by_test_id("balance")).to_be_visible()


def reads_the_revision(page) -> None:
    expect(page.get_by_test_id("candidates")).not_to_contain_text(PERSON)


def test_signed_notice_objection_upheld_and_list_revised(page, live_server, world, screenshots):
    app = live_server.app
    manage = f"/notice/manage/{world['campaign_id']}"
    asked = answer_dialogs(page)  # signing, publishing, deciding and awarding: once each

    # The office sends the list; each of the four organizers signs it.
    log_in(page, world["office"])
    assert page.goto(manage).ok
    page.get_by_role("button", name=say(app, "Send the current list for joint approval")).click()
    expect(flash(page, "success")).to_have_text(
        say(app, "The candidate list is sent to the four organizers for sign-off.")
    )
    each_organizer_signs(page, app, world["organizers"], world["campaign_id"], reads_the_list)
    page.screenshot(path=screenshots / "notice-approval.png", full_page=True)

    # The office publishes the notice now.
    log_in(page, world["office"])
    assert page.goto(manage).ok
    expect(page.get_by_test_id("round-approved")).to_be_visible()
    page.get_by_test_id("open-form").locator("button").click()
    expect(flash(page, "success")).to_have_text(say(app, "The public notice is published."))

    # The public reads the list and objects to the individual with evidence.
    page.context.clear_cookies()
    notice_url = f"/notice/{world['year']}"
    response = page.goto(notice_url)
    assert response.ok and response.headers["cache-control"] == "public, max-age=1"
    listing = page.get_by_test_id("notice-list")
    expect(listing).to_contain_text(TEAM)
    expect(listing).to_contain_text(PERSON)
    expect(page.locator("body")).not_to_contain_text("13500001111")
    expect(page.locator("body")).not_to_contain_text("310101198503071234")
    page.screenshot(path=screenshots / "notice-public.png", full_page=True)
    page.locator(f'tr[data-candidate="{world["person_id"]}"] a.objection-link').click()
    page.fill("#name", "钱文")
    page.fill("#mobile", MOBILE)
    page.fill("#reason", REASON)
    page.locator("#evidence").set_input_files(
        {"name": "媒体报道.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Report")}
    )
    page.wait_for_timeout(5500)  # people take longer than the minimum fill time
    page.locator("button[data-once]").click()
    case_number = page.get_by_test_id("case-number").inner_text()
    assert re.fullmatch(rf"YY{world['year']}(-[A-Z0-9]{{4}})+", case_number)

    # The objector looks the case up with the number and the mobile.
    assert page.goto("/notice/objections/status").ok
    page.fill("#case", case_number)
    page.fill("#mobile", MOBILE)
    page.locator("button[data-once]").click()
    expect(page.get_by_test_id("status")).to_have_text(shown(app, ObjectionStatus.RECEIVED))

    # The office upholds it with a reply.
    log_in(page, world["office"])
    assert page.goto("/notice/manage/objections").ok
    page.get_by_role("link", name=case_number).click()
    expect(page.get_by_test_id("case")).to_contain_text("媒体报道.pdf")
    page.get_by_test_id("decide-form").locator("input[value=upheld]").check()
    page.fill("#reply", REPLY)
    page.get_by_test_id("decide-form").locator("button[data-once]").click()
    expect(page.get_by_test_id("status")).to_have_text(shown(app, ObjectionStatus.UPHELD))

    # The objector sees the decision; the republished list no longer shows the candidate.
    page.context.clear_cookies()
    assert page.goto("/notice/objections/status").ok
    page.fill("#case", case_number)
    page.fill("#mobile", MOBILE)
    page.locator("button[data-once]").click()
    expect(page.get_by_test_id("reply")).to_have_text(REPLY)
    assert page.goto(notice_url).ok
    expect(page.get_by_test_id("notice-list")).to_contain_text(TEAM)
    expect(page.get_by_test_id("notice-list")).not_to_contain_text(PERSON)
    expect(page.get_by_test_id("revised")).to_be_visible()
    page.screenshot(path=screenshots / "notice-revised.png", full_page=True)

    # The office asks the four organizers to sign the revised list; each signs it again.
    log_in(page, world["office"])
    assert page.goto(manage).ok
    expect(page.get_by_test_id("round-void")).to_be_visible()
    page.get_by_test_id("resign-form").locator("button").click()
    expect(flash(page, "success")).to_have_text(
        say(app, "The candidate list is sent to the four organizers for sign-off.")
    )
    each_organizer_signs(page, app, world["organizers"], world["campaign_id"], reads_the_revision)

    # Time passes: the notice closes. The office awards the rest; the team's code verifies.
    close_the_notice(app, world["campaign_id"])
    log_in(page, world["office"])
    assert page.goto("/honours/manage").ok
    page.locator(
        f'form[action$="/campaigns/{world["campaign_id"]}/final-list"] button[data-once]'
    ).click()
    expect(flash(page, "success")).to_be_visible()
    with seeded(app) as session:
        code = session.scalar(
            sa.select(Honour.verification_code).where(Honour.application_id == world["team_id"])
        )
        assert (
            session.scalar(
                sa.select(sa.func.count(Honour.id)).where(
                    Honour.application_id == world["person_id"]
                )
            )
            == 0
        )
    page.context.clear_cookies()
    assert page.goto(f"/honours/verify?code={code}").ok
    expect(page.get_by_test_id("verify-result")).to_contain_text(TEAM)
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-status", "active")
    assert len(asked) == 4 + 1 + 1 + 4 + 1  # signed, published, decided, signed again, awarded
