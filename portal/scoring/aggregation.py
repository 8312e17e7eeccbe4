"""Aggregation of the experts' score sheets into one figure per packet (汇总评分).

Pure functions over plain data: they know nothing of the database, so the results page, the
exports, the API and the benchmark all compute the same figures, and the tests check them
against hand computation. Only locked sheets are given to them.

Arithmetic is Decimal throughout; intermediate values keep full precision (28 digits) and
only the figures shown are rounded, to 2 places, half up (四舍五入), as a person checking
the table by hand would round.

Methods (the campaign's `aggregation_method`):

- ``mean``: the mean of the sheets' totals.
- ``trimmed_mean``: with five sheets or more, one highest and one lowest total are dropped
  and the rest averaged (去掉一个最高分和一个最低分); with fewer, the plain mean.
- ``z_score``: each expert's totals are standardised over all of that expert's locked sheets
  in the campaign, z = (total − expert's mean) / expert's population standard deviation; an
  expert with one sheet, or who gave every packet the same total, contributes z = 0 (nothing
  is known of how that expert's scale sits). A packet's figure is the mean of its z values
  mapped to the T scale, 50 + 10·z, clipped to [0, 100]. The T scale was chosen over a
  rescale of the campaign's range onto 0–100 because it depends only on each expert's own
  scale: a packet's figure does not jump when an unrelated packet becomes the new highest
  or lowest, 50 always means "as its experts score on average", and each 10 points is one
  standard deviation, which the office can read without knowing the campaign's extremes.
  The clip only bites beyond five standard deviations.

The spread flag: a packet whose highest and lowest totals differ by more than the campaign's
threshold is flagged for discussion by the panel (分差过大).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import NamedTuple

from portal.campaigns.models import AggregationMethod as Method

CENT = Decimal("0.01")
ZERO = Decimal(0)
T_CENTRE = Decimal(50)
T_STEP = Decimal(10)
T_LOW, T_HIGH = Decimal(0), Decimal(100)
# Sheets needed before the highest and lowest totals are dropped.
TRIM_FROM = 5
_CONTEXT = Context(prec=28)


class SheetTotal(NamedTuple):
    """One locked score sheet reduced to what aggregation needs (a tuple: thousands are made
    per request)."""

    application_id: int
    expert_id: int
    total: Decimal  # criteria + bonus − deductions
    criteria: Decimal  # the criteria subtotal, within the 100 points


class PacketScore(NamedTuple):
    """A packet's aggregated figures under one method (a tuple: one per packet per request)."""

    application_id: int
    method: Method
    totals: tuple[Decimal, ...]  # the locked sheets' totals, highest first
    score: Decimal | None  # the method's figure, 2 places; None without any locked sheet
    mean: Decimal | None  # the plain mean, 2 places, shown beside any method
    criteria: Decimal | None  # mean criteria subtotal, 2 places (first tie-break)
    spread: Decimal | None  # highest − lowest total
    flagged: bool  # spread above the campaign's threshold
    dropped: tuple[Decimal, Decimal] | None = None  # trimmed mean: (lowest, highest) dropped
    mean_z: Decimal | None = None  # z_score: the packet's mean z, 4 places

    @property
    def sheet_count(self) -> int:
        return len(self.totals)

    @property
    def totals_text(self) -> str:
        """The totals as a list prints them: "92.00 · 88.50 · 85.00"."""
        return " · ".join(map(str, self.totals))


def q2(value: Decimal) -> Decimal:
    """Round to 2 places, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def mean_of(values: Sequence[Decimal]) -> Decimal:
    """The exact mean (28 significant digits) of a non-empty sequence."""
    return _CONTEXT.divide(sum(values, ZERO), Decimal(len(values)))


def trimmed_mean_of(values: Sequence[Decimal]) -> tuple[Decimal, tuple[Decimal, Decimal] | None]:
    """The mean without one lowest and one highest value when there are five or more values;
    returns the mean and the (lowest, highest) dropped, or None when nothing was dropped."""
    if len(values) < TRIM_FROM:
        return mean_of(values), None
    ordered = sorted(values)
    return mean_of(ordered[1:-1]), (ordered[0], ordered[-1])


def spread_of(values: Sequence[Decimal]) -> Decimal:
    return max(values) - min(values)


def is_flagged(spread: Decimal | None, threshold: Decimal | None) -> bool:
    """Strictly above the threshold; no threshold, no flag."""
    return spread is not None and threshold is not None and spread > threshold


def expert_scales(sheets: Iterable[SheetTotal]) -> dict[int, tuple[Decimal, Decimal] | None]:
    """Each expert's (mean, population standard deviation) over the sheets given (all the
    expert's locked sheets in the campaign); None where z is 0: one sheet, or all equal."""
    by_expert: dict[int, list[Decimal]] = defaultdict(list)
    for sheet in sheets:
        by_expert[sheet.expert_id].append(sheet.total)
    scales: dict[int, tuple[Decimal, Decimal] | None] = {}
    for expert_id, totals in by_expert.items():
        centre = mean_of(totals)
        deviation = mean_of([(t - centre) * (t - centre) for t in totals]).sqrt(_CONTEXT)
        usable = len(totals) > 1 and deviation != ZERO
        scales[expert_id] = (centre, deviation) if usable else None
    return scales


def z_of(total: Decimal, scale: tuple[Decimal, Decimal] | None) -> Decimal:
    if scale is None:
        return ZERO
    centre, deviation = scale
    return _CONTEXT.divide(total - centre, deviation)


def expert_z_scores(sheets: Iterable[SheetTotal]) -> dict[tuple[int, int], Decimal]:
    """z of each sheet, keyed (application_id, expert_id)."""
    sheets = list(sheets)
    scales = expert_scales(sheets)
    return {(s.application_id, s.expert_id): z_of(s.total, scales[s.expert_id]) for s in sheets}


def t_scale(mean_z: Decimal) -> Decimal:
    """50 + 10·z, clipped to [0, 100]."""
    return min(T_HIGH, max(T_LOW, T_CENTRE + T_STEP * mean_z))


def aggregate(
    sheets: Iterable[SheetTotal],
    method: Method | str,
    threshold: Decimal | None = None,
    application_ids: Iterable[int] = (),
    scales: dict[int, tuple[Decimal, Decimal] | None] | None = None,
) -> dict[int, PacketScore]:
    """Figures for every packet that has sheets, and for each of `application_ids` (packets
    without any locked sheet get score None).

    For ``z_score`` each expert's scale is read from all the packets the expert scored in the
    campaign: pass every locked sheet of the campaign, or one category's sheets together with
    `scales` computed by expert_scales() from every locked sheet of the campaign.
    """
    method = Method(method)
    sheets = list(sheets)
    per_packet: dict[int, list[SheetTotal]] = defaultdict(list)
    for sheet in sheets:
        per_packet[sheet.application_id].append(sheet)
    if scales is None:
        scales = expert_scales(sheets) if method is Method.Z_SCORE else {}
    results: dict[int, PacketScore] = {}
    for application_id in application_ids:
        results[application_id] = PacketScore(
            application_id, method, (), None, None, None, None, False
        )
    for application_id, own in per_packet.items():
        totals = [s.total for s in own]
        spread = spread_of(totals)
        mean = mean_of(totals)
        dropped = None
        mean_z = None
        if method is Method.MEAN:
            figure = mean
        elif method is Method.TRIMMED_MEAN:
            figure, dropped = trimmed_mean_of(totals)
        else:
            packet_z = mean_of([z_of(s.total, scales[s.expert_id]) for s in own])
            mean_z = packet_z.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
            figure = t_scale(packet_z)
        results[application_id] = PacketScore(
            application_id=application_id,
            method=method,
            totals=tuple(sorted(totals, reverse=True)),
            score=q2(figure),
            mean=q2(mean),
            criteria=q2(mean_of([s.criteria for s in own])),
            spread=spread,
            flagged=is_flagged(spread, threshold),
            dropped=dropped,
            mean_z=mean_z,
        )
    return results
