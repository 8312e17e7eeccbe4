"""On a 390 x 844 phone every role's main pages and the public pages fit the screen's width:
the page never scrolls sideways (tables stack or scroll inside their own box)."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from portal.demo import DEMO_PASSWORD
from tests.browser.conftest import flash, log_in
from tests.browser.demo_site import (  # noqa: F401
    ENTERPRISE,
    PAGES,
    PHONE,
    demo_site_fixture,
    each_page,
    new_team_packet,
    open_page,
)
from tests.browser.samples import resident_id

pytestmark = pytest.mark.browser

# Elements that reach past the right edge of the screen, to name the culprit in a failure.
WIDE = """() => {
  const edge = document.documentElement.clientWidth;
  return [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > edge + 1)
    .slice(0, 5)
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
}"""


# Controls a thumb presses that are less than 44 px high: links inside running text are
# excepted, and check boxes and radio buttons, 24 px, are pressed by their label as well.
SMALL_TARGETS = """() => [...document.querySelectorAll(
    "button, select, textarea, summary, header.site a, " +
    "input:not([type=hidden]):not([type=checkbox]):not([type=radio])")]
  .filter(el => el.offsetParent !== null && !el.closest(".offscreen"))
  .filter(el => el.getBoundingClientRect().height < 44)
  .map(el => el.tagName.toLowerCase() + "[" + (el.name || el.type || el.textContent.trim()) + "]")
  .slice(0, 5)"""


@pytest.mark.parametrize("who", list(PAGES))
def test_main_pages_fit_a_phone_screen(chromium, demo_site, screenshots, who):
    too_wide, too_small = {}, {}
    with open_page(chromium, demo_site, PHONE) as page:
        for visit in each_page(page, demo_site, who):
            width = page.evaluate("document.documentElement.scrollWidth")
            page.screenshot(path=screenshots / f"phone-{who}-{visit.name}.png", full_page=True)
            if width > PHONE["width"]:
                too_wide[visit.name] = (width, page.evaluate(WIDE))
            if small := page.evaluate(SMALL_TARGETS):
                too_small[visit.name] = small
    assert too_wide == {}
    assert too_small == {}


def test_enterprise_fills_a_member_on_a_phone_with_a_lower_case_x(chromium, demo_site):
    """On a phone the member table is a stack of cards as wide as the screen, number fields
    bring up a keypad, and an ID number typed with a lower-case x is accepted and kept as X."""
    number = next(
        n
        for serial in range(200)
        if (n := resident_id(date(1991, 3, 8), female=True, serial=serial)).endswith("X")
    )
    with open_page(chromium, demo_site, PHONE) as page:
        log_in(page, ENTERPRISE, DEMO_PASSWORD)
        new_team_packet(page, demo_site)

        card = page.locator("table[data-rows=members] tr[data-row]").first
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        for selector, keypad in {
            "#unit_postcode": "numeric",
            "#satisfaction_rate": "decimal",
            "#members-0-years_in_post": "numeric",
            "#honours-0-year": "numeric",
        }.items():
            expect(page.locator(selector)).to_have_attribute("inputmode", keypad)
        expect(page.locator("#members-0-id_number")).to_have_attribute(
            "autocapitalize", "characters"
        )

        page.locator("#members-0-name").fill("林晓")
        page.locator("#members-0-id_number").fill(number.lower())
        page.locator("#application-form button[data-once]").click()
        expect(flash(page, "success")).to_be_visible()
        page.wait_for_load_state("load")  # its stylesheet applied before the page is measured

        expect(page.locator("#members-0-id_number")).to_have_value(number)
        expect(page.get_by_test_id("team-derived").locator("dd").first).to_have_text("1")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
