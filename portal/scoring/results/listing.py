"""One page of a category's ranking, read from the database (排序结果分页).

The mean and the trimmed mean depend on a packet's own sheets only, so each packet of a
category's results keeps a row of its figures (results.kept: its locked sheets counted, their
means and spread in whole cents, exact integers on every backend, the locked totals, the
sheets it awaits, its state and submission), and an index of those rows holds the list's
order under each method. A page, the row above it (its tie note) and the two packets at the
quota line are LIMIT reads along that index, a page from the list's nearer end; a row's rank
is counted from the packets with a higher figure (from the end: the scored packets less those
no higher); the list's counts are read from the few rows kept per state (FiguresSums). A
row's figures are those of its kept row, which ranked it: what aggregate() gives the
confirmation, the exports and the API (test_results_listing.py holds every page to the full
ranking in Python). Under the z-score method (each expert's scale comes from the whole
campaign) the list is ranked in Python (figures.category_listing) as the confirmation ranks
it, and the page is cut from that.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import balance_counted
from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures, Shortfall, shortfalls
from portal.balance_counted import place, sum_if
from portal.campaigns.models import AggregationMethod, Campaign, CampaignCategory
from portal.organizations.models import District, Industry
from portal.pagination import found_first, reversed_order, window
from portal.recommendations import balance_kept
from portal.recommendations.balance_kept import BalancePacket, BalanceSums
from portal.scoring.aggregation import TRIM_FROM, PacketScore, is_flagged
from portal.scoring.ranking import Direction, Entry, RankedPacket, TieBreak, tie_break
from portal.scoring.results.figures import (
    DECIDED_STATES,
    PACKET_COLUMNS,
    ListStatus,
    Move,
    PoolPacket,
    ResultRow,
    category_listing,
    list_problems,
    list_status,
    pool_packet,
)
from portal.scoring.results.models import FiguresSums, ListMove, PacketFigures

A = Application


@dataclass(frozen=True)
class ListSummary:
    """What the page says of the whole list above and below its rows."""

    quota: int
    in_count: int
    quota_tie: TieBreak | None
    flagged_count: int

    @property
    def over_quota(self) -> bool:
        return self.in_count > self.quota

    @property
    def unresolved_at_quota(self) -> bool:
        return self.quota_tie is TieBreak.UNRESOLVED


@dataclass(frozen=True)
class ResultsPage:
    campaign: Campaign
    category: CampaignCategory
    ranking: ListSummary
    rows: tuple[ResultRow, ...]  # the page's, best first
    status: ListStatus
    balance: BalanceFigures
    shortfalls: tuple[Shortfall, ...]
    total: int  # packets in the whole list
    pending_sheets: int  # of the whole list
    unscored: int  # packets of the whole list without a locked sheet
    page: int
    pages: int

    @property
    def method(self):
        return self.campaign.aggregation_method

    def problems(self) -> list[str]:
        """Why the list cannot be confirmed now (message keys); empty when it can."""
        return list_problems(
            self.status, self.pending_sheets, self.unscored, self.ranking.over_quota
        )


# The statements take the category, its quota, the spread threshold in cents and where the
# rows to read start and how many there are as parameters: each is built once per process and
# method.
CATEGORY = sa.bindparam("category_id", type_=sa.Integer)
QUOTA = sa.bindparam("quota", type_=sa.Integer)
THRESHOLD = sa.bindparam("threshold", type_=sa.Integer)

F = PacketFigures
MOVE = sa.and_(ListMove.application_id == F.application_id, ListMove.category_id == CATEGORY)


def _score(trimmed: bool):
    return F.trimmed_cents if trimmed else F.mean_cents


def _order(trimmed: bool) -> tuple:
    """The list's order, which an index of packet_figures holds for each method: the figure,
    then the criteria subtotal, the sheets, the earlier submission; unscored packets last."""
    return (F.unscored, _score(trimmed).desc(), F.criteria_mean_cents.desc(), F.sheets.desc(),
            F.unsubmitted, F.submitted_at, F.application_id)  # fmt: skip


def _pool(*columns) -> sa.Select:
    """The category's list (the packets that reached expert review, one kept row each) with
    each packet's standing move."""
    return (
        sa.select(*columns)
        .select_from(F)
        .outerjoin(ListMove, MOVE)
        .where(F.category_id == CATEGORY)
    )


def _in_order(trimmed: bool, *columns, start, count) -> sa.Select:
    """`count` rows of the list in order from place `start` (from 0), read along the order's
    index: no sort, and no more rows read than those up to the last returned."""
    return _pool(*columns).order_by(*_order(trimmed)).limit(count).offset(start)


def _on_list(trimmed: bool) -> sa.CompoundSelect:
    """The ids of the packets on the list: the scored ones of the first `quota` places that
    were not moved, and those moved in."""
    first = _in_order(
        trimmed, F.application_id, ListMove.direction, F.unscored, start=0, count=QUOTA
    ).subquery()
    ranked_in = sa.select(first.c.application_id).where(
        first.c.direction.is_(None), first.c.unscored.is_(False)
    )
    moved_in = (
        sa.select(ListMove.application_id)
        .join(F, F.application_id == ListMove.application_id)
        .where(ListMove.category_id == CATEGORY, ListMove.direction == Direction.IN)
    )
    return sa.union_all(ranked_in, moved_in)


def _above_top(trimmed: bool, backward: bool):
    """How many packets have a higher figure than the first row a page reads (the rank of that
    row, less one, when it has a figure), counted along the order's index from the nearer end:
    from the top, those above it; from the end (`backward`), the scored packets (`scored`) less
    those with a figure no higher. Its parameter `top`: that row's place, counted from the end
    read from."""
    score = _score(trimmed)
    order = reversed_order(_order(trimmed)) if backward else _order(trimmed)
    top = sa.bindparam("top", type_=sa.Integer)
    at = _pool(score).order_by(*order).limit(1).offset(top).scalar_subquery()
    beyond = score <= at if backward else score > at
    counted = (
        sa.select(sa.func.count())
        .select_from(F)
        .where(F.category_id == CATEGORY, F.unscored.is_(False), beyond)
        .scalar_subquery()
    )
    return sa.bindparam("scored", type_=sa.Integer) - counted if backward else counted


@functools.cache
def _counts() -> sa.Select:
    """The whole list's counts, from the few rows of its kept counts (FiguresSums), and the
    packets whose spread is over the threshold (along ix_packet_figures_spread: as many as are
    flagged). How many are on the list is the balance figures' total (_balance_statement
    counts them)."""
    S = FiguresSums
    flagged = (
        sa.select(sa.func.count())
        .where(F.category_id == CATEGORY, F.spread_cents > THRESHOLD)
        .scalar_subquery()
    )
    return sa.select(
        sum_if(sa.true(), S.packets).label("total"),
        sum_if(S.unscored, S.packets).label("unscored"),
        flagged.label("flagged"),
        sum_if(S.state == ApplicationState.ACCEPTED, S.packets).label("open"),
        sum_if(S.state.in_(DECIDED_STATES), S.packets).label("decided"),
        sum_if(sa.true(), S.awaited).label("pending_total"),
    ).where(S.category_id == CATEGORY)


_PACKET_COLUMNS = (
    *PACKET_COLUMNS,
    District.id, District.position, District.code, District.name_zh, District.name_en,
    Industry.id, Industry.position, Industry.code, Industry.name_zh, Industry.name_en,
    ListMove.direction, ListMove.reason, F.awaited,
    F.mean_cents, F.criteria_mean_cents, F.spread_cents, F.locked_totals,
)  # fmt: skip


@functools.cache
def _rows_at(
    trimmed: bool, start: str, count: str, backward: bool = False, ranked: bool = False
) -> sa.Select:
    """What a row shows of `count` packets in order from place `start` (from 0; from the end
    when `backward`: pagination.window), with their figure (to rank them against each other)
    and, when `ranked`, how many packets rank above the first (_above_top). The packets are
    found along the order's index alone (their ids and order columns, which it holds:
    pagination.found_first), and only they are joined to their move and what the row shows
    (at 5,000 packets, joined before the OFFSET, the last page read 5,000 packets' rows)."""
    order = _order(trimmed)
    ids = sa.select(F.application_id).where(F.category_id == CATEGORY)
    shown = found_first(ids, order, backward=backward, start=start, count=count)
    above = (_above_top(trimmed, backward).label("above"),) if ranked else ()
    return (
        sa.select(*_PACKET_COLUMNS, *above, _score(trimmed))
        .select_from(shown)
        .join(F, F.application_id == shown.c.application_id)
        .outerjoin(ListMove, MOVE)
        .join(A, A.id == F.application_id)
        .join(A.organization)
        .outerjoin(A.district)
        .outerjoin(A.industry)
        .order_by(*order)
    )


@functools.cache
def _balance_statement(trimmed: bool, confirmed: bool) -> sa.Select | sa.CompoundSelect:
    """The balance groups of the packets on the list (ranked in, or moved in), each packet's
    share read from its kept row (portal.recommendations.balance_kept). Those of a confirmed
    list are the packets its confirmation made candidates: the candidates and the awarded,
    from the sums kept as packets change (a few rows however long the list), and those since
    disqualified after an objection, which are on it by rank (counted directly: the few
    disqualified packets, the list's order read only if there are any; a packet disqualified
    when it was not selected is not on it)."""
    on_list = _on_list(trimmed)
    if not confirmed:
        return balance_kept.packets_grouped(BalancePacket.application_id.in_(on_list))
    S = BalanceSums
    kept = balance_kept.grouped(
        S.campaign_id == sa.bindparam("campaign_id", type_=sa.Integer),
        S.category_id == CATEGORY,
        S.state.in_((ApplicationState.CANDIDATE, ApplicationState.AWARDED)),
    )
    withdrawn = balance_counted.grouped(
        A.category_id == CATEGORY,
        A.state == ApplicationState.DISQUALIFIED,
        (A.id + 0).in_(on_list),  # not an index of ids to search by: found by state first
    )
    return sa.union_all(kept, withdrawn)


class Place(NamedTuple):
    """A fetched packet and its place in the list."""

    packet: PoolPacket
    position: int
    rank: int
    direction: Direction | None
    reason: str | None
    pending: int
    kept: tuple[int | None, ...]  # the figure, mean, criteria mean and spread, in cents
    totals: tuple[Decimal, ...]  # of its locked sheets, highest first


def _places(found, start: int, above: int, category: CampaignCategory) -> list[Place]:
    """Rows read in order from place `start` (from 0) as packets and places: the first ranks
    after the `above` packets with a higher figure, the next share a rank with the row before
    when their figures are equal (the list is in figure order). A district or an industry is
    named from its row (balance_counted.Place), as the balance figures name them."""
    places, rank, previous = [], above + 1, None
    for n, row in enumerate(found):
        position, score = start + n + 1, row[-1]
        if n and score != previous:
            rank = position
        previous = score
        direction, reason, pending, mean, criteria, spread, totals = row[21:28]
        packet = pool_packet(row[:11], category, place(*row[11:16]), place(*row[16:21]))
        kept = (score, mean, criteria, spread)
        places.append(Place(packet, position, rank, direction, reason, pending, kept,
                            _locked_totals(totals)))  # fmt: skip
    return places


def _locked_totals(listed: str | None) -> tuple[Decimal, ...]:
    """The totals kept in cents, comma-separated (PacketFigures.locked_totals), in points,
    highest first."""
    if not listed:
        return ()
    return tuple(sorted((Decimal(c).scaleb(-2) for c in listed.split(",")), reverse=True))


def _status(counts) -> ListStatus:
    states = set()
    if counts.open:
        states.add(ApplicationState.ACCEPTED)
    if counts.decided:
        states.update(DECIDED_STATES)
    return list_status(states)


def _in_points(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents).scaleb(-2)


def _packet_score(place: Place, method, threshold) -> PacketScore:
    """The packet's figures as aggregate() gives them, from its kept row (what ranked it and
    what the row prints)."""
    figure, mean, criteria, spread = map(_in_points, place.kept)
    ordered = place.totals
    if figure is None:
        return PacketScore(place.packet.id, method, (), None, None, None, None, False)
    trimmed = method == AggregationMethod.TRIMMED_MEAN and len(ordered) >= TRIM_FROM
    return PacketScore(
        application_id=place.packet.id,
        method=method,
        totals=ordered,
        score=figure,
        mean=mean,
        criteria=criteria,
        spread=spread,
        flagged=is_flagged(spread, threshold),
        dropped=(ordered[-1], ordered[0]) if trimmed else None,
    )


def _rows(category, shown: list[Place]) -> tuple[tuple[ResultRow, ...], TieBreak | None]:
    """The page's rows, their figures and tie notes, and what separates the quota line."""
    campaign, quota = category.campaign, category.quota
    method, threshold = campaign.aggregation_method, campaign.score_spread_threshold
    scores = {p.packet.id: _packet_score(p, method, threshold) for p in shown}
    entries = {p.position: Entry(scores[p.packet.id], p.packet.submitted_at) for p in shown}
    ranked = {}
    for p in shown:
        above, entry = entries.get(p.position - 1), entries[p.position]
        ranked[p.position] = RankedPacket(
            application_id=p.packet.id,
            position=p.position,
            rank=p.rank,
            score=entry.score,
            submitted_at=entry.submitted_at,
            within_quota=p.position <= quota and entry.score.score is not None,
            move=p.direction,
            tie_broken_by=tie_break(above, entry) if above else None,
        )
    quota_tie = None
    last_in, first_out = ranked.get(quota), ranked.get(quota + 1)
    if quota > 0 and last_in and first_out and last_in.within_quota:
        quota_tie = first_out.tie_broken_by
    rows = tuple(
        ResultRow(ranked[p.position], p.packet,
                  Move(p.direction, p.reason or "") if p.direction else None, p.pending)
        for p in shown
    )  # fmt: skip
    return rows, quota_tie


def _values(category: CampaignCategory, page: int, per_page: int, counts) -> dict[str, int]:
    """The statements' parameters for page `page`: its rows and the one above its first (its
    tie note), read from the nearer end of the list (pagination.window), and the two packets
    at the quota line (what separates them)."""
    first = max((page - 1) * per_page - 1, 0)  # the place of the first row read
    backward, count, start = window(counts.total, page * per_page - first, first)
    quota = category.quota
    at_quota = max(quota - 1, 0)  # the place of the last packet within the quota
    quota_backward, quota_count, quota_start = window(counts.total, 2 if quota else 0, at_quota)
    return {
        "category_id": category.id,
        "quota": quota,
        "threshold": int(category.campaign.score_spread_threshold * 100),
        "first": first,
        "backward": backward,
        "start": start,
        "count": count,
        "top": start + count - 1 if backward else start,
        "scored": counts.total - counts.unscored,
        "at_quota": at_quota,
        "quota_backward": quota_backward,
        "quota_start": quota_start,
        "quota_count": quota_count,
    }


def _above(counts, read) -> int:
    """How many packets rank above the row read first: those with a higher figure, or, for a
    packet without one, every packet with one."""
    if not read or read[0][-1] is None:
        return counts.total - counts.unscored
    return read[0].above


def results_page(
    session: Session, category: CampaignCategory, page: int, per_page: int
) -> ResultsPage:
    """Page `page` (from 1; beyond the last reads the last) of the category's ranking, with
    the counts, the quota line and the balance of the whole list, in a fixed number of
    statements whatever the number of packets."""
    campaign = category.campaign
    if campaign.aggregation_method == AggregationMethod.Z_SCORE:
        return _page_of(category_listing(session, category), page, per_page)
    trimmed = campaign.aggregation_method == AggregationMethod.TRIMMED_MEAN
    connection = session.connection()
    threshold = int(campaign.score_spread_threshold * 100)
    counted = {"category_id": category.id, "threshold": threshold}
    counts = connection.execute(_counts(), counted).one()
    pages = max(1, -(-counts.total // per_page))
    page = min(max(page, 1), pages)  # beyond the last page: read the last
    values = _values(category, page, per_page, counts)
    page_rows = _rows_at(trimmed, "start", "count", values["backward"], ranked=True)
    read = connection.execute(page_rows, values).all()
    quota_rows = _rows_at(trimmed, "quota_start", "quota_count", values["quota_backward"])
    at_quota = connection.execute(quota_rows, values).all()
    places = _places(read, values["first"], _above(counts, read), category)
    placed = {p.position for p in places}
    # The two packets at the quota line, for what separates them: their ranks are not shown
    # (those on the page were read with it).
    places += [p for p in _places(at_quota, values["at_quota"], 0, category)
               if p.position not in placed]  # fmt: skip
    first, last = (page - 1) * per_page + 1, page * per_page
    rows, quota_tie = _rows(category, places)
    rows = tuple(r for r in rows if first <= r.ranked.position <= last)
    status = _status(counts)
    balance = _balance_statement(trimmed, status is ListStatus.CONFIRMED)
    figures = balance_counted.figures(
        connection.execute(balance, {**values, "campaign_id": campaign.id})
    )
    return ResultsPage(
        campaign=campaign,
        category=category,
        ranking=ListSummary(category.quota, figures.total, quota_tie, counts.flagged),
        rows=rows,
        status=status,
        balance=figures,
        shortfalls=tuple(
            shortfalls(figures, campaign.target_women_share, campaign.target_young_share)
        ),
        total=counts.total,
        pending_sheets=counts.pending_total,
        unscored=counts.unscored,
        page=page,
        pages=pages,
    )


def _page_of(data, page: int, per_page: int) -> ResultsPage:
    """A page cut from results ranked in Python (the z-score method)."""
    pages = max(1, -(-len(data.rows) // per_page))
    page = min(max(page, 1), pages)
    ranking = data.ranking
    return ResultsPage(
        campaign=data.campaign,
        category=data.category,
        ranking=ListSummary(
            ranking.quota, ranking.in_count, ranking.quota_tie, len(ranking.flagged)
        ),
        rows=data.rows[(page - 1) * per_page : page * per_page],
        status=data.status,
        balance=data.balance,
        shortfalls=data.shortfalls,
        total=len(data.rows),
        pending_sheets=data.pending_sheets,
        unscored=len(data.unscored),
        page=page,
        pages=pages,
    )
