"""A customer scans the code of a demo packet on a phone, answers with the real buttons, and
the channel reviewer's figures move; the same phone cannot answer twice."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import User
from portal.applications.visibility import visible_ids
from portal.survey.models import Survey
from tests.browser.conftest import log_in, say, seeded
from tests.browser.demo_site import CHANNEL_REVIEWER, DESKTOP, PHONE, open_page
from tests.browser.demo_site import demo_site_fixture as demo_site  # noqa: F401

pytestmark = pytest.mark.browser


def _reviewers_survey(site) -> tuple[int, str]:
    """A demo packet with a survey that the Huangpu union's reviewer may read."""
    with seeded(site.app) as session:
        reviewer = session.scalar(sa.select(User).where(User.email == CHANNEL_REVIEWER))
        surveys = session.scalars(sa.select(Survey).order_by(Survey.id)).all()
        readable = visible_ids(session, reviewer, [s.application_id for s in surveys])
        survey = next(s for s in surveys if s.application_id in readable)
        return survey.application_id, survey.token


def _answers_shown(page, app_id: int) -> int:
    assert page.goto(f"/applications/{app_id}").ok
    return int(page.get_by_test_id("survey-answers").inner_text())


def test_a_customer_answers_on_a_phone_and_the_reviewers_figures_move(chromium, demo_site):  # noqa: F811
    app_id, token = _reviewers_survey(demo_site)
    with (
        open_page(chromium, demo_site, DESKTOP) as reviewer,
        open_page(chromium, demo_site, PHONE) as phone,
    ):
        log_in(reviewer, CHANNEL_REVIEWER, "demo-password-2026")
        before = _answers_shown(reviewer, app_id)
        assert before >= 20

        assert phone.goto(f"/s/{token}").ok
        items = phone.locator("fieldset.survey-item")
        assert items.count() == 9  # eight five-point items and would-you-recommend
        for i in range(9):
            items.nth(i).locator("label.survey-choice").first.click()  # 很满意 …, then 是
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        phone.get_by_test_id("survey-send").click()
        expect(phone.get_by_test_id("survey-thanks")).to_be_visible()

        assert phone.goto(f"/s/{token}").ok  # the same phone again
        expect(phone.get_by_test_id("survey-error")).to_have_text(
            say(demo_site.app, "This device has already answered this survey. Thank you.")
        )
        for i in range(8):
            items.nth(i).locator("label.survey-choice").first.click()
        phone.get_by_test_id("survey-send").click()
        expect(phone.get_by_test_id("survey-error")).to_be_visible()

        assert _answers_shown(reviewer, app_id) == before + 1
