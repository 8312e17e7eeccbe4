"""The application conditions in a real browser: the unit reads on a phone that its declaration
is missing, signs it and submits; the office records a finding of fabricated material beside
the packet and the packet is disqualified."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import CategoryKind
from portal.eligibility import service
from tests.applications.helpers import make_complete, make_submitted, open_campaign
from tests.browser.conftest import log_in, say, seeded
from tests.browser.dialogs import answer_dialogs
from tests.factories import make_user

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def world(live_server):
    with seeded(live_server.app) as session:
        campaign = open_campaign(year=2291)
        handed_in = make_submitted(make_user(Role.ENTERPRISE), CategoryKind.TEAM, campaign)
        service.seed_rules(session, campaign)  # in force from now on: the draft is judged
        draft = make_complete(make_user(Role.ENTERPRISE), CategoryKind.TEAM, campaign)
        return {
            "draft": draft.id,
            "enterprise": draft.created_by.email,
            "handed_in": handed_in.id,
            "office": make_user(Role.OFFICE).email,
        }


def _state(live_server, app_id: int) -> ApplicationState:
    with seeded(live_server.app) as session:
        return session.get(Application, app_id).state


def test_the_unit_signs_its_declaration_on_a_phone_and_submits(page, live_server, world):
    app = live_server.app
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, world["enterprise"])
    assert page.goto(f"/applications/{world['draft']}").ok
    declaration = page.locator("[data-check=declaration]")
    expect(declaration).to_have_attribute("data-passed", "no")
    expect(page.get_by_test_id("checklist")).to_contain_text(say(app, "Not met"))
    page.get_by_test_id("declaration-form").get_by_role("button").click()
    expect(page.locator("p.flash-success")).to_have_text(say(app, "The declaration is signed."))
    expect(declaration).to_have_attribute("data-passed", "yes")
    page.get_by_test_id("checklist").get_by_role("button").click()
    expect(page.get_by_test_id("app-state")).to_have_text(say(app, "Submitted"))
    assert _state(live_server, world["draft"]) is ApplicationState.SUBMITTED


def test_the_office_records_a_finding_beside_the_packet(page, live_server, world):
    app = live_server.app
    log_in(page, world["office"])
    assert page.goto(f"/applications/{world['handed_in']}/versions/1").ok
    flags = page.get_by_test_id("eligibility-flags")
    expect(flags.locator("[data-check=bar]")).to_have_attribute("data-passed", "yes")
    flags.get_by_text(say(app, "Record a finding of fabricated or concealed material")).click()
    form = page.get_by_test_id("finding-form")
    form.locator("#source").select_option("inspection")
    form.locator("#description").fill("暗访发现所附表扬信系伪造")
    asked = answer_dialogs(page)
    form.get_by_role("button").click()
    expect(page.locator("p.flash-success")).to_have_text(
        say(
            app,
            "The finding is recorded: the application is disqualified and the applicant barred.",
        )
    )
    assert len(asked) == 1
    expect(page.get_by_test_id("integrity-finding")).to_contain_text("暗访发现所附表扬信系伪造")
    assert _state(live_server, world["handed_in"]) is ApplicationState.DISQUALIFIED
