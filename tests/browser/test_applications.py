"""Application packets in a real browser: a team packet from empty draft to one submitted version,
an individual draft prefilled from a Word form, and a disguised file refused without harm."""

from __future__ import annotations

import re
from datetime import date, timedelta

import docx
import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications import service
from portal.applications.models import (
    Application,
    ApplicationFile,
    ApplicationState,
    ApplicationVersion,
    FileCategory,
)
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import utcnow
from portal.documents.application_form import render_application_form
from portal.files.service import UploadRejected
from portal.survey.receivers import SCAN_MISSING
from tests.browser.conftest import flash, log_in, say, seeded, shown, translated
from tests.browser.samples import pdf_bytes, png_bytes, resident_id
from tests.factories import make_campaign, make_user

pytestmark = pytest.mark.browser

REFERENCE_DATE = date(2026, 11, 10)
TEAM_NAME = "外滩营业部“微笑服务”班组"
# (name, birth date, female, post): ages on 2026-11-10 are 40, 36 (birthday that day),
# 35 (birthday the next day), 26, 29 and 51.
MEMBERS = [
    ("李红", date(1986, 1, 20), True, "班组长"),
    ("张伟", date(1990, 11, 10), False, "柜员"),
    ("陈静", date(1990, 11, 11), True, "大堂经理"),
    ("王强", date(2000, 5, 5), False, "柜员"),
    ("刘洋", date(1996, 12, 31), False, "理财经理"),
    ("赵磊", date(1975, 6, 1), False, "客户经理"),
]
# 217 / 6 = 36.166… → 36.2; 2 women of 6 → 33.3 %.
EXPECTED_COUNT, EXPECTED_AVERAGE_AGE, EXPECTED_WOMEN = "6", "36.2", "2 (33.3%)"

NARRATIVE_TITLE = "外滩营业部服务班组事迹材料"  # 13 Chinese characters
# 18 Chinese characters; the digits, the per cent sign and the punctuation do not count.
NARRATIVE_SENTENCE = "班组坚持以客户为中心，满意率99.2%，全年零投诉。"
NARRATIVE = NARRATIVE_TITLE + "\n" + "\n".join([NARRATIVE_SENTENCE * 10] * 12)
NARRATIVE_CHARS = "2173"  # 13 + 120 × 18

TEAM_FIELDS = {
    "#unit_superior": "上海某银行分行",
    "#unit_address": "上海市黄浦区中山东一路1号",
    "#unit_postcode": "200002",
    "#team_name": TEAM_NAME,
    "#team_founded_on": "2015-03-01",
    "#leader_name": "李红",
    "#leader_post": "班组长",
    "#leader_mobile": "13800138000",
    "#service_content": "个人金融业务窗口服务",
    "#customers_served": "社区居民与小微企业",
    "#satisfaction_rate": "99.25",
    "#deeds_summary": "班组坚持以客户为中心，连续三年零投诉。",
}


@pytest.fixture(scope="module")
def campaign(live_server):
    """An open campaign whose applications close a year from now, and the current one: the
    highest open year (other browser modules may hold older campaigns in the same database)."""
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        deadline = utcnow() + timedelta(days=365)
        campaign = make_campaign(
            year=year,
            application_deadline=deadline,
            recommendation_deadline=deadline + timedelta(days=5),
            review_deadline=deadline + timedelta(days=15),
            reference_date=REFERENCE_DATE,
        )
        return {c.kind: c.id for c in campaign.categories}


def _log_in_as_new_enterprise_user(page, app):
    with seeded(app):
        user = make_user(Role.ENTERPRISE, name="申报联系人")
    log_in(page, user.email)
    expect(page.get_by_test_id("current-user")).to_contain_text(user.name)
    return user


def _create_draft(page, live_server, category_id: int) -> int:
    assert page.goto("/applications/").ok
    page.get_by_test_id("new-application").click()
    page.select_option("#category_id", str(category_id))
    page.locator("button[data-once]").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(live_server.url)}/applications/\d+/edit$"))
    return int(page.url.rsplit("/", 2)[-2])


def _upload(page, category: FileCategory, name: str, content: bytes, mime: str) -> None:
    form = page.get_by_test_id("upload-form")
    form.locator("#category").select_option(category.value)
    form.locator("#file").set_input_files({"name": name, "mimeType": mime, "buffer": content})
    form.locator("button[data-once]").click()


def test_team_packet_from_empty_draft_to_one_submitted_version(
    page, live_server, campaign, screenshots, tmp_path
):
    app = live_server.app
    _log_in_as_new_enterprise_user(page, app)
    app_id = _create_draft(page, live_server, campaign[CategoryKind.TEAM])

    # The form: unit and team fields, then six members given by their ID numbers.
    page.select_option("#unit_nature", "state_owned")
    for selector, value in TEAM_FIELDS.items():
        page.fill(selector, value)
    for i, (name, birth, female, post) in enumerate(MEMBERS):
        if i:
            page.get_by_role("button", name=say(app, "Add a member")).click()
        page.fill(f"#members-{i}-name", name)
        page.fill(f"#members-{i}-id_number", resident_id(birth, female, serial=i + 1))
        page.fill(f"#members-{i}-post", post)
        page.fill(f"#members-{i}-years_in_post", str(i + 2))

    # The narrative, pasted: the counter follows the text as it arrives.
    counter = page.get_by_test_id("narrative-count")
    expect(counter).to_have_text("0")
    page.locator("#narrative").focus()
    page.keyboard.insert_text(NARRATIVE_TITLE)
    expect(counter).to_have_text("13")
    expect(page.locator('[data-counter-state="narrative-count"]')).to_have_text("▲")
    page.locator("#narrative").fill("")
    page.keyboard.insert_text(NARRATIVE)
    expect(counter).to_have_text(NARRATIVE_CHARS)
    expect(page.locator('[data-counter-state="narrative-count"]')).to_have_text("")

    page.locator("#application-form button[data-once]").click()
    expect(flash(page, "success")).to_have_text(say(app, "The draft is saved."))
    expect(page.get_by_test_id("team-derived").locator("dd")).to_have_text(
        [EXPECTED_COUNT, EXPECTED_AVERAGE_AGE, EXPECTED_WOMEN]
    )
    expect(counter).to_have_text(NARRATIVE_CHARS)

    # Evidence, listed once uploaded; the checklist still asks for the rest.
    assert page.goto(f"/applications/{app_id}").ok
    expect(page.get_by_test_id("member-count")).to_have_text(EXPECTED_COUNT)
    expect(page.get_by_test_id("average-age")).to_have_text(EXPECTED_AVERAGE_AGE)
    expect(page.get_by_test_id("women")).to_have_text(EXPECTED_WOMEN)
    _upload(
        page,
        FileCategory.EVIDENCE,
        "荣誉证书.pdf",
        pdf_bytes("Honour certificate"),
        "application/pdf",
    )
    expect(flash(page, "success")).to_have_text(
        say(app, "“%(name)s” is uploaded.", name="荣誉证书.pdf")
    )
    draft_files = page.get_by_test_id("draft-files").locator("tbody tr")
    expect(draft_files).to_have_count(1)
    expect(draft_files.first).to_contain_text("荣誉证书.pdf")
    checklist = page.get_by_test_id("checklist").locator("li")
    expect(checklist).to_have_text(
        [
            translated(app, service.REQUIRED_FILES[0][1]),
            translated(app, SCAN_MISSING),
        ]
    )

    # The filled form in Word, for printing and sealing.
    with page.expect_download() as download_info:
        page.get_by_test_id("word-out").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    document = docx.Document(str(saved))
    cells = {
        cell.text.strip() for table in document.tables for row in table.rows for cell in row.cells
    }
    assert TEAM_NAME in cells
    assert {name for name, *_rest in MEMBERS} <= cells

    # The sealed scan, then the customer surveys the checklist still asks for.
    _upload(page, FileCategory.SEALED_FORM, "盖章申报表.png", png_bytes(), "image/png")
    expect(flash(page, "success")).to_have_text(
        say(app, "“%(name)s” is uploaded.", name="盖章申报表.png")
    )
    expect(checklist).to_have_text([translated(app, SCAN_MISSING)])
    _upload(
        page,
        FileCategory.SURVEY,
        "顾客评价调查表.pdf",
        pdf_bytes("Customer surveys"),
        "application/pdf",
    )
    expect(draft_files).to_have_count(3)
    expect(checklist).to_have_count(0)
    expect(page.get_by_test_id("checklist")).to_contain_text(say(app, "The packet is complete."))

    # Submit with a double click: one version, and the page shows the submitted packet.
    page.get_by_test_id("checklist").locator("button[data-once]").dblclick()
    expect(page.get_by_test_id("app-state")).to_have_text(shown(app, ApplicationState.SUBMITTED))
    expect(flash(page, "success")).to_have_text(
        say(app, "The application is submitted as version %(n)s.", n=1)
    )
    expect(flash(page, "error")).to_have_count(0)
    expect(page.get_by_test_id("versions").locator("li")).to_have_count(1)
    expect(page.get_by_test_id("checklist")).to_have_count(0)
    with seeded(app) as session:
        versions = session.scalars(
            sa.select(ApplicationVersion).where(ApplicationVersion.application_id == app_id)
        ).all()
        assert [v.number for v in versions] == [1]
        assert session.get(Application, app_id).state is ApplicationState.SUBMITTED
        snapshot = versions[0].snapshot
        assert snapshot["form"]["team"]["name"] == TEAM_NAME
        assert sorted(f["category"] for f in snapshot["files"]) == [
            "evidence",
            "sealed_form",
            "survey",
        ]
        assert snapshot["narrative_chars"] == int(NARRATIVE_CHARS)
    page.screenshot(path=screenshots / "application-team.png", full_page=True)


def _individual_form_data(id_number: str) -> dict:
    blank_team = dict.fromkeys(
        [
            "name",
            "founded_on",
            "member_count",
            "average_age",
            "women_count",
            "women_share",
            "leader_name",
            "leader_post",
            "leader_mobile",
        ],
        "",
    )
    return {
        "category_kind": "individual",
        "category_name": "个人",
        "campaign_year": "2026",
        "campaign_theme": "质量激发工匠精神 满意引领服务升级",
        "unit": {
            "name": "某银行外滩支行",
            "credit_code": "91310000000000001X",
            "unit_nature": "国有企业",
            "superior": "某银行上海分行",
            "industry": "金融",
            "district": "黄浦",
            "address": "上海市黄浦区中山东一路2号",
            "postcode": "200002",
        },
        "team": blank_team,
        "members": [],
        "person": {
            "name": "王芳",
            # Computed figures are ignored on import: these wrong ones must not show.
            "sex": "男",
            "birth_date": "1970-01-01",
            "ethnicity": "汉族",
            "political_status": "中共党员",
            "education": "本科",
            "id_number": id_number,
            "work_start_date": "2012-07-01",
            "post_start_date": "2018-03-01",
            "years_in_post": "99",
            "post": "大堂经理",
            "office_phone": "021-63210000",
            "mobile": "13900139000",
            "email": "wangfang@example.com",
        },
        "service_content": "大堂引导与咨询",
        "customers_served": "网点客户",
        "metrics": {
            "on_time_rate": "97.5",
            "satisfaction_rate": "98.75",
            "grievance_rate": "",
            "complaint_rate": "",
            "complaint_handling_rate": "",
        },
        "honours": [{"title": "优秀服务标兵", "awarded_by": "某银行上海分行", "year": "2024"}],
        "deeds_summary": "热情服务每一位客户。",
        "unit_opinion": "同意推荐。",
        "recommender_opinion": "",
        "review_opinion": "",
    }


def test_individual_draft_is_prefilled_from_an_uploaded_word_form(
    page, live_server, campaign, screenshots
):
    app = live_server.app
    _log_in_as_new_enterprise_user(page, app)
    app_id = _create_draft(page, live_server, campaign[CategoryKind.INDIVIDUAL])
    id_number = resident_id(date(1990, 5, 17), female=True, serial=7)
    filename, mimetype, content = render_application_form(_individual_form_data(id_number))

    word_in = page.locator(f"form[action='/applications/{app_id}/word-in']")
    word_in.locator("#file").set_input_files(
        {"name": filename, "mimeType": mimetype, "buffer": content}
    )
    word_in.locator("button[data-once]").click()

    expect(flash(page, "success")).to_have_text(
        say(app, "The draft is filled in from the Word form. Please check every field.")
    )
    expected_values = {
        "#person_name": "王芳",
        "#id_number": id_number,
        "#post": "大堂经理",
        "#ethnicity": "汉族",
        "#political_status": "中共党员",
        "#education": "本科",
        "#work_start_date": "2012-07-01",
        "#post_start_date": "2018-03-01",
        "#office_phone": "021-63210000",
        "#mobile": "13900139000",
        "#email": "wangfang@example.com",
        "#unit_nature": "state_owned",
        "#unit_superior": "某银行上海分行",
        "#unit_address": "上海市黄浦区中山东一路2号",
        "#unit_postcode": "200002",
        "#service_content": "大堂引导与咨询",
        "#customers_served": "网点客户",
        "#satisfaction_rate": "98.75",
        "#deeds_summary": "热情服务每一位客户。",
        "#unit_opinion": "同意推荐。",
        "#honours-0-title": "优秀服务标兵",
        "#honours-0-awarded_by": "某银行上海分行",
        "#honours-0-year": "2024",
    }
    for selector, value in expected_values.items():
        expect(page.locator(selector)).to_have_value(value)
    # Derived from the ID number and the post start date, at the campaign's 2026-11-10.
    expect(page.get_by_test_id("person-derived").locator("dd")).to_have_text(
        ["1990-05-17", say(app, "Female"), "36", "8"]
    )
    with seeded(app) as session:
        draft = session.get(Application, app_id)
        assert (draft.person_name, draft.id_number, draft.female, draft.age) == (
            "王芳",
            id_number,
            True,
            36,
        )
        assert draft.state is ApplicationState.DRAFT
    page.screenshot(path=screenshots / "application-individual.png", full_page=True)


def test_a_text_file_named_pdf_is_refused_and_the_filled_draft_stays(page, live_server, campaign):
    app = live_server.app
    _log_in_as_new_enterprise_user(page, app)
    app_id = _create_draft(page, live_server, campaign[CategoryKind.TEAM])
    page.fill("#team_name", TEAM_NAME)
    page.fill("#leader_mobile", "13800138000")
    page.fill("#members-0-name", "李红")
    page.fill("#members-0-id_number", resident_id(date(1986, 1, 20), True, serial=1))
    page.locator("#narrative").fill(NARRATIVE)
    page.locator("#application-form button[data-once]").click()
    expect(flash(page, "success")).to_have_text(say(app, "The draft is saved."))

    assert page.goto(f"/applications/{app_id}").ok
    _upload(
        page,
        FileCategory.EVIDENCE,
        "证明材料.pdf",
        "这不是PDF文件，只是一段文字。\n".encode(),
        "application/pdf",
    )
    refusal = translated(
        app, lambda: UploadRejected("unrecognised", filename="证明材料.pdf", ole=False).message
    )
    # The file is sent on its own and refused in place; the page and the draft stay.
    expect(page.get_by_test_id("upload-progress").locator("li.failed")).to_contain_text(refusal)
    page.get_by_test_id("upload-refresh").click()
    expect(flash(page, "error")).to_have_text(refusal)
    expect(page.get_by_test_id("draft-files").locator("tbody tr")).to_have_text(
        [say(app, "No files yet.")]
    )
    with seeded(app) as session:
        files = session.scalar(
            sa.select(sa.func.count()).where(ApplicationFile.application_id == app_id)
        )
        assert files == 0

    page.get_by_test_id("edit").click()
    expect(page.locator("#team_name")).to_have_value(TEAM_NAME)
    expect(page.locator("#leader_mobile")).to_have_value("13800138000")
    expect(page.locator("#members-0-name")).to_have_value("李红")
    expect(page.get_by_test_id("narrative-count")).to_have_text(NARRATIVE_CHARS)
    expect(page.get_by_test_id("team-derived").locator("dd")).to_have_text(
        ["1", "40.0", "1 (100.0%)"]
    )
