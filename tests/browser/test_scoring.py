"""Expert review to candidate list in a real browser: an expert accepts the pledge, scores two
packets and locks the sheets; the office reads the aggregation and confirms the list once."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications.models import Application, ApplicationState
from portal.audit import AuditEntry
from portal.campaigns.models import AggregationMethod, Campaign, CategoryKind
from portal.organizations.models import OrgKind
from portal.scoring.assignment import assign_expert
from portal.scoring.models import Assignment, Expert, Panel
from portal.scoring.sheets import accept_pledge
from tests.browser.conftest import log_in, save_sheet, seeded
from tests.browser.dialogs import answer_dialogs
from tests.factories import industry, make_application, make_campaign, make_org, make_user

pytestmark = pytest.mark.browser

# Criteria (idea 15, standards 20, skills 15, innovation 15, results 25, impact 10 points)
FIRST = {"idea": "15", "standards": "18", "skills": "14", "innovation": "13", "results": "22",
         "impact": "9"}  # fmt: skip
SECOND = {"idea": "12", "standards": "16.5", "skills": "12", "innovation": "11", "results": "20",
          "impact": "8"}  # fmt: skip
# 15 + 18 + 14 + 13 + 22 + 9 = 91; 12 + 16.5 + 12 + 11 + 20 + 8 = 79.5
FIRST_TOTAL, SECOND_TOTAL = "91.00", "79.50"


@pytest.fixture(scope="module")
def review(live_server):
    """A campaign whose team quota is one, two accepted team packets in finance, a finance
    panel with one expert who has a login, assigned to both packets, and an office user."""
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        campaign = make_campaign(year=year, aggregation_method=AggregationMethod.TRIMMED_MEAN)
        team = next(c for c in campaign.categories if c.kind is CategoryKind.TEAM)
        team.quota = 1
        office = make_user(Role.OFFICE, name="评审办公室")
        expert_user = make_user(Role.EXPERT, name="行业专家甲")
        expert = Expert(name="行业专家甲", organization=make_org(OrgKind.OTHER), user=expert_user)
        panel = Panel(campaign=campaign, industry=industry("finance"), name="金融评审组")
        panel.members = [expert]
        session.add_all([expert, panel])
        session.flush()
        packets = [
            make_application(ApplicationState.ACCEPTED, campaign=campaign, team_name=name)
            for name in ("浦江支行服务班组", "外滩网点服务班组")
        ]
        for app in packets:
            assign_expert(session, office, panel, app, expert)
        session.flush()
        return {
            "office": office.email,
            "expert": expert_user.email,
            "category": team.id,
            "packets": [a.id for a in packets],
        }


def _score_and_lock(page, live_server, application_id: int, entries: dict, total: str) -> None:
    with seeded(live_server.app) as session:
        assignment_id = session.scalar(
            sa.select(Assignment.id).where(Assignment.application_id == application_id)
        )
    assert page.goto(f"/scoring/assignments/{assignment_id}").ok
    sheet = page.locator("#sheet")
    for code, value in entries.items():
        sheet.locator(f"input[name='item-{code}']").fill(value)
    save_sheet(page)
    expect(page.get_by_test_id("total")).to_contain_text(total.rstrip("0").rstrip("."))
    page.locator("#sheet button.primary").click()
    expect(page.get_by_test_id("locked-at")).to_be_visible()


def test_expert_scores_and_locks_then_office_confirms_the_list(
    page, chromium, live_server, review, screenshots
):
    asked = answer_dialogs(page)  # locking a sheet is asked once
    log_in(page, review["expert"])
    assert page.goto("/scoring/").ok
    page.locator("a.button.primary").click()  # read and accept the pledge
    page.locator("#accept").check()
    page.locator("button[data-once]").click()
    expect(page.get_by_test_id("assignments")).to_be_visible()
    first, second = review["packets"]
    _score_and_lock(page, live_server, first, FIRST, FIRST_TOTAL)
    _score_and_lock(page, live_server, second, SECOND, SECOND_TOTAL)
    assert len(asked) == 2

    # An expert never sees the results.
    response = page.goto(f"/scoring/results/categories/{review['category']}")
    assert response.status == 403

    office = chromium.new_context(base_url=live_server.url, locale="zh-CN")
    desk = office.new_page()
    desk.set_default_timeout(10_000)
    confirmed = answer_dialogs(desk)
    log_in(desk, review["office"])
    assert desk.goto(f"/scoring/results/categories/{review['category']}").ok
    first_row = desk.get_by_test_id(f"row-{first}")
    second_row = desk.get_by_test_id(f"row-{second}")
    # One sheet each: the trimmed mean is the plain mean.
    expect(first_row.get_by_test_id("figure")).to_contain_text(FIRST_TOTAL)
    expect(second_row.get_by_test_id("figure")).to_contain_text(SECOND_TOTAL)
    expect(desk.get_by_test_id("in-count")).to_have_text("1")
    expect(desk.get_by_test_id("balance-figures")).to_be_visible()
    desk.screenshot(path=str(screenshots / "scoring-results.png"), full_page=True)

    # A double click on the confirm button confirms the list once.
    desk.get_by_test_id("confirm-list").dblclick()
    expect(desk.locator(".flash-success")).to_be_visible()
    expect(desk.get_by_test_id("reopen-list")).to_be_visible()
    assert len(confirmed) == 1
    office.close()

    with seeded(live_server.app) as session:
        states = dict(
            session.execute(
                sa.select(Application.id, Application.state).where(
                    Application.id.in_(review["packets"])
                )
            ).all()
        )
        confirmations = session.scalar(
            sa.select(sa.func.count())
            .select_from(AuditEntry)
            .where(
                AuditEntry.action == "candidate_list.confirm",
                AuditEntry.object_id == str(review["category"]),
            )
        )
    assert states == {first: ApplicationState.CANDIDATE, second: ApplicationState.NOT_SELECTED}
    assert confirmations == 1


@pytest.fixture
def counted_sheet(live_server):
    """A pledged expert with a login assigned to one accepted packet of a fresh campaign."""
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        campaign = make_campaign(year=year)
        user = make_user(Role.EXPERT, name="加分专家")
        expert = Expert(name="加分专家", organization=make_org(OrgKind.OTHER), user=user)
        panel = Panel(campaign=campaign, industry=industry("finance"), name="加分评审组")
        panel.members = [expert]
        session.add_all([expert, panel])
        session.flush()
        packet = make_application(ApplicationState.ACCEPTED, campaign=campaign)
        assignment = assign_expert(session, None, panel, packet, expert)
        accept_pledge(session, None, expert, campaign)
        session.flush()
        return {"expert": user.email, "assignment": assignment.id}


def test_bonus_counts_add_up_live_and_400_is_refused(page, counted_sheet):
    log_in(page, counted_sheet["expert"])
    assert page.goto(f"/scoring/assignments/{counted_sheet['assignment']}").ok
    sheet = page.locator("#sheet")
    expect(sheet.get_by_test_id("rule-regulator")).to_contain_text("20")
    sheet.locator("input[name='item-idea']").fill("15")
    sheet.locator("input[name='item-regulator']").fill("1")
    sheet.locator("input[name='item-praise_letter']").fill("3")
    sheet.locator("input[name='item-complaint']").fill("1")
    # 15 + 1×20 + 3×2 − 1×5, before anything is saved
    expect(sheet.get_by_test_id("line-praise_letter")).to_have_text("6.00")
    expect(sheet.get_by_test_id("bonus")).to_have_text("26.00")
    expect(sheet.get_by_test_id("total")).to_have_text("36.00")
    # A national placing (50) would pass the 50 points of bonus in all: the sum stops there.
    sheet.locator("input[name='item-contest_national']").fill("1")
    expect(sheet.get_by_test_id("bonus")).to_have_text("50.00")
    expect(sheet.get_by_test_id("total")).to_have_text("60.00")
    sheet.locator("input[name='item-contest_national']").fill("0")
    sheet.locator("input[name='item-regulator']").fill("400")
    sheet.locator("form").first.locator("button[type=submit]").click()
    expect(page.locator(".flash-error")).to_be_visible()
    expect(sheet.locator("tr.has-error [role=alert]")).to_contain_text("2")
    expect(sheet.locator("input[name='item-regulator']")).to_have_value("400")
