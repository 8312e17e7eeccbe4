"""In a real browser: a large upload shows its progress (bytes sent and percentage) file by
file, at desktop and phone width, and the page then lists the stored files."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.applications.models import ApplicationFile, FileCategory
from tests.browser.conftest import log_in, seeded
from tests.browser.samples import pdf_bytes, png_bytes
from tests.browser.test_uploads_and_limits import draft  # noqa: F401 (a fixture)

pytestmark = pytest.mark.browser

LARGE = pdf_bytes("Service Star evidence " * 150_000)  # about 3.3 MB


@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_large_upload_shows_bytes_sent_and_percentage(page, live_server, draft, width):  # noqa: F811
    user, app_id = draft
    page.set_viewport_size({"width": width, "height": 844})
    log_in(page, user.email)
    assert page.goto(f"/applications/{app_id}").ok
    # About 1.5 MB a second upstream, so the large file takes a couple of seconds to send.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 1_500_000},
    )
    form = page.get_by_test_id("upload-form")
    form.locator("#category").select_option(FileCategory.EVIDENCE.value)
    form.locator("#file").set_input_files(
        [
            {"name": "大文件.pdf", "mimeType": "application/pdf", "buffer": LARGE},
            {"name": "表扬信.png", "mimeType": "image/png", "buffer": png_bytes()},
        ]
    )
    form.locator("button[data-once]").click()

    first = page.get_by_test_id("upload-progress").locator("li").first
    expect(first).to_contain_text("大文件.pdf")
    # Part of the way: some megabytes of 3.x MB sent, and a percentage below 100.
    expect(first.locator(".upload-status")).to_have_text(
        re.compile(r"^\d+(\.\d)? (KB|MB) / 3\.\d MB · ([1-9]|[1-9]\d)%$")
    )
    box = first.bounding_box()
    assert box is not None and box["x"] + box["width"] <= width
    # Both stored: the page reloads with the list of files.
    rows = page.get_by_test_id("draft-files").locator("tbody tr")
    expect(rows).to_have_count(2, timeout=20_000)
    expect(page.get_by_test_id("upload-progress").locator("li")).to_have_count(0)
    with seeded(live_server.app) as session:
        names = session.scalars(
            sa.select(ApplicationFile)
            .where(ApplicationFile.application_id == app_id)
            .order_by(ApplicationFile.id)
        ).all()
        assert [f.stored_file.filename for f in names] == ["大文件.pdf", "表扬信.png"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
