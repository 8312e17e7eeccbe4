"""A channel files its activity statistics table by pressing the page's own buttons: the submit
button carries `action=submit`, which must reach the server although the button is disabled
against double clicks."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.audit import AuditEntry
from portal.organizations.models import OrgKind, OrgSystem
from portal.statistics.models import COUNT_NAMES, ActivityStatistics, StatisticsState
from tests.browser.conftest import current_campaign, log_in, say, seeded, shown
from tests.browser.dialogs import answer_dialogs
from tests.factories import district, make_org, make_user

pytestmark = pytest.mark.browser

FIGURES = (10, 5, 8, 3, 120, 2, 4, 50, 2, 3, 2, 1)
CONFIRM = (
    "Submit the statistics table to the programme office? It can no longer be changed unless "
    "the office returns it."
)


def _reviewer(live_server) -> tuple[str, int]:
    """A Jinshan union reviewer, and the newest open campaign (the current one) to file for."""
    with seeded(live_server.app) as session:
        campaign = current_campaign(session, 20, 30, 40)
        year = campaign.year
        org = make_org(
            OrgKind.CHANNEL,
            system=OrgSystem.UNION,
            district=district("jinshan"),
            name=f"金山区总工会-{year}",
        )
        reviewer = make_user(Role.CHANNEL_REVIEWER, organization=org)
        return reviewer.email, campaign.id


def _fill_table(page) -> None:
    for name, value in zip(COUNT_NAMES, FIGURES, strict=True):
        page.fill(f"input[name={name}]", str(value))
    page.fill("input[name=contact_name]", "王敏")
    page.fill("input[name=contact_phone]", "021-57920000")
    page.fill("input[name=report_date]", "2026-11-12")


def _table(live_server, campaign_id: int) -> ActivityStatistics:
    with seeded(live_server.app) as session:
        table = session.scalar(
            sa.select(ActivityStatistics).where(ActivityStatistics.campaign_id == campaign_id)
        )
        session.expunge(table)
        return table


def test_channel_files_its_statistics_table_by_clicking_submit(page, live_server):
    app = live_server.app
    email, campaign_id = _reviewer(live_server)
    log_in(page, email)
    assert page.goto("/statistics/mine").ok
    _fill_table(page)
    page.get_by_role("button", name=say(app, "Save"), exact=True).click()
    expect(page.locator("p.flash-success")).to_have_text(say(app, "Saved."))
    assert _table(live_server, campaign_id).state is StatisticsState.DRAFT

    asked = answer_dialogs(page)
    page.get_by_role("button", name=say(app, "Submit to the programme office")).click()
    expect(page.locator("p.flash-success")).to_have_text(
        say(app, "The statistics table is submitted.")
    )
    assert asked == [say(app, CONFIRM)]
    expect(page.get_by_test_id("table-state")).to_have_text(shown(app, StatisticsState.SUBMITTED))
    table = _table(live_server, campaign_id)
    assert table.state is StatisticsState.SUBMITTED
    assert table.people_trained == 120


def test_a_double_click_on_submit_files_the_table_once(page, live_server):
    app = live_server.app
    email, campaign_id = _reviewer(live_server)
    log_in(page, email)
    assert page.goto("/statistics/mine").ok
    _fill_table(page)
    asked = answer_dialogs(page)
    page.get_by_role("button", name=say(app, "Submit to the programme office")).dblclick()
    expect(page.locator("p.flash-success")).to_have_text(
        say(app, "The statistics table is submitted.")
    )
    expect(page.locator("p.flash-error")).to_have_count(0)
    table = _table(live_server, campaign_id)
    assert table.state is StatisticsState.SUBMITTED
    with seeded(app) as session:
        filed = session.scalars(
            sa.select(AuditEntry.after).where(
                AuditEntry.object_type == ActivityStatistics.__tablename__,
                AuditEntry.object_id == str(table.id),
            )
        ).all()
    assert [a.get("state") for a in filed if a].count("submitted") == 1
    assert len(asked) == 1


def test_dismissing_the_question_files_nothing(page, live_server):
    app = live_server.app
    email, campaign_id = _reviewer(live_server)
    log_in(page, email)
    assert page.goto("/statistics/mine").ok
    _fill_table(page)
    page.get_by_role("button", name=say(app, "Save"), exact=True).click()
    expect(page.locator("p.flash-success")).to_have_text(say(app, "Saved."))
    asked = answer_dialogs(page, accept=False)
    button = page.get_by_role("button", name=say(app, "Submit to the programme office"))
    button.click()
    assert asked == [say(app, CONFIRM)]
    expect(button).to_be_enabled()  # still on the page, free to submit later
    expect(page.locator("p.flash-success")).to_have_text(say(app, "Saved."))
    assert _table(live_server, campaign_id).state is StatisticsState.DRAFT
