"""A member of the public who fills the objection form faster than the minimum time does not
lose the attached evidence to a refusal: the page holds the form back until the time has
passed, then sends it with its files."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign
from portal.db import get_session, utcnow
from portal.notice import service
from portal.notice.models import Objection
from tests.browser.conftest import seeded
from tests.browser.samples import pdf_bytes
from tests.factories import make_application, make_campaign
from tests.notice.helpers import signed

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def on_notice(live_server):
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        campaign = make_campaign(year=year)
        candidate = make_application(ApplicationState.CANDIDATE, campaign=campaign)
        office, _organizers = signed(campaign)
        opens = utcnow() - timedelta(hours=1)
        service.open_notice(get_session(), campaign, office, opens_at=opens, now=opens)
        return {"year": year, "candidate": candidate.id}


def test_a_quick_objection_keeps_its_evidence(page, live_server, on_notice):
    assert page.goto(
        f"/notice/{on_notice['year']}/candidates/{on_notice['candidate']}/objection"
    ).ok
    page.fill("#name", "钱文")
    page.fill("#mobile", "13912340001")
    page.fill("#reason", "该候选人申报材料所述的满意率与其单位年报公布的数据明显不一致，请核实。")
    page.locator("#evidence").set_input_files(
        {"name": "年报摘录.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("Annual")}
    )
    page.locator("button[data-once]").click()  # well within the minimum fill time
    expect(page.get_by_test_id("case-number")).to_be_visible(timeout=15_000)
    case_number = page.get_by_test_id("case-number").inner_text()
    with seeded(live_server.app) as session:
        objection = session.scalar(sa.select(Objection).where(Objection.case_number == case_number))
        assert [f.stored_file.filename for f in objection.files] == ["年报摘录.pdf"]
