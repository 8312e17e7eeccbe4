"""The results page's ranking by the database gives, page by page, what the confirmation,
the exports and the API compute in Python: figures, places, ties, moves, counts, balance."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from decimal import Decimal as D

import pytest

from portal.applications.models import ApplicationState as S
from portal.campaigns.models import AggregationMethod
from portal.scoring.models import SheetStatus
from portal.scoring.ranking import Direction
from portal.scoring.results import service as results
from portal.scoring.results.listing import results_page
from portal.scoring.results.models import ListMove
from tests.factories import make_application, make_campaign
from tests.scoring.results_helpers import category_of, make_expert, scored_packet, sheet

SAME_TIME = datetime(2043, 3, 1, 8, 30, tzinfo=UTC)


@pytest.fixture
def experts(session):
    return [make_expert() for _ in range(6)]


def build(session, method, experts):
    """A list with every kind of tie, a half cent, unscored and pending packets, and moves."""
    campaign = make_campaign(year=2044, aggregation_method=method, score_spread_threshold=D(9))
    e = experts
    packets = [
        scored_packet(campaign, e, [70, 80, 85, 90, 99, 84]),  # trimmed 84.75, mean 84.67
        scored_packet(campaign, e[:2], [85.01, 85], members=8, women=6),  # 85.005: half up
        scored_packet(campaign, e[:3], [88, 88, 88], criteria=80),
        scored_packet(campaign, e[:3], [88, 88, 88], criteria=82),  # criteria breaks the tie
        scored_packet(campaign, e[:2], [88, 88], criteria=82),  # fewer sheets
        scored_packet(campaign, e[:3], [60, 75, 61.5]),
        scored_packet(campaign, e[:3], [60, 75, 61.5]),  # submitted at the same time: unresolved
        scored_packet(campaign, e[:3], [79.99, 80, 80.01], members=4, women=4),
        scored_packet(campaign, e[:5], [95, 40, 70, 71, 72]),
        scored_packet(campaign, e[:1], [0]),
        make_application(S.ACCEPTED, campaign=campaign),  # nothing locked yet
        make_application(S.ACCEPTED, campaign=campaign),
    ]
    packets[5].submitted_at = packets[6].submitted_at = SAME_TIME
    sheet(packets[10], e[0], 50, status=SheetStatus.DRAFT)  # one sheet awaited
    category = category_of(campaign)
    session.add_all(
        [
            ListMove(category_id=category.id, application_id=packets[7].id,
                     direction=Direction.IN, reason="行业平衡"),
            ListMove(category_id=category.id, application_id=packets[3].id,
                     direction=Direction.OUT, reason="投诉核实"),
        ]
    )  # fmt: skip
    session.flush()
    return category


def balance(figures):
    """The figures as the page prints them: a district or an industry by its code (the page's
    are counted in the database and named from their rows, the confirmation's are objects)."""

    def coded(counts):
        return [(getattr(c.item, "code", c.item), c.count, c.share) for c in counts]

    return (dataclasses.replace(figures, by_district=(), by_industry=()),
            coded(figures.by_district), coded(figures.by_industry))  # fmt: skip


def shown(row):
    """What the page prints of a row."""
    p, a = row.ranked, row.application
    move = (row.move.direction, row.move.reason) if row.move else None
    return (a.id, a.title, p.position, p.rank, p.score, p.within_quota, p.in_list,
            p.tie_broken_by, move, row.pending_sheets, a.state)  # fmt: skip


@pytest.mark.parametrize("method", list(AggregationMethod))
@pytest.mark.parametrize("quota", [0, 2, 5, 6, 30])
@pytest.mark.parametrize("per_page", [2, 4])  # a tie of three across a page's edge, and not
def test_each_page_is_the_slice_of_the_full_ranking(session, experts, method, quota, per_page):
    category = build(session, method, experts)
    category.quota = quota
    session.flush()
    full = results.category_results(session, category)
    assert {r.ranked.tie_broken_by for r in full.rows} >= {None}
    count = -(-12 // per_page)
    pages = [results_page(session, category, n, per_page) for n in range(1, count + 1)]
    assert [r for page in pages for r in map(shown, page.rows)] == list(map(shown, full.rows))
    for page in pages:
        assert page.pages == count and page.total == 12
        assert page.ranking.in_count == full.ranking.in_count
        assert page.ranking.quota_tie == full.ranking.quota_tie
        assert page.ranking.flagged_count == len(full.ranking.flagged)
        assert page.status == full.status
        assert page.problems() == full.problems()
        assert balance(page.balance) == balance(full.balance)
        assert page.shortfalls == full.shortfalls
    assert results_page(session, category, 9, per_page).page == count


@pytest.mark.parametrize("per_page", [5, 20])  # over pages, and on one
def test_the_ties_the_list_holds_are_the_ones_meant(session, experts, per_page):
    category = build(session, AggregationMethod.MEAN, experts)
    pages = results_page(session, category, 1, per_page).pages
    rows = [
        r for n in range(1, pages + 1) for r in results_page(session, category, n, per_page).rows
    ]
    figures = [str(r.score.score) for r in rows]
    assert figures[:5] == ["88.00", "88.00", "88.00", "85.01", "84.67"]
    assert [str(r.ranked.tie_broken_by) for r in rows[:3]] == ["None", "sheets", "criteria"]
    unresolved = [r for r in rows if str(r.ranked.tie_broken_by) == "unresolved"]
    assert len(unresolved) == 1 and unresolved[0].score.score == D("65.50")
    assert [r.ranked.rank for r in rows[-2:]] == [11, 11]  # the two without a figure


def test_a_list_without_packets_is_empty(session):
    campaign = make_campaign(year=2045, aggregation_method=AggregationMethod.MEAN)
    page = results_page(session, category_of(campaign), 1, 200)
    assert page.rows == () and page.pages == 1 and page.total == 0
    assert page.problems() == ["nothing_to_confirm"] and page.balance.total == 0
