"""One page of a category's ranking, ranked by the database (排序结果分页).

The mean and the trimmed mean depend on a packet's own sheets only, so the database ranks the
category from the figures kept of each packet (results.kept: its locked sheets counted, their
totals and means in whole cents, exact integers on every backend, and the sheets it awaits);
Python then reads only the page's rows (and the rows beside the page and the quota line that
the tie notes compare) and computes their figures from their sheets with the same aggregate()
as the confirmation, the exports and the API. The balance of the packets on the list is
counted in the database too (portal.balance_counted). Under the z-score method (each expert's
scale comes from the whole campaign) the list is ranked in Python (figures.category_listing)
as the confirmation ranks it, and the page is cut from that.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal import balance_counted
from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures, Shortfall, shortfalls
from portal.balance_counted import place
from portal.campaigns.models import AggregationMethod, Campaign, CampaignCategory
from portal.organizations.models import District, Industry, Organization
from portal.scoring.aggregation import SheetTotal, aggregate
from portal.scoring.models import Assignment, AssignmentStatus, ScoreSheet, SheetStatus
from portal.scoring.ranking import Direction, Entry, RankedPacket, TieBreak, tie_break
from portal.scoring.results.figures import (
    DECIDED_STATES,
    POOL_STATES,
    ListStatus,
    Move,
    PoolPacket,
    ResultRow,
    category_listing,
    list_problems,
    list_status,
)
from portal.scoring.results.models import ListMove, PacketFigures

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


# The statements take the category, its quota, the spread threshold in cents and the page's
# first and last positions as parameters: each is built once per process and method.
CATEGORY = sa.bindparam("category_id", type_=sa.Integer)
QUOTA = sa.bindparam("quota", type_=sa.Integer)
THRESHOLD = sa.bindparam("threshold", type_=sa.Integer)
FIRST = sa.bindparam("first", type_=sa.Integer)
LAST = sa.bindparam("last", type_=sa.Integer)


F = PacketFigures
SHEETS = sa.func.nullif(F.sheets, 0)  # none locked: unscored, as without a row
POOL = (A.category_id == CATEGORY, A.state.in_(POOL_STATES))
MOVE = sa.and_(ListMove.application_id == A.id, ListMove.category_id == CATEGORY)


def _score(trimmed: bool):
    return F.trimmed_cents if trimmed else F.mean_cents


def _order(trimmed: bool) -> tuple:
    """The list's order: the figure, then the criteria subtotal, the sheets, the submission."""
    score = _score(trimmed)
    return (score.is_(None), score.desc(), F.criteria_mean_cents.desc(), SHEETS.desc(),
            A.submitted_at.is_(None), A.submitted_at, A.id)  # fmt: skip


def _ranked(trimmed: bool) -> sa.CTE:
    """Every packet of the category's list with its place: position, shared rank, the move,
    the sheets it awaits; ranked from the figures kept of each packet (results.kept)."""
    score = _score(trimmed)
    return (
        sa.select(
            A.id,
            A.state,
            SHEETS.label("sheets"),
            (F.highest_cents - F.lowest_cents).label("spread"),
            sa.func.coalesce(F.awaited, 0).label("awaited"),
            ListMove.direction,
            ListMove.reason,
            sa.func.row_number().over(order_by=_order(trimmed)).label("position"),
            sa.func.rank().over(order_by=(score.is_(None), score.desc())).label("rank"),
        )
        .outerjoin(F, F.application_id == A.id)
        .outerjoin(ListMove, MOVE)
        .where(*POOL)
        .cte("ranked")
    )


def _on_list(trimmed: bool) -> sa.ColumnElement[bool]:
    """The packets on the list: the scored ones of the first `quota` places that were not
    moved, and those moved in; the places are the first rows in order, not a ranking of all."""
    first = (
        sa.select(A.id, ListMove.direction, _score(trimmed).label("score"))
        .outerjoin(F, F.application_id == A.id)
        .outerjoin(ListMove, MOVE)
        .where(*POOL)
        .order_by(*_order(trimmed))
        .limit(QUOTA)
        .subquery()
    )
    ranked_in = sa.select(first.c.id).where(first.c.direction.is_(None), first.c.score.is_not(None))
    moved_in = sa.select(A.id).join(ListMove, MOVE).where(*POOL, ListMove.direction == Direction.IN)
    return sa.or_(A.id.in_(ranked_in), A.id.in_(moved_in))


def _in_list(ranked):
    within = sa.and_(ranked.c.position <= QUOTA, ranked.c.sheets.is_not(None))
    return sa.or_(
        ranked.c.direction == Direction.IN,
        sa.and_(ranked.c.direction.is_(None), within),
    )


_POOL_COUNT = sa.select(sa.func.count()).where(*POOL)


@functools.cache
def _page_sheets() -> sa.Select:
    """The locked sheets of active assignments of the packets in `ids`."""
    return (
        sa.select(
            ScoreSheet.application_id,
            ScoreSheet.expert_id,
            ScoreSheet.total,
            ScoreSheet.criteria_points,
        )
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .where(
            ScoreSheet.application_id.in_(sa.bindparam("ids", expanding=True)),
            ScoreSheet.status == SheetStatus.LOCKED,
            Assignment.status == AssignmentStatus.ACTIVE,
        )
    )


def _one_if(condition):
    return sa.case((condition, 1), else_=0)


_PACKET_COLUMNS = (
    A.id, A.state, A.submitted_at, A.team_name, A.person_name, Organization.name,
    A.member_count, A.women_count, A.average_age, A.female, A.age,
    District.id, District.position, District.code, District.name_zh, District.name_en,
    Industry.id, Industry.position, Industry.code, Industry.name_zh, Industry.name_en,
)  # fmt: skip


@functools.cache
def _statement(trimmed: bool) -> sa.Select:
    """The list's packets on the page, beside it and on the list, in order, each row also
    carrying the whole list's counts (one ranking of the category for both)."""
    ranked = _ranked(trimmed)
    whole = sa.func.sum  # over the whole list
    counted = sa.select(
        ranked,
        sa.func.count().over().label("total"),
        whole(_one_if(_in_list(ranked))).over().label("in_count"),
        whole(_one_if(ranked.c.sheets.is_(None))).over().label("unscored"),
        whole(_one_if(ranked.c.spread > THRESHOLD)).over().label("flagged"),
        whole(_one_if(ranked.c.state == ApplicationState.ACCEPTED)).over().label("open"),
        whole(_one_if(ranked.c.state.in_(DECIDED_STATES))).over().label("decided"),
        whole(ranked.c.awaited).over().label("pending_total"),
    ).cte("counted")
    position = counted.c.position
    # the page, the row above its first (its tie note), the two at the quota line
    near = sa.or_(position.between(FIRST - 1, LAST), position.in_([QUOTA, QUOTA + 1]))
    c = counted.c
    return (
        sa.select(*_PACKET_COLUMNS, position, c.rank, c.direction, c.reason,
                  c.awaited.label("pending"),
                  c.total, c.in_count, c.unscored, c.flagged, c.open, c.decided,
                  c.pending_total)
        .join(counted, c.id == A.id)
        .join(A.organization)
        .outerjoin(A.district)
        .outerjoin(A.industry)
        .where(near)
        .order_by(position)
    )  # fmt: skip


@functools.cache
def _balance_statement(trimmed: bool) -> sa.Select:
    """The balance groups of the packets on the list (ranked in, or moved in)."""
    return balance_counted.grouped(_on_list(trimmed))


class Place(NamedTuple):
    """A fetched packet and its place in the list."""

    packet: PoolPacket
    position: int
    rank: int
    direction: Direction | None
    reason: str | None
    pending: int


def _places(found, category: CampaignCategory) -> list[Place]:
    """The fetched rows as packets and places; a district or an industry is named from its
    row (balance_counted.Place), as the balance figures name them."""
    return [
        Place(PoolPacket(id_, state, submitted, (team or person or "").strip(), unit, category,
                         place(*row[11:16]), place(*row[16:21]), members, women, average_age,
                         female, age),
              position, rank_, direction, reason, pending)
        for row in found
        for (id_, state, submitted, team, person, unit, members, women, average_age, female, age,
             position, rank_, direction, reason, pending) in [row[:11] + row[21:26]]
    ]  # fmt: skip


def _status(counts) -> ListStatus:
    states = set()
    if counts is None:
        return list_status(states)
    if counts.open:
        states.add(ApplicationState.ACCEPTED)
    if counts.decided:
        states.update(DECIDED_STATES)
    return list_status(states)


def _rows(session, category, shown: list[Place]) -> tuple[tuple[ResultRow, ...], TieBreak | None]:
    """The page's rows, their figures and tie notes, and what separates the quota line."""
    campaign, quota = category.campaign, category.quota
    ids = [p.packet.id for p in shown]
    sheets = [
        SheetTotal(*row) for row in session.connection().execute(_page_sheets(), {"ids": ids})
    ]
    scores = aggregate(
        sheets, campaign.aggregation_method, campaign.score_spread_threshold, application_ids=ids
    )
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


def _values(category: CampaignCategory, page: int, per_page: int) -> dict[str, int]:
    campaign = category.campaign
    return {
        "category_id": category.id,
        "quota": category.quota,
        "threshold": int(campaign.score_spread_threshold * 100),
        "first": (page - 1) * per_page + 1,
        "last": page * per_page,
    }


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
    page = max(page, 1)
    values = _values(category, page, per_page)
    connection = session.connection()
    found = connection.execute(_statement(trimmed), values).all()
    total = found[0].total if found else None
    if total is None or total < values["first"]:  # an empty list, or a page beyond the last
        total = session.scalar(_POOL_COUNT, values) or 0
        page = max(1, -(-total // per_page))
        values = _values(category, page, per_page)
        found = connection.execute(_statement(trimmed), values).all() if total else []
    rows, quota_tie = _rows(session, category, _places(found, category))
    rows = tuple(r for r in rows if values["first"] <= r.ranked.position <= values["last"])
    figures = balance_counted.figures(connection.execute(_balance_statement(trimmed), values))
    counts = found[0] if found else None
    return ResultsPage(
        campaign=campaign,
        category=category,
        ranking=ListSummary(
            category.quota,
            counts.in_count if counts else 0,
            quota_tie,
            counts.flagged if counts else 0,
        ),
        rows=rows,
        status=_status(counts),
        balance=figures,
        shortfalls=tuple(
            shortfalls(figures, campaign.target_women_share, campaign.target_young_share)
        ),
        total=total,
        pending_sheets=counts.pending_total if counts else 0,
        unscored=counts.unscored if counts else 0,
        page=page,
        pages=max(1, -(-total // per_page)),
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
