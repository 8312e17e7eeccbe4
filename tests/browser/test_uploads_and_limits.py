"""In a real browser: several files chosen at once in one upload slot, one of them bad; and the
live counter of the summary of deeds against its campaign limit, at desktop and phone width."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.applications import service
from portal.applications.models import ApplicationFile, FileCategory
from portal.campaigns.models import Campaign, CategoryKind
from portal.db import utcnow
from portal.files.service import UploadRejected
from tests.browser.conftest import flash, log_in, say, seeded, translated
from tests.browser.samples import pdf_bytes, png_bytes
from tests.factories import make_campaign, make_user

pytestmark = pytest.mark.browser

SUMMARY_LIMIT = 40


@pytest.fixture
def draft(live_server):
    """A team draft of a new enterprise user in a new open campaign whose summary limit is
    SUMMARY_LIMIT Chinese characters; (user, packet id)."""
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        deadline = utcnow() + timedelta(days=365)
        campaign = make_campaign(
            year=year,
            application_deadline=deadline,
            recommendation_deadline=deadline + timedelta(days=5),
            review_deadline=deadline + timedelta(days=15),
            reference_date=date(2026, 11, 10),
        )
        team = next(c for c in campaign.categories if c.kind is CategoryKind.TEAM)
        team.summary_max_chars = SUMMARY_LIMIT
        user = make_user(Role.ENTERPRISE, name="多文件上传人")
        packet = service.create_application(session, user, campaign, team)
        session.flush()
        return user, packet.id


def test_several_files_in_one_slot_each_checked_and_a_bad_one_refused_alone(
    page, live_server, draft
):
    app = live_server.app
    user, app_id = draft
    log_in(page, user.email)
    assert page.goto(f"/applications/{app_id}").ok
    form = page.get_by_test_id("upload-form")
    expect(form.locator("#file")).to_have_attribute("multiple", "")
    form.locator("#category").select_option(FileCategory.EVIDENCE.value)
    form.locator("#file").set_input_files(
        [
            {"name": "荣誉证书.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("A")},
            {"name": "假的.pdf", "mimeType": "application/pdf", "buffer": "只是文字".encode()},
            {"name": "表扬信.png", "mimeType": "image/png", "buffer": png_bytes()},
        ]
    )
    form.locator("button[data-once]").click()

    refusal = translated(
        app, lambda: UploadRejected("unrecognised", filename="假的.pdf", ole=False).message
    )
    # Each file is sent on its own: the bad one says why in place, the others are stored.
    progress = page.get_by_test_id("upload-progress")
    expect(progress.locator("li.failed")).to_have_count(1)
    expect(progress.locator("li.failed")).to_contain_text(refusal)
    expect(progress.locator("li.uploaded")).to_have_count(2)
    page.get_by_test_id("upload-refresh").click()
    expect(flash(page, "error")).to_have_text([refusal])
    expect(flash(page, "success")).to_have_text(
        [
            say(app, "“%(name)s” is uploaded.", name="荣誉证书.pdf"),
            say(app, "“%(name)s” is uploaded.", name="表扬信.png"),
        ]
    )
    rows = page.get_by_test_id("draft-files").locator("tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("荣誉证书.pdf")
    expect(rows.nth(1)).to_contain_text("表扬信.png")
    with seeded(app) as session:
        names = session.scalars(
            sa.select(ApplicationFile)
            .where(ApplicationFile.application_id == app_id)
            .order_by(ApplicationFile.id)
        ).all()
        assert [f.stored_file.filename for f in names] == ["荣誉证书.pdf", "表扬信.png"]


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_the_summary_counter_follows_typing_against_the_campaign_limit(
    page, live_server, draft, width
):
    user, app_id = draft
    page.set_viewport_size({"width": width, "height": 800})
    log_in(page, user.email)
    assert page.goto(f"/applications/{app_id}/edit").ok
    counter = page.get_by_test_id("summary-count")
    state = page.locator('[data-counter-state="summary-count"]')
    expect(counter).to_have_text("0")
    expect(counter.locator("xpath=..")).to_contain_text(f"/ {SUMMARY_LIMIT}")
    summary = page.locator("#deeds_summary")
    summary.scroll_into_view_if_needed()
    summary.click()
    page.keyboard.type("班组坚持以客户为中心，满意率99.2%。")  # 13 Chinese characters
    expect(counter).to_have_text("13")
    expect(state).to_have_text("")
    page.keyboard.insert_text("服" * (SUMMARY_LIMIT - 13))
    expect(counter).to_have_text(str(SUMMARY_LIMIT))
    expect(state).to_have_text("")
    page.keyboard.type("务")
    expect(counter).to_have_text(str(SUMMARY_LIMIT + 1))
    expect(state).to_have_text("▼")
    box = counter.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
