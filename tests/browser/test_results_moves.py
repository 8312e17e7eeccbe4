"""The office moves a packet across the quota line in a real browser: one form for the whole
ranking, the reason written once above it, and the pressed row's own button."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from portal.accounts.models import Role
from portal.campaigns.models import AggregationMethod, Campaign
from portal.scoring.ranking import Direction
from portal.scoring.results.models import ListMove
from tests.browser.conftest import flash, log_in, say, seeded
from tests.factories import make_campaign, make_user
from tests.scoring.results_helpers import category_of, make_expert, scored_packet

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def ranking(live_server):
    """A team list with a quota of two and three scored packets."""
    with seeded(live_server.app) as session:
        year = max(session.scalar(sa.select(sa.func.max(Campaign.year))) or 0, 2190) + 1
        campaign = make_campaign(year=year, aggregation_method=AggregationMethod.MEAN)
        category_of(campaign).quota = 2
        experts = [make_expert(), make_expert()]
        packets = [
            scored_packet(campaign, experts, totals, team_name=name)
            for totals, name in (
                ([90, 92], "第一班组"),
                ([85, 87], "第二班组"),
                ([70, 72], "第三班组"),
            )
        ]
        office = make_user(Role.OFFICE)
        session.flush()
        return {
            "office": office.email,
            "url": f"/scoring/results/categories/{category_of(campaign).id}",
            "packets": [p.id for p in packets],
        }


def moves(app) -> list[tuple[int, Direction, str]]:
    with seeded(app) as session:
        found = session.scalars(sa.select(ListMove).order_by(ListMove.id))
        return [(m.application_id, m.direction, m.reason) for m in found]


def test_the_office_moves_a_packet_off_and_another_onto_the_list(page, live_server, ranking):
    first, second, third = ranking["packets"]
    log_in(page, ranking["office"])
    assert page.goto(ranking["url"]).ok
    off = page.locator(f"button[value='out-{second}']")
    expect(off).to_have_text(say(live_server.app, "Move off the list"))

    # Without a reason the browser asks for one and nothing is sent.
    off.click()
    assert page.evaluate("document.activeElement.id") == "move-reason"
    assert moves(live_server.app) == []

    page.locator("#move-reason").fill("顾客投诉经核实")
    off.click()
    expect(flash(page, "success")).to_be_visible()
    row = page.get_by_test_id(f"row-{second}")
    expect(row.get_by_test_id("in-list")).to_have_text(say(live_server.app, "No"))
    expect(row).to_contain_text("顾客投诉经核实")

    page.locator("#move-reason").fill("行业平衡")
    page.locator(f"button[value='in-{third}']").click()
    expect(flash(page, "success")).to_be_visible()
    expect(page.get_by_test_id(f"row-{third}").get_by_test_id("in-list")).to_have_text(
        say(live_server.app, "Yes")
    )
    expect(page.get_by_test_id("in-count")).to_have_text("2")
    assert moves(live_server.app) == [
        (second, Direction.OUT, "顾客投诉经核实"),
        (third, Direction.IN, "行业平衡"),
    ]
    assert first not in [m[0] for m in moves(live_server.app)]
