"""One programme year walked through in Chromium, each role pressing its own buttons.

The office sets the year's dates on the campaign settings page; an enterprise registers and
builds a team packet; the four Songjiang channels forward it; the quality association ranks
and recommends it (Cancel on the question first: nothing happens) and files its statistics
table; the office accepts it at the formal check and sets up a panel of two experts, who pledge,
score (bonus lines too) and lock their sheets; the office confirms the candidate list; one
organizer sends the list back, then all four sign; the notice opens, a member of the public
objects, the office dismisses the objection; once the notice has closed the office confirms the
honours, and the team is on the public honour roll.

Every step reads what the page says. The one thing no page can do is let time pass: the notice's
window is moved into the past in the database, as the calendar would have done.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications.models import ApplicationState
from portal.campaigns.models import CategoryKind
from portal.clock import SHANGHAI, utcnow
from portal.notice.models import ObjectionStatus
from portal.organizations.models import OrgKind, OrgSystem
from portal.statistics.models import COUNT_NAMES, StatisticsState
from tests.browser.conftest import (
    close_the_notice,
    current_campaign,
    each_organizer_signs,
    flash,
    log_in,
    save_sheet,
    say,
    seeded,
    shown,
)
from tests.browser.dialogs import answer_dialogs
from tests.browser.samples import credit_code, pdf_bytes, png_bytes, resident_id
from tests.factories import district, make_org, make_user
from tests.notice.helpers import four_organizers

pytestmark = pytest.mark.browser

SYSTEMS = (OrgSystem.UNION, OrgSystem.YOUTH, OrgSystem.WOMEN, OrgSystem.QUALITY)
CHANNELS = dict(
    zip(SYSTEMS, ("松江区总工会", "共青团松江区委员会", "松江区妇联", "松江区质协"), strict=True)
)
UNIT = "松江开元名都大酒店"
ENTERPRISE_PASSWORD = "a-long-password-1"
TEAM = "开元名都前厅“暖心”服务班组"
MEMBERS = [("沈佳", date(1988, 3, 2), True), ("顾磊", date(1992, 7, 9), False),
           ("陆婷", date(1999, 1, 15), True)]  # fmt: skip
SENTENCE = "班组坚持宾客至上，推行首问负责，全年收到表扬信四十余封，宾客满意率持续提升。"
NARRATIVE = "前厅暖心服务班组事迹\n" + "\n".join([SENTENCE * 9] * 7)  # 10 + 63 × 34 characters
OPINION = "该班组服务规范、宾客满意，经区质量协会初评，同意推荐。"
FIGURES = (10, 5, 8, 3, 120, 2, 4, 50, 2, 3, 2, 1)  # the statistics table, in COUNT_NAMES order
PANEL = "宾馆行业评审组"
EXPERTS = ("周明华", "吴文静")
# Criteria: idea 15, standards 20, skills 15, innovation 15, results 25, impact 10 points;
# a letter of praise (表扬信) adds 2 points.
SCORES = [
    {"idea": "14", "standards": "18", "skills": "13", "innovation": "12", "results": "22",
     "impact": "9", "praise_letter": "2"},
    {"idea": "13", "standards": "17", "skills": "12", "innovation": "12", "results": "21",
     "impact": "8", "praise_letter": "1"},
]  # fmt: skip
BONUS, TOTALS, MEAN = ["4.00", "2.00"], ["92.00", "85.00"], "88.50"  # 88 + 4, 83 + 2
SEND_BACK = "名单中班组所在单位的行业归类有误，请核实后重新报送。"
OBJECTION = "该班组所在酒店今年曾被顾客投诉前台服务态度，申报材料称全年零投诉，请核实。"
REPLY = "经核实，所称投诉系另一门店，与该班组无关，异议不成立。感谢您的监督。"

PHONE, DESKTOP = {"width": 390, "height": 844}, {"width": 1280, "height": 800}
RECOMMEND = (
    "Submit this recommendation to the programme office? The ranking and the opinion become "
    "final and cannot be changed afterwards."
)
FILE_TABLE = (
    "Submit the statistics table to the programme office? It can no longer be changed unless "
    "the office returns it."
)
LOCK = (
    "Lock this score sheet? Your scores become final: you cannot change them afterwards unless "
    "the programme office reopens the sheet."
)
CONFIRM_LIST = (
    "Confirm the candidate list? The packets on the list become candidates and the others are "
    "not selected. You cannot undo this yourself: only reopening the ranking, with a reason, "
    "sends them back to expert review."
)
SIGN = (
    "Sign this candidate list for %(org)s? The signature is bound to exactly this list and "
    "cannot be withdrawn."
)
PUBLISH = (
    "Publish the public notice? The candidate list becomes public at the opening time, and a "
    "published notice cannot be withdrawn."
)
DECIDE = (
    "Record this decision? It is final: the objector is told, and an upheld objection "
    "withdraws the candidate."
)
AWARD = (
    "Confirm the final list and award the honours? Every remaining candidate receives a "
    "certificate; this cannot be undone."
)


@pytest.fixture(scope="module")
def year(live_server):
    """The accounts a year starts with: the open campaign, the four Songjiang channels with a
    reviewer each, the office, two expert logins and the four organizers. Everything else is
    done on the pages."""
    with seeded(live_server.app) as session:
        campaign = current_campaign(session)
        number = campaign.year
        reviewers = {
            system: make_user(
                Role.CHANNEL_REVIEWER,
                organization=make_org(
                    OrgKind.CHANNEL, system=system, district=district("songjiang"), name=name
                ),
            ).email
            for system, name in CHANNELS.items()
        }
        organizers = four_organizers().values()
        return {
            "year": number,
            "campaign": campaign.id,
            "team": next(c.id for c in campaign.categories if c.kind is CategoryKind.TEAM),
            "reviewers": reviewers,
            "office": make_user(Role.OFFICE, name="创建活动办公室").email,
            "experts": [make_user(Role.EXPERT, name=name).email for name in EXPERTS],
            "expert_org": make_org(OrgKind.OTHER, name=f"松江旅游学院-{number}").name,
            "organizers": [(u.email, u.organization.name) for u in organizers],
        }


def beijing(days: int) -> str:
    """17:00 Beijing time `days` from today, as the settings page takes it."""
    return (utcnow().astimezone(SHANGHAI) + timedelta(days=days)).strftime("%Y-%m-%d 17:00")


def enterprise_email(year) -> str:
    return f"front-desk-{year['year']}@example.com"


# --- the year's dates and the enterprise ------------------------------------------------------


def office_sets_the_year(page, app, year) -> None:
    log_in(page, year["office"])
    assert page.goto(f"/office/campaigns/{year['campaign']}").ok
    page.get_by_role("link", name=say(app, "Edit settings")).click()
    page.fill("#application_deadline", beijing(10))
    page.fill("#recommendation_deadline", beijing(15))
    page.fill("#review_deadline", beijing(25))
    page.fill("#experts_per_packet", "2")
    page.fill("#reserves_per_packet", "0")
    page.locator("#district_ids").get_by_label("松江区").check()
    page.locator("#industry_ids").get_by_label("宾馆").check()
    page.get_by_role("button", name=say(app, "Save")).click()
    expect(flash(page, "success")).to_have_text(say(app, "The settings were saved."))
    expect(page.locator("dl.facts")).to_contain_text(beijing(10))


def enterprise_registers(page, app, year) -> None:
    page.context.clear_cookies()  # nobody is logged in
    assert page.goto("/register").ok
    page.fill("#unit_name", UNIT)
    page.fill("#credit_code", credit_code(year["year"]))
    page.select_option("#district_id", label="松江区")
    page.select_option("#industry_id", label="宾馆")
    page.fill("#contact_name", "沈佳")
    page.fill("#mobile", "13916620000")
    page.fill("#email", enterprise_email(year))
    page.fill("#password", ENTERPRISE_PASSWORD)
    page.fill("#confirm", ENTERPRISE_PASSWORD)
    page.locator("button[data-once]").click()
    expect(page.get_by_test_id("home-role")).to_have_text(shown(app, Role.ENTERPRISE))


def fill_the_team_form(page, app) -> None:
    page.select_option("#unit_nature", "private")
    for selector, value in {
        "#unit_superior": "开元酒店集团",
        "#unit_address": "上海市松江区广富林路1号",
        "#unit_postcode": "201620",
        "#team_name": TEAM,
        "#team_founded_on": "2016-05-01",
        "#leader_name": MEMBERS[0][0],
        "#leader_post": "前厅经理",
        "#leader_mobile": "13916620000",
        "#service_content": "酒店前厅接待与礼宾服务",
        "#customers_served": "商务与旅游宾客",
        "#satisfaction_rate": "98.6",
        "#deeds_summary": "班组推行首问负责，宾客满意率持续提升。",
    }.items():
        page.fill(selector, value)
    for i, (name, birth, female) in enumerate(MEMBERS):
        if i:
            page.get_by_role("button", name=say(app, "Add a member")).click()
        page.fill(f"#members-{i}-name", name)
        page.fill(f"#members-{i}-id_number", resident_id(birth, female, serial=i + 3))
        page.fill(f"#members-{i}-post", "前台接待")
        page.fill(f"#members-{i}-years_in_post", str(i + 3))
    page.fill("#narrative", NARRATIVE)
    page.locator("#application-form button[data-once]").click()
    expect(flash(page, "success")).to_have_text(say(app, "The draft is saved."))


def upload(page, app, category: str, name: str, content: bytes, mime: str) -> None:
    form = page.get_by_test_id("upload-form")
    form.locator("#category").select_option(category)
    form.locator("#file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    form.locator("button[data-once]").click()
    expect(flash(page, "success")).to_have_text(say(app, "“%(name)s” is uploaded.", name=name))


def enterprise_submits_a_team_packet(page, app, year) -> int:
    assert page.goto("/applications/").ok
    page.get_by_test_id("new-application").click()
    page.select_option("#category_id", str(year["team"]))
    page.locator("button[data-once]").click()
    packet = int(page.url.rsplit("/", 2)[-2])
    fill_the_team_form(page, app)
    assert page.goto(f"/applications/{packet}").ok
    pdf = "application/pdf"
    upload(page, app, "sealed_form", "盖章申报表.png", png_bytes(), "image/png")
    upload(page, app, "evidence", "表扬信汇编.pdf", pdf_bytes("Letters of praise"), pdf)
    upload(page, app, "survey", "宾客评价调查表.pdf", pdf_bytes("Guest surveys"), pdf)
    expect(page.get_by_test_id("checklist")).to_contain_text(say(app, "The packet is complete."))
    page.get_by_test_id("checklist").locator("button[data-once]").click()
    expect(flash(page, "success")).to_have_text(
        say(app, "The application is submitted as version %(n)s.", n=1)
    )
    return packet


# --- the channels -----------------------------------------------------------------------------


def channels_forward(page, app, year) -> None:
    for system in CHANNELS:
        log_in(page, year["reviewers"][system])
        assert page.goto("/review/").ok
        page.get_by_role("link", name=TEAM).click()
        form = page.get_by_test_id("decision-form")
        form.locator("input[name=decision][value=forward]").check()
        form.locator("button[data-once]").click()
        expect(flash(page, "error")).to_have_count(0)
        expect(flash(page, "success")).to_be_visible()


def rank_first(page, packet: int) -> None:
    page.get_by_test_id(f"packet-{packet}").locator("input[type=number]").fill("1")
    page.locator("#opinion").fill(OPINION)
    page.get_by_test_id("submit-recommendation").click()


def quality_association_recommends(page, app, year, packet: int, asked) -> None:
    """Still logged in as the quality association, the last stage."""
    assert page.goto("/recommendations/").ok
    ranking = f"/recommendations/campaigns/{year['campaign']}/categories/{year['team']}"
    page.locator(f"a[href='{ranking}']").click()
    asked.accept = False  # Cancel: nothing is submitted
    rank_first(page, packet)
    expect(page.get_by_test_id("submit-recommendation")).to_be_enabled()
    assert page.reload().ok
    expect(page.get_by_test_id("ranking-form")).to_be_visible()
    asked.accept = True
    rank_first(page, packet)
    expect(flash(page, "success")).to_have_text(
        say(app, "The recommendation is submitted to the programme office.")
    )
    expect(page.get_by_test_id("opinion")).to_have_text(OPINION)


def quality_association_files_its_table(page, app) -> None:
    assert page.goto("/statistics/mine").ok
    for name, figure in zip(COUNT_NAMES, FIGURES, strict=True):
        page.fill(f"input[name={name}]", str(figure))
    page.fill("input[name=contact_name]", "陆婷")
    page.fill("input[name=contact_phone]", "021-57830000")
    page.fill("input[name=report_date]", beijing(0)[:10])
    page.get_by_role("button", name=say(app, "Submit to the programme office")).click()
    expect(flash(page, "success")).to_have_text(say(app, "The statistics table is submitted."))
    expect(page.get_by_test_id("table-state")).to_have_text(shown(app, StatisticsState.SUBMITTED))


# --- the office and the experts ---------------------------------------------------------------


def office_accepts_at_the_formal_check(page, app, year) -> None:
    log_in(page, year["office"])
    assert page.goto("/review/formal-check").ok
    page.get_by_test_id("formal-check-queue").get_by_role("link", name=TEAM).click()
    form = page.get_by_test_id("decision-form")
    form.locator("input[name=decision][value=accept]").check()
    form.locator("button[data-once]").click()
    expect(flash(page, "error")).to_have_count(0)
    expect(page.get_by_test_id("formal-check-queue")).not_to_contain_text(TEAM)


def office_sets_up_the_panel(page, app, year, packet: int) -> None:
    for name, email in zip(EXPERTS, year["experts"], strict=True):
        assert page.goto("/scoring/experts/new").ok
        page.fill("#name", name)
        page.select_option("#organization_id", label=year["expert_org"])
        page.locator("#industry_ids").get_by_label("宾馆").check()
        page.select_option("#user_id", label=f"{name} <{email}>")
        page.get_by_role("button", name=say(app, "Save")).click()
        expect(flash(page, "error")).to_have_count(0)
    assert page.goto(f"/scoring/campaigns/{year['campaign']}/panels/new").ok
    page.fill("#name", PANEL)
    page.select_option("#industry_id", label="宾馆")
    for name in EXPERTS:
        page.locator("#member_ids").get_by_label(name).check()
    page.select_option("#leader_id", label=EXPERTS[0])
    page.get_by_role("button", name=say(app, "Save")).click()
    expect(flash(page, "success")).to_have_text(
        say(app, "The panel %(name)s is saved.", name=PANEL)
    )
    page.get_by_role("button", name=say(app, "Assign automatically")).click()
    for name in EXPERTS:
        expect(page.locator(f"#packet-{packet}")).to_contain_text(name)


def experts_score_and_lock(page, app, year) -> None:
    for email, scores, bonus, total in zip(year["experts"], SCORES, BONUS, TOTALS, strict=True):
        log_in(page, email)
        assert page.goto("/scoring/").ok
        page.get_by_role("link", name=say(app, "Read and accept the pledge")).click()
        page.locator("#accept").check()
        page.locator("button[data-once]").click()
        page.get_by_test_id("assignments").get_by_role("link", name=TEAM).click()
        sheet = page.locator("#sheet")
        for code, value in scores.items():
            sheet.locator(f"input[name='item-{code}']").fill(value)
        expect(sheet.get_by_test_id("bonus")).to_have_text(bonus)  # added up as typed
        expect(sheet.get_by_test_id("total")).to_have_text(total)
        save_sheet(page)
        page.locator("#sheet button.primary").click()
        expect(page.get_by_test_id("locked-at")).to_be_visible()
        expect(page.get_by_test_id("total")).to_contain_text(total)


def office_confirms_the_candidates(page, app, year, packet: int) -> None:
    log_in(page, year["office"])
    assert page.goto(f"/scoring/results/categories/{year['team']}").ok
    expect(page.get_by_test_id(f"row-{packet}").get_by_test_id("figure")).to_contain_text(MEAN)
    page.get_by_test_id("confirm-list").click()
    expect(flash(page, "success")).to_be_visible()
    expect(page.get_by_test_id("reopen-list")).to_be_visible()


# --- the organizers, the notice and the public ------------------------------------------------


def reads_the_list(page) -> None:
    expect(page.get_by_test_id("candidates")).to_contain_text(TEAM)


def organizers_send_back_then_sign(page, app, year) -> None:
    manage = f"/notice/manage/{year['campaign']}"
    send = say(app, "Send the current list for joint approval")
    sent = say(app, "The candidate list is sent to the four organizers for sign-off.")
    assert page.goto(manage).ok
    page.get_by_role("button", name=send).click()
    expect(flash(page, "success")).to_have_text(sent)
    log_in(page, year["organizers"][0][0])
    assert page.goto(manage).ok
    form = page.get_by_test_id("send-back-form")
    form.locator("textarea").fill(SEND_BACK)
    form.locator("button[data-once]").click()
    expect(page.get_by_test_id("round-sent-back")).to_be_visible()
    log_in(page, year["office"])
    assert page.goto(manage).ok
    expect(page.get_by_test_id("approval-status")).to_contain_text(SEND_BACK)
    page.get_by_role("button", name=send).click()
    expect(flash(page, "success")).to_have_text(sent)
    emails = [email for email, _org in year["organizers"]]
    each_organizer_signs(page, app, emails, year["campaign"], reads_the_list)


def office_publishes_the_notice(page, app, year) -> None:
    log_in(page, year["office"])
    assert page.goto(f"/notice/manage/{year['campaign']}").ok
    expect(page.get_by_test_id("round-approved")).to_be_visible()
    page.get_by_test_id("open-form").locator("button").click()
    expect(flash(page, "success")).to_have_text(say(app, "The public notice is published."))


def fits_the_phone(page) -> None:
    """Nothing on the page makes a 390 px wide phone scroll sideways."""
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def public_objects(page, year, packet: int) -> str:
    """On a phone, as the public reads the notice."""
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    assert page.goto(f"/notice/{year['year']}").ok
    expect(page.get_by_test_id("notice-list")).to_contain_text(TEAM)
    fits_the_phone(page)
    page.locator(f'tr[data-candidate="{packet}"] a.objection-link').click()
    fits_the_phone(page)
    page.fill("#name", "钱文")
    page.fill("#mobile", "13912340001")
    page.fill("#reason", OBJECTION)
    page.locator("button[data-once]").click()  # the page holds it back for the minimum time
    case_number = page.get_by_test_id("case-number").inner_text(timeout=15_000)
    fits_the_phone(page)
    page.set_viewport_size(DESKTOP)
    return case_number


def office_dismisses_the_objection(page, app, year, case_number: str) -> None:
    log_in(page, year["office"])
    assert page.goto("/notice/manage/objections").ok
    page.get_by_role("link", name=case_number).click()
    decide = page.get_by_test_id("decide-form")
    decide.locator("input[value=dismissed]").check()
    page.fill("#reply", REPLY)
    decide.locator("button[data-once]").click()
    expect(page.get_by_test_id("status")).to_have_text(shown(app, ObjectionStatus.DISMISSED))


def office_awards_the_honours(page, app, year) -> None:
    """Still logged in as the office."""
    assert page.goto("/honours/manage").ok
    final_list = f'form[action$="/campaigns/{year["campaign"]}/final-list"]'
    page.locator(f"{final_list} button[data-once]").click()
    expect(flash(page, "success")).to_be_visible()
    expect(page.locator(final_list)).to_have_count(0)


def public_finds_the_honour(page, app, year, screenshots) -> None:
    """On a phone again."""
    page.context.clear_cookies()
    page.set_viewport_size(PHONE)
    assert page.goto("/honours").ok
    filters = page.get_by_test_id("roll-filters")
    filters.locator("select[name=year]").select_option(str(year["year"]))
    filters.get_by_role("button", name=say(app, "Show")).click()
    roll = page.get_by_test_id("honour-roll")
    expect(roll).to_contain_text(TEAM)
    expect(roll).to_contain_text(UNIT)
    fits_the_phone(page)
    page.screenshot(path=screenshots / "year-honour-roll-phone.png", full_page=True)
    page.set_viewport_size(DESKTOP)


def test_a_whole_year_by_clicking(page, live_server, year, screenshots):
    app = live_server.app
    asked = answer_dialogs(page)

    office_sets_the_year(page, app, year)
    enterprise_registers(page, app, year)
    packet = enterprise_submits_a_team_packet(page, app, year)
    channels_forward(page, app, year)
    quality_association_recommends(page, app, year, packet, asked)
    quality_association_files_its_table(page, app)
    office_accepts_at_the_formal_check(page, app, year)
    office_sets_up_the_panel(page, app, year, packet)
    experts_score_and_lock(page, app, year)
    office_confirms_the_candidates(page, app, year, packet)
    organizers_send_back_then_sign(page, app, year)
    office_publishes_the_notice(page, app, year)
    case_number = public_objects(page, year, packet)
    office_dismisses_the_objection(page, app, year, case_number)
    close_the_notice(app, year["campaign"])  # time passes: no page can do it
    office_awards_the_honours(page, app, year)
    public_finds_the_honour(page, app, year, screenshots)

    # The enterprise reads the outcome on its packet.
    log_in(page, enterprise_email(year), password=ENTERPRISE_PASSWORD)
    assert page.goto(f"/applications/{packet}").ok
    expect(page.get_by_test_id("app-state")).to_have_text(shown(app, ApplicationState.AWARDED))
    # Each question came once, in this order; the first was answered Cancel.
    signs = [say(app, SIGN, org=org) for _email, org in year["organizers"]]
    questions = [RECOMMEND, RECOMMEND, FILE_TABLE, LOCK, LOCK, CONFIRM_LIST]
    after = [PUBLISH, DECIDE, AWARD]
    assert asked == [say(app, q) for q in questions] + signs + [say(app, q) for q in after]
