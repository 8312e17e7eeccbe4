"""One page of a category's ranking, ranked by the database (排序结果分页).

The mean and the trimmed mean depend on a packet's own sheets only, so the database ranks
the category from each packet's count, sum, lowest and highest sheet total in cents, exact
integers on every backend; Python then reads only the page's rows (and the rows beside the
page and the quota line that the tie notes compare) and computes their figures with the same
aggregate() as the confirmation, the exports and the API. The balance counts the packets on
the list. A list that fits on one page, and the z-score method (each expert's scale comes
from the whole campaign), are ranked in Python (figures.category_listing) as the
confirmation ranks them, and the page is cut from that.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.orm import Session

from portal.applications.models import Application, ApplicationState
from portal.balance import BalanceFigures, Shortfall, balance_figures, shortfalls
from portal.campaigns.models import AggregationMethod, Campaign, CampaignCategory
from portal.organizations.models import District, Industry, Organization
from portal.scoring.aggregation import TRIM_FROM, aggregate
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
    locked_sheet_totals,
)
from portal.scoring.results.models import ListMove

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


def _half_up(numerator, denominator):
    """numerator / denominator rounded half up (away from zero), in integers on every backend."""
    up = (2 * numerator + denominator) // (2 * denominator)
    down = -((-2 * numerator + denominator) // (2 * denominator))
    return sa.case((numerator >= 0, up), else_=down)


def _cents(column):
    return sa.cast(sa.func.round(column * 100), sa.Integer)


# The statements take the category, its quota, the spread threshold in cents and the page's
# first and last positions as parameters: each is built once per process and method.
CATEGORY = sa.bindparam("category_id", type_=sa.Integer)
QUOTA = sa.bindparam("quota", type_=sa.Integer)
THRESHOLD = sa.bindparam("threshold", type_=sa.Integer)
FIRST = sa.bindparam("first", type_=sa.Integer)
LAST = sa.bindparam("last", type_=sa.Integer)


def _ranked(trimmed: bool) -> sa.CTE:
    """Every packet of the category's list with its place: position, shared rank, the move."""
    sheets = (
        sa.select(
            ScoreSheet.application_id.label("app"),
            sa.func.count().label("n"),
            sa.func.sum(_cents(ScoreSheet.total)).label("s"),
            sa.func.min(_cents(ScoreSheet.total)).label("lo"),
            sa.func.max(_cents(ScoreSheet.total)).label("hi"),
            sa.func.sum(_cents(ScoreSheet.criteria_points)).label("c"),
        )
        .join(Assignment, Assignment.id == ScoreSheet.assignment_id)
        .join(A, A.id == ScoreSheet.application_id)
        .where(
            A.category_id == CATEGORY,
            ScoreSheet.status == SheetStatus.LOCKED,
            Assignment.status == AssignmentStatus.ACTIVE,
        )
        .group_by(ScoreSheet.application_id)
        .subquery()
    )
    n, s = sheets.c.n, sheets.c.s
    score = _half_up(s, n)
    if trimmed:
        kept = s - sheets.c.lo - sheets.c.hi
        score = sa.case((n >= TRIM_FROM, _half_up(kept, n - 2)), else_=score)
    order = (
        n.is_(None),
        score.desc(),
        _half_up(sheets.c.c, n).desc(),
        n.desc(),
        A.submitted_at.is_(None),
        A.submitted_at,
        A.id,
    )
    return (
        sa.select(
            A.id,
            A.state,
            n.label("sheets"),
            (sheets.c.hi - sheets.c.lo).label("spread"),
            ListMove.direction,
            ListMove.reason,
            sa.func.row_number().over(order_by=order).label("position"),
            sa.func.rank().over(order_by=(n.is_(None), score.desc())).label("rank"),
        )
        .outerjoin(sheets, sheets.c.app == A.id)
        .outerjoin(
            ListMove, sa.and_(ListMove.application_id == A.id, ListMove.category_id == CATEGORY)
        )
        .where(A.category_id == CATEGORY, A.state.in_(POOL_STATES))
        .cte("ranked")
    )


def _in_list(ranked):
    within = sa.and_(ranked.c.position <= QUOTA, ranked.c.sheets.is_not(None))
    return sa.or_(
        ranked.c.direction == Direction.IN,
        sa.and_(ranked.c.direction.is_(None), within),
    )


def _pending(*where):
    """Active assignments without a locked sheet."""
    return (
        sa.select(sa.func.count())
        .select_from(Assignment)
        .outerjoin(ScoreSheet, ScoreSheet.assignment_id == Assignment.id)
        .where(
            *where,
            Assignment.status == AssignmentStatus.ACTIVE,
            sa.or_(ScoreSheet.id.is_(None), ScoreSheet.status != SheetStatus.LOCKED),
        )
        .scalar_subquery()
    )


def _one_if(condition):
    return sa.case((condition, 1), else_=0)


_PACKET_COLUMNS = (
    A.id, A.state, A.submitted_at, A.team_name, A.person_name, Organization.name,
    A.member_count, A.women_count, A.average_age, A.female, A.age, A.district_id,
    A.industry_id,
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
        _in_list(ranked).label("on_list"),
    ).cte("counted")
    pool = sa.select(A.id).where(A.category_id == CATEGORY, A.state.in_(POOL_STATES))
    position = counted.c.position
    # the page, the row above its first (its tie note), the two at the quota line
    near = sa.or_(position.between(FIRST - 1, LAST), position.in_([QUOTA, QUOTA + 1]))
    c = counted.c
    # sheets awaited: counted for the rows shown, not for the rest of the list
    pending = sa.case((near, _pending(Assignment.application_id == A.id)), else_=0)
    return (
        sa.select(*_PACKET_COLUMNS, position, c.rank, c.direction, c.reason,
                  pending.label("pending"), c.on_list,
                  c.total, c.in_count, c.unscored, c.flagged, c.open, c.decided,
                  _pending(Assignment.application_id.in_(pool)).label("pending_total"))
        .join(counted, c.id == A.id)
        .join(A.organization)
        .where(sa.or_(near, c.on_list))
        .order_by(position)
    )  # fmt: skip


class Place(NamedTuple):
    """A fetched packet and its place in the list."""

    packet: PoolPacket
    position: int
    rank: int
    direction: Direction | None
    reason: str | None
    pending: int
    on_list: bool


def _places(session: Session, found, category: CampaignCategory) -> list[Place]:
    """The fetched rows as packets and places; their districts and industries are read in
    two statements, one object each."""
    districts = {r.district_id for r in found}
    industries = {r.industry_id for r in found}
    district = {
        d.id: d for d in session.scalars(sa.select(District).where(District.id.in_(districts)))
    }
    industry = {
        i.id: i for i in session.scalars(sa.select(Industry).where(Industry.id.in_(industries)))
    }
    return [
        Place(PoolPacket(id_, state, submitted, (team or person or "").strip(), unit, category,
                         district.get(district_id), industry.get(industry_id), members, women,
                         average_age, female, age),
              position, rank_, direction, reason, pending, bool(on_list))
        for (id_, state, submitted, team, person, unit, members, women, average_age, female, age,
             district_id, industry_id, position, rank_, direction, reason, pending, on_list,
             *_counts) in found
    ]  # fmt: skip


def _status(counts) -> ListStatus:
    states = set()
    if counts.open:
        states.add(ApplicationState.ACCEPTED)
    if counts.decided:
        states.update(DECIDED_STATES)
    return list_status(states)


def _rows(session, category, shown: list[Place]) -> tuple[tuple[ResultRow, ...], TieBreak | None]:
    """The page's rows, their figures and tie notes, and what separates the quota line."""
    campaign, quota = category.campaign, category.quota
    ids = [p.packet.id for p in shown]
    sheets = locked_sheet_totals(session, campaign.id, category.id, application_ids=ids)
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


def results_page(
    session: Session, category: CampaignCategory, page: int, per_page: int
) -> ResultsPage:
    """Page `page` (from 1; beyond the last reads the last) of the category's ranking, with
    the counts, the quota line and the balance of the whole list, in a fixed number of
    statements whatever the number of packets."""
    campaign = category.campaign
    if campaign.aggregation_method == AggregationMethod.Z_SCORE:
        return _page_of(category_listing(session, category), page, per_page)
    total = session.scalar(
        sa.select(sa.func.count()).where(A.category_id == category.id, A.state.in_(POOL_STATES))
    )
    if not total or total <= per_page:  # one page shows every packet: rank them here
        return _page_of(category_listing(session, category), page, per_page)
    pages = -(-total // per_page)
    page = min(max(page, 1), pages)
    first, last, quota = (page - 1) * per_page + 1, page * per_page, category.quota
    statement = _statement(campaign.aggregation_method == AggregationMethod.TRIMMED_MEAN)
    found = session.execute(
        statement,
        {
            "category_id": category.id,
            "quota": quota,
            "threshold": int(campaign.score_spread_threshold * 100),
            "first": first,
            "last": last,
        },
    ).all()
    wanted = {*range(first - 1, last + 1), quota, quota + 1}
    places = _places(session, found, category)
    rows, quota_tie = _rows(session, category, [p for p in places if p.position in wanted])
    rows = tuple(r for r in rows if first <= r.ranked.position <= last)
    figures = balance_figures([p.packet for p in places if p.on_list])
    counts = found[0]
    return ResultsPage(
        campaign=campaign,
        category=category,
        ranking=ListSummary(quota, counts.in_count, quota_tie, counts.flagged),
        rows=rows,
        status=_status(counts),
        balance=figures,
        shortfalls=tuple(
            shortfalls(figures, campaign.target_women_share, campaign.target_young_share)
        ),
        total=total,
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
