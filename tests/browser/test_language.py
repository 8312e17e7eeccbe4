"""The language switch turns the pages English and back to Chinese, and the choice sticks."""

from __future__ import annotations

import pytest
from flask_babel import lazy_gettext as _l
from playwright.sync_api import expect

from tests.browser.conftest import translated

pytestmark = pytest.mark.browser


def test_language_switch_changes_the_page_language_and_remembers_it(page, live_server):
    app = live_server.app
    html = page.locator("html")
    heading = page.locator("main h1")

    assert page.goto("/login").ok
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(heading).to_have_text(translated(app, _l("Log in")))

    page.get_by_role("link", name="English", exact=True).click()
    expect(html).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/login")
    expect(heading).to_have_text("Log in")

    assert page.goto("/register").ok
    expect(html).to_have_attribute("lang", "en")
    expect(heading).to_have_text("Register a unit")

    page.get_by_role("link", name="中文", exact=True).click()
    expect(html).to_have_attribute("lang", "zh-CN")
    expect(page).to_have_url(f"{live_server.url}/register")
    expect(heading).to_have_text(translated(app, _l("Register a unit")))
