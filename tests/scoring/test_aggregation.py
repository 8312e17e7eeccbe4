"""Aggregation of locked score sheets, each method against figures computed by hand."""

from __future__ import annotations

from decimal import Decimal as D

from portal.campaigns.models import AggregationMethod as M
from portal.scoring.aggregation import SheetTotal, aggregate, expert_z_scores, q2


def sheets(app_id: int, *totals, criteria=None, experts=None) -> list[SheetTotal]:
    experts = experts or range(1, len(totals) + 1)
    return [
        SheetTotal(app_id, e, D(str(t)), D(str(criteria if criteria is not None else t)))
        for e, t in zip(experts, totals, strict=True)
    ]


def test_mean_of_totals_rounds_half_up_at_two_places():
    # (80.24 + 80.25) / 2 = 80.245: half up gives 80.25 (banker's rounding would give 80.24)
    result = aggregate(sheets(1, "80.24", "80.25"), M.MEAN)[1]
    assert result.score == D("80.25")
    assert result.mean == D("80.25")
    assert result.sheet_count == 2


def test_mean_of_three_sheets_repeating_decimal():
    # (85 + 86 + 90.1) / 3 = 261.1 / 3 = 87.0333… → 87.03
    assert aggregate(sheets(1, 85, 86, "90.1"), M.MEAN)[1].score == D("87.03")
    # (85 + 86 + 91) / 3 = 87.3333… → 87.33; (85 + 87 + 91) / 3 = 87.6666… → 87.67
    assert aggregate(sheets(1, 85, 86, 91), M.MEAN)[1].score == D("87.33")
    assert aggregate(sheets(1, 85, 87, 91), M.MEAN)[1].score == D("87.67")


def test_trimmed_mean_drops_one_highest_and_one_lowest_from_five_sheets():
    result = aggregate(sheets(1, 70, 80, 85, 90, 99), M.TRIMMED_MEAN)[1]
    # (80 + 85 + 90) / 3 = 85
    assert result.score == D("85.00")
    assert result.dropped == (D(70), D(99))
    # The plain mean is shown beside it: 424 / 5 = 84.8
    assert result.mean == D("84.80")


def test_trimmed_mean_with_tied_extremes_drops_only_one_of_each():
    result = aggregate(sheets(1, 80, 80, 85, 90, 90), M.TRIMMED_MEAN)[1]
    # one 80 and one 90 go: (80 + 85 + 90) / 3 = 85
    assert result.score == D("85.00")
    assert result.dropped == (D(80), D(90))


def test_trimmed_mean_of_seven_sheets():
    # drop 60 and 95: (78 + 82 + 83.5 + 88 + 91) / 5 = 422.5 / 5 = 84.5
    result = aggregate(sheets(1, 60, 78, 82, "83.5", 88, 91, 95), M.TRIMMED_MEAN)[1]
    assert result.score == D("84.50")


def test_trimmed_mean_with_fewer_than_five_sheets_is_the_plain_mean():
    result = aggregate(sheets(1, 70, 80, 85, 99), M.TRIMMED_MEAN)[1]
    # (70 + 80 + 85 + 99) / 4 = 83.5; nothing dropped
    assert result.score == D("83.50")
    assert result.dropped is None


def test_z_score_standardises_each_expert_over_their_sheets_and_maps_to_t_scale():
    # Expert 1 scored three packets 80, 90, 70: mean 80, population std sqrt(200/3) = 8.16497
    #   z = 0, +1.224745, -1.224745
    # Expert 2 scored packets 1 and 2: 60, 70: mean 65, std 5 → z = -1, +1
    # Expert 3 scored only packet 3 (88): one sheet → z = 0
    data = [
        SheetTotal(1, 1, D(80), D(80)),
        SheetTotal(2, 1, D(90), D(90)),
        SheetTotal(3, 1, D(70), D(70)),
        SheetTotal(1, 2, D(60), D(60)),
        SheetTotal(2, 2, D(70), D(70)),
        SheetTotal(3, 3, D(88), D(88)),
    ]
    result = aggregate(data, M.Z_SCORE)
    # packet 1: mean z (0 - 1) / 2 = -0.5 → 50 - 5 = 45
    assert result[1].score == D("45.00")
    assert result[1].mean_z == D("-0.5000")
    # packet 2: (1.224745 + 1) / 2 = 1.112372 → 61.12372 → 61.12
    assert result[2].score == D("61.12")
    assert result[2].mean_z == D("1.1124")
    # packet 3: (-1.224745 + 0) / 2 = -0.612372 → 43.87628 → 43.88
    assert result[3].score == D("43.88")
    # the raw mean stays beside it: (70 + 88) / 2 = 79
    assert result[3].mean == D("79.00")


def test_z_score_of_an_expert_who_gives_everyone_the_same_total_is_zero():
    data = sheets(1, 75, experts=[7]) + sheets(2, 75, experts=[7])
    z = expert_z_scores(data)
    assert z[1, 7] == 0 and z[2, 7] == 0
    assert aggregate(data, M.Z_SCORE)[1].score == D("50.00")


def test_z_score_is_clipped_to_the_hundred_point_scale():
    # One expert, eleven packets: ten at 0 and one at 100. Mean 100/11, population std
    # 100·sqrt(10)/11; the top packet's z = (100 - 100/11) / (100·sqrt(10)/11) = sqrt(10) = 3.1623
    # → 81.62; the rest z = -1/sqrt(10) = -0.3162 → 46.84.
    data = [SheetTotal(i, 1, D(0), D(0)) for i in range(1, 11)]
    data.append(SheetTotal(11, 1, D(100), D(100)))
    result = aggregate(data, M.Z_SCORE)
    assert result[11].score == D("81.62")
    assert result[1].score == D("46.84")
    # Beyond five standard deviations the scale stops at 100 (and 0): 27 packets at 0, one at
    # 100 gives z = sqrt(27) = 5.196 → 101.96, clipped.
    data = [SheetTotal(i, 1, D(0), D(0)) for i in range(1, 28)]
    data.append(SheetTotal(28, 1, D(100), D(100)))
    assert aggregate(data, M.Z_SCORE)[28].score == D("100.00")


def test_equal_totals_give_equal_figures_under_every_method():
    data = sheets(1, 80, 85, 90) + sheets(2, 90, 85, 80)
    for method in M:
        result = aggregate(data, method)
        assert result[1].score == result[2].score, method


def test_spread_above_the_threshold_is_flagged_and_at_the_threshold_is_not():
    data = sheets(1, 70, 90, 80) + sheets(2, 69, 90) + sheets(3, 85)
    result = aggregate(data, M.MEAN, threshold=D(20))
    assert (result[1].spread, result[1].flagged) == (D(20), False)
    assert (result[2].spread, result[2].flagged) == (D(21), True)
    assert (result[3].spread, result[3].flagged) == (D(0), False)


def test_no_threshold_flags_nothing():
    assert aggregate(sheets(1, 0, 100), M.MEAN)[1].flagged is False


def test_packet_without_locked_sheets_has_no_figure():
    result = aggregate(sheets(1, 80), M.TRIMMED_MEAN, application_ids=[1, 2])
    assert result[2].score is None
    assert result[2].sheet_count == 0
    assert result[1].score == D("80.00")


def test_criteria_subtotal_mean_is_kept_for_tie_breaking():
    data = [SheetTotal(1, 1, D(92), D(88)), SheetTotal(1, 2, D(85), D("83.5"))]
    # (88 + 83.5) / 2 = 85.75
    assert aggregate(data, M.MEAN)[1].criteria == D("85.75")


def test_q2_rounds_half_up_both_ways():
    assert q2(D("2.345")) == D("2.35")
    assert q2(D("-2.345")) == D("-2.35")
    assert q2(D("2.344999")) == D("2.34")
