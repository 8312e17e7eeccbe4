"""A public notice longer than a page: the reader reaches the rest through the page links, on a
desktop and on a 390 px phone, and the count above the list stays that of the whole list."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from portal.applications.models import ApplicationState
from portal.campaigns.models import Campaign
from portal.db import utcnow
from portal.notice.public import PAGE_SIZE
from tests.browser.conftest import say, seeded
from tests.factories import make_application, make_campaign, make_org
from tests.notice.helpers import open_notice

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
LONG = PAGE_SIZE + 5


@pytest.fixture(scope="module")
def year(live_server):
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2090) + 1
        campaign = make_campaign(year=year)
        unit = make_org(name="黄浦区某服务中心")
        for n in range(1, LONG + 1):
            make_application(
                ApplicationState.CANDIDATE,
                campaign=campaign,
                organization=unit,
                team_name=f"翻页测试班组{n:03d}",
            )
        open_notice(campaign, opens_at=utcnow() - timedelta(hours=1))
        return year


def _numbers(page) -> list[str]:
    return page.locator("[data-testid=notice-list] tbody tr td:first-child").all_inner_texts()


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_next_page_link_shows_the_rest_of_a_long_notice(page, live_server, year, size):
    app = live_server.app
    page.set_viewport_size(size)
    assert page.goto(f"/notice/{year}").ok
    count = page.get_by_test_id("count").inner_text()
    assert count == say(app, "%(shown)s of %(total)s candidates", shown=LONG, total=LONG)
    assert _numbers(page)[-1] == str(PAGE_SIZE)
    pages = page.get_by_test_id("pages")
    assert pages.get_by_text(say(app, "Page %(page)s of %(pages)s", page=1, pages=2)).is_visible()
    pages.get_by_role("link", name=say(app, "Next page")).click()
    page.wait_for_url(f"**/notice/{year}?page=2")
    assert _numbers(page) == [str(n) for n in range(PAGE_SIZE + 1, LONG + 1)]
    assert page.get_by_test_id("count").inner_text() == count
    assert page.get_by_text(f"翻页测试班组{LONG:03d}").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
    page.get_by_test_id("pages").get_by_role("link", name=say(app, "Previous page")).click()
    page.wait_for_url(f"**/notice/{year}?page=1")
    assert _numbers(page)[0] == "1"
