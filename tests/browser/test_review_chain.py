"""The review chain in a real browser: the youth league stage returns a packet, the enterprise
resubmits it, it is forwarded through the remaining stages, then ranked and recommended by the
district's quality association, whose recommendation form downloads as Word."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.campaigns.models import CategoryKind
from portal.organizations.models import OrgKind, OrgSystem
from portal.recommendations.models import Recommendation
from tests.applications.helpers import make_submitted
from tests.browser.conftest import current_campaign, log_in, say, seeded
from tests.browser.dialogs import answer_dialogs
from tests.factories import district, make_org, make_user

pytestmark = pytest.mark.browser

# A district no other browser module uses, so that these are the routed channels.
DISTRICT = "chongming"
SYSTEMS = (OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN, OrgSystem.QUALITY)
RETURN_REASON = "请补充近三年顾客满意度测评报告。"
OPINION = "该班组服务规范、群众满意，经区质量协会初评，同意推荐。"
CHANNEL_NAMES = {
    OrgSystem.UNION: "总工会",
    OrgSystem.YOUTH: "团委",
    OrgSystem.WOMEN: "妇女联合会",
    OrgSystem.QUALITY: "质量协会",
}


@pytest.fixture(scope="module")
def world(live_server):
    """An open campaign (applications still open), the four Chongming channels with a reviewer
    each, and a team packet of a Chongming enterprise submitted into the chain."""
    with seeded(live_server.app) as session:
        campaign = current_campaign(session)
        year = campaign.year
        reviewers = {}
        for system in SYSTEMS:
            org = make_org(
                OrgKind.CHANNEL,
                system=system,
                district=district(DISTRICT),
                name=f"崇明区{CHANNEL_NAMES[system]}-{year}",
            )
            reviewers[system] = make_user(Role.CHANNEL_REVIEWER, organization=org)
        unit = make_org(OrgKind.ENTERPRISE, district=district(DISTRICT))
        enterprise = make_user(Role.ENTERPRISE, organization=unit)
        app = make_submitted(enterprise, CategoryKind.TEAM, campaign)
        team = next(c for c in campaign.categories if c.kind is CategoryKind.TEAM)
        return {
            "campaign": campaign.id,
            "team": team.id,
            "app": app.id,
            "title": app.title,
            "enterprise": enterprise.email,
            "reviewers": {s: u.email for s, u in reviewers.items()},
            "quality_name": reviewers[OrgSystem.QUALITY].organization.name,
        }


def _decide(page, live_server, world, system: OrgSystem, decision: str, opinion: str = ""):
    log_in(page, world["reviewers"][system])
    assert page.goto(f"/review/applications/{world['app']}").ok
    form = page.get_by_test_id("decision-form")
    form.locator(f"input[name=decision][value={decision}]").check()
    if opinion:
        form.locator("#opinion").fill(opinion)
    form.locator("button[data-once]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(live_server.url)}/review/"))
    expect(page.locator("p.flash-error")).to_have_count(0)


def _state(live_server, world) -> ApplicationState:
    with seeded(live_server.app) as session:
        return session.get(Application, world["app"]).state


def test_returned_resubmitted_forwarded_ranked_and_recommended(
    page, live_server, world, screenshots
):
    app = live_server.app
    _decide(page, live_server, world, OrgSystem.UNION, "forward")
    _decide(page, live_server, world, OrgSystem.YOUTH, "return", RETURN_REASON)
    assert _state(live_server, world) is ApplicationState.RETURNED

    # The enterprise reads the reason and resubmits the unchanged, complete packet.
    log_in(page, world["enterprise"])
    assert page.goto(f"/applications/{world['app']}").ok
    expect(page.locator("main")).to_contain_text(RETURN_REASON)
    page.get_by_role("button", name=say(app, "Resubmit the application")).click()
    expect(page.locator("p.flash-error")).to_have_count(0)
    assert _state(live_server, world) is ApplicationState.SUBMITTED

    # It re-enters at the youth league stage that returned it, then goes on to the end.
    for system in (OrgSystem.YOUTH, OrgSystem.WOMEN, OrgSystem.QUALITY):
        _decide(page, live_server, world, system, "forward")
    assert _state(live_server, world) is ApplicationState.CHANNEL_APPROVED

    # The quality association ranks it and submits the recommendation; a double click acts once.
    log_in(page, world["reviewers"][OrgSystem.QUALITY])
    assert page.goto("/recommendations/").ok
    page.locator(
        f"a[href='/recommendations/campaigns/{world['campaign']}/categories/{world['team']}']"
    ).click()
    row = page.get_by_test_id(f"packet-{world['app']}")
    expect(row).to_contain_text(world["title"])
    row.locator("input[type=number]").fill("1")
    page.locator("#opinion").fill(OPINION)
    page.screenshot(path=screenshots / "recommendation-ranking.png", full_page=True)
    asked = answer_dialogs(page)
    page.get_by_test_id("submit-recommendation").dblclick()
    expect(page).to_have_url(re.compile(rf"{re.escape(live_server.url)}/recommendations/\d+$"))
    expect(page.locator("p.flash-success")).to_have_text(
        say(app, "The recommendation is submitted to the programme office.")
    )
    expect(page.get_by_test_id("opinion")).to_have_text(OPINION)
    assert _state(live_server, world) is ApplicationState.RECOMMENDED
    assert len(asked) == 1
    with seeded(app) as session:
        recs = session.scalars(
            sa.select(Recommendation).where(Recommendation.campaign_id == world["campaign"])
        ).all()
        assert [[e.application_id for e in r.entries] for r in recs] == [[world["app"]]]
    page.screenshot(path=screenshots / "recommendation-submitted.png", full_page=True)

    # The recommendation form for seal.
    with page.expect_download() as download_info:
        page.get_by_test_id("download-form").click()
    download = download_info.value
    assert download.suggested_filename.endswith("-班组推荐表-" + world["quality_name"] + ".docx")
    document = docx.Document(io.BytesIO(Path(download.path()).read_bytes()))
    ranked = document.tables[0]
    assert ranked.rows[1].cells[0].text == "1"
    assert ranked.rows[1].cells[2].text == world["title"]
    assert OPINION in document.tables[1].rows[0].cells[-1].text
