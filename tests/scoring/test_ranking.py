"""Ranking against the quota: order, visible tie-breaks, the quota line, the office's moves."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D

from portal.campaigns.models import AggregationMethod as M
from portal.scoring.aggregation import PacketScore
from portal.scoring.ranking import Direction, Entry, TieBreak, rank


def entry(app_id, score, *, criteria=None, sheets=5, day=1) -> Entry:
    figure = None if score is None else D(str(score))
    crit = figure if criteria is None else D(str(criteria))
    return Entry(
        PacketScore(
            application_id=app_id,
            method=M.MEAN,
            totals=tuple([figure] * sheets) if figure is not None else (),
            score=figure,
            mean=figure,
            criteria=crit if figure is not None else None,
            spread=D(0) if figure is not None else None,
            flagged=False,
        ),
        datetime(2026, 11, day, tzinfo=UTC),
    )


def order(ranking):
    return [p.application_id for p in ranking.packets]


def test_higher_figure_first_and_quota_marks_the_list():
    ranking = rank([entry(1, 80), entry(2, 90), entry(3, 85)], quota=2)
    assert order(ranking) == [2, 3, 1]
    assert [p.in_list for p in ranking.packets] == [True, True, False]
    assert [p.rank for p in ranking.packets] == [1, 2, 3]
    assert ranking.quota_tie is None
    assert ranking.in_count == 2


def test_equal_figures_are_ordered_by_criteria_subtotal_and_say_so():
    ranking = rank([entry(1, 88, criteria=80), entry(2, 88, criteria=84)], quota=1)
    assert order(ranking) == [2, 1]
    assert [p.rank for p in ranking.packets] == [1, 1]
    assert ranking.packets[1].tie_broken_by is TieBreak.CRITERIA
    assert ranking.quota_tie is TieBreak.CRITERIA
    assert not ranking.unresolved_at_quota


def test_then_by_more_sheets_then_by_earlier_submission():
    ranking = rank(
        [
            entry(1, 88, sheets=5, day=1),
            entry(2, 88, sheets=7, day=3),
            entry(3, 88, sheets=7, day=2),
        ],
        quota=3,
    )
    assert order(ranking) == [3, 2, 1]
    assert [p.tie_broken_by for p in ranking.packets] == [
        None,
        TieBreak.SUBMITTED,
        TieBreak.SHEETS,
    ]


def test_a_tie_nothing_breaks_at_the_quota_line_is_flagged_for_the_office():
    ranking = rank([entry(5, 90), entry(9, 88), entry(7, 88)], quota=2)
    # Same figure, criteria, sheets and day: the lower number stays within for a stable order,
    # and the tie is flagged.
    assert order(ranking) == [5, 7, 9]
    assert ranking.packets[2].tie_broken_by is TieBreak.UNRESOLVED
    assert ranking.quota_tie is TieBreak.UNRESOLVED
    assert ranking.unresolved_at_quota


def test_an_unresolved_tie_away_from_the_quota_line_is_not_flagged():
    ranking = rank([entry(1, 90), entry(2, 90), entry(3, 70)], quota=2)
    assert ranking.packets[1].tie_broken_by is TieBreak.UNRESOLVED
    assert ranking.quota_tie is None


def test_packets_without_locked_sheets_rank_last_and_never_count_within_the_quota():
    ranking = rank([entry(1, None), entry(2, 60)], quota=2)
    assert order(ranking) == [2, 1]
    assert [p.in_list for p in ranking.packets] == [True, False]


def test_office_moves_take_packets_out_and_in():
    entries = [entry(1, 95), entry(2, 90), entry(3, 85), entry(4, 80)]
    ranking = rank(entries, quota=2, moves={2: Direction.OUT, 3: Direction.IN})
    assert [p.application_id for p in ranking.in_list] == [1, 3]
    assert not ranking.over_quota
    ranking = rank(entries, quota=2, moves={4: Direction.IN})
    assert [p.application_id for p in ranking.in_list] == [1, 2, 4]
    assert ranking.over_quota


def test_quota_zero_and_quota_above_the_number_of_packets():
    assert rank([entry(1, 90)], quota=0).in_count == 0
    ranking = rank([entry(1, 90), entry(2, 80)], quota=5)
    assert ranking.in_count == 2
    assert ranking.quota_tie is None
