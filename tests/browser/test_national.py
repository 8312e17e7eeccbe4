"""The office builds the national recommendation list by pressing the page's buttons: it adds
two current holders from the list offered, ranks them by typing, takes one off and downloads
the Word document."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from docx import Document
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.campaigns.models import Campaign, CampaignStatus
from portal.national.models import NationalNomination
from tests.browser.conftest import flash, log_in, say, seeded
from tests.factories import make_campaign, make_user
from tests.honours.helpers import make_honour

pytestmark = pytest.mark.browser

YEAR = 2093


def _seed(live_server) -> tuple[str, list[tuple[int, str]]]:
    """An office login and two current honours of a campaign year no other test uses."""
    with seeded(live_server.app) as session:
        taken = set(session.scalars(sa.select(Campaign.year)))
        year = next(y for y in range(2060, 2100) if y not in taken)
        campaign = make_campaign(year=year, status=CampaignStatus.CLOSED)
        honours = [make_honour(campaign=campaign) for _ in range(2)]
        office = make_user(Role.OFFICE)
        return office.email, [(h.id, h.holder_name) for h in honours]


def _listed(live_server) -> list[int]:
    with seeded(live_server.app) as session:
        return list(
            session.scalars(
                sa.select(NationalNomination.honour_id)
                .where(NationalNomination.year == YEAR)
                .order_by(NationalNomination.rank)
            )
        )


def _add(page, app, honour_id: int, reason: str) -> None:
    form = page.get_by_test_id("add-form")
    form.locator("select[name=honour_id]").select_option(str(honour_id))
    form.locator("textarea[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    expect(flash(page, "success")).to_contain_text(say(app, "The holder is added to the list."))


def test_the_office_ranks_and_exports_the_national_list_by_clicking(page, live_server):
    app = live_server.app
    email, [(first, first_name), (second, second_name)] = _seed(live_server)
    log_in(page, email)
    assert page.goto(f"/national/?year={YEAR}").ok
    _add(page, app, first, "服务规范，群众满意度高")
    _add(page, app, second, "连续三年零投诉")
    assert _listed(live_server) == [first, second]

    rows = page.get_by_test_id("national-list")
    rows.get_by_label(say(app, "Rank of %(name)s", name=first_name)).fill("2")
    rows.get_by_label(say(app, "Rank of %(name)s", name=second_name)).fill("1")
    page.get_by_test_id("save-order").click()
    expect(flash(page, "success")).to_contain_text(say(app, "The order is saved."))
    assert _listed(live_server) == [second, first]

    with page.expect_download() as download_info:
        page.get_by_test_id("export").click()
    document = Document(io.BytesIO(download_info.value.path().read_bytes()))
    listing = document.tables[0]
    assert [row.cells[1].text for row in listing.rows[1:]] == [second_name, first_name]

    entry = page.locator("tr", has_text=second_name)
    entry.get_by_role("button", name=say(app, "Take off the list")).click()
    expect(flash(page, "success")).to_contain_text(say(app, "The holder is taken off the list."))
    assert _listed(live_server) == [first]
