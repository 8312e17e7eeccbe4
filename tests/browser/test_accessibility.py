"""axe-core (the bundled copy in axe-playwright-python, nothing fetched) finds no violation of
serious or critical impact on every role's main pages and the public pages, at desktop width
and on a 390 px phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.demo_site import (  # noqa: F401
    DESKTOP,
    PAGES,
    PHONE,
    demo_site_fixture,
    each_page,
    open_page,
)

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}

# Rules of serious or critical impact that a page may break, with the reason. (None today.)
ACCEPTED: dict[str, str] = {}

AXE = Axe()


def blocking_violations(page) -> list[str]:
    """'rule: first offending element (how many)' for each violation that must be fixed."""
    results = AXE.run(page)
    return [
        f"{v['id']}: {v['nodes'][0]['target']} ({len(v['nodes'])}) {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in BLOCKING and v["id"] not in ACCEPTED
    ]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("who", list(PAGES))
def test_main_pages_have_no_serious_accessibility_violation(chromium, demo_site, who, viewport):
    found = {}
    with open_page(chromium, demo_site, viewport) as page:
        for visit in each_page(page, demo_site, who):
            if violations := blocking_violations(page):
                found[visit.name] = violations
    assert found == {}
